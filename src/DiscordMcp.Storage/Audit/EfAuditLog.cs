using System.Data.Common;
using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Configuration;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DiscordMcp.Storage.Audit;

/// <summary>
/// The hash-chained audit log on EF Core. Appends are serialised so the chain never forks: in this process by a
/// semaphore; across processes by the database — PostgreSQL takes a transaction-scoped advisory lock, SQLite's
/// <c>BEGIN IMMEDIATE</c> holds the file's write lock. Under that lock the head is read (on SQLite, the head this process
/// committed last, when it knows it), events are sealed with <see cref="AuditChain.Seal"/> and inserted; the sequence
/// primary key rejects any fork that slipped through.
/// </summary>
internal sealed class EfAuditLog(DiscordMcpDatabase database, TimeProvider timeProvider) : IAuditLog, IAsyncDisposable, IDisposable
{
    /// <summary>Advisory lock id of the audit chain ("dmcp" in ASCII).</summary>
    private const long AppendLockId = 0x646D6370;
    private const int VerifyPageSize = 1000;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly Lock _queueLock = new();
    private List<PendingAppend> _queue = [];
    private bool _drainScheduled;

    /// <summary>
    /// SQLite only: the head this process last committed (read and written under the append gate), so an append need not
    /// read it first. Another process may have appended since (the admin CLI): then the insert collides on the sequence
    /// key, and the head is read and the append retried — the key, not this copy, keeps the chain linear. <c>null</c>
    /// when unknown.
    /// </summary>
    private AuditChainHead? _head;

    /// <summary>Stores every queued (deferred) event before the log goes away.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync(CancellationToken.None);
        }
#pragma warning disable CA1031 // Shutting down: a lost event's failure is already its caller's task's.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        _appendGate.Dispose();
    }

    public void Dispose() => _appendGate.Dispose();

    /// <summary>
    /// Appends one event with group commit: concurrent callers queue their events, and whichever of them holds the append
    /// lock commits everything queued so far in one transaction (one disk sync for many calls). Every caller returns only
    /// once its own event is committed, or throws when it could not be; a batch that fails is retried event by event, so
    /// one bad event cannot take its neighbours' audit records down with it.
    /// </summary>
    public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        AppendAsync(auditEvent, AuditDurability.Durable, cancellationToken);

    /// <inheritdoc cref="AppendAsync(AuditEvent, CancellationToken)"/>
    /// <remarks>A batch is committed durably when any of its events asks for it.</remarks>
    public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (durability != AuditDurability.Deferred)
            return AppendNowAsync(auditEvent, durability, cancellationToken);

        // Queued now, so it keeps its place in the chain; committed by a background drain, or by whichever append or read
        // takes the gate first. Not cancellable: once queued, the event is stored.
        var pending = new PendingAppend(auditEvent, AuditDurability.Committed);
        bool schedule;
        lock (_queueLock)
        {
            _queue.Add(pending);
            schedule = !_drainScheduled;
            _drainScheduled = true;
        }
        if (schedule)
            ThreadPool.UnsafeQueueUserWorkItem(static log => _ = log.DrainAsync(), this, preferLocal: false);
        return new ValueTask<AuditEvent>(pending.Done.Task);
    }

    /// <summary>The background commit of deferred events (each caller's task carries its own event's outcome).</summary>
    private async Task DrainAsync()
    {
        try
        {
            await _appendGate.WaitAsync(CancellationToken.None);
        }
        catch (ObjectDisposedException)
        {
            return; // disposed meanwhile: DisposeAsync already committed what was queued
        }
        try
        {
            lock (_queueLock)
                _drainScheduled = false; // from here on, a newly queued event schedules the next drain
            await CommitQueuedAsync(CancellationToken.None);
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <summary>
    /// Commits whatever is queued and waits for a commit in progress, so that everything this process appended before the
    /// call is stored when it returns. Every read calls it first.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            await CommitQueuedAsync(CancellationToken.None);
        }
        finally
        {
            _appendGate.Release();
        }
    }

    private async ValueTask<AuditEvent> AppendNowAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
    {
        var pending = new PendingAppend(auditEvent, durability);
        lock (_queueLock)
            _queue.Add(pending);

        try
        {
            await _appendGate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_queueLock)
            {
                // Not taken by a committing caller yet: withdraw it, so a cancelled call leaves no event behind.
                if (_queue.Remove(pending))
                    throw;
            }
            return await pending.Done.Task; // already being committed: its outcome is this call's
        }
        try
        {
            // Commits run to the end whoever asked: other callers' events are in the batch.
            if (!pending.Done.Task.IsCompleted)
                await CommitQueuedAsync(CancellationToken.None);
        }
        finally
        {
            _appendGate.Release();
        }
        return await pending.Done.Task;
    }

    /// <summary>Commits every queued event (the caller holds the append gate).</summary>
    private async Task CommitQueuedAsync(CancellationToken cancellationToken)
    {
        List<PendingAppend> batch;
        lock (_queueLock)
        {
            batch = _queue;
            _queue = [];
        }
        if (batch.Count == 0)
            return;
        try
        {
            var durable = batch.Exists(p => p.Durability == AuditDurability.Durable);
            var sealedEvents = await AppendUnderGateAsync([.. batch.Select(p => p.Event)], durable, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Done.TrySetResult(sealedEvents[i]);
            return;
        }
#pragma warning disable CA1031 // Retried one by one below; each caller then gets its own event's outcome.
        catch (Exception) when (batch.Count > 1)
#pragma warning restore CA1031
        {
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
            return;
        }
        foreach (var one in batch)
        {
            try
            {
                one.Done.TrySetResult((await AppendUnderGateAsync([one.Event], one.Durability == AuditDurability.Durable, cancellationToken))[0]);
            }
#pragma warning disable CA1031 // Handed to the caller whose event it is.
            catch (Exception e)
#pragma warning restore CA1031
            {
                one.Done.TrySetException(e);
            }
        }
    }

    private sealed class PendingAppend(AuditEvent auditEvent, AuditDurability durability)
    {
        public AuditEvent Event { get; } = auditEvent;
        public AuditDurability Durability { get; } = durability;
        public TaskCompletionSource<AuditEvent> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (auditEvents.Count == 0)
            return [];

        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            return await AppendUnderGateAsync(auditEvents, durable: true, cancellationToken);
        }
        finally
        {
            _appendGate.Release();
        }
    }

    private async Task<IReadOnlyList<AuditEvent>> AppendUnderGateAsync(IReadOnlyList<AuditEvent> auditEvents, bool durable, CancellationToken cancellationToken)
    {
        if (_head is not { } known)
            return await AppendUnderGateAsync(auditEvents, durable, knownHead: null, cancellationToken);
        try
        {
            return await AppendUnderGateAsync(auditEvents, durable, known, cancellationToken);
        }
        catch (DbException)
        {
            // Most likely another process appended since this one's last commit (the sequence key collided): read the head.
            return await AppendUnderGateAsync(auditEvents, durable, knownHead: null, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<AuditEvent>> AppendUnderGateAsync(
        IReadOnlyList<AuditEvent> auditEvents, bool durable, AuditChainHead? knownHead, CancellationToken cancellationToken)
    {
        _head = null; // unknown until this commit succeeds
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // Per commit, on this (pooled) connection: FULL syncs the WAL to disk at commit; NORMAL leaves the sync to
            // the next checkpoint (committed data survives a process crash, not a power failure). Outside the
            // transaction, because SQLite ignores the setting inside one.
            await SqliteSync.SetAsync(db, full: durable, cancellationToken);
        }
        try
        {
            return await InsertAsync(db, auditEvents, durable, knownHead, cancellationToken);
        }
        finally
        {
            // The connection returns to the pool, failed or not: whatever uses it next gets the durable default back.
            if (!durable && database.Provider == DatabaseProvider.Sqlite)
                await SqliteSync.SetAsync(db, full: true, CancellationToken.None);
        }
    }

    private async Task<IReadOnlyList<AuditEvent>> InsertAsync(
        DiscordMcpDbContext db, IReadOnlyList<AuditEvent> auditEvents, bool durable, AuditChainHead? knownHead, CancellationToken cancellationToken)
    {
        var rows = RawRows<AuditEventEntity>.Of(db);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var head = database.Provider == DatabaseProvider.Postgres
            ? await LockAndReadHeadAsync(db, durable, cancellationToken)
            : knownHead ?? await ReadHeadAsync(db, cancellationToken);
        var sequence = head.Sequence;
        var prev = head.Hash;
        var result = new List<AuditEvent>(auditEvents.Count);
        foreach (var e in auditEvents)
        {
            // Time is normalised before sealing so the hash covers exactly what the database gives back.
            var sealedEvent = AuditChain.Seal(e with { Time = Mapping.Normalize(e.Time) }, ++sequence, prev);
            prev = sealedEvent.Hash;
            await using var insert = db.Database.GetDbConnection().CreateCommand();
            insert.Transaction = tx.GetDbTransaction();
#pragma warning disable CA2100 // Table and column names from the model; every value is a parameter.
            insert.CommandText = rows.InsertSql;
#pragma warning restore CA2100
            rows.AddInsertParameters(insert, sealedEvent.ToEntity());
            await insert.ExecuteNonQueryAsync(cancellationToken);
            result.Add(sealedEvent);
        }
        await tx.CommitAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
            _head = new AuditChainHead(sequence, prev);
        return result;
    }


    public async Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxReadLimit)
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"AuditQuery.Limit must be from 1 to {MaxReadLimit}.");
        await FlushAsync(cancellationToken);
        await using var db = database.CreateContext();
        var filtered = Filter(db.AuditEvents.AsNoTracking(), query);
        var ordered = query.NewestFirst ? filtered.OrderByDescending(e => e.Sequence) : filtered.OrderBy(e => e.Sequence);
        var rows = await ordered.Take(query.Limit).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    /// <summary>Most events one <see cref="ReadAsync"/> returns; use <see cref="ExportAsync"/> for more.</summary>
    public const int MaxReadLimit = 10_000;

    /// <summary>Every event matching <paramref name="query"/> (its <c>Limit</c> ignored), in sequence order, page by page.</summary>
    public async IAsyncEnumerable<AuditEvent> ExportAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var after = query.AfterSequence ?? 0;
        while (true)
        {
            var page = await ReadAsync(query with { AfterSequence = after, Limit = VerifyPageSize, NewestFirst = false }, cancellationToken);
            foreach (var e in page)
                yield return e;
            if (page.Count < VerifyPageSize)
                yield break;
            after = page[^1].Sequence;
        }
    }

    public async ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var db = database.CreateContext();
        return await ReadHeadAsync(db, cancellationToken);
    }

    /// <summary>Recomputes the whole chain from the first event and reports the first broken link.</summary>
    public async Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var db = database.CreateContext();
        var prev = AuditChain.GenesisHash;
        long expectedSequence = 1;
        long verified = 0;
        while (true)
        {
            var from = expectedSequence - 1;
            var rows = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > from).OrderBy(e => e.Sequence)
                .Take(VerifyPageSize).ToListAsync(cancellationToken);
            if (rows.Count == 0)
                return AuditChainVerification.Valid(verified);
            var first = rows[0];
            if (first.Sequence != expectedSequence)
            {
                return AuditChainVerification.Broken(first.Sequence, first.EventId,
                    $"sequence gap: expected {expectedSequence}, found {first.Sequence} (an event was removed)", verified);
            }
            var page = AuditChain.Verify(rows.Select(r => r.ToRecord()), prev);
            if (!page.IsValid)
                return page with { VerifiedCount = verified + page.VerifiedCount };
            verified += page.VerifiedCount;
            prev = rows[^1].Hash;
            expectedSequence = rows[^1].Sequence + 1;
            if (rows.Count < VerifyPageSize)
                return AuditChainVerification.Valid(verified);
        }
    }

    /// <summary>
    /// Start-up: every <c>executing</c> event whose call has no later outcome gets an <c>outcome_unknown</c> event
    /// (appended; history is never rewritten). Returns how many were marked.
    /// </summary>
    public async Task<int> MarkUnknownOutcomesAsync(CancellationToken cancellationToken)
    {
        var executing = Mapping.Word(AuditOutcome.Executing);
        var none = Mapping.Word(AuditOutcome.None);
        await FlushAsync(cancellationToken); // an outcome still queued in this process is not unknown
        List<AuditEventEntity> open;
        await using (var db = database.CreateContext())
        {
            open = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Outcome == executing
                    && !db.AuditEvents.Any(o => o.CallId == e.CallId && o.Sequence > e.Sequence && o.Outcome != executing && o.Outcome != none))
                .OrderBy(e => e.Sequence)
                .ToListAsync(cancellationToken);
        }
        if (open.Count == 0)
            return 0;

        var now = timeProvider.GetUtcNow();
        var marks = open.ConvertAll(e => e.ToRecord() with
        {
            Id = "ae_" + Guid.NewGuid().ToString("N"),
            Time = now,
            Outcome = AuditOutcome.OutcomeUnknown,
            ReasonCode = "outcome_unknown",
            Message = "The server stopped after this write was sent for execution and before its outcome was recorded; check Discord to see whether it happened.",
            LatencyMicroseconds = 0,
            Sequence = 0,
            PrevHash = "",
            Hash = "",
        });
        await AppendBatchAsync(marks, cancellationToken);
        return marks.Count;
    }

    /// <summary>
    /// PostgreSQL, in one round trip inside the append's transaction: the chain's advisory lock (held to the end of the
    /// transaction), no commit sync for a non-durable append, and then the head — read under the lock.
    /// </summary>
    private static async Task<AuditChainHead> LockAndReadHeadAsync(DiscordMcpDbContext db, bool durable, CancellationToken cancellationToken)
    {
        var rows = RawRows<AuditEventEntity>.Of(db);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
#pragma warning disable CA2100 // Constants, and table and column names from the model; no input.
        command.CommandText = durable
            ? rows.Statement("lock-head", static r => $"SELECT pg_advisory_xact_lock({AppendLockId}); {HeadSql(r)}")
            : rows.Statement("lock-head-nosync", static r => $"SELECT pg_advisory_xact_lock({AppendLockId}); SET LOCAL synchronous_commit = off; {HeadSql(r)}");
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var head = new AuditChainHead(0, AuditChain.GenesisHash);
        do
        {
            // The lock's result has one column, the head's two; an empty chain has no head row.
            if (reader.FieldCount == 2 && await reader.ReadAsync(cancellationToken))
                head = new AuditChainHead(reader.GetInt64(0), reader.GetString(1));
        }
        while (await reader.NextResultAsync(cancellationToken));
        return head;
    }

    private static string HeadSql(RawRows<AuditEventEntity> r) =>
        $"SELECT {r.Column(nameof(AuditEventEntity.Sequence))}, {r.Column(nameof(AuditEventEntity.Hash))}"
        + $" FROM {r.Table} ORDER BY {r.Column(nameof(AuditEventEntity.Sequence))} DESC LIMIT 1";

    /// <summary>The last event's sequence and hash (a plain command on the context's connection and transaction, if any).</summary>
    private static async Task<AuditChainHead> ReadHeadAsync(DiscordMcpDbContext db, CancellationToken cancellationToken)
    {
        var rows = RawRows<AuditEventEntity>.Of(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var select = db.Database.GetDbConnection().CreateCommand();
        select.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
#pragma warning disable CA2100 // Table and column names from the model; no input.
        select.CommandText = rows.Statement("head", HeadSql);
#pragma warning restore CA2100
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AuditChainHead(reader.GetInt64(0), reader.GetString(1))
            : new AuditChainHead(0, AuditChain.GenesisHash);
    }

    private static IQueryable<AuditEventEntity> Filter(IQueryable<AuditEventEntity> q, AuditQuery query)
    {
        if (query.WorkspaceId is { } ws)
            q = q.Where(e => e.WorkspaceId == ws);
        if (query.PrincipalId is { } p)
            q = q.Where(e => e.PrincipalId == p);
        if (Mapping.Snowflake(query.GuildId) is { } g)
            q = q.Where(e => e.GuildId == g);
        if (query.Tool is { } t)
            q = q.Where(e => e.Tool == t);
        if (query.Decision is { } d)
        {
            var word = Mapping.Word(d);
            q = q.Where(e => e.Decision == word);
        }
        if (query.Outcome is { } o)
        {
            var word = Mapping.Word(o);
            q = q.Where(e => e.Outcome == word);
        }
        if (query.From is { } from)
        {
            var f = Mapping.Normalize(from);
            q = q.Where(e => e.Time >= f);
        }
        if (query.To is { } to)
        {
            var t2 = Mapping.Normalize(to);
            q = q.Where(e => e.Time < t2);
        }
        if (query.AfterSequence is { } after)
            q = q.Where(e => e.Sequence > after);
        if (query.CallId is { } call)
            q = q.Where(e => e.CallId == call);
        if (query.EntryPoint is { } entry)
            q = q.Where(e => e.EntryPoint == entry);
        if (query.Tools is { } tools)
        {
            var names = tools.ToList();
            q = q.Where(e => names.Contains(e.Tool));
        }
        return q;
    }
}
