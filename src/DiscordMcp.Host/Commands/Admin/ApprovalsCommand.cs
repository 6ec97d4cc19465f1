using System.Text.Json;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Policy.Model;
using StackExchange.Redis;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary>
/// <c>discord-mcp approvals list|approve|reject</c>: the pending actions of a workspace, and a person's decision on an
/// <c>approve</c>-mode write. Every decision is audited before it changes anything.
/// </summary>
internal static class ApprovalsCommand
{
    private static readonly OptionSpec Workspace = new("--workspace", "ID", $"The workspace (default: {PlatformOptions.DefaultWorkspace}).");
    private static readonly OptionSpec Reason = new("--reason", "TEXT", "Why (1-500 characters; recorded in the audit log, redacted).");
    private const int MaxReasonLength = 500;
    private const int MaxActionIdLength = 64;

    public static CommandSpec Definition { get; } = AdminGroup.Define("approvals", "List pending actions; approve or reject approve-mode writes.",
    [
        new("list", "List a workspace's pending (unexpired) actions, oldest first, with redacted arguments.", [], [Workspace, AdminGroup.JsonOption], ListAsync,
            "Shows both modes: 'approve' actions wait for 'approvals approve', 'confirm' actions for their requester's discord_confirm_action."),
        new("approve", "Approve an approve-mode action; its requester then runs it with discord_confirm_action.", ["id"], [Workspace, AdminGroup.JsonOption], ApproveAsync,
            "The approval is written to the audit log first (principal cli:<OS user>); if that fails nothing changes (exit 1)."),
        new("reject", "Reject a pending action: audited, then removed; it can no longer run.", ["id"], [Workspace, Reason, AdminGroup.JsonOption], RejectAsync,
            "The rejection is written to the audit log first (principal cli:<OS user>); if that fails nothing changes (exit 1)."),
    ]);

    private static async Task<int> ListAsync(AdminInvocation call)
    {
        if (await WorkspaceIdAsync(call) is not { } workspaceId)
            return AdminExit.Usage;
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        IReadOnlyList<PendingAction> actions;
        try
        {
            actions = await services.Approvals.ListAsync(workspaceId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await RedisFailureAsync(call, ex, changing: false);
        }
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartArray();
                foreach (var a in actions)
                {
                    w.WriteStartObject();
                    w.WriteString("id", a.Id);
                    w.WriteString("workspace", a.WorkspaceId);
                    w.WriteString("tool", a.ToolName);
                    w.WriteString("requested_by", a.PrincipalId);
                    w.WriteString("mode", Mode(a.Mode));
                    w.WriteStringOrNull("approved_by", a.ApprovedBy);
                    w.WriteStringOrNull("guild_id", a.GuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteTime("created_at", a.CreatedAt);
                    w.WriteTime("expires_at", a.ExpiresAt);
                    WriteArguments(w, services.Redactor.RedactJson(a.CanonicalArguments));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
            return AdminExit.Ok;
        }
        if (actions.Count == 0)
        {
            await call.Context.Out.WriteLineAsync($"Workspace '{workspaceId}' has no pending actions.");
            return AdminExit.Ok;
        }
        await call.Context.Out.WriteAsync(AdminFormat.Table(["ID", "TOOL", "REQUESTED BY", "MODE", "APPROVED BY", "CREATED", "EXPIRES", "ARGUMENTS"],
            actions.Select(a => (IReadOnlyList<string>)[a.Id, a.ToolName, a.PrincipalId, Mode(a.Mode), a.ApprovedBy ?? "-",
                AdminFormat.Time(a.CreatedAt), AdminFormat.Time(a.ExpiresAt), services.Redactor.RedactJson(a.CanonicalArguments)])));
        return AdminExit.Ok;
    }

    private static async Task<int> ApproveAsync(AdminInvocation call)
    {
        if (await WorkspaceIdAsync(call) is not { } workspaceId || await ActionIdAsync(call) is not { } id)
            return AdminExit.Usage;
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var approver = CliPrincipal();
        ApprovalResult result;
        try
        {
            result = await services.Approvals.ApproveAsync(workspaceId, id, approver, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await RedisFailureAsync(call, ex);
        }
        switch (result.Status)
        {
            case ApprovalStatus.Done:
                await call.Context.Out.WriteAsync(call.Json
                    ? Decision(result.Action!, "approved", approver)
                    : $"Approved {id} ({result.Action!.ToolName}, requested by {result.Action.PrincipalId}) as {approver}.\n" +
                      $"The requester can now run it with discord_confirm_action {id} (before {AdminFormat.Time(result.Action.ExpiresAt)}).\n");
                return AdminExit.Ok;
            case ApprovalStatus.ConfirmMode:
                return await call.FailAsync($"pending action {id} is a confirm-mode action and needs no approval: the requester confirms it with discord_confirm_action. Nothing changed.");
            case ApprovalStatus.AlreadyApproved:
                return await call.FailAsync($"pending action {id} is already approved (by {result.Action!.ApprovedBy}). Nothing changed.");
            default:
                return await FailureAsync(call, id, workspaceId, result.Status, "approval");
        }
    }

    private static async Task<int> RejectAsync(AdminInvocation call)
    {
        if (await WorkspaceIdAsync(call) is not { } workspaceId || await ActionIdAsync(call) is not { } id)
            return AdminExit.Usage;
        var reason = call.Value(Reason.Name)?.Trim();
        if (reason is not null && (reason.Length is 0 or > MaxReasonLength || reason.Any(char.IsControl)))
            return await call.UsageErrorAsync($"--reason must be 1-{MaxReasonLength} characters on one line (got {reason.Length}).");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var principal = CliPrincipal();
        ApprovalResult result;
        try
        {
            result = await services.Approvals.RejectAsync(workspaceId, id, principal, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return await RedisFailureAsync(call, ex);
        }
        if (result.Status != ApprovalStatus.Done)
            return await FailureAsync(call, id, workspaceId, result.Status, "rejection");
        await call.Context.Out.WriteAsync(call.Json
            ? Decision(result.Action!, "rejected", principal)
            : $"Rejected {id} ({result.Action!.ToolName}, requested by {result.Action.PrincipalId}); it was removed and can no longer run.\n");
        return AdminExit.Ok;
    }

    private static Task<int> FailureAsync(AdminInvocation call, string id, string workspaceId, ApprovalStatus status, string what) => status switch
    {
        ApprovalStatus.AuditFailed => call.FailAsync($"the audit log could not record the {what}, so nothing changed. Check the database and retry."),
        ApprovalStatus.GoneMeanwhile => call.FailAsync($"pending action {id} expired or was used while the {what} was recorded; the audit log has the {what}, but the action is gone."),
        _ => call.FailAsync($"pending action {id} not found in workspace '{workspaceId}' (unknown, expired or already used). List them with 'discord-mcp approvals list --workspace {workspaceId}'."),
    };

    private static string Decision(PendingAction action, string decision, string principal) => AdminFormat.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", action.Id);
        w.WriteString("workspace", action.WorkspaceId);
        w.WriteString("tool", action.ToolName);
        w.WriteString("requested_by", action.PrincipalId);
        w.WriteString("decision", decision);
        w.WriteString("by", principal);
        w.WriteEndObject();
    });

    private static void WriteArguments(Utf8JsonWriter writer, string redacted)
    {
        writer.WritePropertyName("arguments");
        try
        {
            using var document = JsonDocument.Parse(redacted);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(redacted); // not JSON (never expected): the redacted text
        }
    }

    private static async Task<string?> WorkspaceIdAsync(AdminInvocation call)
    {
        var id = call.Value(Workspace.Name) ?? PlatformOptions.DefaultWorkspace;
        if (AdminFormat.IsWorkspaceId(id))
            return id;
        await call.UsageErrorAsync($"--workspace '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        return null;
    }

    private static async Task<string?> ActionIdAsync(AdminInvocation call)
    {
        var id = call.Positionals[0];
        if (id.Length is > 3 and <= MaxActionIdLength && id.StartsWith("pa_", StringComparison.Ordinal) && id.Skip(3).All(char.IsAsciiLetterOrDigit))
            return id;
        await call.UsageErrorAsync($"ID '{Shorten(id)}' is not a pending action id ('pa_' and letters/digits, at most {MaxActionIdLength} characters, as shown by 'discord-mcp approvals list').");
        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    /// <summary><c>cli:&lt;OS user name&gt;</c>, within the 64 characters a principal id may have.</summary>
    internal static string CliPrincipal()
    {
        var user = new string([.. Environment.UserName.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c))]);
        var principal = "cli:" + (user.Length == 0 ? "unknown" : user);
        return principal.Length <= 64 ? principal : principal[..64];
    }

    private static string Mode(ToolMode mode) => mode.ToString().ToLowerInvariant();

    private static Task<int> RedisFailureAsync(AdminInvocation call, Exception ex, bool changing = true) =>
        // The message can name the endpoint; the URL's password never appears in it, but say only the type to be safe.
        call.FailAsync($"cannot reach Redis (REDIS_URL), where pending actions are kept: {ex.GetType().Name}." + (changing ? " Check the action's state with 'discord-mcp approvals list' before retrying." : ""));
}
