using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Conformance.Tests.Fixtures;

/// <summary>The resources the conformance suite reads, lists and subscribes to (test composition only).</summary>
[McpServerResourceType]
internal sealed class ConformanceResources
{
    public const string WatchedUri = "test://watched-resource";

    [McpServerResource(UriTemplate = "test://static-text", Name = "static_text", MimeType = "text/plain")]
    [Description("Conformance fixture: a static text resource.")]
    public static TextResourceContents StaticText() => new()
    {
        Uri = "test://static-text",
        MimeType = "text/plain",
        Text = "This is the content of the static text resource.",
    };

    [McpServerResource(UriTemplate = "test://static-binary", Name = "static_binary", MimeType = "image/png")]
    [Description("Conformance fixture: a static binary (PNG) resource.")]
    public static BlobResourceContents StaticBinary() => BlobResourceContents.FromBytes(FixtureMedia.Png, "test://static-binary", "image/png");

    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "template_data", MimeType = "application/json")]
    [Description("Conformance fixture: a resource template; {id} is echoed in the JSON.")]
    public static TextResourceContents TemplateData([Description("Any identifier.")] string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = System.Text.Json.JsonSerializer.Serialize(new TemplateDocument(id, true, $"Data for ID: {id}"), FixtureJson.Default.TemplateDocument),
    };

    [McpServerResource(UriTemplate = WatchedUri, Name = "watched_resource", MimeType = "text/plain")]
    [Description("Conformance fixture: a resource clients may subscribe to.")]
    public static TextResourceContents Watched() => new()
    {
        Uri = WatchedUri,
        MimeType = "text/plain",
        Text = "This resource can be watched for updates.",
    };
}

internal sealed record TemplateDocument(string Id, bool TemplateTest, string Data);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TemplateDocument))]
internal sealed partial class FixtureJson : System.Text.Json.Serialization.JsonSerializerContext;
