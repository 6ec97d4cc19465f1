using System.Text.Json;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// Bad input over the real MCP client: a tool error naming the argument and what is allowed, never an unhandled
/// exception — and, for anything the arguments alone show is wrong, not a single request to Discord (counted on the
/// REST client's HttpClient; the sandbox is running, so a request would have succeeded and been counted).
/// </summary>
public sealed class BadInputTests(SandboxServerFixture fixture) : IClassFixture<SandboxServerFixture>
{
    private McpTestServer Server => fixture.Server;

    [Theory]
    // Out-of-range limits.
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":500}", "limit must be between 1 and 100 (default 50); got 500.")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":0}", "limit must be between 1 and 100")]
    [InlineData("discord_list_members", "{\"limit\":5000}", "limit must be between 1 and 1000")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":3000000000}", "limit must be an integer")]
    // Wrong types.
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":\"many\"}", "limit must be an integer, got a string.")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"limit\":2.5}", "limit must be an integer, got a number.")]
    [InlineData("discord_get_member", "{\"user\":{\"id\":1}}", "user must be a string, got an object.")]
    [InlineData("discord_get_channel", "{\"channel\":[\"support\"]}", "channel must be a string, got an array.")]
    [InlineData("discord_get_channel", "{\"channel\":true}", "channel must be a string, got a boolean.")]
    // Missing required arguments (the message carries the argument's description: what is allowed).
    [InlineData("discord_list_messages", "{\"limit\":5}", "Missing required argument 'channel' for discord_list_messages: Channel: #name, name, <#id> mention, or id.")]
    [InlineData("discord_get_message", "{\"channel\":\"support\"}", "Missing required argument 'message_id'")]
    [InlineData("discord_search_members", "{\"query\":\"\"}", "Missing required argument 'query'")]
    [InlineData("discord_explain_permissions", "{\"channel\":\"support\"}", "Missing required argument 'permission'")]
    // Unknown arguments list the allowed ones.
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"colour\":\"red\"}", "Unknown argument 'colour' for discord_list_messages; allowed: channel, limit, before, after, around, guild_id.")]
    // Malformed ids, cursors and values.
    [InlineData("discord_get_message", "{\"channel\":\"support\",\"message_id\":\"12ab\"}", "message_id must be a message id")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"before\":\"yesterday-ish\"}", "before must be a message id or an ISO-8601 time")]
    [InlineData("discord_list_messages", "{\"channel\":\"support\",\"before\":\"1\",\"after\":\"2\"}", "at most one of before, after and around")]
    [InlineData("discord_get_audit_log", "{\"category\":\"weather\"}", "category must be one of: server, channels, members, roles")]
    [InlineData("discord_get_audit_log", "{\"action_type\":\"explode\"}", "action_type \"explode\" is unknown")]
    [InlineData("discord_explain_permissions", "{\"channel\":\"support\",\"permission\":\"fly\"}", "permission \"fly\" is unknown")]
    public async Task Bad_arguments_become_a_tool_error_naming_the_argument_without_calling_discord(string tool, string json, string expected)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        var before = Server.Requests.Count;
        var r = await Server.CallAsync(tool, args);
        Assert.True(r.IsError, r.Text());
        Assert.Contains(expected, r.Text(), StringComparison.Ordinal);
        Assert.Equal(before, Server.Requests.Count);
    }

    [Fact]
    public async Task An_unknown_tool_is_an_invalid_params_error_listing_the_available_tools()
    {
        var before = Server.Requests.Count;
        var e = await Assert.ThrowsAsync<McpProtocolException>(() => Server.CallAsync("discord_delete_everything"));
        Assert.Equal(McpErrorCode.InvalidParams, e.ErrorCode);
        Assert.Contains("Unknown tool 'discord_delete_everything'. Available tools: discord_", e.Message, StringComparison.Ordinal);
        Assert.Contains("discord_explain_permissions, discord_get_audit_log", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, Server.Requests.Count);
    }

    [Theory]
    [InlineData("discord_list_messages", "channel", "#suport", "channel: no channel named \"suport\". Did you mean: #support")]
    [InlineData("discord_get_channel", "channel", "<#123>", "channel: no channel with id 123 in this g")]
    [InlineData("discord_get_member", "user", "@nobody-at-all", "user: no member named \"nobody-at-all\"")]
    [InlineData("discord_get_guild", "guild_id", "Some Other Server", "guild_id: no guild named \"Some Other Server\"")]
    public async Task An_unknown_name_is_a_tool_error_naming_the_argument(string tool, string argument, string value, string expected)
    {
        var r = await Server.CallAsync(tool, new() { [argument] = value });
        Assert.True(r.IsError, r.Text());
        Assert.Contains(expected, r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_member_name_lists_the_candidates_with_ids()
    {
        // "a" is a prefix of admin and alex.
        var r = await Server.CallAsync("discord_get_member", new() { ["user"] = "a" });
        Assert.True(r.IsError);
        var text = r.Text();
        Assert.StartsWith("user: \"a\" matches", text, StringComparison.Ordinal);
        Assert.Contains(DemoGuild.AdminUserId, text, StringComparison.Ordinal);
        Assert.Contains(DemoGuild.AlexUserId, text, StringComparison.Ordinal);
        Assert.Contains("Pass the id instead.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_channel_prefix_lists_the_candidates()
    {
        var r = await Server.CallAsync("discord_get_channel", new() { ["channel"] = "s" });
        Assert.True(r.IsError);
        Assert.Matches("^channel: \"s\" matches \\d+ channels: ", r.Text());
        Assert.Contains($"#support (id {DemoGuild.SupportChannelId})", r.Text(), StringComparison.Ordinal);
    }
}

/// <summary>When Discord itself fails, the model gets the service layer's safe message, not the SDK's generic one.</summary>
public sealed class DiscordOutageTests(NoDiscordServerFixture fixture) : IClassFixture<NoDiscordServerFixture>
{
    [Fact]
    public async Task A_discord_outage_becomes_a_safe_actionable_error()
    {
        var r = await fixture.Server.CallAsync("discord_list_guilds");
        Assert.True(r.IsError);
        Assert.StartsWith("Discord could not be reached", r.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred invoking", r.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("not.a.real.token", r.Text(), StringComparison.Ordinal);
        Assert.True(fixture.Server.Requests.Count > 0, "the call did try Discord");
    }
}
