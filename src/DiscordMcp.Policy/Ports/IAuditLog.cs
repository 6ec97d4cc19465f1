using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Append-only, hash-chained audit log (one global chain). Appends are serialised: each appended event gets the next
/// sequence number, <c>PrevHash</c> = the head's hash and <c>Hash</c> = <c>AuditChain.ComputeHash(event, prevHash)</c>
/// (use <c>AuditChain.Seal</c>). An append returns only once the event is committed with the asked
/// <see cref="AuditDurability"/> (by default <see cref="AuditDurability.Durable"/>); if it throws, the pipeline denies.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends one event durably and returns it sealed (sequence, prev hash, hash assigned).</summary>
    ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one event with the given durability. Stores without a cheaper commit than a durable one ignore it.
    /// </summary>
    ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken) =>
        AppendAsync(auditEvent, cancellationToken);

    /// <summary>Appends events in order, atomically (all or none), and returns them sealed.</summary>
    ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>Events matching <paramref name="query"/>, ascending by sequence (descending with <see cref="AuditQuery.NewestFirst"/>), at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The chain head (last sequence and hash); sequence 0 and <c>AuditChain.GenesisHash</c> when empty.</summary>
    ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken);
}

/// <summary>How safe an appended audit event must be when the append returns.</summary>
public enum AuditDurability
{
    /// <summary>
    /// On stable storage (the database has synced its log to disk): survives a power failure. For every event of a
    /// write — the write-ahead <c>executing</c> event, outcomes, pending actions — and for any caller that does not say.
    /// </summary>
    Durable = 0,

    /// <summary>
    /// Committed and visible, and kept if this process or the database process dies, but the disk sync may follow a
    /// moment later, so a power failure or operating-system crash can lose the last such events (SQLite
    /// <c>synchronous=NORMAL</c> in WAL mode; PostgreSQL <c>synchronous_commit=off</c>, at most about 0.6 s). For
    /// read calls, where a disk sync per call would cost more than the call itself; never for a write's events before
    /// it runs.
    /// </summary>
    Committed = 1,

    /// <summary>
    /// Queued in order and committed (as <see cref="Committed"/>) by a background commit moments later; the append returns
    /// once the event is queued, before it is stored. Reads through the same log object wait for queued events first, so
    /// this process always reads its own events. For a write's outcome event only, which is written after Discord answered
    /// and should not delay the answer: if the process dies before the commit, the durable write-ahead <c>executing</c>
    /// event is left without an outcome and start-up marks it <c>outcome_unknown</c> — never a silent gap. Stores without a
    /// queue append at once. A failure is the returned task's, which completes when the event is stored.
    /// </summary>
    Deferred = 2,
}
