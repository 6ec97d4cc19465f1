using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Append-only, hash-chained audit log (one global chain). Appends are serialised: each appended event gets the next
/// sequence number, <c>PrevHash</c> = the head's hash and <c>Hash</c> = <c>AuditChain.ComputeHash(event, prevHash)</c>
/// (use <c>AuditChain.Seal</c>). An append returns only once the event is durable; if it throws, the pipeline denies writes.
/// </summary>
public interface IAuditLog
{
    /// <summary>Appends one event and returns it sealed (sequence, prev hash, hash assigned).</summary>
    ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Appends events in order, atomically (all or none), and returns them sealed.</summary>
    ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>Events matching <paramref name="query"/>, ascending by sequence (descending with <see cref="AuditQuery.NewestFirst"/>), at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>The chain head (last sequence and hash); sequence 0 and <c>AuditChain.GenesisHash</c> when empty.</summary>
    ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken);
}
