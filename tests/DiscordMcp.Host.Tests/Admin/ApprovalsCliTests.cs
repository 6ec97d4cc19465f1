using System.Text.Json;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Commands.Admin;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests.Admin;

/// <summary>
/// <c>discord-mcp approvals</c> in-process against SQLite, PostgreSQL (<c>ConnectionStrings__Postgres</c>) and SQLite
/// with pending actions in Redis (<c>ConnectionStrings__Redis</c> as <c>REDIS_URL</c>). Each test uses a workspace of
/// its own, so tests sharing one Redis never see each other's actions.
/// </summary>
public sealed class ApprovalsCliTests
{
    private const string WebhookSecret = "abcdefSECRET";

    public static TheoryData<string> Stores()
    {
        var data = AdminFixture.Providers();
        if (RedisServer is not null)
            data.Add("redis");
        return data;
    }

    private static string? RedisServer => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") is { Length: > 0 } v ? v : null;

    private static async Task<(AdminFixture Admin, string Workspace)> ArrangeAsync(string store)
    {
        var admin = new AdminFixture(store == "redis" ? "sqlite" : store);
        if (store == "redis")
            admin.ExtraEnvironment["REDIS_URL"] = "redis://" + RedisServer;
        var workspace = "ap-" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.RunAsync("workspaces", "create", "Approvals", "--id", workspace);
        Assert.True(created.Exit == 0, created.Error);
        return (admin, workspace);
    }

    private static async Task<PendingAction> CreateAsync(AdminFixture admin, string workspace, ToolMode mode, string? arguments = null)
    {
        var now = DateTimeOffset.UtcNow;
        var action = new PendingAction("pa_" + Guid.NewGuid().ToString("N"), workspace, "key:requester1", "discord_create_webhook",
            arguments ?? "{\"channel\":\"5\"}", new string('c', 64), mode, 42, now, now.AddMinutes(10));
        await using var storage = await admin.OpenStorageAsync();
        await storage.GetRequiredService<IPendingActionStore>().CreateAsync(action, CancellationToken.None);
        return action;
    }

    private static async Task<PendingAction?> GetAsync(AdminFixture admin, string id)
    {
        await using var storage = await admin.OpenStorageAsync();
        return await storage.GetRequiredService<IPendingActionStore>().GetAsync(id, CancellationToken.None);
    }

    private static async Task<List<JsonElement>> AuditAsync(AdminFixture admin, string decision, string workspace)
    {
        var list = await admin.RunAsync("audit", "list", "--decision", decision, "--workspace", workspace, "--json");
        Assert.True(list.Exit == 0, list.Error);
        using var json = JsonDocument.Parse(list.Out);
        return [.. json.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task List_shows_the_workspace_actions_with_redacted_arguments(string store)
    {
        var (admin, workspace) = await ArrangeAsync(store);
        await using var _ = admin;
        var action = await CreateAsync(admin, workspace, ToolMode.Approve,
            $"{{\"content\":\"post to https://discord.com/api/webhooks/123/{WebhookSecret} please\",\"channel\":\"5\"}}");
        var elsewhere = await CreateAsync(admin, "default", ToolMode.Confirm);

        var table = await admin.RunAsync("approvals", "list", "--workspace", workspace);
        Assert.Equal(0, table.Exit);
        foreach (var expected in new[] { action.Id, "discord_create_webhook", "key:requester1", "approve", "[redacted]", "REQUESTED BY", "EXPIRES" })
            Assert.Contains(expected, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Id, table.Out, StringComparison.Ordinal);

        var json = await admin.RunAsync("approvals", "list", "--workspace", workspace, "--json");
        Assert.Equal(0, json.Exit);
        Assert.DoesNotContain(WebhookSecret, json.Out, StringComparison.Ordinal);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var item = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(action.Id, item.GetProperty("id").GetString());
            Assert.Equal("key:requester1", item.GetProperty("requested_by").GetString());
            Assert.Equal("approve", item.GetProperty("mode").GetString());
            Assert.Equal(JsonValueKind.Null, item.GetProperty("approved_by").ValueKind);
            Assert.EndsWith("Z", item.GetProperty("expires_at").GetString(), StringComparison.Ordinal);
            Assert.Equal("5", item.GetProperty("arguments").GetProperty("channel").GetString());
        }

        // Without --workspace the command works on 'default'.
        var byDefault = await admin.RunAsync("approvals", "list");
        Assert.Equal(0, byDefault.Exit);
        Assert.Contains(elsewhere.Id, byDefault.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(action.Id, byDefault.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Approve_is_audited_then_recorded_and_says_what_happens_next(string store)
    {
        var (admin, workspace) = await ArrangeAsync(store);
        await using var _ = admin;
        var action = await CreateAsync(admin, workspace, ToolMode.Approve, $"{{\"url\":\"https://discord.com/api/webhooks/123/{WebhookSecret}\"}}");

        var approved = await admin.RunAsync("approvals", "approve", action.Id, "--workspace", workspace);
        Assert.True(approved.Exit == 0, approved.Error);
        Assert.Contains($"discord_confirm_action {action.Id}", approved.Out, StringComparison.Ordinal);
        Assert.Equal(ApprovalsCommand.CliPrincipal(), (await GetAsync(admin, action.Id))?.ApprovedBy);
        Assert.StartsWith("cli:", ApprovalsCommand.CliPrincipal(), StringComparison.Ordinal);

        var audit = Assert.Single(await AuditAsync(admin, "approved", workspace));
        Assert.Equal(ApprovalsCommand.CliPrincipal(), audit.GetProperty("principal_id").GetString());
        Assert.Equal("discord_create_webhook", audit.GetProperty("tool").GetString());
        Assert.Equal(ReasonCodes.ActionApproved, audit.GetProperty("reason_code").GetString());
        Assert.DoesNotContain(WebhookSecret, audit.GetRawText(), StringComparison.Ordinal);

        var listed = await admin.RunAsync("approvals", "list", "--workspace", workspace);
        Assert.Contains(ApprovalsCommand.CliPrincipal(), listed.Out, StringComparison.Ordinal);

        var again = await admin.RunAsync("approvals", "approve", action.Id, "--workspace", workspace);
        Assert.Equal(1, again.Exit);
        Assert.Contains("already approved", again.Error, StringComparison.Ordinal);
        Assert.Single(await AuditAsync(admin, "approved", workspace));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Approve_of_a_confirm_mode_action_is_refused_and_changes_nothing(string store)
    {
        var (admin, workspace) = await ArrangeAsync(store);
        await using var _ = admin;
        var action = await CreateAsync(admin, workspace, ToolMode.Confirm);

        var refused = await admin.RunAsync("approvals", "approve", action.Id, "--workspace", workspace);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("the requester confirms it with discord_confirm_action", refused.Error, StringComparison.Ordinal);
        Assert.Null((await GetAsync(admin, action.Id))!.ApprovedBy);
        Assert.Empty(await AuditAsync(admin, "approved", workspace));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Reject_is_audited_with_the_reason_and_removes_the_action(string store)
    {
        var (admin, workspace) = await ArrangeAsync(store);
        await using var _ = admin;
        var action = await CreateAsync(admin, workspace, ToolMode.Approve);

        var rejected = await admin.RunAsync("approvals", "reject", action.Id, "--workspace", workspace, "--reason", "not during the launch");
        Assert.True(rejected.Exit == 0, rejected.Error);
        Assert.Null(await GetAsync(admin, action.Id));
        var audit = Assert.Single(await AuditAsync(admin, "rejected", workspace));
        Assert.Equal(ReasonCodes.ActionRejected, audit.GetProperty("reason_code").GetString());
        Assert.Contains("not during the launch", audit.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("no pending actions", (await admin.RunAsync("approvals", "list", "--workspace", workspace)).Out, StringComparison.Ordinal);

        var twice = await admin.RunAsync("approvals", "reject", action.Id, "--workspace", workspace);
        Assert.Equal(1, twice.Exit);
        Assert.Contains("not found", twice.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Another_workspace_action_is_not_found_for_approve_and_reject(string store)
    {
        var (admin, workspace) = await ArrangeAsync(store);
        await using var _ = admin;
        var theirs = await CreateAsync(admin, "default", ToolMode.Approve);

        foreach (var verb in new[] { "approve", "reject" })
        {
            var result = await admin.RunAsync("approvals", verb, theirs.Id, "--workspace", workspace);
            Assert.Equal(1, result.Exit);
            Assert.Contains($"pending action {theirs.Id} not found in workspace '{workspace}'", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("default", result.Error.Replace($"'{workspace}'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        var still = await GetAsync(admin, theirs.Id);
        Assert.NotNull(still);
        Assert.Null(still.ApprovedBy);
        Assert.Empty(await AuditAsync(admin, "approved", "default"));
        Assert.Empty(await AuditAsync(admin, "rejected", "default"));
    }

    [Fact]
    public async Task Malformed_ids_and_reasons_are_usage_errors_and_unknown_ids_are_not_found()
    {
        await using var admin = new AdminFixture("sqlite");
        var badId = await admin.RunAsync("approvals", "approve", "DROP TABLE");
        Assert.Equal(2, badId.Exit);
        Assert.Contains("not a pending action id", badId.Error, StringComparison.Ordinal);
        var badReason = await admin.RunAsync("approvals", "reject", "pa_0123", "--reason", new string('x', 501));
        Assert.Equal(2, badReason.Exit);
        Assert.Contains("--reason must be 1-500 characters", badReason.Error, StringComparison.Ordinal);
        var badWorkspace = await admin.RunAsync("approvals", "list", "--workspace", "Not Valid");
        Assert.Equal(2, badWorkspace.Exit);
        var unknown = await admin.RunAsync("approvals", "approve", "pa_0123");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("not found in workspace 'default'", unknown.Error, StringComparison.Ordinal);
        var noWorkspace = await admin.RunAsync("approvals", "list", "--workspace", "nope");
        Assert.Equal(1, noWorkspace.Exit);
    }

    [Fact]
    public async Task Expired_action_is_not_found_for_approve()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var store = new InMemoryPendingActionStore(time);
        var approvals = new PendingApprovals(store, Pipeline(store, new InMemoryAuditLog(), time));
        var action = await CreateInMemoryAsync(store, time);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(ApprovalStatus.NotFound, (await approvals.ApproveAsync("w", action.Id, "cli:alice", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task When_the_audit_append_fails_neither_approve_nor_reject_changes_the_action()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var store = new InMemoryPendingActionStore(time);
        var approvals = new PendingApprovals(store, Pipeline(store, new FailingAuditLog(), time));
        var action = await CreateInMemoryAsync(store, time);

        Assert.Equal(ApprovalStatus.AuditFailed, (await approvals.ApproveAsync("w", action.Id, "cli:alice", CancellationToken.None)).Status);
        Assert.Null((await store.GetAsync(action.Id, CancellationToken.None))!.ApprovedBy);
        Assert.Equal(ApprovalStatus.AuditFailed, (await approvals.RejectAsync("w", action.Id, "cli:alice", "no", CancellationToken.None)).Status);
        Assert.NotNull(await store.GetAsync(action.Id, CancellationToken.None));

        // The same calls with a working audit log do change it: the failure above is the audit's doing.
        var working = new PendingApprovals(store, Pipeline(store, new InMemoryAuditLog(), time));
        Assert.Equal(ApprovalStatus.Done, (await working.ApproveAsync("w", action.Id, "cli:alice", CancellationToken.None)).Status);
        Assert.Equal("cli:alice", (await store.GetAsync(action.Id, CancellationToken.None))!.ApprovedBy);
    }

    private static PolicyPipeline Pipeline(IPendingActionStore store, IAuditLog audit, TimeProvider time) =>
        new(new InMemoryPlatformStore(), new InMemoryBotPermissionProbe(), new InMemoryRateLimiter(time), store, audit, time);

    private static async Task<PendingAction> CreateInMemoryAsync(InMemoryPendingActionStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var action = new PendingAction("pa_1", "w", "key:r", "discord_delete_channel", "{}", new string('a', 64), ToolMode.Approve, 1, now, now.AddMinutes(5));
        await store.CreateAsync(action, CancellationToken.None);
        return action;
    }

    private sealed class FailingAuditLog : IAuditLog
    {
        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
            throw new IOException("audit store down");

        public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
            throw new IOException("audit store down");

        public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<AuditEvent>>([]);

        public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => throw new IOException("audit store down");
    }
}
