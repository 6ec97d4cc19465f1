using System.ComponentModel;
using System.Globalization;
using System.Text;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Platform;

[McpServerToolType, Toolset(Toolsets.Platform)]
internal sealed class ListPendingActionsTool(PolicyCallContext calls, IPendingActionStore store, Redactor redactor)
{
    [McpServerTool(Name = "discord_list_pending_actions", Title = "List pending actions", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(PendingActionList))]
    [Description("Lists pending actions (writes planned but not run yet) with their confirmation ids, tools, modes and expiry: your own; a workspace admin sees the whole workspace's. Confirm one with discord_confirm_action, cancel it with discord_cancel_action.")]
    public async Task<CallToolResult> Run(CancellationToken cancellationToken = default)
    {
        if (calls.Current is not { PrincipalId: { } principal, WorkspaceId: { } workspace } caller)
            return ToolResults.Error("Denied (policy_error): no authorised caller for this call.");
        var all = await store.ListAsync(workspace, cancellationToken);
        var visible = all.Where(a => caller.Role >= PlatformRole.Admin || string.Equals(a.PrincipalId, principal, StringComparison.Ordinal)).ToList();
        var views = visible.Select(a => new PendingActionView(
            a.Id, a.ToolName, a.PrincipalId, Mode(a.Mode), a.ApprovedBy, a.GuildId?.ToString(CultureInfo.InvariantCulture),
            Iso(a.CreatedAt), Iso(a.ExpiresAt), redactor.RedactJson(a.CanonicalArguments))).ToList();
        var sb = new StringBuilder();
        sb.Append(views.Count).Append(views.Count == 1 ? " pending action" : " pending actions")
          .Append(caller.Role >= PlatformRole.Admin ? " in workspace " + workspace : " of yours").Append('.');
        foreach (var v in views)
        {
            sb.Append('\n').Append(v.ConfirmationId).Append(" — ").Append(v.Tool).Append(" (").Append(v.Mode)
              .Append(v.Mode == "approve" ? v.ApprovedBy is null ? ", waiting for a person's approval" : ", approved" : "")
              .Append("), expires ").Append(v.ExpiresAt).Append(", arguments ").Append(v.Arguments);
        }
        return ToolResults.Ok(new PendingActionList(workspace, views), sb.ToString());
    }

    private static string Mode(ToolMode mode) => mode.ToString().ToLowerInvariant();

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

internal sealed record PendingActionList(string WorkspaceId, IReadOnlyList<PendingActionView> Actions);

internal sealed record PendingActionView(
    string ConfirmationId, string Tool, string RequestedBy, string Mode, string? ApprovedBy, string? GuildId, string CreatedAt, string ExpiresAt, string Arguments);
