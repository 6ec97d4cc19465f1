using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class EventWriteTests : IAsyncLifetime
{
    private static readonly TimeSpan Gmt3 = TimeSpan.FromHours(-3);
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Tomorrow at <paramref name="hour"/>:00 GMT-3, from the real clock (the host uses it).</summary>
    private static DateTimeOffset Tomorrow(int hour)
    {
        var today = TimeProvider.System.GetUtcNow().ToOffset(Gmt3);
        var day = today.Date.AddDays(1);
        return new DateTimeOffset(day.Year, day.Month, day.Day, hour, 0, 0, Gmt3);
    }

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static Dictionary<string, object?> CommunitySync() => new()
    {
        ["guild_id"] = DemoGuild.GuildId,
        ["name"] = "Community Sync",
        ["entity_type"] = "voice",
        ["channel"] = "Events",
        ["start_time"] = Iso(Tomorrow(14)),
    };

    [Fact]
    public async Task Community_Sync_tomorrow_at_14_GMT_minus_3_in_Events_is_planned_in_GMT_minus_3_and_created_once_at_17Z()
    {
        var start = Tomorrow(14);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", CommunitySync());

        var plan = Text(dry);
        Assert.StartsWith("Dry-run: I would create the voice event \"Community Sync\" in Events on ", plan, StringComparison.Ordinal);
        Assert.Contains("Time: 14:00 GMT-3", plan, StringComparison.Ordinal);
        Assert.Contains("Date: " + start.ToString("dddd yyyy-MM-dd", CultureInfo.InvariantCulture), plan, StringComparison.Ordinal);
        Assert.Contains("Time: 14:00 GMT-3", Text(confirmed), StringComparison.Ordinal);

        var eventId = Structured(confirmed).GetProperty("ids").GetProperty("event_id").GetString()!;
        var ev = Assert.Single(Events());
        Assert.Equal(eventId, (string?)ev["id"]);
        Assert.Equal("Community Sync", (string?)ev["name"]);
        Assert.Equal(DemoGuild.EventsVoiceId, (string?)ev["channel_id"]);
        Assert.Equal(2, (int)ev["entity_type"]!);
        var stored = DateTimeOffset.Parse((string)ev["scheduled_start_time"]!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, stored.Offset);
        Assert.Equal(new DateTimeOffset(start.Year, start.Month, start.Day, 17, 0, 0, TimeSpan.Zero), stored);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Events());
    }

    [Fact]
    public async Task A_Z_time_is_rendered_as_GMT_plus_0_and_an_external_event_keeps_location_and_end()
    {
        var start = Tomorrow(14).ToUniversalTime();
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId, ["name"] = "Meetup", ["entity_type"] = "external", ["location"] = "Café Central",
            ["start_time"] = start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["end_time"] = start.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        var (dry, _) = await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", args);
        Assert.Contains("Time: 17:00 GMT+0", Text(dry), StringComparison.Ordinal);
        var ev = Assert.Single(Events());
        Assert.Equal(3, (int)ev["entity_type"]!);
        Assert.Equal("Café Central", (string?)ev["entity_metadata"]!["location"]);
        Assert.Null((string?)ev["channel_id"]);
        Assert.Equal(start.AddHours(2), DateTimeOffset.Parse((string)ev["scheduled_end_time"]!, CultureInfo.InvariantCulture));
    }

    public static TheoryData<string, object?, string> BadCreateInput() => new()
    {
        { "name", new string('x', 101), "name must be 1–100 characters" },
        { "description", new string('d', 1001), "description must be at most 1000 characters" },
        { "entity_type", "party", "entity_type must be one of" },
        { "start_time", "2026-11-30T14:00:00", "start_time needs an offset" },
        { "start_time", "2020-01-01T14:00:00-03:00", "start_time must be in the future" },
        { "end_time", "past", "end_time" },
        { "channel", "general", "channel: #general is a text channel; a voice event needs a voice channel" },
        { "location", "Somewhere", "location is only for external events" },
    };

    [Theory]
    [MemberData(nameof(BadCreateInput))]
    public async Task Bad_create_input_names_the_field_and_changes_nothing(string field, object? value, string expected)
    {
        var args = CommunitySync();
        args[field] = field == "end_time" ? Iso(Tomorrow(13)) : value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_scheduled_event", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.DoesNotContain(await _host.AuditAsync("discord_create_scheduled_event"), e => e.Decision == AuditDecision.DryRun);
    }

    [Fact]
    public async Task An_external_event_without_an_end_is_refused_naming_end_time()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_scheduled_event", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["name"] = "Meetup", ["entity_type"] = "external", ["location"] = "Park", ["start_time"] = Iso(Tomorrow(10)),
        });
        Assert.True(result.IsError);
        Assert.Contains("end_time is required for external events", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Modify_changes_only_the_given_fields_and_follows_Discords_status_transitions()
    {
        var (_, created) = await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", CommunitySync());
        var id = Structured(created).GetProperty("ids").GetProperty("event_id").GetString()!;

        var (dry, _) = await _host.DryRunThenConfirmAsync("discord_modify_scheduled_event", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["event"] = "Community Sync", ["start_time"] = Iso(Tomorrow(15)),
        });
        Assert.Contains("Time: 14:00 GMT-3 → 15:00 GMT-3", Text(dry), StringComparison.Ordinal);
        var ev = Assert.Single(Events());
        Assert.Equal("Community Sync", (string?)ev["name"]);
        Assert.Equal(DemoGuild.EventsVoiceId, (string?)ev["channel_id"]);
        Assert.Equal(Tomorrow(15), DateTimeOffset.Parse((string)ev["scheduled_start_time"]!, CultureInfo.InvariantCulture));

        // scheduled → completed is not a transition Discord allows.
        var before = _host.Snapshot();
        var bad = await _host.CallAsync("discord_modify_scheduled_event", new() { ["guild_id"] = DemoGuild.GuildId, ["event"] = id, ["status"] = "completed" });
        Assert.True(bad.IsError);
        Assert.Contains("status: \"Community Sync\" is scheduled", Text(bad), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());

        await _host.DryRunThenConfirmAsync("discord_modify_scheduled_event", new() { ["guild_id"] = DemoGuild.GuildId, ["event"] = id, ["status"] = "canceled" });
        Assert.Equal(4, (int)Assert.Single(Events())["status"]!);
    }

    [Theory]
    [InlineData("event", "No Such Event", "event: no scheduled event named")]
    [InlineData("status", "paused", "status must be one of")]
    [InlineData("channel", "general", "channel: #general is a text channel")]
    [InlineData("location", "Park", "location: \"Community Sync\" is a voice event")]
    [InlineData("start_time", "tomorrow 2pm", "start_time needs an offset")]
    public async Task Bad_modify_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", CommunitySync());
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["event"] = "Community Sync", ["name"] = "Renamed" };
        args[field] = value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_modify_scheduled_event", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Delete_needs_approval_by_default_and_in_confirm_mode_deletes_exactly_once()
    {
        await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", CommunitySync());
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["event"] = "Community Sync" };

        var dry = await _host.CallAsync("discord_delete_scheduled_event", args);
        var before = _host.Snapshot();
        var refused = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(refused).GetProperty("status").GetString());
        Assert.False(Structured(refused).GetProperty("executed").GetBoolean());
        Assert.Equal(before, _host.Snapshot());

        await _host.SetModeAsync("discord_delete_scheduled_event", ToolMode.Confirm);
        var (plan, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_scheduled_event", args);
        Assert.StartsWith("Dry-run: I would delete the voice event \"Community Sync\" in Events", Text(plan), StringComparison.Ordinal);
        Assert.StartsWith("Deleted the event \"Community Sync\".", Text(confirmed), StringComparison.Ordinal);
        Assert.Empty(Events());
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(plan) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_the_created_event_with_its_utc_start()
    {
        await _host.DryRunThenConfirmAsync("discord_create_scheduled_event", CommunitySync());
        var list = await _host.CallAsync("discord_list_scheduled_events", new() { ["guild_id"] = DemoGuild.GuildId });
        Assert.True(list.IsError != true, Text(list));
        var item = Assert.Single(Structured(list).GetProperty("events").EnumerateArray());
        Assert.Equal("Community Sync", item.GetProperty("name").GetString());
        Assert.Equal(Tomorrow(14).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), item.GetProperty("start_time").GetString());
        Assert.Equal("scheduled", item.GetProperty("status").GetString());
    }

    private List<JsonObject> Events() =>
        [.. JsonNode.Parse(_host.Snapshot())!["guilds"]!.AsArray().Where(g => (string?)g!["guild"]!["id"] == DemoGuild.GuildId)
            .SelectMany(g => g!["events"]!.AsArray()).Select(e => e!.AsObject())];
}
