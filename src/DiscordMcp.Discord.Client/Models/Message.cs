using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client.Models;

public sealed record DiscordMessage
{
    public required Snowflake Id { get; init; }
    public Snowflake ChannelId { get; init; }
    public Snowflake? GuildId { get; init; }
    public required DiscordUser Author { get; init; }
    public string Content { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public DateTimeOffset? EditedTimestamp { get; init; }
    public bool Tts { get; init; }
    public bool MentionEveryone { get; init; }
    public IReadOnlyList<DiscordUser> Mentions { get; init; } = [];
    public IReadOnlyList<Snowflake> MentionRoles { get; init; } = [];
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    public IReadOnlyList<Embed> Embeds { get; init; } = [];
    public IReadOnlyList<Reaction>? Reactions { get; init; }
    public bool Pinned { get; init; }
    public Snowflake? WebhookId { get; init; }
    public int Type { get; init; }
    public MessageFlags? Flags { get; init; }
    public MessageReference? MessageReference { get; init; }
    public DiscordMessage? ReferencedMessage { get; init; }
    public DiscordChannel? Thread { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public Snowflake? ApplicationId { get; init; }
}

public sealed record Attachment
{
    public required Snowflake Id { get; init; }
    public string Filename { get; init; } = "";
    public string? Description { get; init; }
    public string? ContentType { get; init; }
    public long Size { get; init; }
    public string Url { get; init; } = "";
    public string? ProxyUrl { get; init; }
    public int? Height { get; init; }
    public int? Width { get; init; }
    public bool? Ephemeral { get; init; }
}

public sealed record Reaction
{
    public int Count { get; init; }
    public bool Me { get; init; }
    public required Emoji Emoji { get; init; }
}

public sealed record Emoji
{
    public Snowflake? Id { get; init; }
    public string? Name { get; init; }
    public bool? Animated { get; init; }
}

public sealed record MessageReference
{
    public int? Type { get; init; }
    public Snowflake? MessageId { get; init; }
    public Snowflake? ChannelId { get; init; }
    public Snowflake? GuildId { get; init; }
    public bool? FailIfNotExists { get; init; }
}

/// <summary>Who a message may ping. <see cref="None"/> (<c>{"parse":[]}</c>) pings nobody.</summary>
public sealed record AllowedMentions
{
    public const string Users = "users";
    public const string Roles = "roles";
    public const string Everyone = "everyone";

    /// <summary>Pings nobody: the default the client sends when the caller gives no allowed_mentions.</summary>
    public static AllowedMentions None { get; } = new() { Parse = [] };

    /// <summary>Mention types to parse from content: <c>users</c>, <c>roles</c>, <c>everyone</c>.</summary>
    public IReadOnlyList<string>? Parse { get; init; }
    [JsonPropertyName("users")] public IReadOnlyList<Snowflake>? UserIds { get; init; }
    [JsonPropertyName("roles")] public IReadOnlyList<Snowflake>? RoleIds { get; init; }
    public bool? RepliedUser { get; init; }
}

public sealed record Embed
{
    public string? Title { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public int? Color { get; init; }
    public EmbedFooter? Footer { get; init; }
    public EmbedMedia? Image { get; init; }
    public EmbedMedia? Thumbnail { get; init; }
    public EmbedMedia? Video { get; init; }
    public EmbedProvider? Provider { get; init; }
    public EmbedAuthor? Author { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
}

public sealed record EmbedFooter
{
    public required string Text { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record EmbedMedia
{
    public required string Url { get; init; }
    public string? ProxyUrl { get; init; }
    public int? Height { get; init; }
    public int? Width { get; init; }
}

public sealed record EmbedProvider
{
    public string? Name { get; init; }
    public string? Url { get; init; }
}

public sealed record EmbedAuthor
{
    public required string Name { get; init; }
    public string? Url { get; init; }
    public string? IconUrl { get; init; }
}

public sealed record EmbedField
{
    public required string Name { get; init; }
    public required string Value { get; init; }
    public bool? Inline { get; init; }
}

/// <summary>Body of <c>POST /channels/{channel_id}/messages</c>. At least one of content, embeds, components or sticker ids.</summary>
public sealed record CreateMessageRequest
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    /// <summary>When null the client sends <see cref="AllowedMentions.None"/> so that nobody is pinged by accident.</summary>
    public AllowedMentions? AllowedMentions { get; init; }
    public MessageReference? MessageReference { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public IReadOnlyList<Snowflake>? StickerIds { get; init; }
    public MessageFlags? Flags { get; init; }
    /// <summary>Up to 25 characters; with <see cref="EnforceNonce"/> Discord de-duplicates sends.</summary>
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }
    public bool? Tts { get; init; }
}

/// <summary>Body of <c>PATCH /channels/{channel_id}/messages/{message_id}</c>; absent fields are left unchanged.</summary>
public sealed record EditMessageRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Content { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<Embed>?> Embeds { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<MessageFlags?> Flags { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<AllowedMentions?> AllowedMentions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<MessageComponent>?> Components { get; init; }
}

public sealed record BulkDeleteRequest(IReadOnlyList<Snowflake> Messages);

/// <summary>Response of <c>GET /channels/{channel_id}/messages/pins</c>.</summary>
public sealed record PinnedMessages
{
    public IReadOnlyList<MessagePin> Items { get; init; } = [];
    public bool HasMore { get; init; }
}

public sealed record MessagePin
{
    public DateTimeOffset PinnedAt { get; init; }
    public required DiscordMessage Message { get; init; }
}

/// <summary>Which messages to list: at most one of before, after, around.</summary>
public sealed record ListMessagesQuery
{
    public Snowflake? Before { get; init; }
    public Snowflake? After { get; init; }
    public Snowflake? Around { get; init; }
    /// <summary>1..100; Discord's default is 50.</summary>
    public int? Limit { get; init; }
}
