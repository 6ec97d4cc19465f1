using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>Thread-safe in-memory hash-chained <see cref="IAuditLog"/>. Events are lost when the process ends.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _gate = new();
    private readonly List<AuditEvent> _events = [];

    /// <summary>Number of events stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>A snapshot of every event, in order (tests).</summary>
    public IReadOnlyList<AuditEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        lock (_gate)
        {
            return ValueTask.FromResult(AppendLocked(auditEvent));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        lock (_gate)
        {
            var sealedEvents = new AuditEvent[auditEvents.Count];
            for (var i = 0; i < sealedEvents.Length; i++)
            {
                sealedEvents[i] = AppendLocked(auditEvents[i]);
            }

            return ValueTask.FromResult<IReadOnlyList<AuditEvent>>(sealedEvents);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IEnumerable<AuditEvent> ordered = query.NewestFirst ? Enumerable.Reverse(_events) : _events;
            IReadOnlyList<AuditEvent> result = [.. ordered.Where(e =>
                (query.WorkspaceId is null || e.WorkspaceId == query.WorkspaceId)
                && (query.PrincipalId is null || e.PrincipalId == query.PrincipalId)
                && (query.GuildId is null || e.GuildId == query.GuildId)
                && (query.Tool is null || e.Tool == query.Tool)
                && (query.EntryPoint is null || e.EntryPoint == query.EntryPoint)
                && (query.Decision is null || e.Decision == query.Decision)
                && (query.Outcome is null || e.Outcome == query.Outcome)
                && (query.From is null || e.Time >= query.From)
                && (query.To is null || e.Time < query.To)
                && (query.AfterSequence is null || e.Sequence > query.AfterSequence)
                && (query.CallId is null || e.CallId == query.CallId)
                && (query.Tools is null || query.Tools.Contains(e.Tool, StringComparer.Ordinal)))
                .Take(Math.Max(0, query.Limit))];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_events.Count == 0
                ? new AuditChainHead(0, AuditChain.GenesisHash)
                : new AuditChainHead(_events[^1].Sequence, _events[^1].Hash));
        }
    }

    /// <summary>Replaces a stored event without re-hashing (tests of tamper detection only).</summary>
    internal void TamperForTest(int index, AuditEvent replacement)
    {
        lock (_gate)
        {
            _events[index] = replacement;
        }
    }

    private AuditEvent AppendLocked(AuditEvent auditEvent)
    {
        var prev = _events.Count == 0 ? AuditChain.GenesisHash : _events[^1].Hash;
        var sequence = _events.Count == 0 ? 1 : _events[^1].Sequence + 1;
        var sealedEvent = AuditChain.Seal(auditEvent, sequence, prev);
        _events.Add(sealedEvent);
        return sealedEvent;
    }
}
