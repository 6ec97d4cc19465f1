using System.Collections.Concurrent;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>
/// A configurable <see cref="IBotPermissionProbe"/>: tests (and a process with no Discord connection) state what the bot
/// can do. Everything unknown answers "no": not in guild, no permissions, no such channel/role/member/resource.
/// Thread-safe.
/// </summary>
public sealed class InMemoryBotPermissionProbe : IBotPermissionProbe
{
    private readonly ConcurrentDictionary<ulong, GuildState> _guilds = new();
    private readonly ConcurrentDictionary<ulong, ProbeChannel> _channels = new();
    private readonly ConcurrentDictionary<ulong, ulong> _channelPermissions = new();
    private readonly ConcurrentDictionary<(ResourceKind Kind, ulong Id), (ulong Guild, ulong? Channel)> _resources = new();
    private readonly ConcurrentDictionary<(ulong Guild, ulong User), ulong> _memberPermissions = new();
    private readonly ConcurrentDictionary<(ulong Channel, ulong User), ulong> _memberChannelPermissions = new();

    /// <summary>Declares (or updates) the bot as a member of <paramref name="guildId"/> with guild permissions and top role position.</summary>
    public InMemoryBotPermissionProbe AddGuild(ulong guildId, ulong guildPermissions, int botTopRolePosition = 1)
    {
        var g = Guild(guildId);
        g.Permissions = guildPermissions;
        g.BotTopRolePosition = botTopRolePosition;
        g.BotIsMember = true;
        return this;
    }

    /// <summary>Adds a channel, category or thread with the bot's effective permissions in it.</summary>
    public InMemoryBotPermissionProbe AddChannel(ProbeChannel channel, ulong botPermissions)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channels[channel.Id] = channel;
        _channelPermissions[channel.Id] = botPermissions;
        _resources[(channel.IsThread ? ResourceKind.Thread : ResourceKind.Channel, channel.Id)] = (channel.GuildId, channel.ParentId);
        return this;
    }

    /// <summary>Adds a role at a position.</summary>
    public InMemoryBotPermissionProbe AddRole(ulong guildId, ulong roleId, int position)
    {
        Guild(guildId).Roles[roleId] = position;
        _resources[(ResourceKind.Role, roleId)] = (guildId, null);
        return this;
    }

    /// <summary>Adds a member with a top role position.</summary>
    public InMemoryBotPermissionProbe AddMember(ulong guildId, ulong userId, int topRolePosition, bool isOwner = false)
    {
        Guild(guildId).Members[userId] = new MemberRank(topRolePosition, isOwner);
        _resources[(ResourceKind.Member, userId)] = (guildId, null);
        return this;
    }

    /// <summary>
    /// Sets a member's guild-level permissions (the member must be added with <see cref="AddMember"/>). In channels they
    /// apply too unless <see cref="SetMemberChannelPermissions"/> states otherwise.
    /// </summary>
    public InMemoryBotPermissionProbe SetMemberPermissions(ulong guildId, ulong userId, ulong guildPermissions)
    {
        _memberPermissions[(guildId, userId)] = guildPermissions;
        return this;
    }

    /// <summary>Sets a member's effective permissions in one channel (threads use their parent's).</summary>
    public InMemoryBotPermissionProbe SetMemberChannelPermissions(ulong channelId, ulong userId, ulong permissions)
    {
        _memberChannelPermissions[(channelId, userId)] = permissions;
        return this;
    }

    /// <summary>Adds a message in a channel of a guild.</summary>
    public InMemoryBotPermissionProbe AddMessage(ulong guildId, ulong channelId, ulong messageId)
    {
        _resources[(ResourceKind.Message, messageId)] = (guildId, channelId);
        return this;
    }

    /// <summary>Adds a webhook owned by a guild.</summary>
    public InMemoryBotPermissionProbe AddWebhook(ulong guildId, ulong webhookId, ulong channelId)
    {
        _resources[(ResourceKind.Webhook, webhookId)] = (guildId, channelId);
        return this;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBotInGuildAsync(ulong guildId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_guilds.TryGetValue(guildId, out var g) && g.BotIsMember);

    /// <inheritdoc />
    public ValueTask<ulong> GetGuildPermissionsAsync(ulong guildId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_guilds.TryGetValue(guildId, out var g) ? g.Permissions : 0UL);

    /// <inheritdoc />
    public ValueTask<ulong> GetChannelPermissionsAsync(ulong guildId, ulong channelId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_channels.TryGetValue(channelId, out var c) && c.GuildId == guildId ? _channelPermissions.GetValueOrDefault(channelId) : 0UL);

    /// <inheritdoc />
    public ValueTask<ProbeChannel?> GetChannelAsync(ulong channelId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_channels.GetValueOrDefault(channelId));

    /// <inheritdoc />
    public ValueTask<ulong?> GetOwningGuildAsync(ResourceKind kind, ulong id, ulong? parentChannelId, CancellationToken cancellationToken)
    {
        // Threads are channels too: accept either registration.
        if (!_resources.TryGetValue((kind, id), out var owner)
            && !(kind is ResourceKind.Channel or ResourceKind.Thread
                 && _resources.TryGetValue((kind == ResourceKind.Channel ? ResourceKind.Thread : ResourceKind.Channel, id), out owner)))
        {
            return ValueTask.FromResult<ulong?>(null);
        }

        if (kind == ResourceKind.Message && parentChannelId is { } channel && owner.Channel != channel)
        {
            return ValueTask.FromResult<ulong?>(null);
        }

        return ValueTask.FromResult<ulong?>(owner.Guild);
    }

    /// <inheritdoc />
    public ValueTask<int> GetBotTopRolePositionAsync(ulong guildId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_guilds.TryGetValue(guildId, out var g) ? g.BotTopRolePosition : 0);

    /// <inheritdoc />
    public ValueTask<int?> GetRolePositionAsync(ulong guildId, ulong roleId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_guilds.TryGetValue(guildId, out var g) && g.Roles.TryGetValue(roleId, out var p) ? p : (int?)null);

    /// <inheritdoc />
    public ValueTask<MemberRank?> GetMemberRankAsync(ulong guildId, ulong userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_guilds.TryGetValue(guildId, out var g) && g.Members.TryGetValue(userId, out var r) ? r : (MemberRank?)null);

    /// <inheritdoc />
    public ValueTask<ulong?> GetMemberPermissionsAsync(ulong guildId, ulong? channelId, ulong userId, CancellationToken cancellationToken)
    {
        if (!_guilds.TryGetValue(guildId, out var g) || !g.BotIsMember || !g.Members.TryGetValue(userId, out var rank))
        {
            return ValueTask.FromResult<ulong?>(null);
        }

        var guildPermissions = _memberPermissions.GetValueOrDefault((guildId, userId));
        if (rank.IsOwner || (guildPermissions & Pipeline.PermissionNames.Administrator) != 0)
        {
            return ValueTask.FromResult<ulong?>(ulong.MaxValue);
        }

        if (channelId is not { } id)
        {
            return ValueTask.FromResult<ulong?>(guildPermissions);
        }

        if (!_channels.TryGetValue(id, out var channel) || channel.GuildId != guildId)
        {
            return ValueTask.FromResult<ulong?>(0);
        }

        // A thread has no overwrites of its own: the parent channel's apply.
        var where = channel.IsThread && channel.ParentId is { } parent ? parent : id;
        return ValueTask.FromResult<ulong?>(_memberChannelPermissions.TryGetValue((where, userId), out var p) ? p : guildPermissions);
    }

    private GuildState Guild(ulong guildId) => _guilds.GetOrAdd(guildId, static _ => new GuildState(0, 0));

    private sealed class GuildState(ulong permissions, int botTopRolePosition)
    {
        public ulong Permissions { get; set; } = permissions;

        public int BotTopRolePosition { get; set; } = botTopRolePosition;

        public bool BotIsMember { get; set; }

        public ConcurrentDictionary<ulong, int> Roles { get; } = new();

        public ConcurrentDictionary<ulong, MemberRank> Members { get; } = new();
    }
}
