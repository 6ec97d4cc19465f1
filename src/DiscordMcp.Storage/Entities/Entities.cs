namespace DiscordMcp.Storage.Entities;

// Persistence shapes. They stay internal: other projects see the Policy records through the store
// implementations, never these classes. Ids that come from Discord are snowflakes kept as strings.

internal sealed class WorkspaceEntity
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Per-workspace rate-limit settings as JSON; null means the defaults.</summary>
    public string? RateLimitsJson { get; set; }
}

internal sealed class PrincipalEntity
{
    public required string Id { get; set; }
    /// <summary><c>api_client</c>, <c>local_operator</c> or <c>discord_user</c>.</summary>
    public required string Kind { get; set; }
    public required string DisplayName { get; set; }
    public string? DiscordUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A principal's platform role in one workspace, optionally narrowed to some toolsets.</summary>
internal sealed class WorkspaceMemberEntity
{
    public required string WorkspaceId { get; set; }
    public required string PrincipalId { get; set; }
    /// <summary><c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public required string Role { get; set; }
    /// <summary>Comma-separated toolset names; null means every toolset the role allows.</summary>
    public string? ToolsetScopes { get; set; }
}

internal sealed class ApiKeyEntity
{
    public required string Id { get; set; }
    /// <summary>The non-secret lookup part of the key; unique.</summary>
    public required string LookupId { get; set; }
    /// <summary>SHA-256 of the whole key, lowercase hex. The key itself is never stored.</summary>
    public required string SecretHash { get; set; }
    public required string WorkspaceId { get; set; }
    public required string PrincipalId { get; set; }
    public required string Role { get; set; }
    public string? Description { get; set; }
    /// <summary>Comma-separated toolset names; null means every toolset the role allows.</summary>
    public string? ToolsetScopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A guild belongs to at most one workspace: the guild id is the key.</summary>
internal sealed class GuildInstallationEntity
{
    public required string GuildId { get; set; }
    public required string WorkspaceId { get; set; }
    public DateTimeOffset InstalledAt { get; set; }
    public string? InstalledBy { get; set; }
}

internal sealed class ChannelPolicyEntity
{
    public long Id { get; set; }
    public required string WorkspaceId { get; set; }
    public required string GuildId { get; set; }
    /// <summary><c>guild</c>, <c>category</c> or <c>channel</c>.</summary>
    public required string TargetKind { get; set; }
    /// <summary>The channel or category id; the guild id for a guild-wide policy (never null, so the unique index holds).</summary>
    public required string TargetId { get; set; }
    /// <summary><c>inherit</c>, <c>allow</c> or <c>deny</c>.</summary>
    public required string Read { get; set; }
    public required string Write { get; set; }
    public required string AgentChat { get; set; }
}

internal sealed class ToolPolicyEntity
{
    public long Id { get; set; }
    public required string WorkspaceId { get; set; }
    /// <summary><c>tool</c> or <c>toolset</c>.</summary>
    public required string TargetKind { get; set; }
    public required string Target { get; set; }
    /// <summary><c>allow</c>, <c>confirm</c>, <c>approve</c> or <c>deny</c>.</summary>
    public required string Mode { get; set; }
}

internal sealed class PendingActionEntity
{
    public required string Id { get; set; }
    public required string WorkspaceId { get; set; }
    public required string PrincipalId { get; set; }
    public string? GuildId { get; set; }
    public required string ToolName { get; set; }
    public required string CanonicalArguments { get; set; }
    public required string ArgumentHash { get; set; }
    /// <summary><c>confirm</c> or <c>approve</c>.</summary>
    public required string Mode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>Who approved an <c>approve</c>-mode action; null until then. Consuming deletes the row.</summary>
    public string? ApprovedBy { get; set; }
}

/// <summary>
/// One audit event. Append-only and hash-chained: <see cref="Hash"/> covers every other column and
/// <see cref="PrevHash"/>, so editing, deleting or reordering rows breaks the chain.
/// </summary>
internal sealed class AuditEventEntity
{
    /// <summary>1, 2, 3, … without gaps; assigned under the append lock.</summary>
    public long Sequence { get; set; }
    public required string EventId { get; set; }
    /// <summary>Groups the events of one call (e.g. <c>executing</c> and its outcome).</summary>
    public required string CallId { get; set; }
    public DateTimeOffset Time { get; set; }
    public string? PrincipalId { get; set; }
    public string? WorkspaceId { get; set; }
    public string? GuildId { get; set; }
    public string? ChannelId { get; set; }
    public required string Tool { get; set; }
    /// <summary>Redacted arguments (JSON text).</summary>
    public string? Arguments { get; set; }
    public required string Decision { get; set; }
    public string? Layer { get; set; }
    public string? ReasonCode { get; set; }
    public string? Message { get; set; }
    public long LatencyMicroseconds { get; set; }
    /// <summary><c>none</c>, <c>executing</c>, <c>executed</c>, <c>failed</c>, <c>outcome_unknown</c>.</summary>
    public required string Outcome { get; set; }
    /// <summary><c>http</c>, <c>stdio</c>, <c>agent</c>, <c>cli</c>; null in rows written before the column existed.</summary>
    public string? EntryPoint { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
}

/// <summary>A reviewable automation rule (never executed); see <c>IAutomationDraftStore</c>.</summary>
internal sealed class AutomationDraftEntity
{
    public required string Id { get; set; }
    public required string WorkspaceId { get; set; }
    public required string GuildId { get; set; }
    public required string CreatedBy { get; set; }
    public required string Name { get; set; }
    public required string Trigger { get; set; }
    public required string DefinitionJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
