using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using static DiscordMcp.Policy.Tests.PolicyWorld;

namespace DiscordMcp.Policy.Tests;

public sealed class PipelineTests
{
    private static readonly ToolDescriptor AllowedWrite = new("discord_send_message", "messages", ToolAccess.Write);

    /// <summary>Each scenario breaks exactly one layer; the call must stop there, execute nothing and be audited.</summary>
    public static TheoryData<string, PolicyLayer, string> DenialScenarios => new()
    {
        { "bad_key", PolicyLayer.Authentication, ReasonCodes.Unauthenticated },
        { "no_membership", PolicyLayer.WorkspaceMembership, ReasonCodes.NotWorkspaceMember },
        { "other_workspace_guild", PolicyLayer.GuildInstallation, ReasonCodes.GuildNotInstalled },
        { "viewer_writes", PolicyLayer.PlatformPermission, ReasonCodes.PlatformPermissionDenied },
        { "channel_denied", PolicyLayer.ChannelPolicy, ReasonCodes.ChannelPolicyDenied },
        { "bot_lacks_permission", PolicyLayer.BotPermission, ReasonCodes.BotMissingPermission },
        { "foreign_channel", PolicyLayer.BotPermission, ReasonCodes.CrossGuildReference },
        { "rate_limited", PolicyLayer.RateLimit, ReasonCodes.RateLimited },
        { "tool_denied", PolicyLayer.Confirmation, ReasonCodes.ToolDenied },
    };

    [Theory]
    [MemberData(nameof(DenialScenarios))]
    public async Task Each_layer_denying_stops_the_call_nothing_executes_and_the_denial_is_audited(string scenario, PolicyLayer layer, string reason)
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), default);
        var key = w.OperatorKey;
        var request = Request(key, AllowedWrite);
        var options = new PolicyOptions();
        switch (scenario)
        {
            case "bad_key": request = request with { Credential = new ApiKeyCredential("dmcp_bad") }; break;
            case "no_membership": await w.Store.RemoveMembershipAsync("acme", string.Concat("key:", key.AsSpan(5, 12)), default); break;
            case "other_workspace_guild": request = request with { GuildId = OtherGuild, ChannelId = OtherChannel }; break;
            case "viewer_writes": request = request with { Credential = new ApiKeyCredential(w.ViewerKey) }; break;
            case "channel_denied": await w.Store.SetChannelPolicyAsync(new ChannelPolicy(Guild, ChannelPolicyScope.Category, Category, Write: AccessRule.Deny), default); break;
            case "bot_lacks_permission": request = request with { RequiredBotPermissions = 1UL << 13 }; break;
            case "foreign_channel": request = request with { ChannelId = OtherChannel }; break;
            case "rate_limited": options = options with { DefaultRateLimits = new RateLimitSettings(1, 0.1, 0 + 1, 0.1, 10, 1, 10, 1) }; break;
            case "tool_denied": await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, AllowedWrite.Name, ToolMode.Deny), default); break;
        }

        var pipeline = w.Pipeline(options);
        var executions = 0;
        if (scenario == "rate_limited")
        {
            var first = await pipeline.RunAsync(request, (_, _) => { executions++; return ValueTask.FromResult(1); }, default);
            Assert.True(first.Decision.IsAllowed);
        }

        var before = executions;
        var result = await pipeline.RunAsync(request, (_, _) => { executions++; return ValueTask.FromResult(1); }, default);

        Assert.False(result.Executed);
        Assert.Equal(before, executions);
        Assert.Equal(layer, result.Decision.Layer);
        Assert.Equal(reason, result.Decision.ReasonCode);
        Assert.False(string.IsNullOrWhiteSpace(result.Decision.Message));
        var last = w.Audit.Snapshot()[^1];
        Assert.Equal(AuditDecision.Denied, last.Decision);
        Assert.Equal(reason, last.ReasonCode);
        Assert.Equal(PolicyLayerNames.Of(layer), last.Layer);
        Assert.Equal(AuditOutcome.None, last.Outcome);
    }

    [Theory]
    [InlineData(PlatformRole.Viewer, false)]
    [InlineData(PlatformRole.Operator, true)]
    [InlineData(PlatformRole.Admin, true)]
    public async Task A_local_operator_with_a_narrowed_role_writes_only_when_the_role_allows_it(PlatformRole role, bool allowed)
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), default);
        var request = Request("", AllowedWrite) with { Credential = new LocalOperatorCredential("acme", role) };
        var executions = 0;

        var result = await w.Pipeline(new PolicyOptions()).RunAsync(request, (_, _) => { executions++; return ValueTask.FromResult(1); }, default);

        Assert.Equal(allowed, result.Executed);
        Assert.Equal(allowed ? 1 : 0, executions);
        if (!allowed)
            Assert.Equal(ReasonCodes.PlatformPermissionDenied, result.Decision.ReasonCode);
        Assert.Equal("local:operator", w.Audit.Snapshot()[^1].PrincipalId);
    }

    [Theory]
    [InlineData(PlatformRole.Viewer, false)]
    [InlineData(PlatformRole.Operator, true)]
    public async Task A_verified_token_writes_only_when_its_mapped_role_allows_it(PlatformRole role, bool allowed)
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), default);
        var request = Request("", AllowedWrite) with { Credential = new VerifiedTokenCredential("oauth:alice", "acme", role) };

        var result = await w.Pipeline(new PolicyOptions()).RunAsync(request, (_, _) => ValueTask.FromResult(1), default);

        Assert.Equal(allowed, result.Executed);
        Assert.Equal(allowed ? "allowed" : ReasonCodes.PlatformPermissionDenied, result.Decision.ReasonCode);
        Assert.Equal("oauth:alice", w.Audit.Snapshot()[^1].PrincipalId);
    }

    [Fact]
    public async Task A_local_operator_of_a_workspace_that_does_not_exist_is_denied_naming_the_fix()
    {
        var w = await CreateAsync();
        var request = Request("", ReadTool) with { Credential = new LocalOperatorCredential("gone") };

        var result = await w.Pipeline(new PolicyOptions()).RunAsync(request, (_, _) => ValueTask.FromResult(1), default);

        Assert.False(result.Executed);
        Assert.Equal(ReasonCodes.WorkspaceNotFound, result.Decision.ReasonCode);
        Assert.Contains("discord-mcp workspaces create gone", result.Decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_denial_wins_and_later_layers_are_not_consulted()
    {
        var w = await CreateAsync();
        var counting = new CountingLayer(PolicyLayer.RateLimit);
        var pipeline = new PolicyPipeline(
            [new DenyingLayer(PolicyLayer.ChannelPolicy), counting, new DenyingLayer(PolicyLayer.Authentication) { Deny = false }],
            w.Audit, w.Time, new PolicyOptions());
        var result = await pipeline.RunAsync(Request(w.OperatorKey, ReadTool), (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(PolicyLayer.ChannelPolicy, result.Decision.Layer);
        Assert.Equal(0, counting.Calls);
    }

    [Theory]
    [InlineData(PolicyLayer.Authentication)]
    [InlineData(PolicyLayer.GuildInstallation)]
    [InlineData(PolicyLayer.BotPermission)]
    [InlineData(PolicyLayer.RateLimit)]
    public async Task Exception_in_a_layer_denies_with_policy_error_naming_the_layer(PolicyLayer failing)
    {
        var w = await CreateAsync();
        var pipeline = new PolicyPipeline([new ThrowingLayer(failing)], w.Audit, w.Time, new PolicyOptions());
        var executed = false;
        var result = await pipeline.RunAsync(Request(w.OperatorKey, ReadTool), (_, _) => { executed = true; return ValueTask.FromResult(1); }, default);
        Assert.False(executed);
        Assert.Equal(ReasonCodes.PolicyError, result.Decision.ReasonCode);
        Assert.Equal(failing, result.Decision.Layer);
        Assert.Contains(PolicyLayerNames.Of(failing), result.Decision.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("super-secret", result.Decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_down_denies_instead_of_allowing()
    {
        var w = await CreateAsync();
        var pipeline = new PolicyPipeline(new FailingStore(), w.Probe, w.Limiter, w.Pending, w.Audit, w.Time);
        var result = await pipeline.RunAsync(Request(w.OperatorKey, ReadTool), (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.PolicyError, result.Decision.ReasonCode);
        Assert.Equal(PolicyLayer.Authentication, result.Decision.Layer);
        Assert.False(result.Executed);
    }

    [Fact]
    public async Task Allowed_read_executes_and_is_audited_once_as_executed()
    {
        var w = await CreateAsync();
        var result = await w.Pipeline().RunAsync(Request(w.ViewerKey, ReadTool), (_, _) => ValueTask.FromResult("data"), default);
        Assert.True(result.Decision.IsAllowed);
        Assert.Equal("data", result.Value);
        var events = w.Audit.Snapshot();
        Assert.Single(events);
        Assert.Equal(AuditOutcome.Executed, events[0].Outcome);
        Assert.Equal(AuditDecision.Allowed, events[0].Decision);
    }

    [Fact]
    public async Task Write_appends_executing_before_execute_and_outcome_after()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, AllowedWrite.Name, ToolMode.Allow), default);
        AuditOutcome? seenDuringExecute = null;
        var result = await w.Pipeline().RunAsync(Request(w.OperatorKey, AllowedWrite), (ctx, _) =>
        {
            seenDuringExecute = w.Audit.Snapshot()[^1].Outcome;
            return ValueTask.FromResult(1);
        }, default);
        Assert.True(result.Executed);
        Assert.Equal(AuditOutcome.Executing, seenDuringExecute);
        var events = w.Audit.Snapshot();
        Assert.Equal([AuditOutcome.Executing, AuditOutcome.Executed], events.Select(e => e.Outcome));
        Assert.All(events, e => Assert.Equal(result.CallId, e.CallId));
    }

    [Fact]
    public async Task Failed_write_is_audited_as_failed_with_redacted_error_and_rethrown()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, AllowedWrite.Name, ToolMode.Allow), default);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await w.Pipeline().RunAsync<int>(Request(w.OperatorKey, AllowedWrite),
            (_, _) => throw new InvalidOperationException("POST https://discord.com/api/webhooks/123/abcdefghijklmnopqrstuvwxyz failed"), default));
        var last = w.Audit.Snapshot()[^1];
        Assert.Equal(AuditOutcome.Failed, last.Outcome);
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz", last.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", last.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_unavailable_denies_writes_and_nothing_executes()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, AllowedWrite.Name, ToolMode.Allow), default);
        var executed = false;
        var result = await w.Pipeline(audit: new FailingAudit()).RunAsync(Request(w.OperatorKey, AllowedWrite), (_, _) => { executed = true; return ValueTask.FromResult(1); }, default);
        Assert.False(executed);
        Assert.Equal(ReasonCodes.AuditUnavailable, result.Decision.ReasonCode);
        Assert.Equal(PolicyLayer.Audit, result.Decision.Layer);
    }

    [Fact]
    public async Task Audit_unavailable_withholds_read_results()
    {
        var w = await CreateAsync();
        var result = await w.Pipeline(audit: new FailingAudit()).RunAsync(Request(w.ViewerKey, ReadTool), (_, _) => ValueTask.FromResult("data"), default);
        Assert.Null(result.Value);
        Assert.Equal(ReasonCodes.AuditUnavailable, result.Decision.ReasonCode);
    }

    [Fact]
    public async Task Audited_arguments_are_redacted()
    {
        var w = await CreateAsync();
        var args = "{\"content\":\"see https://discord.com/api/webhooks/1/tok3ntok3ntok3ntok3n and Bot sandbox.bot-token.DiscordMCP-Demo\",\"token\":\"abc\"}";
        var options = new PolicyOptions { Redactor = new Security.Redactor(["sandbox.bot-token.DiscordMCP-Demo"]) };
        await w.Pipeline(options).RunAsync(Request(w.ViewerKey, ReadTool, args: args), (_, _) => ValueTask.FromResult(1), default);
        var stored = w.Audit.Snapshot()[^1].Arguments!;
        Assert.DoesNotContain("tok3n", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("sandbox.bot-token", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", stored, StringComparison.Ordinal);
    }

    private sealed class CountingLayer(PolicyLayer layer) : IPolicyLayer
    {
        public int Calls { get; private set; }
        public PolicyLayer Layer => layer;
        public ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
        {
            Calls++;
            return ValueTask.FromResult<PolicyDecision?>(null);
        }
    }

    private sealed class DenyingLayer(PolicyLayer layer) : IPolicyLayer
    {
        public bool Deny { get; init; } = true;
        public PolicyLayer Layer => layer;
        public ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Deny ? PolicyDecision.Deny(layer, "test_denied", "denied") : null);
    }

    private sealed class ThrowingLayer(PolicyLayer layer) : IPolicyLayer
    {
        public PolicyLayer Layer => layer;
        public ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("connection string super-secret refused");
    }

    private sealed class FailingAudit : IAuditLog
    {
        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new IOException("disk full");
        public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) => throw new IOException("disk full");
        public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => throw new IOException("disk full");
        public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => throw new IOException("disk full");
    }

    private sealed class FailingStore : IPlatformStore
    {
        private static TimeoutException Down() => new TimeoutException("database unreachable");
        public ValueTask<ApiKeyRecord?> FindApiKeyByLookupIdAsync(string lookupId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<Workspace?> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<Principal?> GetPrincipalAsync(string principalId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<WorkspaceMembership?> GetMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<GuildInstallation?> GetInstallationAsync(ulong guildId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<ChannelPolicy>> GetChannelPoliciesAsync(ulong guildId, CancellationToken cancellationToken) => throw Down();
        public ValueTask<IReadOnlyList<ToolPolicy>> GetToolPoliciesAsync(string workspaceId, CancellationToken cancellationToken) => throw Down();
        public Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken) => throw Down();
        public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken) => throw Down();
        public Task<IReadOnlyList<GuildInstallation>> ListInstallationsAsync(string workspaceId, CancellationToken cancellationToken) => throw Down();
        public Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(string workspaceId, CancellationToken cancellationToken) => throw Down();
        public Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) => throw Down();
        public Task UpdateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) => throw Down();
        public Task UpsertPrincipalAsync(Principal principal, CancellationToken cancellationToken) => throw Down();
        public Task SetMembershipAsync(WorkspaceMembership membership, CancellationToken cancellationToken) => throw Down();
        public Task<bool> RemoveMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken) => throw Down();
        public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => throw Down();
        public Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken) => throw Down();
        public Task InstallGuildAsync(GuildInstallation installation, CancellationToken cancellationToken) => throw Down();
        public Task<bool> UninstallGuildAsync(string workspaceId, ulong guildId, CancellationToken cancellationToken) => throw Down();
        public Task SetChannelPolicyAsync(ChannelPolicy policy, CancellationToken cancellationToken) => throw Down();
        public Task<bool> RemoveChannelPolicyAsync(ulong guildId, ulong targetId, CancellationToken cancellationToken) => throw Down();
        public Task SetToolPolicyAsync(ToolPolicy policy, CancellationToken cancellationToken) => throw Down();
        public Task<bool> RemoveToolPolicyAsync(string workspaceId, ToolPolicyTarget target, string name, CancellationToken cancellationToken) => throw Down();
        public Task ReplacePoliciesAsync(string workspaceId, IReadOnlyList<ChannelPolicy> channelPolicies, IReadOnlyList<ToolPolicy> toolPolicies, CancellationToken cancellationToken) => throw Down();
    }
}

public sealed class ConfirmationFlowTests
{
    private static readonly ToolDescriptor Write = WriteTool;

    [Fact]
    public async Task Confirm_returns_pending_id_then_confirmation_executes_exactly_once()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var executions = 0;
        ValueTask<int> Execute(PolicyContext c, CancellationToken _) { executions++; return ValueTask.FromResult(executions); }

        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write), Execute, default);
        Assert.Equal(ReasonCodes.ConfirmationRequired, first.Decision.ReasonCode);
        Assert.Equal(0, executions);
        var id = first.Decision.PendingActionId!;
        Assert.StartsWith("pa_", id, StringComparison.Ordinal);

        var confirmed = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = id }, Execute, default);
        Assert.True(confirmed.Executed);
        Assert.Equal(1, executions);

        var again = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = id }, Execute, default);
        Assert.Equal(ReasonCodes.ConfirmationInvalid, again.Decision.ReasonCode);
        Assert.Equal(1, executions);

        var decisions = w.Audit.Snapshot().Select(e => (e.Decision, e.Outcome)).ToArray();
        Assert.Equal([(AuditDecision.Pending, AuditOutcome.None), (AuditDecision.Allowed, AuditOutcome.Executing), (AuditDecision.Allowed, AuditOutcome.Executed), (AuditDecision.Denied, AuditOutcome.None)], decisions);
    }

    [Fact]
    public async Task Confirmation_reruns_the_whole_pipeline()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write), (_, _) => ValueTask.FromResult(1), default);
        // Between request and confirmation an admin closes the channel: confirmation must be denied by that layer.
        await w.Store.SetChannelPolicyAsync(new ChannelPolicy(Guild, ChannelPolicyScope.Channel, General, Write: AccessRule.Deny), default);
        var confirmed = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = first.Decision.PendingActionId }, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.ChannelPolicyDenied, confirmed.Decision.ReasonCode);
        Assert.False(confirmed.Executed);
    }

    [Fact]
    public async Task Expired_confirmation_is_refused()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline(new PolicyOptions { PendingActionTtl = TimeSpan.FromMinutes(5) });
        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write), (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(w.Time.GetUtcNow().AddMinutes(5), first.Decision.PendingExpiresAt);
        w.Time.Advance(TimeSpan.FromMinutes(5));
        var confirmed = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = first.Decision.PendingActionId }, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.ConfirmationExpired, confirmed.Decision.ReasonCode);
        Assert.False(confirmed.Executed);
    }

    [Theory]
    [InlineData("args")]
    [InlineData("tool")]
    [InlineData("principal")]
    public async Task Tampered_confirmation_is_a_mismatch_and_does_not_burn_the_action(string tamper)
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write), (_, _) => ValueTask.FromResult(1), default);
        var id = first.Decision.PendingActionId!;
        var otherOperator = await w.IssueKeyAsync("acme", PlatformRole.Operator);
        var tampered = tamper switch
        {
            "args" => Request(w.OperatorKey, Write, args: "{\"content\":\"@everyone free nitro\"}"),
            "tool" => Request(w.OperatorKey, new ToolDescriptor("discord_edit_message", "messages", ToolAccess.Write)),
            _ => Request(otherOperator, Write),
        } with { ConfirmationId = id };

        var result = await pipeline.RunAsync(tampered, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.ConfirmationMismatch, result.Decision.ReasonCode);
        Assert.False(result.Executed);

        var genuine = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = id }, (_, _) => ValueTask.FromResult(1), default);
        Assert.True(genuine.Executed);
    }

    [Fact]
    public async Task Approve_mode_needs_a_persons_approval_before_confirmation_executes()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var request = Request(w.OperatorKey, DestructiveTool) with { RequiredBotPermissions = 0 };
        var first = await pipeline.RunAsync(request, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.ApprovalRequired, first.Decision.ReasonCode);
        var id = first.Decision.PendingActionId!;

        var early = await pipeline.RunAsync(request with { ConfirmationId = id }, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.ApprovalRequired, early.Decision.ReasonCode);
        Assert.False(early.Executed);

        Assert.True(await w.Pending.ApproveAsync(id, "local:operator", default));
        var approved = await pipeline.RunAsync(request with { ConfirmationId = id }, (_, _) => ValueTask.FromResult(1), default);
        Assert.True(approved.Executed);
    }

    [Fact]
    public async Task Concurrent_confirmations_consume_the_action_once()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline(new PolicyOptions { DefaultRateLimits = new RateLimitSettings(100, 100, 100, 100, 100, 100, 100, 100) });
        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write), (_, _) => ValueTask.FromResult(1), default);
        var confirm = Request(w.OperatorKey, Write) with { ConfirmationId = first.Decision.PendingActionId };
        var executions = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await pipeline.RunAsync(confirm, (_, _) => { Interlocked.Increment(ref executions); return ValueTask.FromResult(1); }, default))));
        Assert.Equal(1, executions);
        Assert.Single(results, r => r.Executed);
    }

    [Fact]
    public async Task Dry_run_executes_nothing_and_stores_a_pending_action_that_confirms_once()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var executions = 0;
        ValueTask<int> Execute(PolicyContext c, CancellationToken _) { executions++; return ValueTask.FromResult(executions); }
        var result = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { DryRun = true }, Execute, default);
        Assert.Equal(PolicyVerdict.DryRun, result.Decision.Verdict);
        Assert.Contains("discord_confirm_action", result.Decision.Message, StringComparison.Ordinal);
        Assert.False(result.Executed);
        Assert.Equal(AuditDecision.DryRun, w.Audit.Snapshot()[^1].Decision);
        var id = Assert.IsType<string>(result.Decision.PendingActionId);

        var confirmed = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = id }, Execute, default);
        Assert.True(confirmed.Executed);
        var replay = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = id }, Execute, default);
        Assert.Equal(ReasonCodes.ConfirmationInvalid, replay.Decision.ReasonCode);
        Assert.Equal(1, executions);
    }

    [Fact]
    public async Task Confirmation_is_consumed_even_when_the_mode_became_allow()
    {
        var w = await CreateAsync();
        var pipeline = w.Pipeline();
        var executions = 0;
        ValueTask<int> Execute(PolicyContext c, CancellationToken _) { executions++; return ValueTask.FromResult(executions); }
        var dry = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { DryRun = true }, Execute, default);
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, Write.Name, ToolMode.Allow), default);
        var first = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = dry.Decision.PendingActionId }, Execute, default);
        var replay = await pipeline.RunAsync(Request(w.OperatorKey, Write) with { ConfirmationId = dry.Decision.PendingActionId }, Execute, default);
        Assert.True(first.Executed);
        Assert.Equal(ReasonCodes.ConfirmationInvalid, replay.Decision.ReasonCode);
        Assert.Equal(1, executions);
    }

    [Fact]
    public async Task Identify_returns_workspace_principal_and_role_of_a_valid_key_only()
    {
        var w = await CreateAsync();
        var identity = await w.Pipeline().IdentifyAsync(new ApiKeyCredential(w.OperatorKey), default);
        Assert.NotNull(identity);
        Assert.Equal("acme", identity.WorkspaceId);
        Assert.Equal(PlatformRole.Operator, identity.Role);
        Assert.Null(await w.Pipeline().IdentifyAsync(new ApiKeyCredential("dmcp_not_a_key"), default));
    }
}

public sealed class TenantIsolationTests
{
    [Fact]
    public async Task Key_of_another_workspace_cannot_reach_acme_guild_even_with_direct_ids()
    {
        var w = await CreateAsync();
        var executed = false;
        var result = await w.Pipeline().RunAsync(Request(w.OtherKey, ReadTool), (_, _) => { executed = true; return ValueTask.FromResult(1); }, default);
        Assert.Equal(ReasonCodes.GuildNotInstalled, result.Decision.ReasonCode);
        Assert.False(executed);
    }

    [Fact]
    public async Task Acme_key_cannot_smuggle_other_guilds_ids_through_its_own_guild()
    {
        var w = await CreateAsync();
        var request = Request(w.ViewerKey, ReadTool) with { References = [new(ResourceKind.Message, 991, OtherChannel)] };
        var result = await w.Pipeline().RunAsync(request, (_, _) => ValueTask.FromResult(1), default);
        Assert.Equal(ReasonCodes.CrossGuildReference, result.Decision.ReasonCode);
    }

    [Fact]
    public async Task Identify_returns_the_workspace_of_a_valid_member_key_and_audits_nothing()
    {
        var w = await CreateAsync();

        var acme = await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential(w.ViewerKey), default);
        var other = await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential(w.OtherKey), default);

        Assert.Equal("acme", acme);
        Assert.Equal("other", other);
        Assert.Empty(await w.Audit.ReadAsync(new AuditQuery(Limit: 100), default));
    }

    [Fact]
    public async Task Identify_returns_null_for_a_bad_key_or_a_key_whose_membership_was_removed()
    {
        var w = await CreateAsync();
        await w.Store.RemoveMembershipAsync("acme", string.Concat("key:", w.ViewerKey.AsSpan(5, 12)), default);

        Assert.Null(await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential("dmcp_bad"), default));
        Assert.Null(await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential(null), default));
        Assert.Null(await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential(w.ViewerKey), default));
        Assert.Equal("acme", await w.Pipeline().IdentifyWorkspaceAsync(new ApiKeyCredential(w.OperatorKey), default));
    }

    [Fact]
    public async Task A_discord_member_runs_as_themselves_through_the_agent_entry_point_and_is_denied_what_they_cannot_do()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), default);
        w.Probe.AddMember(Guild, 510, 1).SetMemberPermissions(Guild, 510, ViewChannel)
            .AddMember(Guild, 511, 5).SetMemberPermissions(Guild, 511, ViewChannel | SendMessages);
        var executions = 0;
        ValueTask<int> Execute(PolicyContext _, CancellationToken __) { executions++; return ValueTask.FromResult(1); }
        PolicyRequest As(ulong user) => Request("", WriteTool) with { Credential = new DiscordUserCredential("acme", user, "someone") { GuildId = Guild } };

        var denied = await w.Pipeline().RunAsync(As(510), Execute, default);
        var deniedEvent = w.Audit.Snapshot()[^1];
        var allowed = await w.Pipeline().RunAsync(As(511), Execute, default);

        Assert.Equal(ReasonCodes.PlatformPermissionDenied, denied.Decision.ReasonCode);
        Assert.Equal("You lack Send Messages in #general, so the agent will not do this for you. Ask a server moderator.", denied.Decision.Message);
        Assert.Equal(("discord:510", AuditEntryPoints.Agent, AuditDecision.Denied), (deniedEvent.PrincipalId, deniedEvent.EntryPoint, deniedEvent.Decision));
        Assert.True(allowed.Executed);
        Assert.Equal(1, executions);
        Assert.All(w.Audit.Snapshot().Where(e => e.CallId == allowed.CallId), e => Assert.Equal(("discord:511", "agent"), (e.PrincipalId, e.EntryPoint)));
    }

    [Fact]
    public async Task Every_credential_kind_records_its_entry_point()
    {
        var w = await CreateAsync();
        var read = new ToolDescriptor("discord_list_messages", "messages", ToolAccess.Read);
        PolicyCredential[] credentials =
        [
            new ApiKeyCredential(w.OperatorKey), new VerifiedTokenCredential("oauth:x", "acme", PlatformRole.Operator),
            new LocalOperatorCredential("acme"), new DiscordUserCredential("acme", 510) { GuildId = Guild },
        ];
        foreach (var credential in credentials)
            await w.Pipeline().RunAsync(Request("", read) with { Credential = credential }, (_, _) => ValueTask.FromResult(1), default);

        // The member is not in the probe: denied, and audited as the agent all the same.
        Assert.Equal(["http", "http", "stdio", "agent"], w.Audit.Snapshot().Select(e => e.EntryPoint));
    }
}
