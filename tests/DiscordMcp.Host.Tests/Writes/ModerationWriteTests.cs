using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class DraftModerationWarningTests : IAsyncLifetime
{
    private const string NothingDone = "No message was sent. No moderation action was applied.";
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, object?> Args(string? rule = "Rule 2: be respectful") => new()
    {
        ["guild_id"] = DemoGuild.GuildId,
        ["channel"] = "#general",
        ["message_id"] = DemoGuild.PersonalAttackMessageId,
        ["rule"] = rule,
    };

    [Fact]
    public async Task The_draft_is_a_pending_action_nothing_is_posted_and_confirming_posts_exactly_one_reply()
    {
        var before = _host.Snapshot();
        var draft = await _host.CallAsync("discord_draft_moderation_warning", Args());

        Assert.True(draft.IsError != true, Text(draft));
        Assert.Equal(before, _host.Snapshot());
        Assert.Equal("dry_run", Structured(draft).GetProperty("status").GetString());
        var text = Text(draft);
        Assert.Contains(NothingDone, text, StringComparison.Ordinal);
        Assert.Contains("Rule 2: be respectful", text, StringComparison.Ordinal);
        Assert.Contains($"<@{DemoGuild.JordanUserId}>", text, StringComparison.Ordinal);
        Assert.Contains("<untrusted-data kind=\"discord-messages\">", text, StringComparison.Ordinal);
        Assert.Contains("you're an idiot", text, StringComparison.Ordinal);
        var id = ConfirmationId(draft);
        var pending = await _host.App.Services.GetRequiredService<IPendingActionStore>().GetAsync(id, CancellationToken.None);
        Assert.NotNull(pending);
        Assert.Equal("discord_draft_moderation_warning", pending.ToolName);

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = id });

        Assert.True(confirmed.IsError != true, Text(confirmed));
        Assert.StartsWith("Posted the moderation warning as a reply to @", Text(confirmed), StringComparison.Ordinal);
        var posted = Assert.Single(_host.Messages(DemoGuild.GeneralChannelId), m => (string?)m["author"]!["id"] == DemoGuild.BotUserId);
        Assert.Equal(Structured(confirmed).GetProperty("ids").GetProperty("message_id").GetString(), (string?)posted["id"]);
        Assert.Equal(DemoGuild.PersonalAttackMessageId, (string?)posted["message_reference"]!["message_id"]);
        Assert.Contains("Rule 2: be respectful", (string)posted["content"]!, StringComparison.Ordinal);
        Assert.Equal(DemoGuild.JordanUserId, (string?)Assert.Single(posted["mentions"]!.AsArray())!["id"]);
        Assert.False((bool)posted["mention_everyone"]!);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(_host.Messages(DemoGuild.GeneralChannelId), m => (string?)m["author"]!["id"] == DemoGuild.BotUserId);
    }

    private static Dictionary<string, object?> DmArgs()
    {
        var args = Args();
        args["delivery"] = "dm";
        args["text"] = $"<@{DemoGuild.JordanUserId}>, please keep it civil (Rule 2).";
        return args;
    }

    private List<System.Text.Json.Nodes.JsonObject> BotMessagesInGeneral() =>
        [.. _host.Messages(DemoGuild.GeneralChannelId).Where(m => (string?)m["author"]!["id"] == DemoGuild.BotUserId)];

    [Fact]
    public async Task A_dm_draft_opens_no_dm_and_confirming_sends_exactly_one_dm_with_the_text()
    {
        var before = _host.Snapshot();
        var draft = await _host.CallAsync("discord_draft_moderation_warning", DmArgs());

        Assert.True(draft.IsError != true, Text(draft));
        Assert.Equal(before, _host.Snapshot());
        Assert.Null(_host.Sandbox.State.DmChannelId(DemoGuild.JordanUserId));
        Assert.Contains(NothingDone, Text(draft), StringComparison.Ordinal);
        Assert.Contains("Delivery: direct message to @", Text(draft), StringComparison.Ordinal);
        Assert.Contains("Reversible: no", Text(draft), StringComparison.Ordinal);

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });

        Assert.True(confirmed.IsError != true, Text(confirmed));
        Assert.StartsWith("Sent the moderation warning to @", Text(confirmed), StringComparison.Ordinal);
        var sent = Assert.Single(_host.Sandbox.State.DmMessages(DemoGuild.JordanUserId));
        Assert.Equal(DemoGuild.BotUserId, (string?)sent["author"]!["id"]);
        Assert.Equal($"<@{DemoGuild.JordanUserId}>, please keep it civil (Rule 2).", (string?)sent["content"]);
        Assert.Equal(DemoGuild.JordanUserId, (string?)Assert.Single(sent["mentions"]!.AsArray())!["id"]);
        var ids = Structured(confirmed).GetProperty("ids");
        Assert.Equal((string?)sent["id"], ids.GetProperty("message_id").GetString());
        Assert.Equal(_host.Sandbox.State.DmChannelId(DemoGuild.JordanUserId), ids.GetProperty("dm_channel_id").GetString());
        Assert.Empty(BotMessagesInGeneral());

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(_host.Sandbox.State.DmMessages(DemoGuild.JordanUserId));
    }

    [Fact]
    public async Task A_user_who_does_not_accept_dms_gets_a_clear_error_and_nothing_is_sent()
    {
        _host.Sandbox.State.SetDirectMessagesOpen(DemoGuild.JordanUserId, open: false);
        var draft = await _host.CallAsync("discord_draft_moderation_warning", DmArgs());
        Assert.True(draft.IsError != true, Text(draft));

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });

        Assert.True(confirmed.IsError);
        var text = Text(confirmed);
        Assert.Contains("Cannot send the moderation warning to @", text, StringComparison.Ordinal);
        Assert.Contains("code 50007", text, StringComparison.Ordinal);
        Assert.Contains("was used and cannot be confirmed again", text, StringComparison.Ordinal);
        Assert.Empty(_host.Sandbox.State.DmMessages(DemoGuild.JordanUserId));
        Assert.Empty(BotMessagesInGeneral());
        Assert.Contains(await _host.AuditAsync("discord_draft_moderation_warning"), e => e.Outcome == AuditOutcome.Failed);
    }

    [Fact]
    public async Task An_author_who_left_is_drift_for_a_dm_and_nothing_is_sent()
    {
        var draft = await _host.CallAsync("discord_draft_moderation_warning", DmArgs());
        Assert.True(draft.IsError != true, Text(draft));
        _host.Sandbox.State.LeaveGuild(DemoGuild.GuildId, DemoGuild.JordanUserId);
        var before = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("is no longer a member", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Dry_run_false_is_not_an_argument_so_even_allow_mode_only_drafts()
    {
        await _host.SetModeAsync("discord_draft_moderation_warning", ToolMode.Allow);
        var before = _host.Snapshot();
        var draft = await _host.CallAsync("discord_draft_moderation_warning", Args());
        Assert.Equal("dry_run", Structured(draft).GetProperty("status").GetString());
        Assert.Contains(NothingDone, Text(draft), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Given_text_replaces_the_template_and_mass_mentions_in_it_do_not_ping()
    {
        var args = Args(rule: null);
        args["text"] = "@everyone look: this user broke the rules";
        var (_, confirmed) = await ConfirmDraftAsync(args);
        var posted = _host.Message(DemoGuild.GeneralChannelId, Structured(confirmed).GetProperty("ids").GetProperty("message_id").GetString()!)!;
        Assert.Equal("@everyone look: this user broke the rules", (string?)posted["content"]);
        Assert.False((bool)posted["mention_everyone"]!);
    }

    [Fact]
    public async Task A_deleted_message_is_reported_as_drift_and_no_warning_is_posted()
    {
        var target = (string)_host.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.AlexUserId, "rude words")["id"]!;
        var args = Args();
        args["message_id"] = target;
        var draft = await _host.CallAsync("discord_draft_moderation_warning", args);
        Assert.True(draft.IsError != true, Text(draft));
        await _host.DeleteMessageAsync(DemoGuild.GeneralChannelId, target);
        var before = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("rule", null, "rule: give the rule")]
    [InlineData("rule", "long", "rule must be at most 200 characters")]
    [InlineData("delivery", "pigeon", "delivery must be reply (a reply to the message) or dm")]
    [InlineData("message_id", "abc", "message_id must be a message id")]
    [InlineData("message_id", "1213109486223491099", "message_id: message 1213109486223491099 does not exist in #general")]
    [InlineData("channel", "Staff", "is a category channel")]
    public async Task Bad_input_names_the_field_and_stores_nothing(string field, string? value, string expected)
    {
        var args = Args();
        args[field] = value == "long" ? new string('r', 201) : value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_draft_moderation_warning", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.DoesNotContain(await _host.AuditAsync("discord_draft_moderation_warning"), e => e.Decision == AuditDecision.DryRun);
    }

    private async Task<(Dictionary<string, object?> Args, ModelContextProtocol.Protocol.CallToolResult Confirmed)> ConfirmDraftAsync(Dictionary<string, object?> args)
    {
        var draft = await _host.CallAsync("discord_draft_moderation_warning", args);
        Assert.True(draft.IsError != true, Text(draft));
        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(draft) });
        Assert.True(confirmed.IsError != true, Text(confirmed));
        return (args, confirmed);
    }
}

public sealed class ModerationWarningTemplateTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync(new() { ["Moderation__WarningTemplate"] = "Heads up {user}: {rule} applies in {channel}." });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_configured_template_fills_user_rule_and_channel()
    {
        var draft = await _host.CallAsync("discord_draft_moderation_warning", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["message_id"] = DemoGuild.PersonalAttackMessageId, ["rule"] = "Rule 2: be respectful",
        });
        Assert.True(draft.IsError != true, Text(draft));
        Assert.Contains($"Warning: \"Heads up <@{DemoGuild.JordanUserId}>: Rule 2: be respectful applies in <#{DemoGuild.GeneralChannelId}>.\"", Text(draft), StringComparison.Ordinal);
    }
}

public sealed class DeleteMessageTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Deleting_someone_elses_message_needs_manage_messages_and_runs_once()
    {
        await _host.SetModeAsync("discord_delete_message", ToolMode.Confirm);
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["message_id"] = DemoGuild.PersonalAttackMessageId, ["reason"] = "Rule 2" };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_message", args);

        Assert.StartsWith($"Dry-run: I would delete @", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Reversible: no.", Text(dry), StringComparison.Ordinal);
        Assert.Equal(["MANAGE_MESSAGES"], Structured(dry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.StartsWith("Deleted @", Text(confirmed), StringComparison.Ordinal);
        Assert.Null(_host.Message(DemoGuild.GeneralChannelId, DemoGuild.PersonalAttackMessageId));
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_the_default_approve_mode_the_model_cannot_confirm_and_nothing_is_deleted()
    {
        var dry = await _host.CallAsync("discord_delete_message", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["message_id"] = DemoGuild.PersonalAttackMessageId });
        Assert.True(dry.IsError != true, Text(dry));
        var before = _host.Snapshot();
        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(confirmed).GetProperty("status").GetString());
        Assert.False(Structured(confirmed).GetProperty("executed").GetBoolean());
        Assert.Equal(before, _host.Snapshot());
        Assert.NotNull(_host.Message(DemoGuild.GeneralChannelId, DemoGuild.PersonalAttackMessageId));
    }

    [Theory]
    [InlineData("message_id", "nope", "message_id must be a message id")]
    [InlineData("message_id", "1213109486223491099", "message_id: message 1213109486223491099 does not exist in #general")]
    [InlineData("reason", "long", "reason must be at most 512 characters")]
    [InlineData("channel", "no-such-channel", "channel")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["message_id"] = DemoGuild.PersonalAttackMessageId };
        args[field] = value == "long" ? new string('r', 513) : value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_delete_message", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }
}

public sealed class BulkDeleteMessagesTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private List<string> PostRecent(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (string)_host.Sandbox.State.PostMessageAsUser(DemoGuild.RandomChannelId, DemoGuild.AlexUserId, $"spam {i}")["id"]!)];

    [Fact]
    public async Task Recent_messages_are_planned_then_deleted_once_in_one_call()
    {
        await _host.SetModeAsync("discord_bulk_delete_messages", ToolMode.Confirm);
        var ids = PostRecent(3);
        var keep = PostRecent(1).Single();

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_bulk_delete_messages",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random", ["message_ids"] = ids.ToArray(), ["reason"] = "spam" });

        Assert.StartsWith("Dry-run: I would delete 3 messages in #random at once.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Deleted 3 messages in #random.", Text(confirmed), StringComparison.Ordinal);
        Assert.All(ids, id => Assert.Null(_host.Message(DemoGuild.RandomChannelId, id)));
        Assert.NotNull(_host.Message(DemoGuild.RandomChannelId, keep));
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_older_than_14_days_is_named_before_any_Discord_call()
    {
        var recent = PostRecent(1).Single();
        var old = DemoGuild.SolvedReportMessageId;
        var before = _host.Snapshot();
        var requests = _host.Discord.Count;
        var result = await _host.CallAsync("discord_bulk_delete_messages",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.GeneralChannelId, ["message_ids"] = new[] { recent, old } });
        Assert.True(result.IsError);
        Assert.Contains($"message_ids: 1 message(s) are older than 14 days and cannot be bulk deleted: {old}.", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.Equal(requests, _host.Discord.Count);
    }

    [Theory]
    [InlineData("one", "message_ids must hold 2–100 ids, got 1")]
    [InlineData("many", "message_ids must hold 2–100 ids, got 101")]
    [InlineData("duplicate", "message_ids[1] repeats")]
    [InlineData("bad", "message_ids[1] must be a message id")]
    [InlineData("missing", "message_ids: 1 message(s) do not exist in #random")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string kind, string expected)
    {
        var ids = PostRecent(2);
        string[] list = kind switch
        {
            "one" => [ids[0]],
            "many" => [.. Enumerable.Range(0, 101).Select(i => (ulong.Parse(ids[0], System.Globalization.CultureInfo.InvariantCulture) + (ulong)i).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            "duplicate" => [ids[0], ids[0]],
            "bad" => [ids[0], "x"],
            _ => [ids[0], ids[1], (ulong.Parse(ids[1], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        };
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_bulk_delete_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random", ["message_ids"] = list });
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }
}
