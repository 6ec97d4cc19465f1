using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 2: the workspace exists and the principal belongs to it. API clients need a membership; their effective role is
/// the lower of key and membership role, and scopes are intersected. The local operator's role is configured; verified
/// tokens carry their role; Discord users without a membership get <see cref="PolicyOptions.DiscordUserDefaultRole"/>.
/// </summary>
internal sealed class WorkspaceMembershipLayer(IPlatformStore store, PolicyOptions options) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.WorkspaceMembership;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        var workspaceId = context.WorkspaceId;
        var principalId = context.PrincipalId;
        if (workspaceId is null || principalId is null)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.NotWorkspaceMember, "The caller is not associated with any workspace.");
        }

        var workspace = await store.GetWorkspaceAsync(workspaceId, cancellationToken);
        if (workspace is null)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.WorkspaceNotFound, $"Workspace '{workspaceId}' does not exist. Create it with 'discord-mcp workspaces create {workspaceId}' or fix the configured workspace.");
        }

        context.Workspace = workspace;
        switch (context.PrincipalKind)
        {
            case PrincipalKind.ApiClient when context.Request.Credential is ApiKeyCredential:
            {
                var membership = await store.GetMembershipAsync(workspaceId, principalId, cancellationToken);
                if (membership is null || membership.Role == PlatformRole.None)
                {
                    return NotMember(principalId, workspaceId);
                }

                context.Role = (PlatformRole)Math.Min((int)context.Role, (int)membership.Role);
                context.ToolsetScopes = Intersect(context.ToolsetScopes, membership.ToolsetScopes);
                return null;
            }

            case PrincipalKind.DiscordUser:
            {
                var membership = await store.GetMembershipAsync(workspaceId, principalId, cancellationToken);
                context.Role = membership?.Role ?? options.DiscordUserDefaultRole;
                context.ToolsetScopes = membership?.ToolsetScopes;
                return context.Role == PlatformRole.None ? NotMember(principalId, workspaceId) : null;
            }

            default:
                return context.Role == PlatformRole.None ? NotMember(principalId, workspaceId) : null;
        }
    }

    private PolicyDecision NotMember(string principalId, string workspaceId) =>
        PolicyDecision.Deny(Layer, ReasonCodes.NotWorkspaceMember, $"'{principalId}' is not a member of workspace '{workspaceId}'. Ask a workspace admin to add it.");

    private static IReadOnlyList<string>? Intersect(IReadOnlyList<string>? a, IReadOnlyList<string>? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        return [.. a.Where(x => b.Contains(x, StringComparer.OrdinalIgnoreCase))];
    }
}
