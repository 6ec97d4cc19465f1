using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Workspaces, principals, keys, installations and policies. Reads are on the hot path of every call
/// (implementations may cache with short TTLs and invalidate on their own writes); writes are admin operations.
/// Any exception thrown here makes the pipeline deny with <c>policy_error</c> (fail closed).
/// </summary>
public interface IPlatformStore
{
    // ---- reads used by the pipeline ----

    /// <summary>The key whose public lookup id is <paramref name="lookupId"/>, or <c>null</c>.</summary>
    ValueTask<ApiKeyRecord?> FindApiKeyByLookupIdAsync(string lookupId, CancellationToken cancellationToken);

    /// <summary>The workspace, or <c>null</c>.</summary>
    ValueTask<Workspace?> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The principal, or <c>null</c>.</summary>
    ValueTask<Principal?> GetPrincipalAsync(string principalId, CancellationToken cancellationToken);

    /// <summary>The principal's membership of the workspace, or <c>null</c>.</summary>
    ValueTask<WorkspaceMembership?> GetMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken);

    /// <summary>The installation of the guild (in whichever workspace), or <c>null</c>.</summary>
    ValueTask<GuildInstallation?> GetInstallationAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>Every channel policy of the guild (guild, category and channel scopes).</summary>
    ValueTask<IReadOnlyList<ChannelPolicy>> GetChannelPoliciesAsync(ulong guildId, CancellationToken cancellationToken);

    /// <summary>Every tool policy of the workspace.</summary>
    ValueTask<IReadOnlyList<ToolPolicy>> GetToolPoliciesAsync(string workspaceId, CancellationToken cancellationToken);

    // ---- admin reads ----

    /// <summary>All workspaces, by id.</summary>
    Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken);

    /// <summary>The workspace's keys (revoked and expired included), newest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The workspace's guild installations.</summary>
    Task<IReadOnlyList<GuildInstallation>> ListInstallationsAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The workspace's members.</summary>
    Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(string workspaceId, CancellationToken cancellationToken);

    // ---- admin writes ----

    /// <summary>Creates a workspace. Throws <see cref="PlatformConflictException"/> when the id exists.</summary>
    Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken);

    /// <summary>Replaces the workspace's name and rate-limit settings. Throws <see cref="PlatformNotFoundException"/> when missing.</summary>
    Task UpdateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a principal.</summary>
    Task UpsertPrincipalAsync(Principal principal, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a membership. Throws <see cref="PlatformNotFoundException"/> when the workspace or principal is missing.</summary>
    Task SetMembershipAsync(WorkspaceMembership membership, CancellationToken cancellationToken);

    /// <summary>Removes a membership; returns false when there was none.</summary>
    Task<bool> RemoveMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken);

    /// <summary>Stores a new key. Throws <see cref="PlatformConflictException"/> on a duplicate id or lookup id.</summary>
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Marks a key revoked at <paramref name="revokedAt"/> (idempotent); returns false when no such key in the workspace.</summary>
    Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Installs a guild into a workspace. Idempotent for the same workspace; throws <see cref="PlatformConflictException"/>
    /// when the guild belongs to another workspace (a guild belongs to at most one workspace).
    /// </summary>
    Task InstallGuildAsync(GuildInstallation installation, CancellationToken cancellationToken);

    /// <summary>Removes the installation (and the guild's channel policies); false when the guild is not installed in that workspace.</summary>
    Task<bool> UninstallGuildAsync(string workspaceId, ulong guildId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the channel policy for (guild, target).</summary>
    Task SetChannelPolicyAsync(ChannelPolicy policy, CancellationToken cancellationToken);

    /// <summary>Removes the channel policy for (guild, target); false when none.</summary>
    Task<bool> RemoveChannelPolicyAsync(ulong guildId, ulong targetId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the tool policy for (workspace, target, name).</summary>
    Task SetToolPolicyAsync(ToolPolicy policy, CancellationToken cancellationToken);

    /// <summary>Removes a tool policy; false when none.</summary>
    Task<bool> RemoveToolPolicyAsync(string workspaceId, ToolPolicyTarget target, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically replaces ALL channel policies of the workspace's installed guilds and all its tool policies
    /// (policy file import: nothing half-applied). Throws <see cref="PlatformNotFoundException"/> when a channel
    /// policy names a guild not installed in the workspace; then nothing changes.
    /// </summary>
    Task ReplacePoliciesAsync(
        string workspaceId,
        IReadOnlyList<ChannelPolicy> channelPolicies,
        IReadOnlyList<ToolPolicy> toolPolicies,
        CancellationToken cancellationToken);
}

/// <summary>A write would break a uniqueness rule (duplicate id, guild owned by another workspace).</summary>
public sealed class PlatformConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformConflictException() { }
    /// <summary>Creates the exception with a message.</summary>
    public PlatformConflictException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and cause.</summary>
    public PlatformConflictException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A write refers to something that does not exist.</summary>
public sealed class PlatformNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformNotFoundException() { }
    /// <summary>Creates the exception with a message.</summary>
    public PlatformNotFoundException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and cause.</summary>
    public PlatformNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}
