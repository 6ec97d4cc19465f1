using System.Text.Json;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class AutomationDraftTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IAutomationDraftStore Drafts => _host.App.Services.GetRequiredService<IAutomationDraftStore>();

    private static Dictionary<string, object?> WelcomeRule(object[]? actions = null) => new()
    {
        ["guild_id"] = DemoGuild.GuildId,
        ["name"] = "Welcome newcomers",
        ["trigger"] = "member_joined",
        ["conditions"] = new[] { "the member has no roles" },
        ["actions"] = actions ?? [new Dictionary<string, object?>
        {
            ["tool"] = "discord_create_channel",
            ["arguments"] = new Dictionary<string, object?> { ["name"] = "welcome-{member}", ["private"] = true },
        }],
    };

    [Fact]
    public async Task A_valid_draft_is_stored_listed_audited_and_never_executed()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_draft_automation", WelcomeRule());
        Assert.True(result.IsError != true, Text(result));
        Assert.Contains("It was not executed and never runs by itself. No Discord changes were made.", Text(result), StringComparison.Ordinal);
        var draftId = Structured(result).GetProperty("draft_id").GetString()!;
        Assert.False(Structured(result).GetProperty("executed").GetBoolean());

        var stored = Assert.Single(await Drafts.ListAsync("default", ulong.Parse(DemoGuild.GuildId, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
        Assert.Equal(draftId, stored.Id);
        Assert.Equal("member_joined", stored.Trigger);
        using (var definition = JsonDocument.Parse(stored.DefinitionJson))
        {
            var action = Assert.Single(definition.RootElement.GetProperty("actions").EnumerateArray());
            Assert.Equal("discord_create_channel", action.GetProperty("tool").GetString());
            Assert.Equal("welcome-{member}", action.GetProperty("arguments").GetProperty("name").GetString());
        }

        var list = await _host.CallAsync("discord_list_automation_drafts", new() { ["guild_id"] = DemoGuild.GuildId });
        Assert.True(list.IsError != true, Text(list));
        var listed = Assert.Single(Structured(list).GetProperty("drafts").EnumerateArray());
        Assert.Equal(draftId, listed.GetProperty("draft_id").GetString());

        // Nothing changed in Discord, the named tool never ran, and the draft call itself is audited.
        Assert.Equal(before, _host.Snapshot());
        Assert.Empty(await _host.AuditAsync("discord_create_channel"));
        Assert.Contains(await _host.AuditAsync("discord_draft_automation"), e => e.Decision == AuditDecision.Allowed);
    }

    [Fact]
    public async Task Listing_shows_only_the_callers_workspace()
    {
        await _host.Store.CreateWorkspaceAsync(new Workspace("other", "other", DateTimeOffset.UtcNow), CancellationToken.None);
        await Drafts.CreateAsync(new AutomationDraft("ad_other", "other", ulong.Parse(DemoGuild.GuildId, System.Globalization.CultureInfo.InvariantCulture), "key:x",
            "Other tenant's rule", "member_joined", """{"actions":[],"conditions":[],"name":"x","schedule":null,"trigger":"member_joined"}""", DateTimeOffset.UtcNow), CancellationToken.None);

        var list = await _host.CallAsync("discord_list_automation_drafts", new() { ["guild_id"] = DemoGuild.GuildId });

        Assert.True(list.IsError != true, Text(list));
        Assert.Empty(Structured(list).GetProperty("drafts").EnumerateArray());
        Assert.DoesNotContain("Other tenant", Text(list), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadActions() => new()
    {
        { """[{"tool":"discord_launch_rockets"}]""", "actions[0].tool: \"discord_launch_rockets\" is not a tool of this server" },
        { """[{"tool":"discord_list_roles"},{"tool":"discord_create_channel","arguments":{"name":"x","colour":"red"}}]""", "actions[1].arguments.colour is not an argument of discord_create_channel" },
        { """[{"tool":"discord_list_roles"},{"tool":"discord_confirm_action","arguments":{"confirmation_id":"pa_1"}}]""", "actions[1].tool: discord_confirm_action is a platform tool" },
        { """[{"tool":"platform_list_audit_events"}]""", "actions[0].tool: platform_list_audit_events is a platform tool" },
        { """[{"tool":"discord_draft_automation"}]""", "actions[0].tool: discord_draft_automation is an automation tool" },
        { """[{"arguments":{}}]""", "actions[0].tool is required" },
        { """[]""", "actions: give 1–10 actions, got 0" },
        { "[" + string.Join(",", Enumerable.Repeat("""{"tool":"discord_list_roles"}""", 11)) + "]", "actions: give 1–10 actions, got 11" },
    };

    [Theory]
    [MemberData(nameof(BadActions))]
    public async Task A_bad_action_is_refused_naming_the_field_and_nothing_is_stored(string actionsJson, string expected)
    {
        var args = WelcomeRule();
        args["actions"] = JsonSerializer.Deserialize<JsonElement>(actionsJson);
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_draft_automation", args);

        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Empty(await Drafts.ListAsync("default", null, CancellationToken.None));
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("trigger", "message_deleted", "trigger must be one of message_created, member_joined, reaction_added, schedule")]
    [InlineData("name", "This rule name is far too long for a draft because rule names stop at one hundred characters, exactly so", "name must be 1–100 characters")]
    [InlineData("schedule", "0 9 * *", "schedule is only for trigger schedule")]
    public async Task Bad_rule_fields_are_refused_naming_the_field(string field, string value, string expected)
    {
        var args = WelcomeRule();
        args[field] = value;
        var result = await _host.CallAsync("discord_draft_automation", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Empty(await Drafts.ListAsync("default", null, CancellationToken.None));
    }

    [Fact]
    public async Task A_schedule_trigger_needs_a_five_field_cron_spec()
    {
        var args = WelcomeRule();
        args["trigger"] = "schedule";
        args["schedule"] = "every monday";
        var bad = await _host.CallAsync("discord_draft_automation", args);
        Assert.True(bad.IsError);
        Assert.Contains("schedule must be a 5-field cron spec", Text(bad), StringComparison.Ordinal);

        args["schedule"] = "0 9 * * 1";
        var ok = await _host.CallAsync("discord_draft_automation", args);
        Assert.True(ok.IsError != true, Text(ok));
        Assert.Equal("0 9 * * 1", Structured(ok).GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task A_viewer_cannot_store_drafts_and_an_operator_needs_no_confirmation()
    {
        var viewer = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Viewer));
        var denied = await CallAsync(viewer, "discord_draft_automation", WelcomeRule());
        Assert.True(denied.IsError);
        Assert.Contains("role", Text(denied), StringComparison.OrdinalIgnoreCase);

        var operatorClient = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Operator));
        var stored = await CallAsync(operatorClient, "discord_draft_automation", WelcomeRule());
        Assert.True(stored.IsError != true, Text(stored));
        Assert.Single(await Drafts.ListAsync("default", null, CancellationToken.None));
    }
}
