using System.Collections.Concurrent;
using System.Net;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Discord;

/// <summary>
/// The policy's view of Discord, over <see cref="DiscordRestClient"/>: the guild (roles, owner), its channels and the
/// bot's member record are fetched together and cached for <see cref="CacheFor"/> per guild, so permission answers are
/// never staler than that. Effective permissions come from <see cref="PermissionCalculator"/>. Failures propagate
/// (the pipeline denies with <c>policy_error</c>); a 403/404 on the guild means the bot is not in it.
/// </summary>
public sealed class DiscordBotPermissionProbe(DiscordRestClient client, TimeProvider time) : IBotPermissionProbe
{
    /// <summary>How long one guild snapshot is trusted.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<ulong, (GuildSnapshot? Snapshot, DateTimeOffset Expires)> _guilds = new();
    private readonly ConcurrentDictionary<(ulong Guild, ulong User), (PermissionMember? Member, DateTimeOffset Expires)> _members = new();
    private Snowflake? _botUserId;

    /// <inheritdoc />
    public async ValueTask<bool> IsBotInGuildAsync(ulong guildId, CancellationToken cancellationToken) =>
        await GetSnapshotAsync(guildId, cancellationToken) is not null;

    /// <inheritdoc />
    public async ValueTask<ulong> GetGuildPermissionsAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        return s is null ? 0 : (ulong)PermissionCalculator.ComputeBase(s.Guild, s.Bot, time.GetUtcNow());
    }

    /// <inheritdoc />
    public async ValueTask<ulong> GetChannelPermissionsAsync(ulong guildId, ulong channelId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        return s is null ? 0 : await ComputeInChannelAsync(guildId, channelId, s, s.Bot, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<ulong?> GetMemberPermissionsAsync(ulong guildId, ulong? channelId, ulong userId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        if (s is null || await GetMemberAsync(guildId, userId, cancellationToken) is not { } member)
            return null;
        return channelId is { } id
            ? await ComputeInChannelAsync(guildId, id, s, member, cancellationToken)
            : (ulong)PermissionCalculator.ComputeBase(s.Guild, member, time.GetUtcNow());
    }

    /// <summary>The same math for the bot and for members: the channel's overwrites, or a thread's parent's.</summary>
    private async ValueTask<ulong> ComputeInChannelAsync(ulong guildId, ulong channelId, GuildSnapshot s, PermissionMember member, CancellationToken cancellationToken)
    {
        if (!s.Channels.ContainsKey(channelId))
        {
            // Not in the snapshot: a channel created since it was taken (here or by another process) or a thread.
            // Take a fresh snapshot once before treating it as a thread.
            if (await GetSnapshotAsync(guildId, cancellationToken, fresh: true) is not { } fresh)
                return 0;
            s = fresh;
        }
        if (!s.Channels.TryGetValue(channelId, out var channel))
        {
            // A thread is not in the guild's channel list: fetch it and use its parent's overwrites.
            if (await FetchChannelAsync(channelId, cancellationToken) is not { } thread || thread.GuildId?.Value != guildId
                || thread.ParentId is not { } parent || !s.Channels.TryGetValue(parent.Value, out var parentChannel))
                return 0;
            return (ulong)PermissionCalculator.ComputeChannel(s.Guild, member, parentChannel.PermissionOverwrites ?? [], PermissionChannelKind.Thread, time.GetUtcNow());
        }
        return (ulong)PermissionCalculator.ComputeChannel(s.Guild, member, channel.PermissionOverwrites ?? [], PermissionExplainer.KindOf(channel.Type), time.GetUtcNow());
    }

    /// <summary>A member's roles and time-out, cached like the guild snapshot; <c>null</c> when not a member.</summary>
    private async ValueTask<PermissionMember?> GetMemberAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_members.TryGetValue((guildId, userId), out var entry) && entry.Expires > now)
            return entry.Member;
        var member = await NotFoundAsNull(() => client.GetMemberAsync(new Snowflake(guildId), new Snowflake(userId), cancellationToken));
        var result = member is null ? null : new PermissionMember(new Snowflake(userId), member.Roles, member.CommunicationDisabledUntil);
        _members[(guildId, userId)] = (result, now + CacheFor);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<ProbeChannel?> GetChannelAsync(ulong channelId, CancellationToken cancellationToken)
    {
        foreach (var (_, entry) in _guilds)
        {
            if (entry.Snapshot is { } s && entry.Expires > time.GetUtcNow() && s.Channels.TryGetValue(channelId, out var cached))
                return ToProbe(cached);
        }
        var channel = await FetchChannelAsync(channelId, cancellationToken);
        return channel is null || channel.GuildId is null ? null : ToProbe(channel);
    }

    /// <inheritdoc />
    public async ValueTask<ulong?> GetOwningGuildAsync(ResourceKind kind, ulong id, ulong? parentChannelId, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ResourceKind.Channel or ResourceKind.Thread:
                return (await GetChannelAsync(id, cancellationToken))?.GuildId;
            case ResourceKind.Message:
                if (parentChannelId is not { } channelId || await GetChannelAsync(channelId, cancellationToken) is not { } parent)
                    return null;
                var message = await NotFoundAsNull(() => client.GetMessageAsync(new Snowflake(channelId), new Snowflake(id), cancellationToken));
                return message is null ? null : parent.GuildId;
            case ResourceKind.Webhook:
                var webhook = await NotFoundAsNull(() => client.GetWebhookAsync(new Snowflake(id), cancellationToken));
                return webhook?.GuildId?.Value;
            case ResourceKind.Role:
                foreach (var (_, entry) in _guilds)
                {
                    if (entry.Snapshot is { } s && entry.Expires > time.GetUtcNow() && s.Guild.Roles.ContainsKey(new Snowflake(id)))
                        return s.Guild.Id.Value;
                }
                // A role created since the snapshots were taken: look again in fresh ones before calling it foreign.
                foreach (var guildId in _guilds.Keys.ToList())
                {
                    if (await GetSnapshotAsync(guildId, cancellationToken, fresh: true) is { } s && s.Guild.Roles.ContainsKey(new Snowflake(id)))
                        return guildId;
                }
                return null;
            default:
                return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> GetBotTopRolePositionAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        return s is null ? 0 : PermissionCalculator.HighestRole(s.Guild, s.Bot).Position;
    }

    /// <inheritdoc />
    public async ValueTask<int?> GetRolePositionAsync(ulong guildId, ulong roleId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        return s is not null && s.Guild.Roles.TryGetValue(new Snowflake(roleId), out var role) ? role.Position : null;
    }

    /// <inheritdoc />
    public async ValueTask<MemberRank?> GetMemberRankAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        var s = await GetSnapshotAsync(guildId, cancellationToken);
        if (s is null)
            return null;
        var member = await NotFoundAsNull(() => client.GetMemberAsync(new Snowflake(guildId), new Snowflake(userId), cancellationToken));
        if (member is null)
            return null;
        var pm = new PermissionMember(new Snowflake(userId), member.Roles, member.CommunicationDisabledUntil);
        return new MemberRank(PermissionCalculator.HighestRole(s.Guild, pm).Position, s.Guild.OwnerId.Value == userId);
    }

    /// <summary>Drops the cached snapshot of a guild (e.g. after a gateway event changed roles or overwrites).</summary>
    public void Invalidate(ulong guildId)
    {
        _guilds.TryRemove(guildId, out _);
        foreach (var key in _members.Keys)
        {
            if (key.Guild == guildId)
                _members.TryRemove(key, out _);
        }
    }

    private async ValueTask<GuildSnapshot?> GetSnapshotAsync(ulong guildId, CancellationToken cancellationToken, bool fresh = false)
    {
        var now = time.GetUtcNow();
        if (!fresh && _guilds.TryGetValue(guildId, out var entry) && entry.Expires > now)
            return entry.Snapshot;
        var id = new Snowflake(guildId);
        var botUserId = _botUserId ??= (await client.GetCurrentUserAsync(cancellationToken)).Id;
        // Three independent reads in parallel (one round trip). Not in the guild: the guild read says 403/404, and the
        // member and channel reads fail the same way; only the guild read decides.
        var guildRead = NotFoundAsNull(() => client.GetGuildAsync(id, withCounts: false, cancellationToken));
        var memberRead = NotFoundAsNull(() => client.GetMemberAsync(id, botUserId, cancellationToken));
        var channelsRead = NotFoundAsNull(() => client.GetGuildChannelsAsync(id, cancellationToken));
        await Task.WhenAll(guildRead, memberRead, channelsRead);
        var guild = await guildRead;
        var member = await memberRead;
        var channels = await channelsRead;
        GuildSnapshot? snapshot = null;
        if (guild is not null && member is not null && channels is not null)
        {
            snapshot = new GuildSnapshot(
                PermissionExplainer.ToPermissionGuild(guild),
                new PermissionMember(botUserId, member.Roles, member.CommunicationDisabledUntil),
                channels.ToDictionary(c => c.Id.Value));
        }
        _guilds[guildId] = (snapshot, now + CacheFor);
        return snapshot;
    }

    private async ValueTask<DiscordChannel?> FetchChannelAsync(ulong channelId, CancellationToken cancellationToken)
    {
        return await NotFoundAsNull(() => client.GetChannelAsync(new Snowflake(channelId), cancellationToken));
    }

    private static ProbeChannel ToProbe(DiscordChannel c) => new(
        c.Id.Value, c.GuildId?.Value ?? 0, c.ParentId?.Value,
        PermissionExplainer.KindOf(c.Type) == PermissionChannelKind.Thread, c.Type == ChannelType.GuildCategory, c.Name);

    /// <summary>404 (unknown) and 403 (not visible to the bot) mean "no such resource" to the policy.</summary>
    private static async Task<T?> NotFoundAsNull<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (DiscordHttpException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    private sealed record GuildSnapshot(PermissionGuild Guild, PermissionMember Bot, IReadOnlyDictionary<ulong, DiscordChannel> Channels);
}
