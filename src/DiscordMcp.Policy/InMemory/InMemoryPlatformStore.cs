using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>
/// Thread-safe in-memory <see cref="IPlatformStore"/> for tests and the default single-process mode.
/// One lock guards all state; reads return immutable snapshots (lists are copied on write).
/// </summary>
public sealed class InMemoryPlatformStore : IPlatformStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Principal> _principals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Workspace, string Principal), WorkspaceMembership> _memberships = [];
    private readonly Dictionary<string, ApiKeyRecord> _keysById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApiKeyRecord> _keysByLookup = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, GuildInstallation> _installations = [];
    private readonly Dictionary<ulong, IReadOnlyList<ChannelPolicy>> _channelPolicies = [];
    private readonly Dictionary<string, IReadOnlyList<ToolPolicy>> _toolPolicies = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ApiKeyRecord?> FindApiKeyByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_keysByLookup.GetValueOrDefault(lookupId));
        }
    }

    /// <inheritdoc />
    public ValueTask<Workspace?> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_workspaces.GetValueOrDefault(workspaceId));
        }
    }

    /// <inheritdoc />
    public ValueTask<Principal?> GetPrincipalAsync(string principalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_principals.GetValueOrDefault(principalId));
        }
    }

    /// <inheritdoc />
    public ValueTask<WorkspaceMembership?> GetMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_memberships.GetValueOrDefault((workspaceId, principalId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<GuildInstallation?> GetInstallationAsync(ulong guildId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_installations.GetValueOrDefault(guildId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ChannelPolicy>> GetChannelPoliciesAsync(ulong guildId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_channelPolicies.GetValueOrDefault(guildId) ?? []);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ToolPolicy>> GetToolPoliciesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_toolPolicies.GetValueOrDefault(workspaceId) ?? []);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Workspace>>([.. _workspaces.Values.OrderBy(w => w.Id, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ApiKeyRecord>>(
                [.. _keysById.Values.Where(k => k.WorkspaceId == workspaceId).OrderByDescending(k => k.CreatedAt)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GuildInstallation>> ListInstallationsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<GuildInstallation>>(
                [.. _installations.Values.Where(i => i.WorkspaceId == workspaceId).OrderBy(i => i.GuildId)]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WorkspaceMembership>>(
                [.. _memberships.Values.Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.PrincipalId, StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc />
    public Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        lock (_gate)
        {
            if (!_workspaces.TryAdd(workspace.Id, workspace))
            {
                throw new PlatformConflictException($"workspace '{workspace.Id}' already exists");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        lock (_gate)
        {
            if (!_workspaces.ContainsKey(workspace.Id))
            {
                throw new PlatformNotFoundException($"workspace '{workspace.Id}' does not exist");
            }

            _workspaces[workspace.Id] = workspace;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertPrincipalAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        lock (_gate)
        {
            _principals[principal.Id] = principal;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetMembershipAsync(WorkspaceMembership membership, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membership);
        lock (_gate)
        {
            RequireWorkspace(membership.WorkspaceId);
            if (!_principals.ContainsKey(membership.PrincipalId))
            {
                throw new PlatformNotFoundException($"principal '{membership.PrincipalId}' does not exist");
            }

            _memberships[(membership.WorkspaceId, membership.PrincipalId)] = membership;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_memberships.Remove((workspaceId, principalId)));
        }
    }

    /// <inheritdoc />
    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            RequireWorkspace(key.WorkspaceId);
            if (_keysById.ContainsKey(key.Id) || _keysByLookup.ContainsKey(key.LookupId))
            {
                throw new PlatformConflictException($"api key '{key.Id}' (lookup '{key.LookupId}') already exists");
            }

            _keysById[key.Id] = key;
            _keysByLookup[key.LookupId] = key;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_keysById.TryGetValue(keyId, out var key) || key.WorkspaceId != workspaceId)
            {
                return Task.FromResult(false);
            }

            if (key.RevokedAt is null)
            {
                var revoked = key with { RevokedAt = revokedAt };
                _keysById[keyId] = revoked;
                _keysByLookup[key.LookupId] = revoked;
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task InstallGuildAsync(GuildInstallation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        lock (_gate)
        {
            RequireWorkspace(installation.WorkspaceId);
            if (_installations.TryGetValue(installation.GuildId, out var existing))
            {
                if (existing.WorkspaceId != installation.WorkspaceId)
                {
                    throw new PlatformConflictException($"guild {installation.GuildId} is already installed in another workspace; uninstall it there first");
                }

                return Task.CompletedTask;
            }

            _installations[installation.GuildId] = installation;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> UninstallGuildAsync(string workspaceId, ulong guildId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_installations.TryGetValue(guildId, out var existing) || existing.WorkspaceId != workspaceId)
            {
                return Task.FromResult(false);
            }

            _installations.Remove(guildId);
            _channelPolicies.Remove(guildId);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task SetChannelPolicyAsync(ChannelPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            var current = _channelPolicies.GetValueOrDefault(policy.GuildId) ?? [];
            _channelPolicies[policy.GuildId] = [.. current.Where(p => p.TargetId != policy.TargetId), policy];
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveChannelPolicyAsync(ulong guildId, ulong targetId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _channelPolicies.GetValueOrDefault(guildId) ?? [];
            var next = current.Where(p => p.TargetId != targetId).ToArray();
            _channelPolicies[guildId] = next;
            return Task.FromResult(next.Length != current.Count);
        }
    }

    /// <inheritdoc />
    public Task SetToolPolicyAsync(ToolPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            RequireWorkspace(policy.WorkspaceId);
            var current = _toolPolicies.GetValueOrDefault(policy.WorkspaceId) ?? [];
            _toolPolicies[policy.WorkspaceId] = [.. current.Where(p => !SameTarget(p, policy.Target, policy.Name)), policy];
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveToolPolicyAsync(string workspaceId, ToolPolicyTarget target, string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var current = _toolPolicies.GetValueOrDefault(workspaceId) ?? [];
            var next = current.Where(p => !SameTarget(p, target, name)).ToArray();
            _toolPolicies[workspaceId] = next;
            return Task.FromResult(next.Length != current.Count);
        }
    }

    /// <inheritdoc />
    public Task ReplacePoliciesAsync(string workspaceId, IReadOnlyList<ChannelPolicy> channelPolicies, IReadOnlyList<ToolPolicy> toolPolicies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelPolicies);
        ArgumentNullException.ThrowIfNull(toolPolicies);
        lock (_gate)
        {
            RequireWorkspace(workspaceId);
            var guilds = _installations.Values.Where(i => i.WorkspaceId == workspaceId).Select(i => i.GuildId).ToHashSet();
            foreach (var p in channelPolicies)
            {
                if (!guilds.Contains(p.GuildId))
                {
                    throw new PlatformNotFoundException($"channel policy for target {p.TargetId} names guild {p.GuildId}, which is not installed in workspace '{workspaceId}'");
                }
            }

            foreach (var t in toolPolicies)
            {
                if (t.WorkspaceId != workspaceId)
                {
                    throw new PlatformNotFoundException($"tool policy '{t.Name}' belongs to workspace '{t.WorkspaceId}', not '{workspaceId}'");
                }
            }

            // Validated: apply all at once (nothing half-applied).
            foreach (var guild in guilds)
            {
                _channelPolicies[guild] = [.. channelPolicies.Where(p => p.GuildId == guild)];
            }

            _toolPolicies[workspaceId] = [.. toolPolicies];
        }

        return Task.CompletedTask;
    }

    private static bool SameTarget(ToolPolicy p, ToolPolicyTarget target, string name) =>
        p.Target == target && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase);

    private void RequireWorkspace(string workspaceId)
    {
        if (!_workspaces.ContainsKey(workspaceId))
        {
            throw new PlatformNotFoundException($"workspace '{workspaceId}' does not exist");
        }
    }
}
