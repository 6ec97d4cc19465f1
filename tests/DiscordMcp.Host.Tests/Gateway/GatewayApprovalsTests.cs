using DiscordMcp.Discord.Client;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>Issue 5's approvals channel: approve-mode actions posted with Approve / Reject buttons, decided by members who hold the permission.</summary>
public sealed class GatewayApprovalsTests : IAsyncLifetime
{
    private GatewayTestHost _h = null!;

    public async Task InitializeAsync() => _h = await GatewayTestHost.StartAsync(approvalsChannelIds: DemoGuild.StaffPrivateChannelId);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IPendingActionStore Pending => _h.App.Services.GetRequiredService<IPendingActionStore>();

    private async Task<(PendingAction Action, ulong MessageId)> CreateAsync(string tool = "discord_ban_member", ToolMode mode = ToolMode.Approve)
    {
        var now = DateTimeOffset.UtcNow;
        var id = "pa_" + Guid.NewGuid().ToString("N");
        var action = new PendingAction(id, "default", "api:someone", tool, """{"guild_id":"1213093380096131072","member":"Alex"}""", "hash-" + id, mode,
            GatewayTestHost.GuildId, now, now.AddMinutes(10));
        var posted = mode == ToolMode.Approve ? _h.ApprovalPosted(id) : null;
        await Pending.CreateAsync(action, CancellationToken.None);
        return (action, posted is null ? 0 : await posted);
    }

    private async Task<Discord.Client.Models.DiscordMessage> MessageAsync(ulong id) =>
        await _h.Rest.GetMessageAsync(new Snowflake(GatewayTestHost.Id(DemoGuild.StaffPrivateChannelId)), new Snowflake(id));

    [Fact]
    public async Task An_approve_mode_action_is_posted_to_the_approvals_channel_with_Approve_and_Reject()
    {
        var (action, messageId) = await CreateAsync();

        var message = await MessageAsync(messageId);
        Assert.Contains("discord_ban_member", message.Content, StringComparison.Ordinal);
        Assert.Contains(action.Id, message.Content, StringComparison.Ordinal);
        Assert.Contains("Ban Members", message.Content, StringComparison.Ordinal);
        var buttons = Assert.Single(message.Components!).Components!;
        Assert.Equal([$"dmcp:approve:{action.Id}", $"dmcp:reject:{action.Id}"], buttons.Select(b => b.CustomId));
    }

    [Fact]
    public async Task A_member_with_the_needed_permission_approves_the_action_is_approved_audited_and_the_buttons_go()
    {
        var (action, messageId) = await CreateAsync();

        // The moderator holds Ban Members.
        var record = await _h.ClickAsync(messageId, DemoGuild.ModeratorUserId, $"dmcp:approve:{action.Id}");

        Assert.Equal(7, (int)record["callback"]!["type"]!);
        var stored = await Pending.GetAsync(action.Id, CancellationToken.None);
        Assert.Equal($"discord:{DemoGuild.ModeratorUserId}", stored?.ApprovedBy);
        var message = await MessageAsync(messageId);
        Assert.Contains($"Approved by <@{DemoGuild.ModeratorUserId}>", message.Content, StringComparison.Ordinal);
        Assert.True(message.Components is null or { Count: 0 });
        Assert.Empty(message.Mentions);
        var audit = await _h.App.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(PrincipalId: $"discord:{DemoGuild.ModeratorUserId}"), CancellationToken.None);
        Assert.Contains(audit, e => e.Decision == AuditDecision.Approved && e.Tool == "discord_ban_member" && e.Message!.Contains(action.Id, StringComparison.Ordinal)
            && e.EntryPoint == AuditEntryPoints.Agent);
    }

    [Fact]
    public async Task A_member_without_the_permission_is_refused_ephemerally_and_nothing_changes()
    {
        var (action, messageId) = await CreateAsync();
        // Staff-only channel: give a plain member a way in, without Ban Members.
        _h.Sandbox.AddMember(DemoGuild.GuildId, DemoGuild.NewUserId, [DemoGuild.SupportRoleId]);

        var approve = await _h.ClickAsync(messageId, DemoGuild.NewUserId, $"dmcp:approve:{action.Id}");
        var reject = await _h.ClickAsync(messageId, DemoGuild.NewUserId, $"dmcp:reject:{action.Id}");

        GatewayRoutingTests.AssertEphemeral(approve, "Only a member with Ban Members");
        GatewayRoutingTests.AssertEphemeral(reject, "Only a member with Ban Members");
        var stored = await Pending.GetAsync(action.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Null(stored.ApprovedBy);
        Assert.Equal(2, Assert.Single((await MessageAsync(messageId)).Components!).Components!.Count);
    }

    [Fact]
    public async Task Reject_removes_the_action_and_edits_the_message()
    {
        var (action, messageId) = await CreateAsync();

        var record = await _h.ClickAsync(messageId, DemoGuild.AdminUserId, $"dmcp:reject:{action.Id}");

        Assert.Equal(7, (int)record["callback"]!["type"]!);
        Assert.Null(await Pending.GetAsync(action.Id, CancellationToken.None));
        var message = await MessageAsync(messageId);
        Assert.Contains($"Rejected by <@{DemoGuild.AdminUserId}>", message.Content, StringComparison.Ordinal);
        Assert.True(message.Components is null or { Count: 0 });
        var audit = await _h.App.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(PrincipalId: $"discord:{DemoGuild.AdminUserId}"), CancellationToken.None);
        Assert.Contains(audit, e => e.Decision == AuditDecision.Rejected && e.Message!.Contains(action.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_decided_or_unknown_request_answers_that_it_expired()
    {
        var (action, messageId) = await CreateAsync();
        await Pending.RemoveAsync(action.Id, CancellationToken.None);

        var record = await _h.ClickAsync(messageId, DemoGuild.AdminUserId, $"dmcp:approve:{action.Id}");

        GatewayRoutingTests.AssertEphemeral(record, "This request expired");
    }

    [Fact]
    public async Task Confirm_mode_actions_are_not_posted()
    {
        var (confirm, _) = await CreateAsync(mode: ToolMode.Confirm);
        var (approve, messageId) = await CreateAsync();

        // The poster works in order: the later approve-mode action is posted, the confirm-mode one never was.
        var messages = await _h.Rest.GetMessagesAsync(new Snowflake(GatewayTestHost.Id(DemoGuild.StaffPrivateChannelId)));
        Assert.Contains(messages, m => m.Id.Value == messageId);
        Assert.DoesNotContain(messages, m => m.Content.Contains(confirm.Id, StringComparison.Ordinal));
        Assert.Contains(approve.Id, messages.Single(m => m.Id.Value == messageId).Content, StringComparison.Ordinal);
    }
}
