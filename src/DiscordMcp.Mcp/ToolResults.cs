using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp;

/// <summary>Builds tool results: the record as <c>structuredContent</c> (snake_case) plus a short text rendering.</summary>
internal static class ToolResults
{
    public static JsonSerializerOptions Json { get; } = new(McpJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static CallToolResult Ok<T>(T value, string text) => new()
    {
        StructuredContent = JsonSerializer.SerializeToElement(value, Json),
        Content = [new TextContentBlock { Text = text }],
    };

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
