using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Audit;

/// <summary>
/// Start-up recovery: every <c>executing</c> event without an outcome event of the same call (the process died in between)
/// gets an appended <c>outcome_unknown</c> event. Append-only: nothing is edited. Call once at start, before serving.
/// </summary>
public static class AuditRecovery
{
    /// <summary>Appends <c>outcome_unknown</c> events; returns how many calls were left without an outcome.</summary>
    public static async Task<int> MarkOutcomeUnknownAsync(IAuditLog log, TimeProvider timeProvider, CancellationToken cancellationToken, int pageSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var open = new Dictionary<string, AuditEvent>(StringComparer.Ordinal);
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(new AuditQuery(AfterSequence: after, Limit: pageSize), cancellationToken);
            foreach (var e in page)
            {
                if (e.Outcome == AuditOutcome.Executing)
                {
                    open[e.CallId] = e;
                }
                else if (e.Outcome is AuditOutcome.Executed or AuditOutcome.Failed or AuditOutcome.OutcomeUnknown)
                {
                    open.Remove(e.CallId);
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        if (open.Count == 0)
        {
            return 0;
        }

        var now = timeProvider.GetUtcNow();
        var events = open.Values.OrderBy(e => e.Sequence).Select(e => e with
        {
            Id = Guid.NewGuid().ToString("N"),
            Time = now,
            Decision = AuditDecision.Allowed,
            Layer = "audit",
            ReasonCode = "outcome_unknown",
            Message = "The server stopped after this write was started and before its outcome was recorded; check Discord to see whether it happened.",
            Outcome = AuditOutcome.OutcomeUnknown,
            Sequence = 0,
            PrevHash = "",
            Hash = "",
        }).ToList();
        await log.AppendBatchAsync(events, cancellationToken);
        return events.Count;
    }
}
