using System.Text.Json.Serialization;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Models;

/// <summary>A channel or thread. Overwrites use the permission rules' own <see cref="PermissionOverwrite"/>, so a channel feeds the calculator directly.</summary>
public sealed record DiscordChannel
{
    public required Snowflake Id { get; init; }
    public ChannelType Type { get; init; }
    public Snowflake? GuildId { get; init; }
    public int? Position { get; init; }
    public IReadOnlyList<PermissionOverwrite>? PermissionOverwrites { get; init; }
    public string? Name { get; init; }
    public string? Topic { get; init; }
    public bool? Nsfw { get; init; }
    public Snowflake? LastMessageId { get; init; }
    public int? Bitrate { get; init; }
    public int? UserLimit { get; init; }
    public int? RateLimitPerUser { get; init; }
    public Snowflake? ParentId { get; init; }
    public DateTimeOffset? LastPinTimestamp { get; init; }
    public string? RtcRegion { get; init; }
    public Snowflake? OwnerId { get; init; }
    public int? MessageCount { get; init; }
    public int? MemberCount { get; init; }
    public ThreadMetadata? ThreadMetadata { get; init; }
    public ThreadMember? Member { get; init; }
    public int? DefaultAutoArchiveDuration { get; init; }
    /// <summary>The bot's permissions in the channel (interaction payloads only).</summary>
    public DiscordPermissions? Permissions { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<ForumTag>? AvailableTags { get; init; }
    public IReadOnlyList<Snowflake>? AppliedTags { get; init; }
    /// <summary>The users of a DM (type 1): the other person (the bot itself is not listed).</summary>
    public IReadOnlyList<DiscordUser>? Recipients { get; init; }
}

public sealed record ThreadMetadata
{
    public bool Archived { get; init; }
    public int AutoArchiveDuration { get; init; }
    public DateTimeOffset? ArchiveTimestamp { get; init; }
    public bool Locked { get; init; }
    public bool? Invitable { get; init; }
    public DateTimeOffset? CreateTimestamp { get; init; }
}

public sealed record ForumTag
{
    public Snowflake? Id { get; init; }
    public string Name { get; init; } = "";
    public bool Moderated { get; init; }
    public Snowflake? EmojiId { get; init; }
    public string? EmojiName { get; init; }
}

/// <summary>Body of <c>POST /guilds/{guild_id}/channels</c>.</summary>
public sealed record CreateChannelRequest
{
    public required string Name { get; init; }
    public ChannelType? Type { get; init; }
    public string? Topic { get; init; }
    public int? Bitrate { get; init; }
    public int? UserLimit { get; init; }
    public int? RateLimitPerUser { get; init; }
    public int? Position { get; init; }
    public IReadOnlyList<PermissionOverwrite>? PermissionOverwrites { get; init; }
    public Snowflake? ParentId { get; init; }
    public bool? Nsfw { get; init; }
    public int? DefaultAutoArchiveDuration { get; init; }
    public IReadOnlyList<ForumTag>? AvailableTags { get; init; }
}

/// <summary>Body of <c>PATCH /channels/{channel_id}</c> (guild channels and threads); absent fields are left unchanged.</summary>
public sealed record ModifyChannelRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<ChannelType> Type { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> Position { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Topic { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Nsfw { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> RateLimitPerUser { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> Bitrate { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> UserLimit { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<PermissionOverwrite>?> PermissionOverwrites { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> ParentId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> DefaultAutoArchiveDuration { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<ForumTag>?> AvailableTags { get; init; }
    // Thread-only fields.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool> Archived { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int> AutoArchiveDuration { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool> Locked { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool> Invitable { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<Snowflake>> AppliedTags { get; init; }
}

/// <summary>One entry of <c>PATCH /guilds/{guild_id}/channels</c> (reorder).</summary>
public sealed record ChannelPosition
{
    public required Snowflake Id { get; init; }
    public int? Position { get; init; }
    public bool? LockPermissions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> ParentId { get; init; }
}

/// <summary>Body of <c>PUT /channels/{channel_id}/permissions/{overwrite_id}</c>.</summary>
public sealed record EditPermissionOverwriteRequest
{
    public required OverwriteType Type { get; init; }
    public DiscordPermissions? Allow { get; init; }
    public DiscordPermissions? Deny { get; init; }
}
