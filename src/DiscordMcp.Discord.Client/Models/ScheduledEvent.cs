using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client.Models;

public sealed record GuildScheduledEvent
{
    public required Snowflake Id { get; init; }
    public Snowflake GuildId { get; init; }
    public Snowflake? ChannelId { get; init; }
    public Snowflake? CreatorId { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public DateTimeOffset ScheduledStartTime { get; init; }
    public DateTimeOffset? ScheduledEndTime { get; init; }
    public ScheduledEventPrivacyLevel PrivacyLevel { get; init; }
    public ScheduledEventStatus Status { get; init; }
    public ScheduledEventEntityType EntityType { get; init; }
    public Snowflake? EntityId { get; init; }
    public ScheduledEventEntityMetadata? EntityMetadata { get; init; }
    public DiscordUser? Creator { get; init; }
    public int? UserCount { get; init; }
    public string? Image { get; init; }
}

public sealed record ScheduledEventEntityMetadata
{
    public string? Location { get; init; }
}

/// <summary>Body of <c>POST /guilds/{guild_id}/scheduled-events</c>.</summary>
public sealed record CreateScheduledEventRequest
{
    public required string Name { get; init; }
    public ScheduledEventPrivacyLevel PrivacyLevel { get; init; } = ScheduledEventPrivacyLevel.GuildOnly;
    public required DateTimeOffset ScheduledStartTime { get; init; }
    public DateTimeOffset? ScheduledEndTime { get; init; }
    public string? Description { get; init; }
    public required ScheduledEventEntityType EntityType { get; init; }
    /// <summary>Required for stage and voice events; must be absent for external ones.</summary>
    public Snowflake? ChannelId { get; init; }
    /// <summary>Required (with a location) for external events.</summary>
    public ScheduledEventEntityMetadata? EntityMetadata { get; init; }
    public string? Image { get; init; }
}

/// <summary>Body of <c>PATCH /guilds/{guild_id}/scheduled-events/{id}</c>; absent fields are left unchanged.</summary>
public sealed record ModifyScheduledEventRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> ChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<ScheduledEventEntityMetadata?> EntityMetadata { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<ScheduledEventPrivacyLevel> PrivacyLevel { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<DateTimeOffset> ScheduledStartTime { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<DateTimeOffset?> ScheduledEndTime { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Description { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<ScheduledEventEntityType> EntityType { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<ScheduledEventStatus> Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Image { get; init; }
}

public sealed record ScheduledEventUser
{
    public Snowflake GuildScheduledEventId { get; init; }
    public required DiscordUser User { get; init; }
    public GuildMember? Member { get; init; }
}
