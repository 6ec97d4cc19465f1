using System.Text.Json.Nodes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class CreateChannelTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Private_support_channel_for_Luis_is_planned_then_created_once_with_exactly_the_planned_access()
    {
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["name"] = "support-luis",
            ["private"] = true,
            ["allowed"] = new[] { "@Luis", "Support" },
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_channel", args);

        Assert.StartsWith("Dry-run: I would create the channel #support-luis with these permissions: Allowed: @Luis, Support role. Denied: @everyone.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Created #support-luis and configured access for @Luis and the Support role.", Text(confirmed), StringComparison.Ordinal);
        var channelId = Structured(confirmed).GetProperty("ids").GetProperty("channel_id").GetString()!;
        var channel = ChannelJson(channelId);
        Assert.Equal("support-luis", (string?)channel["name"]);
        var overwrites = channel["permission_overwrites"]!.AsArray().Select(o => ((string)o!["id"]!, (string)o["allow"]!, (string)o["deny"]!)).ToList();
        Assert.Contains(overwrites, o => o.Item1 == DemoGuild.EveryoneRoleId && o.Item3 == "1024"); // VIEW_CHANNEL denied
        Assert.Contains(overwrites, o => o.Item1 == DemoGuild.LuisUserId && (ulong.Parse(o.Item2) & 1024) != 0);
        Assert.Contains(overwrites, o => o.Item1 == DemoGuild.SupportRoleId && (ulong.Parse(o.Item2) & 1024) != 0);

        // Exactly once: the same confirmation cannot run again.
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Channels(), c => (string?)c["name"] == "support-luis");
    }

    [Fact]
    public async Task A_taken_name_is_refused_at_plan_time_and_nothing_is_stored()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "general" });
        Assert.True(result.IsError);
        Assert.Contains("name: a channel named #general already exists", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.DoesNotContain(await _host.AuditAsync("discord_create_channel"), e => e.Decision == AuditDecision.DryRun);
    }

    [Fact]
    public async Task Drift_between_plan_and_confirmation_is_reported_instead_of_executed()
    {
        var dry = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "launch-room" });
        _host.Sandbox.State.AddChannel(DemoGuild.GuildId, "launch-room");
        var snapshot = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("already exists", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(snapshot, _host.Snapshot());
    }

    [Fact]
    public async Task Dry_run_false_in_confirm_mode_without_elicitation_returns_a_confirmation_id_and_changes_nothing()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "quick", ["dry_run"] = false });
        Assert.True(result.IsError != true, Text(result));
        Assert.Equal("pending_confirmation", Structured(result).GetProperty("status").GetString());
        Assert.Equal(before, _host.Snapshot());
        Assert.StartsWith("pa_", ConfirmationId(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allow_mode_with_dry_run_false_executes_directly()
    {
        await _host.SetModeAsync("discord_create_channel", ToolMode.Allow);
        var result = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "direct", ["type"] = "voice", ["user_limit"] = 5 });
        Assert.Equal("dry_run", Structured(result).GetProperty("status").GetString()); // dry_run defaults to true even in allow mode
        var executed = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "direct", ["type"] = "voice", ["user_limit"] = 5, ["dry_run"] = false });
        Assert.Equal("executed", Structured(executed).GetProperty("status").GetString());
        var channel = Assert.Single(Channels(), c => (string?)c["name"] == "direct");
        Assert.Equal(2, (int)channel["type"]!);
        Assert.Equal(5, (int)channel["user_limit"]!);
        var events = await _host.AuditAsync("discord_create_channel");
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Executing);
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Executed);
    }

    [Theory]
    [InlineData("name", "a-name-that-is-far-too-long-for-discord-because-channel-names-stop-at-one-hundred-characters-exactly-x", "name must be 1–100 characters")]
    [InlineData("type", "closet", "type must be one of")]
    [InlineData("slowmode_seconds", 21601, "slowmode_seconds must be between 0 and 21600")]
    [InlineData("bitrate", 1000, "bitrate and user_limit are only for voice")]
    [InlineData("category", "general", "is not a category")]
    [InlineData("allowed", "nobody-at-all-here", "allowed[0]")]
    public async Task Bad_input_names_the_field_and_sends_nothing_that_changes_Discord(string field, object value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["name"] = "fine-name" };
        args[field] = field == "allowed" ? new[] { (string)value } : value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_channel", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    private JsonObject ChannelJson(string id) =>
        Channels().Single(c => (string?)c["id"] == id);

    private List<JsonObject> Channels() =>
        [.. JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray().Select(c => c!["channel"]!.AsObject())];
}
