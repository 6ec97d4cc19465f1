using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>discord_modify_guild against the sandbox. The demo bot lacks MANAGE_GUILD; tests that execute give it the Admin role first.</summary>
public sealed class GuildWriteTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private void GiveBotManageGuild() =>
        _host.Sandbox.State.AddMember(DemoGuild.GuildId, DemoGuild.BotUserId, [DemoGuild.BotRoleId, DemoGuild.AdminRoleId]);

    [Fact]
    public async Task Modify_guild_plans_from_to_and_changes_exactly_the_given_settings_once()
    {
        GiveBotManageGuild();
        var before = Guild();
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["name"] = "DiscordMCP Community",
            ["afk_channel"] = "Lounge",
            ["afk_timeout_seconds"] = 900,
            ["verification_level"] = "high",
            ["system_channel"] = "none",
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_guild", args);

        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(
            ["Name: DiscordMCP Demo → DiscordMCP Community", "System channel: #general → none", "AFK channel: none → Lounge", "AFK timeout: 5 min → 15 min",
                "Verification level: low → high"],
            plan.GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ToList());
        Assert.Equal(["MANAGE_GUILD"], plan.GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()).ToList());
        Assert.StartsWith("Dry-run: I would change the server settings of DiscordMCP Demo: Name: DiscordMCP Demo → DiscordMCP Community;", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Changed the server settings of DiscordMCP Community:", Text(confirmed), StringComparison.Ordinal);
        var after = Guild();
        Assert.Equal("DiscordMCP Community", (string?)after["name"]);
        Assert.Equal(DemoGuild.LoungeVoiceId, (string?)after["afk_channel_id"]);
        Assert.Equal(900, (int)after["afk_timeout"]!);
        Assert.Equal(3, (int)after["verification_level"]!);
        Assert.Null(after["system_channel_id"]);
        Assert.Equal(before["default_message_notifications"]!.ToJsonString(), after["default_message_notifications"]!.ToJsonString());
        Assert.Equal(before["description"]?.ToJsonString(), after["description"]?.ToJsonString());

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Modify_guild_is_denied_up_front_when_the_bot_lacks_manage_guild()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_modify_guild", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "Renamed" });
        Assert.True(result.IsError, Text(result));
        Assert.Contains("Denied by bot_permission (bot_missing_per", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("name", "x", "name must be 2–100 characters")]
    [InlineData("afk_timeout_seconds", 120, "afk_timeout_seconds must be one of 60, 300, 900, 1800, 3600")]
    [InlineData("verification_level", "extreme", "verification_level must be one of none, low, medium, high, very_high")]
    [InlineData("default_notifications", "sometimes", "default_notifications must be one of all_messages, only_mentions")]
    [InlineData("system_channel", "Events", "system_channel: Events is a voice channel; it must be a text channel")]
    [InlineData("afk_channel", "general", "afk_channel: #general is a text channel; it must be a voice channel")]
    [InlineData("afk_channel", "no-such-room", "afk_channel")]
    [InlineData("verification_level", "low", "already has these settings")]
    [InlineData("reason", "", "Nothing to change")]
    public async Task Modify_guild_bad_input_names_the_field_and_changes_nothing(string field, object value, string expected)
    {
        GiveBotManageGuild();
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId };
        args[field] = value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_modify_guild", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    private JsonObject Guild() =>
        JsonNode.Parse(_host.Snapshot())!["guilds"]!.AsArray().Select(g => g!["guild"]!.AsObject()).Single(g => (string?)g["id"] == DemoGuild.GuildId);
}
