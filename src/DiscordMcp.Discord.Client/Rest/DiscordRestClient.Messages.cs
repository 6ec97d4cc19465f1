using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>GET /channels/{channel_id}/messages</c>, newest first; at most one of before, after, around; limit 1..100.</summary>
    public Task<IReadOnlyList<DiscordMessage>> GetMessagesAsync(Snowflake channelId, ListMessagesQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ListMessagesQuery();
        Range("limit", query.Limit, DiscordLimits.ListMessagesMin, DiscordLimits.ListMessagesMax);
        if ((query.Before is null ? 0 : 1) + (query.After is null ? 0 : 1) + (query.Around is null ? 0 : 1) > 1)
            throw Fail("before", "before, after and around are mutually exclusive: give at most one.");
        var path = Path($"channels/{channelId}/messages")
            .Add("around", query.Around).Add("before", query.Before).Add("after", query.After).Add("limit", query.Limit);
        return SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/messages", path.ToString(), channelId.ToString()),
            Ctx.IReadOnlyListDiscordMessage, cancellationToken);
    }

    /// <summary><c>GET /channels/{channel_id}/messages/{message_id}</c>.</summary>
    public Task<DiscordMessage> GetMessageAsync(Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId.ToString()),
            Ctx.DiscordMessage, cancellationToken);

    /// <summary>
    /// <c>POST /channels/{channel_id}/messages</c>. When <see cref="CreateMessageRequest.AllowedMentions"/> is null the client
    /// sends <c>{"parse":[]}</c>, so a message never pings anyone unless the caller says so.
    /// </summary>
    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, CreateMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessageBody("", request.Content, request.Embeds, request.AllowedMentions, request.Components, request.Flags, requireSomething: true, request.StickerIds);
        MaxLength("nonce", request.Nonce, DiscordLimits.Nonce);
        if (request.EnforceNonce == true && request.Nonce is null)
            throw Fail("nonce", "nonce is required when enforce_nonce is true.");
        var body = request.AllowedMentions is null ? request with { AllowedMentions = AllowedMentions.None } : request;
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/messages", $"channels/{channelId}/messages", channelId.ToString(), body: Body(body, Ctx.CreateMessageRequest)),
            Ctx.DiscordMessage, cancellationToken);
    }

    /// <summary>Sends plain text (no pings).</summary>
    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, string content, CancellationToken cancellationToken = default) =>
        CreateMessageAsync(channelId, new CreateMessageRequest { Content = content }, cancellationToken);

    /// <summary><c>PATCH /channels/{channel_id}/messages/{message_id}</c>: absent fields stay, explicit null clears.</summary>
    public Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, EditMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessageBody("", request.Content.GetValueOrDefault(), request.Embeds.GetValueOrDefault(), request.AllowedMentions.GetValueOrDefault(),
            request.Components.GetValueOrDefault(), request.Flags.GetValueOrDefault(), requireSomething: false);
        return SendAsync(
            Request(HttpMethod.Patch, "/channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId.ToString(),
                body: Body(request, Ctx.EditMessageRequest)),
            Ctx.DiscordMessage, cancellationToken);
    }

    /// <summary><c>DELETE /channels/{channel_id}/messages/{message_id}</c>.</summary>
    public Task DeleteMessageAsync(Snowflake channelId, Snowflake messageId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId.ToString(), reason),
            cancellationToken);

    /// <summary>
    /// <c>POST /channels/{channel_id}/messages/bulk-delete</c>: 2..100 distinct ids, none older than 14 days
    /// (judged from the snowflake time against the injected clock).
    /// </summary>
    public Task BulkDeleteMessagesAsync(Snowflake channelId, IReadOnlyList<Snowflake> messageIds, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        if (messageIds.Count is < DiscordLimits.BulkDeleteMin or > DiscordLimits.BulkDeleteMax)
            throw Fail("messages", $"messages must contain {DiscordLimits.BulkDeleteMin}-{DiscordLimits.BulkDeleteMax} ids (got {messageIds.Count}).");
        var oldest = _time.GetUtcNow() - DiscordLimits.BulkDeleteMaxAge;
        var seen = new HashSet<Snowflake>();
        for (var i = 0; i < messageIds.Count; i++)
        {
            if (!seen.Add(messageIds[i]))
                throw Fail($"messages[{i}]", $"messages[{i}] repeats id {messageIds[i]}; ids must be distinct.");
            if (messageIds[i].CreatedAt < oldest)
                throw Fail($"messages[{i}]", $"messages[{i}] ({messageIds[i]}) is older than {DiscordLimits.BulkDeleteMaxAge.TotalDays:0} days and cannot be bulk deleted.");
        }
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/messages/bulk-delete", $"channels/{channelId}/messages/bulk-delete", channelId.ToString(), reason,
                Body(new BulkDeleteRequest(messageIds), Ctx.BulkDeleteRequest)),
            cancellationToken);
    }

    /// <summary><c>POST /channels/{channel.id}/typing</c>: shows the bot as typing for about ten seconds.</summary>
    public Task TriggerTypingAsync(Snowflake channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Post, "/channels/{channel_id}/typing", $"channels/{channelId}/typing", channelId.ToString()), cancellationToken);

    /// <summary><c>PUT .../reactions/{emoji}/@me</c>. <paramref name="emoji"/> is a unicode emoji, <c>name:id</c> or <c>&lt;:name:id&gt;</c>.</summary>
    public Task CreateReactionAsync(Snowflake channelId, Snowflake messageId, string emoji, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Put, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            $"channels/{channelId}/messages/{messageId}/reactions/{ReactionEmoji(emoji)}/@me", channelId.ToString()), cancellationToken);

    /// <summary><c>DELETE .../reactions/{emoji}/@me</c>.</summary>
    public Task DeleteOwnReactionAsync(Snowflake channelId, Snowflake messageId, string emoji, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            $"channels/{channelId}/messages/{messageId}/reactions/{ReactionEmoji(emoji)}/@me", channelId.ToString()), cancellationToken);

    /// <summary><c>DELETE .../reactions/{emoji}/{user_id}</c> (MANAGE_MESSAGES).</summary>
    public Task DeleteUserReactionAsync(Snowflake channelId, Snowflake messageId, string emoji, Snowflake userId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}",
            $"channels/{channelId}/messages/{messageId}/reactions/{ReactionEmoji(emoji)}/{userId}", channelId.ToString()), cancellationToken);

    /// <summary><c>GET .../reactions/{emoji}</c>: users who reacted (limit 1..100).</summary>
    public Task<IReadOnlyList<DiscordUser>> GetReactionsAsync(
        Snowflake channelId, Snowflake messageId, string emoji, Snowflake? after = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var encoded = ReactionEmoji(emoji);
        Range("limit", limit, DiscordLimits.ReactionUsersMin, DiscordLimits.ReactionUsersMax);
        var path = Path($"channels/{channelId}/messages/{messageId}/reactions/{encoded}").Add("after", after).Add("limit", limit);
        return SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", path.ToString(), channelId.ToString()),
            Ctx.IReadOnlyListDiscordUser, cancellationToken);
    }

    /// <summary><c>GET /channels/{channel_id}/messages/pins</c>, paged by pin time (limit 1..50).</summary>
    public Task<PinnedMessages> GetPinnedMessagesAsync(Snowflake channelId, DateTimeOffset? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        Range("limit", limit, DiscordLimits.ListPinsMin, DiscordLimits.ListPinsMax);
        var path = Path($"channels/{channelId}/messages/pins").Add("before", before).Add("limit", limit);
        return SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/messages/pins", path.ToString(), channelId.ToString()), Ctx.PinnedMessages, cancellationToken);
    }

    /// <summary><c>PUT /channels/{channel_id}/messages/pins/{message_id}</c> (PIN_MESSAGES).</summary>
    public Task PinMessageAsync(Snowflake channelId, Snowflake messageId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Put, "/channels/{channel_id}/messages/pins/{message_id}", $"channels/{channelId}/messages/pins/{messageId}", channelId.ToString(), reason),
            cancellationToken);

    /// <summary><c>DELETE /channels/{channel_id}/messages/pins/{message_id}</c> (PIN_MESSAGES).</summary>
    public Task UnpinMessageAsync(Snowflake channelId, Snowflake messageId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/channels/{channel_id}/messages/pins/{message_id}", $"channels/{channelId}/messages/pins/{messageId}", channelId.ToString(), reason),
            cancellationToken);

    /// <summary>Normalises <c>&lt;:name:id&gt;</c> / <c>&lt;a:name:id&gt;</c> to <c>name:id</c> and URL-encodes the result.</summary>
    internal static string ReactionEmoji(string emoji)
    {
        NotEmpty("emoji", emoji);
        var value = emoji.Trim();
        if (value.StartsWith('<') && value.EndsWith('>'))
        {
            var inner = value[1..^1];
            if (inner.StartsWith("a:", StringComparison.Ordinal))
                inner = inner[2..];
            else if (inner.StartsWith(':'))
                inner = inner[1..];
            value = inner;
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && (colon == 0 || !Snowflake.TryParse(value.AsSpan(colon + 1), out _)))
            throw Fail("emoji", $"emoji must be a unicode emoji or a custom emoji as name:id (got \"{Clip(emoji)}\").");
        return Uri.EscapeDataString(value);
    }
}
