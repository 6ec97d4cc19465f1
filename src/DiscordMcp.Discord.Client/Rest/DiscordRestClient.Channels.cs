using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    private static readonly ChannelType[] CreatableChannelTypes =
    [
        ChannelType.GuildText, ChannelType.GuildVoice, ChannelType.GuildCategory, ChannelType.GuildAnnouncement,
        ChannelType.GuildStageVoice, ChannelType.GuildDirectory, ChannelType.GuildForum,
    ];

    /// <summary><c>GET /guilds/{guild_id}/channels</c> (threads are not included).</summary>
    public Task<IReadOnlyList<DiscordChannel>> GetGuildChannelsAsync(Snowflake guildId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/channels", $"guilds/{guildId}/channels", guildId.ToString()),
            Ctx.IReadOnlyListDiscordChannel, cancellationToken);

    /// <summary><c>POST /guilds/{guild_id}/channels</c> (MANAGE_CHANNELS).</summary>
    public Task<DiscordChannel> CreateGuildChannelAsync(Snowflake guildId, CreateChannelRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Length("name", request.Name, DiscordLimits.ChannelNameMin, DiscordLimits.ChannelNameMax, required: true);
        if (request.Type is { } type && !CreatableChannelTypes.Contains(type))
            throw Fail("type", $"type must be a creatable guild channel type ({string.Join(", ", CreatableChannelTypes.Select(t => (int)t))}), got {(int)type}.");
        CheckChannelFields(request.Type, request.Topic, request.RateLimitPerUser, request.Bitrate, request.UserLimit, request.PermissionOverwrites?.Count, request.DefaultAutoArchiveDuration);
        return SendAsync(
            Request(HttpMethod.Post, "/guilds/{guild_id}/channels", $"guilds/{guildId}/channels", guildId.ToString(), reason, Body(request, Ctx.CreateChannelRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    /// <summary><c>GET /channels/{channel_id}</c> (channel or thread).</summary>
    public Task<DiscordChannel> GetChannelAsync(Snowflake channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}", $"channels/{channelId}", channelId.ToString()), Ctx.DiscordChannel, cancellationToken);

    /// <summary><c>PATCH /channels/{channel_id}</c>; for threads use the thread-only fields.</summary>
    public Task<DiscordChannel> ModifyChannelAsync(Snowflake channelId, ModifyChannelRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name.HasValue)
            Length("name", request.Name.Value, DiscordLimits.ChannelNameMin, DiscordLimits.ChannelNameMax, required: true);
        if (request.Type.HasValue && request.Type.Value is not (ChannelType.GuildText or ChannelType.GuildAnnouncement))
            throw Fail("type", $"type can only be changed between text ({(int)ChannelType.GuildText}) and announcement ({(int)ChannelType.GuildAnnouncement}), got {(int)request.Type.Value}.");
        CheckChannelFields(null, request.Topic.GetValueOrDefault(), request.RateLimitPerUser.GetValueOrDefault(), request.Bitrate.GetValueOrDefault(),
            request.UserLimit.GetValueOrDefault(), request.PermissionOverwrites.GetValueOrDefault()?.Count, request.DefaultAutoArchiveDuration.GetValueOrDefault());
        if (request.AutoArchiveDuration.HasValue)
            AutoArchiveDuration("auto_archive_duration", request.AutoArchiveDuration.Value);
        if (request.AppliedTags.HasValue)
            MaxCount("applied_tags", request.AppliedTags.Value, DiscordLimits.AppliedTags);
        return SendAsync(
            Request(HttpMethod.Patch, "/channels/{channel_id}", $"channels/{channelId}", channelId.ToString(), reason, Body(request, Ctx.ModifyChannelRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    private static void CheckChannelFields(ChannelType? type, string? topic, int? slowmode, int? bitrate, int? userLimit, int? overwrites, int? defaultArchive)
    {
        // The forum/media limit is larger; an edit does not know the type, so it allows the larger one and lets Discord decide.
        var topicMax = type is null or ChannelType.GuildForum or ChannelType.GuildMedia ? DiscordLimits.ForumChannelTopic : DiscordLimits.ChannelTopic;
        if (type is not null && topic is not null && topic.Length > topicMax)
            throw Fail("topic", $"topic must be at most {topicMax} characters for this channel type (got {topic.Length}).");
        MaxLength("topic", topic, DiscordLimits.ForumChannelTopic);
        Slowmode("rate_limit_per_user", slowmode);
        Range("bitrate", bitrate, DiscordLimits.BitrateMin, DiscordLimits.BitrateMax);
        Range("user_limit", userLimit, 0, DiscordLimits.VoiceUserLimitMax);
        Range("permission_overwrites", overwrites, 0, DiscordLimits.PermissionOverwrites);
        AutoArchiveDuration("default_auto_archive_duration", defaultArchive);
    }

    /// <summary><c>DELETE /channels/{channel_id}</c>; returns the deleted channel.</summary>
    public Task<DiscordChannel> DeleteChannelAsync(Snowflake channelId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}", $"channels/{channelId}", channelId.ToString(), reason), Ctx.DiscordChannel, cancellationToken);

    /// <summary><c>PATCH /guilds/{guild_id}/channels</c>: reorder; Discord allows one parent change per call.</summary>
    public Task ReorderGuildChannelsAsync(Snowflake guildId, IReadOnlyList<ChannelPosition> positions, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
            throw Fail("positions", "positions must contain at least one channel.");
        for (var i = 0; i < positions.Count; i++)
            Range($"[{i}].position", positions[i].Position, 0, int.MaxValue);
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}/channels", $"guilds/{guildId}/channels", guildId.ToString(), reason, Body(positions, Ctx.IReadOnlyListChannelPosition)),
            cancellationToken);
    }

    /// <summary><c>PUT /channels/{channel_id}/permissions/{overwrite_id}</c> (MANAGE_ROLES). Allow/deny travel as decimal strings.</summary>
    public Task EditChannelPermissionsAsync(Snowflake channelId, Snowflake overwriteId, EditPermissionOverwriteRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Enum.IsDefined(request.Type))
            throw Fail("type", $"type must be 0 (role) or 1 (member), got {(int)request.Type}.");
        return SendAsync(
            Request(HttpMethod.Put, "/channels/{channel_id}/permissions/{overwrite_id}", $"channels/{channelId}/permissions/{overwriteId}", channelId.ToString(), reason,
                Body(request, Ctx.EditPermissionOverwriteRequest)),
            cancellationToken);
    }

    /// <summary><c>DELETE /channels/{channel_id}/permissions/{overwrite_id}</c> (MANAGE_ROLES).</summary>
    public Task DeleteChannelPermissionAsync(Snowflake channelId, Snowflake overwriteId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/permissions/{overwrite_id}", $"channels/{channelId}/permissions/{overwriteId}", channelId.ToString(), reason),
            cancellationToken);

    /// <summary><c>GET /channels/{channel_id}/invites</c> (MANAGE_CHANNELS).</summary>
    public Task<IReadOnlyList<DiscordInvite>> GetChannelInvitesAsync(Snowflake channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/invites", $"channels/{channelId}/invites", channelId.ToString()), Ctx.IReadOnlyListDiscordInvite, cancellationToken);

    /// <summary><c>POST /channels/{channel_id}/invites</c> (CREATE_INSTANT_INVITE). A body is always sent, <c>{}</c> when null.</summary>
    public Task<DiscordInvite> CreateChannelInviteAsync(Snowflake channelId, CreateInviteRequest? request = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        request ??= new CreateInviteRequest();
        Range("max_age", request.MaxAge, 0, DiscordLimits.InviteMaxAgeSeconds);
        Range("max_uses", request.MaxUses, 0, DiscordLimits.InviteMaxUses);
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/invites", $"channels/{channelId}/invites", channelId.ToString(), reason, Body(request, Ctx.CreateInviteRequest)),
            Ctx.DiscordInvite, cancellationToken);
    }

    /// <summary><c>GET /guilds/{guild_id}/invites</c> (MANAGE_GUILD).</summary>
    public Task<IReadOnlyList<DiscordInvite>> GetGuildInvitesAsync(Snowflake guildId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/invites", $"guilds/{guildId}/invites", guildId.ToString()), Ctx.IReadOnlyListDiscordInvite, cancellationToken);

    /// <summary><c>GET /invites/{invite_code}</c> (no authentication), with approximate counts by default.</summary>
    public Task<DiscordInvite> GetInviteAsync(string code, bool withCounts = true, CancellationToken cancellationToken = default)
    {
        var escaped = InviteCode(code);
        var path = Path($"invites/{escaped}").Add("with_counts", withCounts ? true : null);
        return SendAsync(Request(HttpMethod.Get, "/invites/{invite_code}", path.ToString(), null, authenticated: false), Ctx.DiscordInvite, cancellationToken);
    }

    /// <summary><c>DELETE /invites/{invite_code}</c>; returns the deleted invite.</summary>
    public Task<DiscordInvite> DeleteInviteAsync(string code, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/invites/{invite_code}", $"invites/{InviteCode(code)}", null, reason), Ctx.DiscordInvite, cancellationToken);

    private static string InviteCode(string code)
    {
        NotEmpty("code", code);
        // Accept a pasted link such as https://discord.gg/abc by keeping the last segment.
        var trimmed = code.Trim().TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        if (slash >= 0)
            trimmed = trimmed[(slash + 1)..];
        Length("code", trimmed, 1, 100, required: true);
        return Uri.EscapeDataString(trimmed);
    }
}
