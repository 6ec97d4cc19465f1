using System.Data.Common;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Audit;
using DiscordMcp.Storage.Configuration;

namespace DiscordMcp.Storage.Tests;

/// <summary>
/// The storage every write passes on its way to Discord: deferred outcome events, the audit chain's cached head with
/// another writer on the same database, and pending actions written and read by plain commands (both providers).
/// </summary>
public sealed class WritePathStorageTests
{
    public static TheoryData<DatabaseProvider> Providers => StoreTests.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Deferred_events_keep_their_place_in_the_chain_and_a_read_sees_them_at_once(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendAsync(StoreTests.Event("a", AuditOutcome.Executing), AuditDurability.Durable, CancellationToken.None);

        // Not awaited: the caller moves on as the pipeline does after Discord answered.
        var outcome = audit.AppendAsync(StoreTests.Event("a", AuditOutcome.Executed), AuditDurability.Deferred, CancellationToken.None).AsTask();
        await audit.AppendAsync(StoreTests.Event("b", AuditOutcome.Executing), AuditDurability.Durable, CancellationToken.None);
        var read = await audit.ReadAsync(new AuditQuery(), CancellationToken.None);

        Assert.Equal(["a", "a", "b"], read.Select(e => e.CallId));
        Assert.Equal([AuditOutcome.Executing, AuditOutcome.Executed, AuditOutcome.Executing], read.Select(e => e.Outcome));
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Sequence));
        var stored = await outcome;
        Assert.Equal(2, stored.Sequence);
        Assert.Equal(read[1].Hash, stored.Hash);
        Assert.True((await audit.VerifyAsync(CancellationToken.None)).IsValid);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_deferred_event_is_stored_before_the_log_is_disposed_and_an_outcome_still_queued_is_not_unknown(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var audit = new EfAuditLog(t.Database, t.Time);
        await audit.AppendAsync(StoreTests.Event("w", AuditOutcome.Executing), AuditDurability.Durable, CancellationToken.None);
        _ = audit.AppendAsync(StoreTests.Event("w", AuditOutcome.Executed), AuditDurability.Deferred, CancellationToken.None).AsTask();
        // Start-up's sweep in the same process must not call a queued outcome unknown.
        Assert.Equal(0, await audit.MarkUnknownOutcomesAsync(CancellationToken.None));
        _ = audit.AppendAsync(StoreTests.Event("x", AuditOutcome.Executed), AuditDurability.Deferred, CancellationToken.None).AsTask();
        await audit.DisposeAsync();

        await using var reopened = new EfAuditLog(t.Database, t.Time);
        var events = await reopened.ReadAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(["w", "w", "x"], events.Select(e => e.CallId));
        Assert.True((await reopened.VerifyAsync(CancellationToken.None)).IsValid);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_deferred_event_the_database_refuses_fails_its_own_task_only(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        await using var audit = new EfAuditLog(t.Database, t.Time);
        var first = await audit.AppendAsync(StoreTests.Event("c0", AuditOutcome.None), CancellationToken.None);

        var duplicate = audit.AppendAsync(StoreTests.Event("c1", AuditOutcome.Executed) with { Id = first.Id }, AuditDurability.Deferred, CancellationToken.None).AsTask();
        var fine = audit.AppendAsync(StoreTests.Event("c2", AuditOutcome.Executed), AuditDurability.Deferred, CancellationToken.None).AsTask();

        await Assert.ThrowsAnyAsync<DbException>(() => duplicate);
        Assert.Equal(2, (await fine).Sequence);
        await AssertIntactAsync(audit, events: 2);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_append_after_another_writer_appended_continues_the_chain_from_the_real_head(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        // Two logs on one database are two processes (the server and the admin CLI): each knows only its own last commit.
        await using var server = new EfAuditLog(t.Database, t.Time);
        await using var cli = new EfAuditLog(t.Database, t.Time);

        await server.AppendAsync(StoreTests.Event("s1", AuditOutcome.None), CancellationToken.None);
        await cli.AppendAsync(StoreTests.Event("c1", AuditOutcome.None), CancellationToken.None);
        await cli.AppendAsync(StoreTests.Event("c2", AuditOutcome.None), CancellationToken.None);
        var next = await server.AppendAsync(StoreTests.Event("s2", AuditOutcome.None), CancellationToken.None);
        var batch = await server.AppendBatchAsync([StoreTests.Event("s3", AuditOutcome.None), StoreTests.Event("s4", AuditOutcome.None)], CancellationToken.None);
        await cli.AppendAsync(StoreTests.Event("c3", AuditOutcome.None), CancellationToken.None);

        Assert.Equal(4, next.Sequence);
        Assert.Equal([5L, 6L], batch.Select(e => e.Sequence));
        var events = await server.ReadAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(["s1", "c1", "c2", "s2", "s3", "s4", "c3"], events.Select(e => e.CallId));
        await AssertIntactAsync(cli, events: 7);
    }

    /// <summary>The whole chain re-hashes without a broken link or a gap, and holds exactly <paramref name="events"/> events.</summary>
    private static async Task AssertIntactAsync(EfAuditLog log, int events)
    {
        var verified = await log.VerifyAsync(CancellationToken.None);
        Assert.True(verified.IsValid, verified.Reason);
        Assert.Equal(events, verified.VerifiedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_pending_action_reads_back_whole_until_it_expires_and_a_second_create_with_its_id_is_a_conflict(DatabaseProvider provider)
    {
        await using var t = await TestDatabase.CreateAsync(provider);
        var store = new EfPendingActionStore(t.Database, t.Time);
        var now = t.Time.GetUtcNow();
        var action = new PendingAction("pa_" + new string('a', 32), "w", "p", "discord_create_channel", "{\"name\":\"support-luis\",\"private\":true}",
            new string('e', 64), ToolMode.Approve, 1213093380096131072, now, now + TimeSpan.FromMinutes(10));
        await store.CreateAsync(action, CancellationToken.None);

        Assert.Equal(action, await store.GetAsync(action.Id, CancellationToken.None));
        await Assert.ThrowsAsync<PlatformConflictException>(async () => await store.CreateAsync(action with { ToolName = "discord_delete_channel" }, CancellationToken.None));
        Assert.Equal(action, await store.GetAsync(action.Id, CancellationToken.None)); // the first one is untouched
        Assert.Null(await store.GetAsync("pa_" + new string('b', 32), CancellationToken.None));

        t.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await store.GetAsync(action.Id, CancellationToken.None));
    }
}
