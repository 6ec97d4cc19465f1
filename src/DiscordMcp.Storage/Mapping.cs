using System.Globalization;
using System.Text.Json;
using DiscordMcp.Policy.Model;
using DiscordMcp.Storage.Entities;

namespace DiscordMcp.Storage;

/// <summary>Entity ⇄ Policy record conversions. Enums are stored as lowercase words so rows read well in SQL.</summary>
internal static class Mapping
{
    private static readonly JsonSerializerOptions RateLimitJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// UTC, truncated to whole milliseconds: every provider stores that exactly (SQLite's binary form keeps 0.1 ms,
    /// PostgreSQL 1 µs), so a value read back equals the value written — which the audit hash depends on.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static DateTimeOffset? Normalize(DateTimeOffset? value) => value is { } v ? Normalize(v) : null;

    public static string? Snowflake(ulong? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string Snowflake(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static ulong? ParseSnowflake(string? value) =>
        value is null ? null : ulong.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);

    public static string? JoinScopes(IReadOnlyList<string>? scopes) => scopes is null ? null : string.Join(',', scopes);

    public static IReadOnlyList<string>? SplitScopes(string? scopes) =>
        scopes is null ? null : scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>OutcomeUnknown</c> → <c>outcome_unknown</c>.</summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    public static TEnum Parse<TEnum>(string word) where TEnum : struct, Enum =>
        Enum.Parse<TEnum>(word.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    public static Workspace ToRecord(this WorkspaceEntity e) => new(
        e.Id,
        e.Name,
        e.CreatedAt,
        e.RateLimitsJson is null ? null : JsonSerializer.Deserialize<RateLimitSettings>(e.RateLimitsJson, RateLimitJson));

    public static string? RateLimitsToJson(RateLimitSettings? settings) =>
        settings is null ? null : JsonSerializer.Serialize(settings, RateLimitJson);

    public static Principal ToRecord(this PrincipalEntity e) =>
        new(e.Id, Parse<PrincipalKind>(e.Kind), e.DisplayName, ParseSnowflake(e.DiscordUserId));

    public static WorkspaceMembership ToRecord(this WorkspaceMemberEntity e) =>
        new(e.WorkspaceId, e.PrincipalId, Parse<PlatformRole>(e.Role), SplitScopes(e.ToolsetScopes));

    public static ApiKeyRecord ToRecord(this ApiKeyEntity e) => new(
        e.Id, e.WorkspaceId, e.PrincipalId, Parse<PlatformRole>(e.Role), e.LookupId, e.SecretHash, e.CreatedAt,
        e.ExpiresAt, e.RevokedAt, e.Description, SplitScopes(e.ToolsetScopes));

    public static GuildInstallation ToRecord(this GuildInstallationEntity e) =>
        new(ParseSnowflake(e.GuildId)!.Value, e.WorkspaceId, e.InstalledAt, e.InstalledBy);

    public static ChannelPolicy ToRecord(this ChannelPolicyEntity e) => new(
        ParseSnowflake(e.GuildId)!.Value, Parse<ChannelPolicyScope>(e.TargetKind), ParseSnowflake(e.TargetId)!.Value,
        Parse<AccessRule>(e.Read), Parse<AccessRule>(e.Write), Parse<AccessRule>(e.AgentChat));

    public static ToolPolicy ToRecord(this ToolPolicyEntity e) =>
        new(e.WorkspaceId, Parse<ToolPolicyTarget>(e.TargetKind), e.Target, Parse<ToolMode>(e.Mode));

    public static PendingAction ToRecord(this PendingActionEntity e) => new(
        e.Id, e.WorkspaceId, e.PrincipalId, e.ToolName, e.CanonicalArguments, e.ArgumentHash, Parse<ToolMode>(e.Mode),
        ParseSnowflake(e.GuildId), e.CreatedAt, e.ExpiresAt, e.ApprovedBy);

    public static PendingActionEntity ToEntity(this PendingAction a) => new()
    {
        Id = a.Id,
        WorkspaceId = a.WorkspaceId,
        PrincipalId = a.PrincipalId,
        GuildId = Snowflake(a.GuildId),
        ToolName = a.ToolName,
        CanonicalArguments = a.CanonicalArguments,
        ArgumentHash = a.ArgumentHash,
        Mode = Word(a.Mode),
        CreatedAt = Normalize(a.CreatedAt),
        ExpiresAt = Normalize(a.ExpiresAt),
        ApprovedBy = a.ApprovedBy,
    };

    public static AuditEvent ToRecord(this AuditEventEntity e) => new(
        e.EventId, e.CallId, e.Time, e.PrincipalId, e.WorkspaceId, ParseSnowflake(e.GuildId), ParseSnowflake(e.ChannelId),
        e.Tool, e.Arguments, Parse<AuditDecision>(e.Decision), e.Layer, e.ReasonCode, e.Message, e.LatencyMicroseconds,
        Parse<AuditOutcome>(e.Outcome), e.Sequence, e.PrevHash, e.Hash)
    { EntryPoint = e.EntryPoint };

    public static AuditEventEntity ToEntity(this AuditEvent a) => new()
    {
        Sequence = a.Sequence,
        EventId = a.Id,
        CallId = a.CallId,
        Time = a.Time,
        PrincipalId = a.PrincipalId,
        WorkspaceId = a.WorkspaceId,
        GuildId = Snowflake(a.GuildId),
        ChannelId = Snowflake(a.ChannelId),
        Tool = a.Tool,
        Arguments = a.Arguments,
        Decision = Word(a.Decision),
        Layer = a.Layer,
        ReasonCode = a.ReasonCode,
        Message = a.Message,
        LatencyMicroseconds = a.LatencyMicroseconds,
        Outcome = Word(a.Outcome),
        EntryPoint = a.EntryPoint,
        PrevHash = a.PrevHash,
        Hash = a.Hash,
    };
}
