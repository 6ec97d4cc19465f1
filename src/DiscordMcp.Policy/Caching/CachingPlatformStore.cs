using System.Collections.Concurrent;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Caching;

/// <summary>
/// A short-lived read cache in front of an <see cref="IPlatformStore"/> for the lookups every call makes (API key,
/// workspace, principal, membership, installations, channel and tool policies), so a busy server does not run seven
/// database queries per tool call. Every write through this store clears the whole cache, so this process sees its own
/// changes at once; a change made by another process (the admin CLI, a second server) is seen within
/// <see cref="TimeToLive"/>. Failures are never cached (the caller fails closed on them), and absent API keys are not
/// cached either, so guessing keys cannot grow the cache; the cache is cleared when it reaches
/// <see cref="MaxEntries"/>.
/// </summary>
public sealed class CachingPlatformStore : IPlatformStore
{
    /// <summary>Most cached lookups before the cache is cleared (a bound, not a working size).</summary>
    public const int MaxEntries = 10_000;

    private readonly IPlatformStore _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<CacheKey, Entry> _entries = new();
    private long _generation;

    /// <param name="inner">The store of record.</param>
    /// <param name="timeProvider">Decides expiry.</param>
    /// <param name="timeToLive">How long another process's change may go unseen; zero or less disables the cache.</param>
    public CachingPlatformStore(IPlatformStore inner, TimeProvider timeProvider, TimeSpan timeToLive)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _inner = inner;
        _time = timeProvider;
        TimeToLive = timeToLive;
    }

    /// <summary>The longest a cached answer is used.</summary>
    public TimeSpan TimeToLive { get; }

    public ValueTask<ApiKeyRecord?> FindApiKeyByLookupIdAsync(string lookupId, CancellationToken cancellationToken) =>
        GetAsync(new CacheKey(Lookup.ApiKey, lookupId), ct => _inner.FindApiKeyByLookupIdAsync(lookupId, ct), cacheAbsent: false, cancellationToken);

    public ValueTask<Workspace?> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken) =>
        GetAsync(new CacheKey(Lookup.Workspace, workspaceId), ct => _inner.GetWorkspaceAsync(workspaceId, ct), cacheAbsent: true, cancellationToken);

    public ValueTask<Principal?> GetPrincipalAsync(string principalId, CancellationToken cancellationToken) =>
        GetAsync(new CacheKey(Lookup.Principal, principalId), ct => _inner.GetPrincipalAsync(principalId, ct), cacheAbsent: true, cancellationToken);

    public ValueTask<WorkspaceMembership?> GetMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken) =>
        GetAsync(new CacheKey(Lookup.Membership, workspaceId, principalId), ct => _inner.GetMembershipAsync(workspaceId, principalId, ct), cacheAbsent: true, cancellationToken);

    public ValueTask<GuildInstallation?> GetInstallationAsync(ulong guildId, CancellationToken cancellationToken) =>
        GetAsync(new CacheKey(Lookup.Installation, null, null, guildId), ct => _inner.GetInstallationAsync(guildId, ct), cacheAbsent: true, cancellationToken);

    public async ValueTask<IReadOnlyList<ChannelPolicy>> GetChannelPoliciesAsync(ulong guildId, CancellationToken cancellationToken) =>
        (await GetAsync<IReadOnlyList<ChannelPolicy>>(new CacheKey(Lookup.ChannelPolicies, null, null, guildId),
            async ct => await _inner.GetChannelPoliciesAsync(guildId, ct), cacheAbsent: true, cancellationToken))!;

    public async ValueTask<IReadOnlyList<ToolPolicy>> GetToolPoliciesAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await GetAsync<IReadOnlyList<ToolPolicy>>(new CacheKey(Lookup.ToolPolicies, workspaceId),
            async ct => await _inner.GetToolPoliciesAsync(workspaceId, ct), cacheAbsent: true, cancellationToken))!;

    // The other listings are for administration, not the per-call path: always from the store.
    public Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken) => _inner.ListWorkspacesAsync(cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken) => _inner.ListApiKeysAsync(workspaceId, cancellationToken);

    // A workspace's installations are read per call too (the caller's guild scope).
    public async Task<IReadOnlyList<GuildInstallation>> ListInstallationsAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await GetAsync<IReadOnlyList<GuildInstallation>>(new CacheKey(Lookup.Installations, workspaceId),
            async ct => await _inner.ListInstallationsAsync(workspaceId, ct), cacheAbsent: true, cancellationToken))!;

    public Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(string workspaceId, CancellationToken cancellationToken) => _inner.ListMembershipsAsync(workspaceId, cancellationToken);

    public Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) => WriteAsync(ct => _inner.CreateWorkspaceAsync(workspace, ct), cancellationToken);

    public Task UpdateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) => WriteAsync(ct => _inner.UpdateWorkspaceAsync(workspace, ct), cancellationToken);

    public Task UpsertPrincipalAsync(Principal principal, CancellationToken cancellationToken) => WriteAsync(ct => _inner.UpsertPrincipalAsync(principal, ct), cancellationToken);

    public Task SetMembershipAsync(WorkspaceMembership membership, CancellationToken cancellationToken) => WriteAsync(ct => _inner.SetMembershipAsync(membership, ct), cancellationToken);

    public Task<bool> RemoveMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.RemoveMembershipAsync(workspaceId, principalId, ct), cancellationToken);

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => WriteAsync(ct => _inner.CreateApiKeyAsync(key, ct), cancellationToken);

    public Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.RevokeApiKeyAsync(workspaceId, keyId, revokedAt, ct), cancellationToken);

    public Task InstallGuildAsync(GuildInstallation installation, CancellationToken cancellationToken) => WriteAsync(ct => _inner.InstallGuildAsync(installation, ct), cancellationToken);

    public Task<bool> UninstallGuildAsync(string workspaceId, ulong guildId, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.UninstallGuildAsync(workspaceId, guildId, ct), cancellationToken);

    public Task SetChannelPolicyAsync(ChannelPolicy policy, CancellationToken cancellationToken) => WriteAsync(ct => _inner.SetChannelPolicyAsync(policy, ct), cancellationToken);

    public Task<bool> RemoveChannelPolicyAsync(ulong guildId, ulong targetId, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.RemoveChannelPolicyAsync(guildId, targetId, ct), cancellationToken);

    public Task SetToolPolicyAsync(ToolPolicy policy, CancellationToken cancellationToken) => WriteAsync(ct => _inner.SetToolPolicyAsync(policy, ct), cancellationToken);

    public Task<bool> RemoveToolPolicyAsync(string workspaceId, ToolPolicyTarget target, string name, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.RemoveToolPolicyAsync(workspaceId, target, name, ct), cancellationToken);

    public Task ReplacePoliciesAsync(string workspaceId, IReadOnlyList<ChannelPolicy> channelPolicies, IReadOnlyList<ToolPolicy> toolPolicies, CancellationToken cancellationToken) =>
        WriteAsync(ct => _inner.ReplacePoliciesAsync(workspaceId, channelPolicies, toolPolicies, ct), cancellationToken);

    /// <summary>Forgets every cached answer.</summary>
    public void Clear()
    {
        // The generation makes a lookup that started before the clear unable to store its (possibly old) answer.
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private async ValueTask<T?> GetAsync<T>(CacheKey key, Func<CancellationToken, ValueTask<T?>> load, bool cacheAbsent, CancellationToken cancellationToken)
        where T : class
    {
        if (TimeToLive <= TimeSpan.Zero)
            return await load(cancellationToken);
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
            return (T?)entry.Value;

        var generation = Interlocked.Read(ref _generation);
        var value = await load(cancellationToken);
        if (value is null && !cacheAbsent)
            return value;
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        if (Interlocked.Read(ref _generation) != generation)
            return value;
        var stored = new Entry(value, now + TimeToLive);
        _entries[key] = stored;
        // A write that cleared the cache meanwhile wins: take back what was just stored.
        if (Interlocked.Read(ref _generation) != generation)
            _entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, stored));
        return value;
    }

    private async Task WriteAsync(Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write(cancellationToken);
        }
        finally
        {
            // Also after a failure: the store may have changed before it failed.
            Clear();
        }
    }

    private async Task<bool> WriteAsync(Func<CancellationToken, Task<bool>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await write(cancellationToken);
        }
        finally
        {
            Clear();
        }
    }

    private enum Lookup
    {
        ApiKey,
        Workspace,
        Principal,
        Membership,
        Installation,
        ChannelPolicies,
        ToolPolicies,
        Installations,
    }

    private readonly record struct CacheKey(Lookup Lookup, string? Text, string? Text2 = null, ulong Number = 0);

    private sealed record Entry(object? Value, DateTimeOffset Expires);
}
