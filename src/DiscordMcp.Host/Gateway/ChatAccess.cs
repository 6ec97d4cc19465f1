using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Gateway;

/// <summary>
/// Where the agent may chat: the <see cref="ChannelPolicy.AgentChat"/> rule of the channel, else of its parent category,
/// else of the guild; a thread uses its parent channel's rules. <b>Off by default</b>: a guild nobody installed in a
/// workspace, or rules that are <c>inherit</c> everywhere, mean no chat.
/// </summary>
internal sealed class ChatAccess(IPlatformStore store, ChannelDirectory channels)
{
    /// <summary>The workspace the guild is installed in, or null.</summary>
    public async Task<string?> WorkspaceOfAsync(ulong guildId, CancellationToken cancellationToken) =>
        (await store.GetInstallationAsync(guildId, cancellationToken))?.WorkspaceId;

    /// <summary>Whether chat is allowed in <paramref name="channelId"/> of <paramref name="guildId"/> (false for an unknown channel or another guild's).</summary>
    public async Task<bool> IsAllowedAsync(ulong guildId, ulong channelId, CancellationToken cancellationToken)
    {
        if (await WorkspaceOfAsync(guildId, cancellationToken) is null)
            return false;
        var channel = await ChatChannelAsync(channelId, cancellationToken);
        if (channel is null || channel.GuildId != guildId)
            return false;
        var policies = await store.GetChannelPoliciesAsync(guildId, cancellationToken);
        return Resolve(policies, guildId, channel.Id, channel.IsCategory ? null : channel.ParentId);
    }

    /// <summary>The channel whose rules apply: the channel itself, or a thread's parent.</summary>
    public async Task<ChannelInfo?> ChatChannelAsync(ulong channelId, CancellationToken cancellationToken)
    {
        var channel = await channels.GetAsync(channelId, cancellationToken);
        if (channel is { IsThread: true, ParentId: { } parent })
            channel = await channels.GetAsync(parent, cancellationToken);
        return channel is { IsThread: false } ? channel : null;
    }

    /// <summary>The most specific non-inherit AgentChat rule wins; none at all is "off".</summary>
    public static bool Resolve(IReadOnlyList<ChannelPolicy> policies, ulong guildId, ulong channelId, ulong? categoryId)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var rule = Rule(policies, guildId, ChannelPolicyScope.Channel, channelId);
        if (rule == AccessRule.Inherit && categoryId is { } category)
            rule = Rule(policies, guildId, ChannelPolicyScope.Category, category);
        if (rule == AccessRule.Inherit)
            rule = policies.FirstOrDefault(p => p.GuildId == guildId && p.Scope == ChannelPolicyScope.Guild)?.AgentChat ?? AccessRule.Inherit;
        return rule == AccessRule.Allow;
    }

    private static AccessRule Rule(IReadOnlyList<ChannelPolicy> policies, ulong guildId, ChannelPolicyScope scope, ulong targetId) =>
        policies.FirstOrDefault(p => p.GuildId == guildId && p.Scope == scope && p.TargetId == targetId)?.AgentChat ?? AccessRule.Inherit;
}
