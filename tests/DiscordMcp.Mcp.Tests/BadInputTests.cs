using System.Text.Json;

namespace DiscordMcp.Mcp.Tests;

/// <summary>Bad input is a tool error naming the argument — and never reaches Discord (no sandbox is running here).</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private McpTestServer _server = null!;

    // No sandbox: any Discord call would fail with "could not be reached", so these errors prove nothing was sent.
    public async Task InitializeAsync() => _server = await McpTestServer.StartAsync(withSandbox: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":500}", "limit must be between 1 and 100")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":0}", "limit must be between 1 and 100")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":\"many\"}", "limit must be an integer")]
    [InlineData("discord_list_messages", "{\"limit\":5}", "Missing required argument 'channel'")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"before\":\"1\",\"after\":\"2\"}", "at most one of before, after and around")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"before\":\"yesterday-ish\"}", "before must be a message id or an ISO-8601 time")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"colour\":\"red\"}", "Unknown argument 'colour'")]
    [InlineData("discord_get_message", "{\"channel\":\"support\",\"message_id\":\"12ab\"}", "message_id must be a message id")]
    [InlineData("discord_list_members", "{\"limit\":5000}", "limit must be between 1 and 1000")]
    [InlineData("discord_get_audit_log", "{\"category\":\"weather\"}", "category must be one of: server, channels, members, roles")]
    [InlineData("discord_get_audit_log", "{\"action_type\":\"explode\"}", "action_type \"explode\" is unknown")]
    [InlineData("discord_explain_permissions", "{\"channel\":\"support\",\"permission\":\"fly\"}", "permission \"fly\" is unknown")]
    [InlineData("discord_search_members", "{\"query\":\"\"}", "Missing required argument 'query'")]
    [InlineData("discord_get_member", "{\"user\":{\"id\":1}}", "user must be a string")]
    public async Task Bad_arguments_become_a_tool_error_naming_the_argument(string tool, string json, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var r = await _server.CallAsync(tool, args);
        Assert.True(r.IsError);
        Assert.Contains(expected, r.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("could not be reached", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_discord_outage_becomes_a_safe_actionable_error()
    {
        var r = await _server.CallAsync("discord_list_guilds");
        Assert.True(r.IsError);
        Assert.Contains("Discord could not be reached", r.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("not.a.real.token", r.Text(), StringComparison.Ordinal);
    }
}
