using System.Data.Common;
using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Storage.Audit;
using DiscordMcp.Storage.Configuration;
using DiscordMcp.Testing;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage.Tests;

public sealed class StoreTests
{
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrations_apply_and_the_model_has_no_pending_changes(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var db = t.Database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Equal(0, await db.AuditEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Bootstrap_creates_default_workspace_and_installs_allowed_guilds_idempotently(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider, migrate: false);
        var platform = new EfPlatformStore(t.Database);
        using var audit = new EfAuditLog(t.Database, t.Time);
        var init = new StorageInitializer(t.Database, platform, audit, new StorageBootstrapOptions([111UL, 222UL]), t.Time);

        await init.InitializeAsync(CancellationToken.None);
        await init.InitializeAsync(CancellationToken.None);
        await init.InstallIntoDefaultWorkspaceAsync(333UL, CancellationToken.None);

        var workspaces = await platform.ListWorkspacesAsync(CancellationToken.None);
        Assert.Equal(["default"], workspaces.Select(w => w.Id));
        var guilds = await platform.ListInstallationsAsync("default", CancellationToken.None);
        Assert.Equal([111UL, 222UL, 333UL], guilds.Select(g => g.GuildId).Order());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_guild_belongs_to_at_most_one_workspace(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var store = new EfPlatformStore(t.Database);
        var now = t.Time.GetUtcNow();
        await store.CreateWorkspaceAsync(new Workspace("a", "A", now), CancellationToken.None);
        await store.CreateWorkspaceAsync(new Workspace("b", "B", now), CancellationToken.None);
        await store.InstallGuildAsync(new GuildInstallation(42, "a", now), CancellationToken.None);
        await store.InstallGuildAsync(new GuildInstallation(42, "a", now), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PlatformConflictException>(() => store.InstallGuildAsync(new GuildInstallation(42, "b", now), CancellationToken.None));
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("a", (await store.GetInstallationAsync(42, CancellationToken.None))!.WorkspaceId);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Api_key_is_found_by_lookup_id_and_revocation_is_stored(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var store = new EfPlatformStore(t.Database);
        var now = t.Time.GetUtcNow();
        await store.CreateWorkspaceAsync(new Workspace("w", "W", now), CancellationToken.None);
        await store.UpsertPrincipalAsync(new Principal("p", PrincipalKind.ApiClient, "CI bot"), CancellationToken.None);
        var key = ApiKeys.Generate();
        await store.CreateApiKeyAsync(new ApiKeyRecord("k1", "w", "p", PlatformRole.Operator, key.LookupId, key.SecretHash, now, now.AddDays(30), ToolsetScopes: ["messages"]), CancellationToken.None);

        var found = await store.FindApiKeyByLookupIdAsync(key.LookupId, CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal(PlatformRole.Operator, found.Role);
        Assert.Equal(now.AddDays(30), found.ExpiresAt);
        Assert.Equal(["messages"], found.ToolsetScopes);
        Assert.Null(await store.FindApiKeyByLookupIdAsync("000000000000", CancellationToken.None));
        await Assert.ThrowsAsync<PlatformConflictException>(() => store.CreateApiKeyAsync(found with { Id = "k2" }, CancellationToken.None));

        Assert.True(await store.RevokeApiKeyAsync("w", "k1", now.AddHours(1), CancellationToken.None));
        Assert.Equal(now.AddHours(1), (await store.FindApiKeyByLookupIdAsync(key.LookupId, CancellationToken.None))!.RevokedAt);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_chain_verifies_and_a_row_edited_in_the_database_is_detected(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendAsync(Event("c1", AuditOutcome.None), CancellationToken.None);
        var batch = await audit.AppendBatchAsync([Event("c2", AuditOutcome.Executing), Event("c2", AuditOutcome.Executed), Event("c3", AuditOutcome.None)], CancellationToken.None);
        Assert.Equal([2L, 3L, 4L], batch.Select(e => e.Sequence));
        Assert.Equal(batch[0].Hash, batch[1].PrevHash);

        var ok = await audit.VerifyAsync(CancellationToken.None);
        Assert.True(ok.IsValid);
        Assert.Equal(4, ok.VerifiedCount);

        await using (var db = t.Database.CreateContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET \"Message\" = 'nothing to see' WHERE \"Sequence\" = 3");

        var broken = await audit.VerifyAsync(CancellationToken.None);
        Assert.False(broken.IsValid);
        Assert.Equal(3, broken.FirstBrokenSequence);
        Assert.Equal(2, broken.VerifiedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Entry_points_are_stored_filtered_and_chained_alongside_older_rows_without_one(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        // Rows as written before entry points existed (null), then rows of each entry point.
        await audit.AppendBatchAsync([Event("old1", AuditOutcome.None), Event("old2", AuditOutcome.None)], CancellationToken.None);
        await audit.AppendBatchAsync(
        [
            Event("a", AuditOutcome.None) with { EntryPoint = AuditEntryPoints.Agent, PrincipalId = "discord:42" },
            Event("h", AuditOutcome.None) with { EntryPoint = AuditEntryPoints.Http },
            Event("c", AuditOutcome.None) with { EntryPoint = AuditEntryPoints.Cli },
        ], CancellationToken.None);
        await audit.AppendAsync(Event("old3", AuditOutcome.None), CancellationToken.None);

        var all = await audit.ReadAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal([null, null, "agent", "http", "cli", null], all.Select(e => e.EntryPoint));
        var agent = Assert.Single(await audit.ReadAsync(new AuditQuery(EntryPoint: AuditEntryPoints.Agent), CancellationToken.None));
        Assert.Equal(("a", "discord:42"), (agent.CallId, agent.PrincipalId));
        var ok = await audit.VerifyAsync(CancellationToken.None);
        Assert.True(ok.IsValid, ok.Reason);
        Assert.Equal(6, ok.VerifiedCount);

        // Changing the entry point of a row (or giving an old row one) breaks the chain at that row.
        await using (var db = t.Database.CreateContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET \"EntryPoint\" = 'http' WHERE \"Sequence\" = 3");
        Assert.Equal(3, (await audit.VerifyAsync(CancellationToken.None)).FirstBrokenSequence);
        await using (var db = t.Database.CreateContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET \"EntryPoint\" = CASE \"Sequence\" WHEN 3 THEN 'agent' ELSE 'stdio' END WHERE \"Sequence\" IN (1, 3)");
        Assert.Equal(1, (await audit.VerifyAsync(CancellationToken.None)).FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Concurrent_appends_keep_the_chain_valid(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        // Two log instances stand for two processes: only the database serialises them.
        using var a = new EfAuditLog(t.Database, t.Time);
        using var b = new EfAuditLog(t.Database, t.Time);
        var tasks = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).AppendAsync(Event("c" + i, AuditOutcome.None), CancellationToken.None).AsTask());
        await Task.WhenAll(tasks);

        var result = await a.VerifyAsync(CancellationToken.None);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(40, result.VerifiedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_bad_event_among_concurrent_appends_fails_alone_and_the_others_are_committed(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        var first = await audit.AppendAsync(Event("c0", AuditOutcome.None), CancellationToken.None);
        // Appends queued together are committed together (group commit); one of them reuses an event id, which the
        // database refuses. Only that call may fail, whichever batch it lands in.
        var events = Enumerable.Range(1, 20).Select(i => i == 10 ? Event("c" + i, AuditOutcome.None) with { Id = first.Id } : Event("c" + i, AuditOutcome.None)).ToList();
        var results = await Task.WhenAll(events.Select(async e =>
        {
            try
            {
                await audit.AppendAsync(e, CancellationToken.None);
                return true;
            }
            catch (DbException) // the database refused the row (SqliteException, PostgresException)
            {
                return false;
            }
        }));

        Assert.Equal(19, results.Count(ok => ok));
        Assert.False(results[9]);
        var verified = await audit.VerifyAsync(CancellationToken.None);
        Assert.True(verified.IsValid, verified.Reason);
        Assert.Equal(20, verified.VerifiedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_events_can_be_read_by_call_id(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendBatchAsync([Event("one", AuditOutcome.Executing), Event("two", AuditOutcome.Executing), Event("one", AuditOutcome.Executed)], CancellationToken.None);

        var events = await audit.ReadAsync(new AuditQuery(CallId: "one"), CancellationToken.None);

        Assert.Equal([AuditOutcome.Executing, AuditOutcome.Executed], events.Select(e => e.Outcome));
        Assert.All(events, e => Assert.Equal("one", e.CallId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Audit_read_newest_first_keeps_to_one_workspace_and_filters_by_a_set_of_tools(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendBatchAsync(
        [
            Event("1", AuditOutcome.Executed), Event("2", AuditOutcome.Executed) with { WorkspaceId = "x" },
            Event("3", AuditOutcome.Executed) with { Tool = "discord_list_roles" }, Event("4", AuditOutcome.Executed),
            Event("5", AuditOutcome.Executed) with { WorkspaceId = "x", Tool = "discord_list_roles" },
        ], CancellationToken.None);

        var newest = await audit.ReadAsync(new AuditQuery(WorkspaceId: "w", Limit: 2, NewestFirst: true), CancellationToken.None);
        var tools = await audit.ReadAsync(new AuditQuery(WorkspaceId: "w", Tools: ["discord_list_roles", "discord_get_guild"]), CancellationToken.None);
        var none = await audit.ReadAsync(new AuditQuery(Tools: []), CancellationToken.None);
        var exported = new List<string>();
        await foreach (var e in audit.ExportAsync(new AuditQuery(WorkspaceId: "w", NewestFirst: true), CancellationToken.None))
            exported.Add(e.CallId);

        Assert.Equal(["4", "3"], newest.Select(e => e.CallId));
        Assert.Equal("3", Assert.Single(tools).CallId);
        Assert.Empty(none);
        Assert.Equal(["1", "3", "4"], exported);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Executing_without_outcome_is_marked_outcome_unknown_once(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        using var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendBatchAsync([Event("done", AuditOutcome.Executing), Event("done", AuditOutcome.Executed), Event("lost", AuditOutcome.Executing)], CancellationToken.None);

        Assert.Equal(1, await audit.MarkUnknownOutcomesAsync(CancellationToken.None));
        Assert.Equal(0, await audit.MarkUnknownOutcomesAsync(CancellationToken.None));

        var unknown = await audit.ReadAsync(new AuditQuery(Outcome: AuditOutcome.OutcomeUnknown), CancellationToken.None);
        var only = Assert.Single(unknown);
        Assert.Equal("lost", only.CallId);
        Assert.True((await audit.VerifyAsync(CancellationToken.None)).IsValid);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Consuming_tells_expired_unapproved_mismatched_and_unknown_apart_and_returns_the_whole_action(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var store = new EfPendingActionStore(t.Database, t.Time);
        var now = t.Time.GetUtcNow();
        var hash = new string('c', 64);
        PendingAction Make(ToolMode mode, TimeSpan expiresIn) =>
            new("pa_" + Guid.NewGuid().ToString("N"), "w", "p", "discord_delete_channel", "{\"channel\":\"5\"}", hash, mode, 42, now, now + expiresIn);
        var binding = new PendingActionBinding("w", "p", "discord_delete_channel", hash);
        var expiring = Make(ToolMode.Confirm, TimeSpan.FromMinutes(1));
        var approve = Make(ToolMode.Approve, TimeSpan.FromMinutes(10));
        foreach (var a in new[] { expiring, approve })
            await store.CreateAsync(a, CancellationToken.None);

        Assert.Equal(PendingConsumeStatus.NotApproved, (await store.TryConsumeAsync(approve.Id, binding, CancellationToken.None)).Status);
        Assert.Equal(PendingConsumeStatus.Mismatch, (await store.TryConsumeAsync(approve.Id, binding with { ArgumentHash = new string('d', 64) }, CancellationToken.None)).Status);
        Assert.NotNull(await store.GetAsync(approve.Id, CancellationToken.None));
        Assert.True(await store.ApproveAsync(approve.Id, "cli:alice", CancellationToken.None));
        var consumed = await store.TryConsumeAsync(approve.Id, binding, CancellationToken.None);
        Assert.Equal(PendingConsumeStatus.Consumed, consumed.Status);
        Assert.Equal(approve with { ApprovedBy = "cli:alice" }, consumed.Action);
        Assert.Equal(PendingConsumeStatus.NotFound, (await store.TryConsumeAsync(approve.Id, binding, CancellationToken.None)).Status);

        t.Time.Advance(TimeSpan.FromMinutes(1)); // expires exactly now
        Assert.Equal(PendingConsumeStatus.Expired, (await store.TryConsumeAsync(expiring.Id, binding, CancellationToken.None)).Status);
        Assert.Equal(PendingConsumeStatus.NotFound, (await store.TryConsumeAsync(expiring.Id, binding, CancellationToken.None)).Status);
        Assert.Equal(PendingConsumeStatus.NotFound, (await store.TryConsumeAsync("pa_" + new string('0', 32), binding, CancellationToken.None)).Status);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Pending_action_is_consumed_exactly_once_by_concurrent_consumers(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var store = new EfPendingActionStore(t.Database, t.Time);
        await PendingActionChecks.ConsumedExactlyOnceAsync(store, t.Time);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Pending_actions_are_listed_per_workspace_unexpired_and_oldest_first(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await PendingActionChecks.ListsPerWorkspaceAsync(new EfPendingActionStore(t.Database, t.Time), t.Time);
    }

    [Fact]
    public async Task In_memory_pending_actions_are_listed_per_workspace_unexpired_and_oldest_first()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await PendingActionChecks.ListsPerWorkspaceAsync(new Policy.InMemory.InMemoryPendingActionStore(time), time);
    }

    internal static AuditEvent Event(string callId, AuditOutcome outcome) => new(
        "ae_" + Guid.NewGuid().ToString("N"), callId, new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero).AddTicks(4567),
        "p", "w", 42, 7, "discord_send_message", "{\"content\":\"hi\"}", AuditDecision.Allowed, null, null, "m", 10, outcome);
}

internal static class PendingActionChecks
{
    /// <summary>
    /// The listing contract every <see cref="IPendingActionStore"/> keeps: only the workspace's unexpired actions, oldest
    /// created first (not soonest expiring), approvals visible, consumed and removed actions gone. Returns the ids still
    /// listed at the end (the oldest and the middle one) for implementation-specific checks.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListsPerWorkspaceAsync(IPendingActionStore store, Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var now = time.GetUtcNow();
        var ws = "w" + Guid.NewGuid().ToString("N")[..8];
        var otherWs = ws + "-other";
        PendingAction Make(string name, string workspace, TimeSpan createdAgo, TimeSpan expiresIn, ToolMode mode = ToolMode.Approve) =>
            new("pa_" + name + Guid.NewGuid().ToString("N")[..8], workspace, "key:abc", "discord_delete_channel", "{\"channel\":\"5\"}",
                new string('b', 64), mode, 42, now - createdAgo, now + expiresIn);
        var oldest = Make("old", ws, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(20));
        var middle = Make("mid", ws, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        var consumed = Make("con", ws, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), ToolMode.Confirm);
        var removed = Make("rem", ws, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(10));
        var shortLived = Make("short", ws, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        var other = Make("other", otherWs, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(20));
        // Created in an order that is neither creation nor expiry order.
        foreach (var a in new[] { shortLived, other, middle, removed, oldest, consumed })
            await store.CreateAsync(a, CancellationToken.None);

        async Task<List<string>> IdsAsync(string workspace) => [.. (await store.ListAsync(workspace, CancellationToken.None)).Select(a => a.Id)];

        Assert.Equal([oldest.Id, middle.Id, consumed.Id, removed.Id, shortLived.Id], await IdsAsync(ws));
        Assert.Equal([other.Id], await IdsAsync(otherWs));
        Assert.Empty(await IdsAsync("nobody"));
        var listed = (await store.ListAsync(ws, CancellationToken.None))[0];
        Assert.Equal((oldest.WorkspaceId, oldest.PrincipalId, oldest.ToolName, oldest.CanonicalArguments, oldest.Mode, oldest.GuildId, (string?)null),
            (listed.WorkspaceId, listed.PrincipalId, listed.ToolName, listed.CanonicalArguments, listed.Mode, listed.GuildId, listed.ApprovedBy));

        Assert.True(await store.ApproveAsync(oldest.Id, "cli:alice", CancellationToken.None));
        Assert.Equal("cli:alice", (await store.ListAsync(ws, CancellationToken.None))[0].ApprovedBy);

        var binding = new PendingActionBinding(ws, "key:abc", "discord_delete_channel", new string('b', 64));
        Assert.Equal(PendingConsumeStatus.Consumed, (await store.TryConsumeAsync(consumed.Id, binding, CancellationToken.None)).Status);
        Assert.True(await store.RemoveAsync(removed.Id, CancellationToken.None));
        Assert.False(await store.RemoveAsync(removed.Id, CancellationToken.None));
        Assert.Equal([oldest.Id, middle.Id, shortLived.Id], await IdsAsync(ws));

        time.Advance(TimeSpan.FromMinutes(1)); // the short-lived one expires exactly now
        Assert.Equal([oldest.Id, middle.Id], await IdsAsync(ws));
        Assert.Equal([other.Id], await IdsAsync(otherWs));
        return [oldest.Id, middle.Id];
    }

    public static async Task ConsumedExactlyOnceAsync(IPendingActionStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var action = new PendingAction("pa_" + Guid.NewGuid().ToString("N"), "w", "p", "discord_delete_channel", "{}", new string('a', 64), ToolMode.Confirm, 42, now, now.AddMinutes(5));
        await store.CreateAsync(action, CancellationToken.None);
        var binding = new PendingActionBinding("w", "p", "discord_delete_channel", new string('a', 64));

        Assert.Equal(PendingConsumeStatus.Mismatch, (await store.TryConsumeAsync(action.Id, binding with { PrincipalId = "other" }, CancellationToken.None)).Status);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumers = Enumerable.Range(0, 16).Select(async _ =>
        {
            await start.Task;
            return await store.TryConsumeAsync(action.Id, binding, CancellationToken.None);
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(consumers);

        Assert.Equal(1, results.Count(r => r.Status == PendingConsumeStatus.Consumed));
        Assert.All(results.Where(r => r.Status != PendingConsumeStatus.Consumed), r => Assert.Equal(PendingConsumeStatus.NotFound, r.Status));
        var consumed = results.Single(r => r.Action is not null).Action!;
        Assert.Equal("discord_delete_channel", consumed.ToolName);
        SecretScan.RecordJson("Storage.Tests pending action " + store.GetType().Name, consumed); // what the store handed back

    }
}
