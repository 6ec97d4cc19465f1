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
    [InlineData("delivery", "dm", "delivery must be reply")]
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
