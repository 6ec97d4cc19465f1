namespace DiscordMcp.Discord.Client.Models;

/// <summary>Body of <c>POST /channels/{channel_id}/messages/{message_id}/threads</c>.</summary>
public sealed record StartThreadFromMessageRequest
{
    public required string Name { get; init; }
    /// <summary>Minutes: 60, 1440, 4320 or 10080.</summary>
    public int? AutoArchiveDuration { get; init; }
    public int? RateLimitPerUser { get; init; }
}

/// <summary>Body of <c>POST /channels/{channel_id}/threads</c> for a thread without a starter message.</summary>
public sealed record StartThreadRequest
{
    public required string Name { get; init; }
    public int? AutoArchiveDuration { get; init; }
    /// <summary>10, 11 or 12; Discord defaults to 12 (private thread) when absent.</summary>
    public ChannelType? Type { get; init; }
    public bool? Invitable { get; init; }
    public int? RateLimitPerUser { get; init; }
}

/// <summary>Body of <c>POST /channels/{channel_id}/threads</c> in a forum or media channel: a post with its first message.</summary>
public sealed record StartForumThreadRequest
{
    public required string Name { get; init; }
    public int? AutoArchiveDuration { get; init; }
    public int? RateLimitPerUser { get; init; }
    public required ForumThreadMessage Message { get; init; }
    public IReadOnlyList<Snowflake>? AppliedTags { get; init; }
}

/// <summary>The first message of a forum post.</summary>
public sealed record ForumThreadMessage
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    /// <summary>When null the client sends <see cref="AllowedMentions.None"/>.</summary>
    public AllowedMentions? AllowedMentions { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public IReadOnlyList<Snowflake>? StickerIds { get; init; }
    public MessageFlags? Flags { get; init; }
}

public sealed record ThreadMember
{
    public Snowflake? Id { get; init; }
    public Snowflake? UserId { get; init; }
    public DateTimeOffset JoinTimestamp { get; init; }
    public int Flags { get; init; }
    public GuildMember? Member { get; init; }
}

/// <summary>Active or archived threads, with the bot's thread-member objects.</summary>
public sealed record ThreadList
{
    public IReadOnlyList<DiscordChannel> Threads { get; init; } = [];
    public IReadOnlyList<ThreadMember> Members { get; init; } = [];
    public bool HasMore { get; init; }
}
