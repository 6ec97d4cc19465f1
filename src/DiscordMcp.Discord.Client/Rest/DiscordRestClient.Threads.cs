using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>POST /channels/{channel_id}/messages/{message_id}/threads</c>: the thread id equals the message id.</summary>
    public Task<DiscordChannel> StartThreadFromMessageAsync(
        Snowflake channelId, Snowflake messageId, StartThreadFromMessageRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckThread(request.Name, request.AutoArchiveDuration, request.RateLimitPerUser);
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/messages/{message_id}/threads", $"channels/{channelId}/messages/{messageId}/threads",
                channelId.ToString(), reason, Body(request, Ctx.StartThreadFromMessageRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    /// <summary><c>POST /channels/{channel_id}/threads</c> without a starter message. Discord defaults the type to 12 (private).</summary>
    public Task<DiscordChannel> StartThreadAsync(Snowflake channelId, StartThreadRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckThread(request.Name, request.AutoArchiveDuration, request.RateLimitPerUser);
        if (request.Type is { } type && type is not (ChannelType.AnnouncementThread or ChannelType.PublicThread or ChannelType.PrivateThread))
            throw Fail("type", $"type must be a thread type (10, 11 or 12), got {(int)type}.");
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/threads", $"channels/{channelId}/threads", channelId.ToString(), reason, Body(request, Ctx.StartThreadRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    /// <summary>
    /// <c>POST /channels/{channel_id}/threads</c> in a forum or media channel: a post with its first message and up to 5 tags.
    /// The message gets <c>{"parse":[]}</c> allowed mentions unless the caller gives some.
    /// </summary>
    public Task<DiscordChannel> StartForumThreadAsync(Snowflake channelId, StartForumThreadRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Message);
        CheckThread(request.Name, request.AutoArchiveDuration, request.RateLimitPerUser);
        MaxCount("applied_tags", request.AppliedTags, DiscordLimits.AppliedTags);
        var m = request.Message;
        MessageBody("message.", m.Content, m.Embeds, m.AllowedMentions, m.Components, m.Flags, requireSomething: true, m.StickerIds);
        var body = m.AllowedMentions is null ? request with { Message = m with { AllowedMentions = AllowedMentions.None } } : request;
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/threads", $"channels/{channelId}/threads", channelId.ToString(), reason, Body(body, Ctx.StartForumThreadRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    private static void CheckThread(string name, int? autoArchiveDuration, int? slowmode)
    {
        Length("name", name, DiscordLimits.ThreadNameMin, DiscordLimits.ThreadNameMax, required: true);
        AutoArchiveDuration("auto_archive_duration", autoArchiveDuration);
        Slowmode("rate_limit_per_user", slowmode);
    }

    /// <summary><c>PUT /channels/{channel_id}/thread-members/@me</c>.</summary>
    public Task JoinThreadAsync(Snowflake threadId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Put, "/channels/{channel_id}/thread-members/@me", $"channels/{threadId}/thread-members/@me", threadId.ToString()), cancellationToken);

    /// <summary><c>DELETE /channels/{channel_id}/thread-members/@me</c>.</summary>
    public Task LeaveThreadAsync(Snowflake threadId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/thread-members/@me", $"channels/{threadId}/thread-members/@me", threadId.ToString()), cancellationToken);

    /// <summary><c>PUT /channels/{channel_id}/thread-members/{user_id}</c>.</summary>
    public Task AddThreadMemberAsync(Snowflake threadId, Snowflake userId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Put, "/channels/{channel_id}/thread-members/{user_id}", $"channels/{threadId}/thread-members/{userId}", threadId.ToString()), cancellationToken);

    /// <summary><c>DELETE /channels/{channel_id}/thread-members/{user_id}</c>.</summary>
    public Task RemoveThreadMemberAsync(Snowflake threadId, Snowflake userId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/thread-members/{user_id}", $"channels/{threadId}/thread-members/{userId}", threadId.ToString()), cancellationToken);

    /// <summary><c>GET /channels/{channel_id}/thread-members</c>.</summary>
    public Task<IReadOnlyList<ThreadMember>> GetThreadMembersAsync(Snowflake threadId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/thread-members", $"channels/{threadId}/thread-members", threadId.ToString()),
            Ctx.IReadOnlyListThreadMember, cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}/threads/active</c>.</summary>
    public Task<ThreadList> GetActiveThreadsAsync(Snowflake guildId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/threads/active", $"guilds/{guildId}/threads/active", guildId.ToString()), Ctx.ThreadList, cancellationToken);

    /// <summary><c>GET /channels/{channel_id}/threads/archived/public</c>, paged by archive time.</summary>
    public Task<ThreadList> GetPublicArchivedThreadsAsync(Snowflake channelId, DateTimeOffset? before = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ArchivedThreads(channelId, "public", before, limit, cancellationToken);

    /// <summary><c>GET /channels/{channel_id}/threads/archived/private</c> (MANAGE_THREADS), paged by archive time.</summary>
    public Task<ThreadList> GetPrivateArchivedThreadsAsync(Snowflake channelId, DateTimeOffset? before = null, int? limit = null, CancellationToken cancellationToken = default) =>
        ArchivedThreads(channelId, "private", before, limit, cancellationToken);

    private Task<ThreadList> ArchivedThreads(Snowflake channelId, string kind, DateTimeOffset? before, int? limit, CancellationToken cancellationToken)
    {
        Range("limit", limit, 1, 100);
        var path = Path($"channels/{channelId}/threads/archived/{kind}").Add("before", before).Add("limit", limit);
        return SendAsync(Request(HttpMethod.Get, $"/channels/{{channel_id}}/threads/archived/{kind}", path.ToString(), channelId.ToString()), Ctx.ThreadList, cancellationToken);
    }
}
