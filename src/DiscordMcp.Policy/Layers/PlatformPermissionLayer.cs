using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 4: the principal's platform role and toolset scopes allow the tool. For a Discord user acting through the agent,
/// the user's own Discord permissions must include what the bot would use (no escalation through the bot).
/// </summary>
internal sealed class PlatformPermissionLayer : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.PlatformPermission;

    public ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Evaluate(context));

    private PolicyDecision? Evaluate(PolicyContext context)
    {
        var tool = context.Request.Tool;
        var required = tool.RequiredRole;
        if (context.Role < required)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.PlatformPermissionDenied,
                $"Your role '{RoleName(context.Role)}' in workspace '{context.WorkspaceId}' cannot use {tool.Name} (it needs '{RoleName(required)}'). Ask a workspace admin for that role.");
        }

        // Tools in no toolset (the pending-action tools) act only on the caller's own pending actions; the action they
        // confirm is authorised again, scopes included, under its own tool.
        if (context.ToolsetScopes is { } scopes && tool.Toolset.Length > 0 && !Contains(scopes, tool.Toolset))
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.ToolsetNotInScope,
                $"Your access is limited to the toolsets [{string.Join(", ", scopes)}]; {tool.Name} is in '{tool.Toolset}'. Ask a workspace admin to widen the key's scopes.");
        }

        if (context.Request.Credential is DiscordUserCredential user)
        {
            var needed = context.Request.RequiredBotPermissions;
            var has = user.UserPermissions;
            if ((has & PermissionNames.Administrator) == 0 && (has & needed) != needed)
            {
                return PolicyDecision.Deny(Layer, ReasonCodes.PlatformPermissionDenied,
                    $"You lack {PermissionNames.Describe(needed & ~has)} in {context.ChannelLabel}, so the agent will not do this for you. Ask a server moderator.");
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<string> scopes, string toolset)
    {
        for (var i = 0; i < scopes.Count; i++)
        {
            if (string.Equals(scopes[i], toolset, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static string RoleName(PlatformRole role) => role switch
    {
        PlatformRole.Viewer => "viewer",
        PlatformRole.Operator => "operator",
        PlatformRole.Admin => "admin",
        _ => "none",
    };
}
