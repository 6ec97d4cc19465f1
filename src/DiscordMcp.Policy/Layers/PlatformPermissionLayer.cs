using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 4: the principal's platform role and toolset scopes allow the tool. For a Discord user acting through the agent,
/// the member's own Discord permissions, computed now for the call's own target (the channel, a thread's parent, or the
/// guild), must include what the bot would use, and the member must outrank the roles and members the call manages — no
/// escalation through the bot. Anything unknown (not a member, a channel of another guild) denies.
/// </summary>
internal sealed class PlatformPermissionLayer(IBotPermissionProbe probe) : IPolicyLayer
{
    /// <summary>The View Channel bit: nobody acts in a channel they cannot see.</summary>
    private const ulong ViewChannel = 1UL << 10;

    public PolicyLayer Layer => PolicyLayer.PlatformPermission;

    public ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken) =>
        Evaluate(context) is { } denial ? ValueTask.FromResult<PolicyDecision?>(denial)
        : context.Request.Credential is DiscordUserCredential member ? MemberAsync(context, member, cancellationToken)
        : ValueTask.FromResult<PolicyDecision?>(null);

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

        return null;
    }

    private async ValueTask<PolicyDecision?> MemberAsync(PolicyContext context, DiscordUserCredential member, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.GuildId is not { } guildId)
        {
            // Only the pending-action tools (no toolset) may be guild-less for a member (guild installation denies the rest
            // too); what a confirmation runs is authorised again, with its own guild and target.
            return request.Tool.Toolset.Length == 0 ? null : PolicyDecision.Deny(Layer, ReasonCodes.AgentGuildMismatch,
                $"{request.Tool.Name} is not tied to the server you asked in, so the agent will not run it for you.");
        }

        await context.LoadChannelAsync(probe, cancellationToken);
        var where = request.ChannelId is null ? "this server" : context.ChannelLabel;
        var has = await probe.GetMemberPermissionsAsync(guildId, request.ChannelId, member.UserId, cancellationToken);
        if (has is not { } permissions)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.NotGuildMember,
                $"You are not a member of guild {guildId}, so the agent will not act there for you.");
        }

        var needed = request.RequiredBotPermissions | (request.ChannelId is null ? 0 : ViewChannel);
        var missing = (permissions & PermissionNames.Administrator) != 0 ? 0 : needed & ~permissions;
        if (missing != 0)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.PlatformPermissionDenied,
                $"You lack {PermissionNames.Describe(missing)} in {where}, so the agent will not do this for you. Ask a server moderator.");
        }

        return request.TargetRoleIds.Count == 0 && request.TargetMemberIds.Count == 0
            ? null
            : await HierarchyAsync(request, guildId, member.UserId, cancellationToken);
    }

    /// <summary>The bot layer's hierarchy rule, for the member: only roles and members strictly below their own highest role (the owner outranks all).</summary>
    private async ValueTask<PolicyDecision?> HierarchyAsync(PolicyRequest request, ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        if (await probe.GetMemberRankAsync(guildId, userId, cancellationToken) is not { } own)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.NotGuildMember, $"You are not a member of guild {guildId}, so the agent will not act there for you.");
        }

        if (own.IsOwner)
        {
            return null;
        }

        foreach (var roleId in request.TargetRoleIds)
        {
            var position = await probe.GetRolePositionAsync(guildId, roleId, cancellationToken);
            if (position is null || position >= own.TopRolePosition)
            {
                return Hierarchy($"Role {roleId} is not below your highest role, so the agent will not manage it for you. Ask someone whose role is above it.");
            }
        }

        foreach (var targetId in request.TargetMemberIds)
        {
            var rank = await probe.GetMemberRankAsync(guildId, targetId, cancellationToken);
            if (rank is not { } target || target.IsOwner || target.TopRolePosition >= own.TopRolePosition)
            {
                return Hierarchy($"User {targetId}'s highest role is not below yours, so the agent will not act on them for you. Ask someone whose role is above theirs.");
            }
        }

        return null;
    }

    private PolicyDecision Hierarchy(string message) => PolicyDecision.Deny(Layer, ReasonCodes.HierarchyDenied, message);

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
