namespace DiscordMcp.Policy.Model;

/// <summary>A tenant: owns guild installations, principals, keys and policies.</summary>
/// <param name="Id">Stable id (e.g. <c>default</c>); lowercase letters, digits, '-' and '_'.</param>
/// <param name="RateLimits">Per-workspace budgets; <c>null</c> means <see cref="RateLimitSettings.Default"/>.</param>
public sealed record Workspace(string Id, string Name, DateTimeOffset CreatedAt, RateLimitSettings? RateLimits = null);

/// <summary>Platform role of a principal inside one workspace. Ordered: a higher value includes the lower ones.</summary>
public enum PlatformRole
{
    /// <summary>No access (the zero value; never granted explicitly).</summary>
    None = 0,
    /// <summary>Read tools.</summary>
    Viewer = 1,
    /// <summary>Write tools, under confirmation.</summary>
    Operator = 2,
    /// <summary>Everything: approvals, policy, keys.</summary>
    Admin = 3,
}

/// <summary>How a principal reaches the platform.</summary>
public enum PrincipalKind
{
    /// <summary>Unknown (zero value; never stored).</summary>
    None = 0,
    /// <summary>An MCP client authenticating with a <c>dmcp_</c> API key (or an external bearer token).</summary>
    ApiClient = 1,
    /// <summary>The local operator on stdio.</summary>
    LocalOperator = 2,
    /// <summary>A Discord user acting through the in-Discord agent.</summary>
    DiscordUser = 3,
}

/// <summary>Someone (or something) that calls tools.</summary>
/// <param name="Id">Stable id, e.g. <c>key:ab12cd34ef56</c>, <c>local:operator</c>, <c>discord:80351110224678912</c>.</param>
/// <param name="DiscordUserId">Set for <see cref="PrincipalKind.DiscordUser"/>.</param>
public sealed record Principal(string Id, PrincipalKind Kind, string DisplayName, ulong? DiscordUserId = null);

/// <summary>A principal's role in one workspace, optionally narrowed to some toolsets.</summary>
/// <param name="ToolsetScopes"><c>null</c> = every toolset; otherwise only these toolset names (case-insensitive).</param>
public sealed record WorkspaceMembership(
    string WorkspaceId,
    string PrincipalId,
    PlatformRole Role,
    IReadOnlyList<string>? ToolsetScopes = null);

/// <summary>
/// A stored API key. The secret is never stored: only <see cref="SecretHash"/> (see <c>ApiKeys</c>).
/// A key <c>dmcp_{LookupId}_{secret}</c> is found by <see cref="LookupId"/> and verified in constant time.
/// </summary>
/// <param name="Id">Record id (also used in the principal id <c>key:{LookupId}</c>).</param>
/// <param name="LookupId">The public, non-secret part after <c>dmcp_</c>; unique; indexed.</param>
/// <param name="SecretHash">Lowercase hex SHA-256 of the secret part.</param>
/// <param name="ToolsetScopes"><c>null</c> = all toolsets the role allows.</param>
public sealed record ApiKeyRecord(
    string Id,
    string WorkspaceId,
    string PrincipalId,
    PlatformRole Role,
    string LookupId,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RevokedAt = null,
    string? Description = null,
    IReadOnlyList<string>? ToolsetScopes = null);

/// <summary>A guild installed into a workspace. A guild belongs to at most one workspace (unique on <see cref="GuildId"/>).</summary>
public sealed record GuildInstallation(ulong GuildId, string WorkspaceId, DateTimeOffset InstalledAt, string? InstalledBy = null);
