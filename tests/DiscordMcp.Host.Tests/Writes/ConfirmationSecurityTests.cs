using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// Every way to run a pending action that is not the requester confirming it in time, once, as planned: refused and
/// audited, and Discord unchanged. The host's clock is fake so expiry is tested without waiting.
/// </summary>
public sealed class ConfirmationSecurityTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await WriteTestHost.StartAsync(configure: s => s.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, object?> Channel(string name) => new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = name };

    private static async Task<string> DryRunAsync(McpClient client, string name)
    {
        var dry = await CallAsync(client, "discord_create_channel", Channel(name));
        Assert.True(dry.IsError != true, Text(dry));
        return ConfirmationId(dry);
    }

    private async Task AssertRefusedAsync(McpClient client, string id, string reason)
    {
        var before = _host.Snapshot();
        var result = await CallAsync(client, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(result.IsError == true || result.StructuredContent?.GetProperty("executed").GetBoolean() == false, Text(result));
        Assert.Contains(reason, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task An_expired_confirmation_is_refused_and_audited()
    {
        var id = await DryRunAsync(_host.Admin, "late-room");
        _time.Advance(TimeSpan.FromMinutes(11));
        await AssertRefusedAsync(_host.Admin, id, "confirmation_expired");
        Assert.Contains(await _host.AuditAsync("discord_confirm_action"), e => e.ReasonCode == "confirmation_expired" && e.Decision == AuditDecision.Denied);
    }

    [Fact]
    public async Task Another_principal_of_the_same_workspace_cannot_confirm_and_the_owner_still_can()
    {
        var id = await DryRunAsync(_host.Admin, "mine-only");
        var other = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Admin));
        await AssertRefusedAsync(other, id, "confirmation_mismatch");
        Assert.Contains(await _host.AuditAsync("discord_create_channel"), e => e.ReasonCode == "confirmation_mismatch");

        var own = await CallAsync(_host.Admin, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(own.IsError != true, Text(own));
    }

    [Fact]
    public async Task A_key_of_another_workspace_cannot_confirm_and_learns_nothing_about_the_action()
    {
        var id = await DryRunAsync(_host.Admin, "tenant-a-room");
        var stranger = await _host.ConnectAsync(await _host.IssueKeyAsync("tenant-b", PlatformRole.Admin));
        var before = _host.Snapshot();
        var result = await CallAsync(stranger, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(result.IsError);
        Assert.DoesNotContain("tenant-a-room", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        var own = await CallAsync(_host.Admin, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(own.IsError != true, Text(own));
    }

    [Theory]
    [InlineData("pa_00000000000000000000000000000000")]
    [InlineData("pa_0123456789abcdef0123456789abcdef")]
    [InlineData("hello")]
    [InlineData("pa_' OR 1=1 --")]
    public async Task Forged_or_guessed_ids_are_refused_and_audited(string id)
    {
        await DryRunAsync(_host.Admin, "real-pending");
        await AssertRefusedAsync(_host.Admin, id, "confirmation_invalid");
        Assert.Contains(await _host.AuditAsync("discord_confirm_action"), e => e.ReasonCode == "confirmation_invalid");
    }

    [Fact]
    public async Task The_model_cannot_confirm_an_approve_mode_action_until_a_person_approves_it()
    {
        await _host.SetModeAsync("discord_create_channel", ToolMode.Approve);
        var dry = await CallAsync(_host.Admin, "discord_create_channel", Channel("needs-approval"));
        Assert.Contains("needs a person's approval", Text(dry), StringComparison.Ordinal);
        var id = ConfirmationId(dry);

        await AssertRefusedAsync(_host.Admin, id, "approval_required");
        Assert.Contains(await _host.AuditAsync("discord_create_channel"), e => e.ReasonCode == "approval_required" && e.Decision == AuditDecision.Pending);

        // A person approves (what `discord-mcp approvals approve` does); then the requester's confirmation runs it, once.
        var store = _host.App.Services.GetRequiredService<Policy.Ports.IPendingActionStore>();
        Assert.True(await store.ApproveAsync(id, "cli:test-admin", CancellationToken.None));
        var confirmed = await CallAsync(_host.Admin, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(confirmed.IsError != true, Text(confirmed));
        await AssertRefusedAsync(_host.Admin, id, "confirmation_invalid");
    }

    [Fact]
    public async Task An_action_removed_by_another_process_after_this_one_handed_it_out_is_refused_by_the_store_and_audited()
    {
        // This process remembers which tool runs the action (no store read on the way to the pipeline); the admin CLI
        // of another process rejects it meanwhile, straight in the store. Only the store's consumption decides.
        var id = await DryRunAsync(_host.Admin, "rejected-elsewhere");
        var store = _host.App.Services.GetRequiredService<Policy.Ports.IPendingActionStore>();
        Assert.True(await store.RemoveAsync(id, CancellationToken.None));

        await AssertRefusedAsync(_host.Admin, id, "confirmation_invalid"); // and the sandbox is unchanged
        Assert.Contains(await _host.AuditAsync("discord_create_channel"), e => e.ReasonCode == "confirmation_invalid" && e.Decision == AuditDecision.Denied);
    }

    [Fact]
    public async Task A_cancelled_action_cannot_be_confirmed_and_only_its_owner_or_an_admin_can_cancel_it()
    {
        var id = await DryRunAsync(_host.Admin, "cancel-me");
        var operatorKey = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Operator));
        var foreign = await CallAsync(operatorKey, "discord_cancel_action", new() { ["confirmation_id"] = id });
        Assert.True(foreign.IsError);

        var cancelled = await CallAsync(_host.Admin, "discord_cancel_action", new() { ["confirmation_id"] = id });
        Assert.True(cancelled.IsError != true, Text(cancelled));
        await AssertRefusedAsync(_host.Admin, id, "confirmation_invalid");
        Assert.Contains(await _host.AuditAsync("discord_create_channel"), e => e.ReasonCode == "action_cancelled" && e.Decision == AuditDecision.Rejected);
    }

    [Fact]
    public async Task A_viewer_can_dry_run_nothing_and_cannot_confirm_an_operators_action()
    {
        var viewer = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Viewer));
        var dry = await CallAsync(viewer, "discord_create_channel", Channel("viewer-room"));
        Assert.True(dry.IsError);
        Assert.Contains("platform_permission_denied", Text(dry), StringComparison.Ordinal);
        Assert.Contains("The plan was: I would create the channel #viewer-room.", Text(dry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_changed_in_a_prompt_retry_do_not_match_the_pending_action()
    {
        // A client answering the confirmation prompt resends the call; here it changes the name on the way.
        var first = await CallAsync(_host.Admin, "discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "planned", ["dry_run"] = false });
        var id = ConfirmationId(first);
        var before = _host.Snapshot();
        var tampered = await _host.Admin.CallToolAsync(new CallToolRequestParams
        {
            Name = "discord_create_channel",
            Arguments = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["guild_id"] = System.Text.Json.JsonSerializer.SerializeToElement(DemoGuild.GuildId),
                ["name"] = System.Text.Json.JsonSerializer.SerializeToElement("swapped"),
                ["dry_run"] = System.Text.Json.JsonSerializer.SerializeToElement(false),
            },
            RequestState = id,
            InputResponses = new Dictionary<string, InputResponse>
            {
                ["discord_confirm"] = InputResponse.FromElicitResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, System.Text.Json.JsonElement> { ["confirm"] = System.Text.Json.JsonSerializer.SerializeToElement(true) },
                }),
            },
        });
        Assert.True(tampered.IsError, Text(tampered));
        Assert.Contains("confirmation_mismatch", Text(tampered), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        // The original is untouched and still runs as planned.
        var confirmed = await CallAsync(_host.Admin, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.Contains("Created #planned", Text(confirmed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pending_actions_are_listed_to_their_owner_and_to_workspace_admins_only()
    {
        var adminAction = await DryRunAsync(_host.Admin, "admin-plan");
        var operatorClient = await _host.ConnectAsync(await _host.IssueKeyAsync("default", PlatformRole.Operator));
        var operatorAction = await DryRunAsync(operatorClient, "operator-plan");
        var stranger = await _host.ConnectAsync(await _host.IssueKeyAsync("tenant-c", PlatformRole.Admin));

        var asOperator = Text(await CallAsync(operatorClient, "discord_list_pending_actions", []));
        var asAdmin = Text(await CallAsync(_host.Admin, "discord_list_pending_actions", []));
        var asStranger = Text(await CallAsync(stranger, "discord_list_pending_actions", []));

        Assert.Contains(operatorAction, asOperator, StringComparison.Ordinal);
        Assert.DoesNotContain(adminAction, asOperator, StringComparison.Ordinal);
        Assert.Contains(operatorAction, asAdmin, StringComparison.Ordinal);
        Assert.Contains(adminAction, asAdmin, StringComparison.Ordinal);
        Assert.DoesNotContain(adminAction, asStranger, StringComparison.Ordinal);
        Assert.DoesNotContain(operatorAction, asStranger, StringComparison.Ordinal);
    }
}
