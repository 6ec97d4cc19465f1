using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Health;

/// <summary>
/// The audit log as the policy pipeline sees it, logging every event the store could not take. The pipeline turns a
/// failed append into a refusal (nothing executes unaudited), but the caller is the only one told; this puts each lost
/// event in the server log too (tool, decision, outcome, call id and the failure's type; never arguments or messages,
/// which may carry user data), so an outage never drops audit events silently.
/// </summary>
internal sealed partial class AuditFailureLog(IAuditLog inner, ILogger<AuditFailureLog> logger) : IAuditLog
{
    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            return await inner.AppendAsync(auditEvent, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Report(auditEvent, ex);
            throw;
        }
    }

    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            return await inner.AppendAsync(auditEvent, durability, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Report(auditEvent, ex);
            throw;
        }
    }

    public async ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        try
        {
            return await inner.AppendBatchAsync(auditEvents, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var auditEvent in auditEvents)
                Report(auditEvent, ex);
            throw;
        }
    }

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => inner.ReadAsync(query, cancellationToken);

    public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);

    private void Report(AuditEvent auditEvent, Exception ex) =>
        LogNotStored(logger, auditEvent.Tool, auditEvent.Decision, auditEvent.Outcome, auditEvent.CallId, ex.GetType().Name);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error,
        Message = "Audit event not stored ({Failure}): tool {Tool}, decision {Decision}, outcome {Outcome}, call {CallId}. The call was refused unless it had already run; a write left 'executing' is marked outcome_unknown at the next start.")]
    private static partial void LogNotStored(ILogger logger, string tool, AuditDecision decision, AuditOutcome outcome, string callId, string failure);
}
