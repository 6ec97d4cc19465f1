using System.Text.Json;

namespace DiscordMcp.Discord.Client.Models;

public sealed record AuditLog
{
    public IReadOnlyList<AuditLogEntry> AuditLogEntries { get; init; } = [];
    public IReadOnlyList<DiscordUser> Users { get; init; } = [];
    public IReadOnlyList<DiscordWebhook> Webhooks { get; init; } = [];
    public IReadOnlyList<DiscordChannel> Threads { get; init; } = [];
    public IReadOnlyList<GuildScheduledEvent> GuildScheduledEvents { get; init; } = [];
}

public sealed record AuditLogEntry
{
    public required Snowflake Id { get; init; }
    /// <summary>Usually a snowflake; kept as text because Discord does not promise it.</summary>
    public string? TargetId { get; init; }
    public Snowflake? UserId { get; init; }
    public AuditLogEvent ActionType { get; init; }
    public IReadOnlyList<AuditLogChange>? Changes { get; init; }
    public AuditLogEntryOptions? Options { get; init; }
    public string? Reason { get; init; }
}

public sealed record AuditLogChange
{
    public string Key { get; init; } = "";
    public JsonElement? OldValue { get; init; }
    public JsonElement? NewValue { get; init; }
}

/// <summary>Extra entry info; Discord sends every field as a string.</summary>
public sealed record AuditLogEntryOptions
{
    public Snowflake? ChannelId { get; init; }
    public string? Count { get; init; }
    public string? DeleteMemberDays { get; init; }
    public Snowflake? Id { get; init; }
    public string? MembersRemoved { get; init; }
    public Snowflake? MessageId { get; init; }
    public string? RoleName { get; init; }
    public string? Type { get; init; }
}

/// <summary>Filters of <c>GET /guilds/{guild_id}/audit-logs</c>.</summary>
public sealed record AuditLogQuery
{
    public Snowflake? UserId { get; init; }
    /// <summary>Any value is passed through, including types this client does not name.</summary>
    public AuditLogEvent? ActionType { get; init; }
    public Snowflake? Before { get; init; }
    public Snowflake? After { get; init; }
    /// <summary>Documented by the spec, not by the docs.</summary>
    public Snowflake? TargetId { get; init; }
    /// <summary>1..100; Discord's default is 50.</summary>
    public int? Limit { get; init; }
}
