using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Admin;

/// <summary>What happened to an approval or rejection.</summary>
internal enum ApprovalStatus
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>Audited, then approved (approve) or removed (reject).</summary>
    Done = 1,
    /// <summary>No unexpired action with that id in that workspace (another workspace's action is reported the same way).</summary>
    NotFound = 2,
    /// <summary>A <c>confirm</c>-mode action: nobody approves it; its requester confirms it.</summary>
    ConfirmMode = 3,
    /// <summary>Already approved (by <see cref="ApprovalResult.Action"/>'s <c>ApprovedBy</c>); nothing changed.</summary>
    AlreadyApproved = 4,
    /// <summary>The audit log refused the event; nothing changed.</summary>
    AuditFailed = 5,
    /// <summary>Audited, but the action expired or was consumed before the change could be made.</summary>
    GoneMeanwhile = 6,
}

/// <summary>Outcome of <see cref="PendingApprovals"/>; <see cref="Action"/> is the action as found (null when not found).</summary>
internal readonly record struct ApprovalResult(ApprovalStatus Status, PendingAction? Action);

/// <summary>
/// A person's decision on a pending action of one workspace. Every decision is written to the audit log first; when
/// that fails nothing changes (fail closed: no unaudited approval). An action of another workspace is "not found", so
/// an operator of one workspace learns nothing about another's.
/// </summary>
/// <param name="entryPoint">Where the decisions are made, for the audit log (the admin CLI by default).</param>
internal sealed class PendingApprovals(IPendingActionStore store, PolicyPipeline pipeline, string entryPoint = AuditEntryPoints.Cli)
{
    public ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        store.ListAsync(workspaceId, cancellationToken);

    /// <summary>Approves an unexpired <c>approve</c>-mode action of <paramref name="workspaceId"/>; the requester then confirms it.</summary>
    public async Task<ApprovalResult> ApproveAsync(string workspaceId, string id, string approverPrincipalId, CancellationToken cancellationToken)
    {
        var action = await FindAsync(workspaceId, id, cancellationToken);
        if (action is null)
            return new ApprovalResult(ApprovalStatus.NotFound, null);
        if (action.Mode != ToolMode.Approve)
            return new ApprovalResult(ApprovalStatus.ConfirmMode, action);
        if (action.ApprovedBy is not null)
            return new ApprovalResult(ApprovalStatus.AlreadyApproved, action);
        if (!await pipeline.AuditPendingDecisionAsync(action, AuditDecision.Approved, approverPrincipalId, ReasonCodes.ActionApproved,
                $"Pending action {action.Id} ({action.ToolName}, requested by {action.PrincipalId}) was approved by {approverPrincipalId}.", entryPoint, cancellationToken))
        {
            return new ApprovalResult(ApprovalStatus.AuditFailed, action);
        }
        return await store.ApproveAsync(action.Id, approverPrincipalId, cancellationToken)
            ? new ApprovalResult(ApprovalStatus.Done, action with { ApprovedBy = approverPrincipalId })
            : new ApprovalResult(ApprovalStatus.GoneMeanwhile, action);
    }

    /// <summary>Rejects (removes) an unexpired action of <paramref name="workspaceId"/>, in either mode.</summary>
    public async Task<ApprovalResult> RejectAsync(string workspaceId, string id, string principalId, string? reason, CancellationToken cancellationToken)
    {
        var action = await FindAsync(workspaceId, id, cancellationToken);
        if (action is null)
            return new ApprovalResult(ApprovalStatus.NotFound, null);
        var message = $"Pending action {action.Id} ({action.ToolName}, requested by {action.PrincipalId}) was rejected by {principalId}"
            + (reason is null ? "." : $": {reason}");
        if (!await pipeline.AuditPendingDecisionAsync(action, AuditDecision.Rejected, principalId, ReasonCodes.ActionRejected, message, entryPoint, cancellationToken))
            return new ApprovalResult(ApprovalStatus.AuditFailed, action);
        return await store.RemoveAsync(action.Id, cancellationToken)
            ? new ApprovalResult(ApprovalStatus.Done, action)
            : new ApprovalResult(ApprovalStatus.GoneMeanwhile, action);
    }

    private async Task<PendingAction?> FindAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var action = await store.GetAsync(id, cancellationToken);
        return action is not null && string.Equals(action.WorkspaceId, workspaceId, StringComparison.Ordinal) ? action : null;
    }
}
