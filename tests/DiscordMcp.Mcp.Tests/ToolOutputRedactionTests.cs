using System.Text.Json;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tests;

/// <summary>Every tool result leaves the server redacted: text, structured content, error results and error messages.</summary>
public sealed class ToolOutputRedactionTests
{
    private const string BotToken = "configured.bot-token.NotDiscordShaped";
    private const string WebhookToken = "aB3_dEf-GhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";
    private const string WebhookUrl = "https://discord.com/api/webhooks/123456789012345678/" + WebhookToken;
    private const string ApiKey = "dmcp_0123456789ab_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

    private static readonly string[] FakeTools = ["fake_leaky_read", "fake_leaky_failure", "fake_leaky_exception"];

    private static Task<McpTestServer> StartAsync(bool registerRedactor = true) =>
        McpTestServer.StartAsync(withSandbox: false, configure: (services, mcp) =>
        {
            if (registerRedactor)
                services.AddSingleton(new Redactor([BotToken]));
            mcp.WithTools(
            [
                McpServerTool.Create(() => new CallToolResult
                {
                    Content = [new TextContentBlock { Text = $"hook {WebhookUrl}, key {ApiKey}, configured {BotToken}, channel 987654321098765432" }],
                    StructuredContent = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                    {
                        ["url"] = WebhookUrl,
                        ["token"] = WebhookToken,
                        ["id"] = "987654321098765432",
                        ["count"] = 2,
                    }),
                }, new McpServerToolCreateOptions { Name = "fake_leaky_read", ReadOnly = true }),
                McpServerTool.Create(string () => throw new DiscordServiceException(DiscordErrorKind.InvalidArgument, $"bad hook {WebhookUrl} with Authorization: {BotToken}", "url"),
                    new McpServerToolCreateOptions { Name = "fake_leaky_failure", ReadOnly = true }),
                McpServerTool.Create(string () => throw new McpException($"tool failed for Bearer {ApiKey}"),
                    new McpServerToolCreateOptions { Name = "fake_leaky_exception", ReadOnly = true }),
            ]);
            foreach (var name in FakeTools)
                services.AddSingleton(new ToolInfo(name, Toolsets.Messages, ReadOnly: true, Destructive: false, name, "Test-only tool."));
        });

    private static void AssertNoSecret(string text)
    {
        foreach (var secret in new[] { BotToken, WebhookToken, ApiKey })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_and_structured_content_are_redacted_and_keep_their_shape()
    {
        await using var server = await StartAsync();
        var result = await server.CallAsync("fake_leaky_read");

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("hook [redacted], key [redacted], configured [redacted], channel 987654321098765432", result.Text());
        var structured = result.StructuredContent!.Value;
        Assert.Equal("[redacted]", structured.GetProperty("url").GetString());
        Assert.Equal("[redacted]", structured.GetProperty("token").GetString());
        Assert.Equal("987654321098765432", structured.GetProperty("id").GetString());
        Assert.Equal(2, structured.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Discord_errors_turned_into_results_are_redacted()
    {
        await using var server = await StartAsync();
        var result = await server.CallAsync("fake_leaky_failure");

        Assert.True(result.IsError);
        Assert.Equal("bad hook [redacted] with Authorization: [redacted]", result.Text());
    }

    [Fact]
    public async Task Exception_messages_the_sdk_turns_into_error_results_are_redacted()
    {
        await using var server = await StartAsync();
        var result = await server.CallAsync("fake_leaky_exception");

        Assert.True(result.IsError);
        AssertNoSecret(JsonSerializer.Serialize(result));
        Assert.Contains("Bearer [redacted]", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Built_in_patterns_apply_even_when_the_composition_registers_no_redactor()
    {
        await using var server = await StartAsync(registerRedactor: false);
        var result = await server.CallAsync("fake_leaky_read");

        Assert.Contains("hook [redacted], key [redacted]", result.Text(), StringComparison.Ordinal);
        Assert.Contains(BotToken, result.Text(), StringComparison.Ordinal); // not Discord-shaped: only a configured redactor knows it
    }
}
