using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 5: the channel is open to this kind of access. The most specific rule wins: the channel itself, then (for a
/// thread) its parent channel, then the category, then the guild; with no rule, access is allowed.
/// Read tools need read access; writes need write access; agent chat also needs the agent-chat rule.
/// </summary>
internal sealed class ChannelPolicyLayer(IPlatformStore store, IBotPermissionProbe probe) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.ChannelPolicy;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        if (context.Request.GuildId is not { } guildId)
        {
            return null;
        }

        var policies = await store.GetChannelPoliciesAsync(guildId, cancellationToken);
        if (policies.Count == 0)
        {
            return null;
        }

        // Scope chain, most specific first. Foreign or unknown channels are denied later by the bot-permission cross-check.
        ulong? parentId = null;
        ulong? categoryId = null;
        if (context.Request.ChannelId is not null)
        {
            var channel = await context.LoadChannelAsync(probe, cancellationToken);
            if (channel is { ParentId: { } parent } && channel.GuildId == guildId)
            {
                parentId = parent;
                if (channel.IsThread)
                {
                    var parentChannel = await probe.GetChannelAsync(parent, cancellationToken);
                    if (parentChannel is { ParentId: { } category } && parentChannel.GuildId == guildId)
                    {
                        categoryId = category;
                    }
                }
            }
        }

        return Decide(context, policies, guildId, parentId, categoryId);
    }

    private PolicyDecision? Decide(PolicyContext context, IReadOnlyList<ChannelPolicy> policies, ulong guildId, ulong? parentId, ulong? categoryId)
    {
        Span<ulong> chain = stackalloc ulong[4];
        var length = 0;
        if (context.Request.ChannelId is { } channelId)
        {
            chain[length++] = channelId;
        }

        if (parentId is { } p)
        {
            chain[length++] = p;
        }

        if (categoryId is { } c)
        {
            chain[length++] = c;
        }

        chain[length++] = guildId;
        ReadOnlySpan<ulong> scopes = chain[..length];

        var write = context.Request.Tool.IsWrite;
        var (rule, source) = Resolve(policies, scopes, write ? static p => p.Write : static p => p.Read);
        if (rule == AccessRule.Deny)
        {
            return Denied(context, write ? "write" : "read", source, guildId);
        }

        if (context.Request.IsAgentChat)
        {
            (rule, source) = Resolve(policies, scopes, static p => p.AgentChat);
            if (rule == AccessRule.Deny)
            {
                return Denied(context, "agent chat", source, guildId);
            }
        }

        return null;
    }

    private static (AccessRule Rule, ulong Source) Resolve(IReadOnlyList<ChannelPolicy> policies, ReadOnlySpan<ulong> scopes, Func<ChannelPolicy, AccessRule> aspect)
    {
        foreach (var scope in scopes)
        {
            for (var i = 0; i < policies.Count; i++)
            {
                var p = policies[i];
                if (p.TargetId == scope)
                {
                    var rule = aspect(p);
                    if (rule != AccessRule.Inherit)
                    {
                        return (rule, scope);
                    }
                }
            }
        }

        return (AccessRule.Allow, 0);
    }

    private PolicyDecision Denied(PolicyContext context, string access, ulong source, ulong guildId)
    {
        var where = source == guildId ? "for the whole server"
            : source == context.Request.ChannelId ? "on the channel itself"
            : $"on its parent {source}";
        return PolicyDecision.Deny(Layer, ReasonCodes.ChannelPolicyDenied,
            $"The workspace's channel policy denies {access} access to {(context.Request.ChannelId is null ? $"guild {guildId}" : context.ChannelLabel)} (rule set {where}). A workspace admin can change it in the workspace's policy file ('discord-mcp policies export', edit, 'discord-mcp policies apply').");
    }
}
