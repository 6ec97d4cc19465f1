namespace DiscordMcp.Policy.Ports;

/// <summary>
/// What the pipeline needs to know from Discord about the bot, expressed without Discord-client types.
/// Implementations compute effective permissions from the guild's roles, the bot member and channel overwrites
/// (cached with invalidation; never stale longer than a short TTL). An exception denies the call (<c>policy_error</c>).
/// </summary>
public interface IBotPermissionProbe
{
    /// <summary>True when the bot is a member of the guild.</summary>
    ValueTask<bool> IsBotInGuildAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>The bot's guild-level permissions (Discord bitfield).</summary>
    ValueTask<ulong> GetGuildPermissionsAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>The bot's effective permissions in the channel (threads: their parent's), as a Discord bitfield.</summary>
    ValueTask<ulong> GetChannelPermissionsAsync(ulong guildId, ulong channelId, CancellationToken cancellationToken);

    /// <summary>The channel (or thread), or <c>null</c> when unknown to the bot.</summary>
    ValueTask<ProbeChannel?> GetChannelAsync(ulong channelId, CancellationToken cancellationToken);

    /// <summary>
    /// The guild that owns a resource, or <c>null</c> when it does not exist / is not visible.
    /// <paramref name="parentChannelId"/> is required for messages (a message is looked up in its channel).
    /// </summary>
    ValueTask<ulong?> GetOwningGuildAsync(ResourceKind kind, ulong id, ulong? parentChannelId, CancellationToken cancellationToken);

    /// <summary>Position of the bot's highest role in the guild (0 = only @everyone).</summary>
    ValueTask<int> GetBotTopRolePositionAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>Position of a role in the guild, or <c>null</c> when the guild has no such role.</summary>
    ValueTask<int?> GetRolePositionAsync(ulong guildId, ulong roleId, CancellationToken cancellationToken);

    /// <summary>A member's rank in the guild, or <c>null</c> when not a member.</summary>
    ValueTask<MemberRank?> GetMemberRankAsync(ulong guildId, ulong userId, CancellationToken cancellationToken);

    /// <summary>
    /// A member's own effective permissions (Discord bitfield), computed like the bot's: in <paramref name="channelId"/>
    /// when given (a thread: with its parent channel's overwrites), else guild-wide. The owner and Administrator get every
    /// permission. <c>null</c> when the user is not a member of the guild (or the bot is not in it); <c>0</c> in a channel
    /// that is not the guild's. Callers deny in both cases.
    /// </summary>
    ValueTask<ulong?> GetMemberPermissionsAsync(ulong guildId, ulong? channelId, ulong userId, CancellationToken cancellationToken);

    /// <summary>Forgets what is cached about a guild; hosts call it after a write changed the guild.</summary>
    void Invalidate(ulong guildId)
    {
    }
}

/// <summary>A channel as the policy sees it. <see cref="ParentId"/>: category for channels, parent channel for threads.</summary>
public sealed record ProbeChannel(ulong Id, ulong GuildId, ulong? ParentId, bool IsThread, bool IsCategory, string? Name);

/// <summary>A member's position in the role hierarchy.</summary>
public readonly record struct MemberRank(int TopRolePosition, bool IsOwner);

/// <summary>Kinds of ids the pipeline cross-checks against the authorised guild.</summary>
public enum ResourceKind
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>A guild channel or category.</summary>
    Channel = 1,
    /// <summary>A thread.</summary>
    Thread = 2,
    /// <summary>A message (needs its channel id).</summary>
    Message = 3,
    /// <summary>A webhook.</summary>
    Webhook = 4,
    /// <summary>A role.</summary>
    Role = 5,
    /// <summary>A guild member (user id).</summary>
    Member = 6,
}
