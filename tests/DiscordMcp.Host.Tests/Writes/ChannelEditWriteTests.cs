using System.Text.Json.Nodes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>discord_edit_channel, discord_delete_channel, discord_set_channel_permissions, discord_delete_channel_permissions against the sandbox.</summary>
public sealed class ChannelEditWriteTests : IAsyncLifetime
{
    private static readonly string[] ViewOnly = ["VIEW_CHANNEL"];
    private static readonly string[] SendOnly = ["SEND_MESSAGES"];
    private static readonly string[] MentionEveryone = ["Mention Everyone"];

    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    // ---------- discord_edit_channel ----------

    [Fact]
    public async Task Edit_channel_plans_from_to_per_field_then_changes_only_the_given_fields_once()
    {
        var before = Channel(DemoGuild.SupportChannelId);
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "#support",
            ["name"] = "Help Desk",
            ["slowmode_seconds"] = 30,
            ["category"] = "Community",
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_edit_channel", args);

        var changes = Structured(dry).GetProperty("plan").GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["Name: support → help-desk", "Slowmode: off → 30 s", "Category: Text Channels → Community"], changes);
        Assert.StartsWith("Dry-run: I would edit the channel #support: Name: support → help-desk;", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Edited #help-desk:", Text(confirmed), StringComparison.Ordinal);
        var after = Channel(DemoGuild.SupportChannelId);
        Assert.Equal("help-desk", (string?)after["name"]);
        Assert.Equal(30, (int)after["rate_limit_per_user"]!);
        Assert.Equal(DemoGuild.CommunityCategoryId, (string?)after["parent_id"]);
        // Fields not given are unchanged.
        Assert.Equal((string?)before["topic"], (string?)after["topic"]);
        Assert.Equal(before["position"]!.ToJsonString(), after["position"]!.ToJsonString());
        Assert.Equal(before["permission_overwrites"]!.ToJsonString(), after["permission_overwrites"]!.ToJsonString());

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(_host.Sandbox.State.Snapshot().Split("\"action_type\":11").Skip(1));
    }

    [Fact]
    public async Task Edit_channel_refuses_at_confirmation_when_the_new_name_was_taken_meanwhile()
    {
        var dry = await _host.CallAsync("discord_edit_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random", ["name"] = "off-topic" });
        Assert.True(dry.IsError != true, Text(dry));
        _host.Sandbox.State.AddChannel(DemoGuild.GuildId, "off-topic");
        var snapshot = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("name: a channel named #off-topic already exists", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(snapshot, _host.Snapshot());
    }

    [Theory]
    [InlineData("channel", "no-such-channel", "channel")]
    [InlineData("name", "", "name must be 1–100 characters")]
    [InlineData("name", "general", "name: a channel named #general already exists")]
    [InlineData("slowmode_seconds", 21601, "slowmode_seconds must be between 0 and 21600")]
    [InlineData("bitrate", 64000, "bitrate and user_limit are only for voice and stage channels")]
    [InlineData("user_limit", 100, "user_limit must be between 0 and 99")]
    [InlineData("position", -1, "position must be between 0 and 10000")]
    [InlineData("category", "general", "category: #general is not a category")]
    [InlineData("topic", "Ask for help here. Staff will answer.", "nothing would change")]
    [InlineData("reason", "", "nothing would change")]
    public async Task Edit_channel_bad_input_names_the_field_and_changes_nothing(string field, object value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "support" };
        if (field == "reason")
        {
            args["slowmode_seconds"] = 0; // already off: nothing to change
        }
        else
        {
            args[field] = value;
            if (field == "channel")
                args["topic"] = "new topic";
        }
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_edit_channel", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Edit_channel_changes_voice_fields_of_a_voice_channel()
    {
        await _host.DryRunThenConfirmAsync("discord_edit_channel",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "Events", ["bitrate"] = 96000, ["user_limit"] = 10, ["category"] = "none" });
        var events = Channel(DemoGuild.EventsVoiceId);
        Assert.Equal(96000, (int)events["bitrate"]!);
        Assert.Equal(10, (int)events["user_limit"]!);
        Assert.Null(events["parent_id"]);
        Assert.Equal("Events", (string?)events["name"]);
    }

    // ---------- discord_delete_channel ----------

    [Fact]
    public async Task Delete_channel_in_confirm_mode_deletes_it_once_and_says_it_cannot_be_undone()
    {
        await _host.SetModeAsync("discord_delete_channel", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#incidents" });

        var plan = Structured(dry).GetProperty("plan");
        Assert.False(plan.GetProperty("reversible").GetBoolean());
        Assert.Contains("I would delete the channel #incidents", Text(dry), StringComparison.Ordinal);
        Assert.Contains("This cannot be undone.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Deleted the channel #incidents.", Text(confirmed), StringComparison.Ordinal);
        Assert.DoesNotContain(Channels(), c => (string?)c["id"] == DemoGuild.IncidentsChannelId);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_channel_in_default_approve_mode_cannot_be_confirmed_by_the_model()
    {
        var dry = await _host.CallAsync("discord_delete_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random" });
        Assert.True(dry.IsError != true, Text(dry));
        var before = _host.Snapshot();
        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(confirmed).GetProperty("status").GetString());
        Assert.False(Structured(confirmed).GetProperty("executed").GetBoolean());
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Delete_category_with_channels_is_refused_with_the_count_unless_forced()
    {
        var before = _host.Snapshot();
        var refused = await _host.CallAsync("discord_delete_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "Voice" });
        Assert.True(refused.IsError);
        Assert.Contains("The category Voice still contains 2 channels (Events and Lounge)", Text(refused), StringComparison.Ordinal);
        Assert.Contains("force: true", Text(refused), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());

        await _host.SetModeAsync("discord_delete_channel", ToolMode.Confirm);
        var (dry, _) = await _host.DryRunThenConfirmAsync("discord_delete_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "Voice", ["force"] = true });
        Assert.Contains("Channels left without a category: Events and Lounge", Text(dry), StringComparison.Ordinal);
        Assert.DoesNotContain(Channels(), c => (string?)c["id"] == DemoGuild.VoiceCategoryId);
        Assert.Null(Channel(DemoGuild.EventsVoiceId)["parent_id"]);
    }

    [Theory]
    [InlineData("channel", "", "'channel'")]
    [InlineData("channel", "999999999999999999", "no channel with id")]
    [InlineData("reason", "r", "reason must be at most 512 characters")]
    public async Task Delete_channel_bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random" };
        args[field] = field == "reason" ? new string('r', 513) : value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_delete_channel", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    // ---------- discord_set_channel_permissions ----------

    [Fact]
    public async Task Set_permissions_accepts_discord_and_friendly_names_and_shows_the_overwrite_before_and_after()
    {
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "#support",
            ["target"] = "Support",
            ["allow"] = new[] { "VIEW_CHANNEL", "Send Messages", "manage-messages" },
            ["deny"] = new[] { "Attach Files" },
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_set_channel_permissions", args);

        var changes = Structured(dry).GetProperty("plan").GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal("Overwrite for Support role: no overwrite (inherits) → allow VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES; deny ATTACH_FILES", changes[0]);
        Assert.Equal(["VIEW_CHANNEL", "SEND_MESSAGES", "MANAGE_MESSAGES", "ATTACH_FILES", "MANAGE_ROLES"], Structured(dry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()).ToList());
        Assert.StartsWith("Set the permission overwrite for the Support role in #support", Text(confirmed), StringComparison.Ordinal);
        var overwrite = Overwrite(DemoGuild.SupportChannelId, DemoGuild.SupportRoleId)!;
        Assert.Equal((1UL << 10 | 1UL << 11 | 1UL << 13).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)overwrite["allow"]);
        Assert.Equal((1UL << 15).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)overwrite["deny"]);
        Assert.Equal(0, (int)overwrite["type"]!);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);

        // A second call replaces it and shows the previous overwrite as "from".
        var second = await _host.CallAsync("discord_set_channel_permissions", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#support", ["target"] = "Support", ["allow"] = ViewOnly,
        });
        Assert.Contains("allow VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES; deny ATTACH_FILES → allow VIEW_CHANNEL; deny none", Text(second), StringComparison.Ordinal);
        Assert.Contains("No longer set (inherited again): SEND_MESSAGES, MANAGE_MESSAGES, ATTACH_FILES", Text(second), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_permissions_granting_what_the_bot_lacks_is_denied_by_the_policy_before_anything_is_stored()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_set_channel_permissions", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#support", ["target"] = "Support", ["deny"] = MentionEveryone,
        });
        Assert.True(result.IsError, Text(result));
        Assert.Contains("MENTION_EVERYONE", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Set_permissions_for_a_member_writes_a_member_overwrite()
    {
        await _host.DryRunThenConfirmAsync("discord_set_channel_permissions", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "deployments", ["target"] = "@Luis", ["deny"] = SendOnly,
        });
        var overwrite = Overwrite(DemoGuild.DeploymentsChannelId, DemoGuild.LuisUserId)!;
        Assert.Equal(1, (int)overwrite["type"]!);
        Assert.Equal("0", (string?)overwrite["allow"]);
        Assert.Equal("2048", (string?)overwrite["deny"]);
    }

    [Theory]
    [InlineData("allow", "VIEW_CHANEL", "allow[0]: \"VIEW_CHANEL\" is not a Discord permission. Close matches: VIEW_CHANNEL")]
    [InlineData("deny", "Sned Messages", "deny[0]: \"Sned Messages\" is not a Discord permission. Close matches: SEND_MESSAGES")]
    [InlineData("allow", "", "allow[0] is empty")]
    [InlineData("target", "nobody-at-all-here", "target")]
    [InlineData("channel", "no-such-channel", "channel")]
    [InlineData("both", "VIEW_CHANNEL", "deny: VIEW_CHANNEL also in allow")]
    [InlineData("none", "", "allow and deny are both empty")]
    public async Task Set_permissions_bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "support", ["target"] = "Support" };
        switch (field)
        {
            case "allow" or "deny":
                args[field] = new[] { value };
                break;
            case "both":
                args["allow"] = new[] { value };
                args["deny"] = new[] { value };
                break;
            case "none":
                break;
            default:
                args[field] = value;
                args["allow"] = new[] { "VIEW_CHANNEL" };
                break;
        }
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_set_channel_permissions", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("target[0]", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    // ---------- discord_delete_channel_permissions ----------

    [Fact]
    public async Task Delete_permissions_removes_the_overwrite_once_in_confirm_mode()
    {
        await _host.SetModeAsync("discord_delete_channel_permissions", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_channel_permissions",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "staff-private", ["target"] = "Moderator" });
        Assert.Contains("I would remove the permission overwrite for Moderator role in #staff-private (allow VIEW_CHANNEL; deny none).", Text(dry), StringComparison.Ordinal);
        Assert.Contains("discord_set_channel_permissions (allow: VIEW_CHANNEL; deny: none)", Structured(dry).GetProperty("plan").GetProperty("undo").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Removed the permission overwrite for the Moderator role in #staff-private", Text(confirmed), StringComparison.Ordinal);
        Assert.Null(Overwrite(DemoGuild.StaffPrivateChannelId, DemoGuild.ModeratorRoleId));
        Assert.NotNull(Overwrite(DemoGuild.StaffPrivateChannelId, DemoGuild.AdminRoleId));

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_permissions_in_default_approve_mode_cannot_be_confirmed_by_the_model()
    {
        var dry = await _host.CallAsync("discord_delete_channel_permissions",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "staff-private", ["target"] = "Moderator" });
        Assert.True(dry.IsError != true, Text(dry));
        var before = _host.Snapshot();
        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(confirmed).GetProperty("status").GetString());
        Assert.False(Structured(confirmed).GetProperty("executed").GetBoolean());
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("target", "Support", "target: Support role has no permission overwrite in #staff-private")]
    [InlineData("target", "", "'target'")]
    [InlineData("channel", "nowhere-channel", "channel")]
    public async Task Delete_permissions_bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "staff-private", ["target"] = "Moderator" };
        args[field] = value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_delete_channel_permissions", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    private JsonObject? Overwrite(string channelId, string id) =>
        Channel(channelId)["permission_overwrites"]!.AsArray().OfType<JsonObject>().FirstOrDefault(o => (string?)o["id"] == id);

    private JsonObject Channel(string id) => Channels().Single(c => (string?)c["id"] == id);

    private List<JsonObject> Channels() =>
        [.. JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray().Select(c => c!["channel"]!.AsObject())];
}
