using System.ComponentModel;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Platform;

[McpServerToolType, Toolset(Toolsets.Platform)]
internal sealed class CancelActionTool(PolicyCallContext calls, IPendingActionStore store, PolicyPipeline pipeline, PendingActionRoutes routes)
{
    [McpServerTool(Name = "discord_cancel_action", Title = "Cancel a pending action", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CancelResult))]
    [Description("Cancels a pending action (a write that was planned but not run) so it can never run. Your own pending actions; a workspace admin can cancel any of the workspace's. Nothing is sent to Discord.")]
    public async Task<CallToolResult> Run(
        [Description("The confirmation_id of the pending action (pa_…).")] string confirmation_id,
        CancellationToken cancellationToken = default)
    {
        // The call filter ran the pipeline for this tool; refuse if it did not (fail closed).
        if (calls.Current is not { PrincipalId: { } principal, WorkspaceId: { } workspace } caller)
            return ToolResults.Error("Denied (policy_error): no authorised caller for this call.");
        var id = confirmation_id.Trim();
        var action = await store.GetAsync(id, cancellationToken);
        // Another workspace's action is "not found": its existence is not disclosed.
        if (action is null || !string.Equals(action.WorkspaceId, workspace, StringComparison.Ordinal)
            || (!string.Equals(action.PrincipalId, principal, StringComparison.Ordinal) && caller.Role < PlatformRole.Admin))
            return ToolResults.Error($"There is no pending action {id} of yours to cancel: it ran, expired, was cancelled or never existed.");
        if (!await pipeline.AuditPendingDecisionAsync(action, AuditDecision.Rejected, principal, ReasonCodes.ActionCancelled,
                $"Pending action cancelled by {principal}.", AuditEntryPoints.Of(caller.Request.Credential), cancellationToken))
            return ToolResults.Error("Denied (audit_unavailable): the audit log is unavailable, so the cancellation was not recorded; the action is unchanged. Retry when the audit store is back.");
        var removed = await store.RemoveAsync(id, cancellationToken);
        routes.Forget(id);
        var text = removed
            ? $"Cancelled pending action {id} ({action.ToolName}). It can no longer run. No Discord changes were made."
            : $"Pending action {id} was already gone (it ran or expired at the same moment). No Discord changes were made.";
        return ToolResults.Ok(new CancelResult(id, action.ToolName, removed), text);
    }
}

internal sealed record CancelResult(string ConfirmationId, string Tool, bool Cancelled);
