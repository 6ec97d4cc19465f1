using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Configuration;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage.Audit;

/// <summary>
/// The hash-chained audit log on EF Core. Appends are serialised so the chain never forks: in this process by a
/// semaphore; across processes by the database — PostgreSQL takes a transaction-scoped advisory lock, SQLite's
/// <c>BEGIN IMMEDIATE</c> holds the file's write lock. Under that lock the head is read, events are sealed with
/// <see cref="AuditChain.Seal"/> and inserted; the sequence primary key rejects any fork that slipped through.
/// </summary>
internal sealed class EfAuditLog(DiscordMcpDatabase database, TimeProvider timeProvider) : IAuditLog, IDisposable
{
    /// <summary>Advisory lock id of the audit chain ("dmcp" in ASCII).</summary>
    private const long AppendLockId = 0x646D6370;
    private const int VerifyPageSize = 1000;
    private readonly SemaphoreSlim _appendGate = new(1, 1);

    public void Dispose() => _appendGate.Dispose();

    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var sealedEvents = await AppendBatchAsync([auditEvent], cancellationToken);
        return sealedEvents[0];
    }

    public async ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (auditEvents.Count == 0)
            return [];

        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            await using var db = database.CreateContext();
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            if (database.Provider == DatabaseProvider.Postgres)
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AppendLockId})", cancellationToken);

            var head = await ReadHeadAsync(db, cancellationToken);
            var sequence = head.Sequence;
            var prev = head.Hash;
            var result = new List<AuditEvent>(auditEvents.Count);
            foreach (var e in auditEvents)
            {
                // Time is normalised before sealing so the hash covers exactly what the database gives back.
                var sealedEvent = AuditChain.Seal(e with { Time = Mapping.Normalize(e.Time) }, ++sequence, prev);
                prev = sealedEvent.Hash;
                db.AuditEvents.Add(sealedEvent.ToEntity());
                result.Add(sealedEvent);
            }
            await db.SaveChangesAsync(cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxReadLimit)
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, $"AuditQuery.Limit must be from 1 to {MaxReadLimit}.");
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
        await using var db = database.CreateContext();
        return await ReadHeadAsync(db, cancellationToken);
    }

    /// <summary>Recomputes the whole chain from the first event and reports the first broken link.</summary>
    public async Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
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

    private static async Task<AuditChainHead> ReadHeadAsync(DiscordMcpDbContext db, CancellationToken cancellationToken)
    {
        var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        return head is null ? new AuditChainHead(0, AuditChain.GenesisHash) : new AuditChainHead(head.Sequence, head.Hash);
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
        if (query.Tools is { } tools)
        {
            var names = tools.ToList();
            q = q.Where(e => names.Contains(e.Tool));
        }
        return q;
    }
}
