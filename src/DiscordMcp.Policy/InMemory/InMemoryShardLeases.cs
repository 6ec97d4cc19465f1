using System.Collections.Concurrent;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>Shard leases of one process (the single-process default): the same rules as the shared store, in memory.</summary>
public sealed class InMemoryShardLeases(TimeProvider timeProvider) : IShardLeases
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Held> _leases = [];
    private readonly Dictionary<int, long> _fences = [];

    /// <inheritdoc />
    public ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_leases.TryGetValue(shardId, out var held) && held.ExpiresAt > now)
            {
                if (held.Owner != owner)
                    return ValueTask.FromResult<ShardLease?>(null);
                _leases[shardId] = held with { ExpiresAt = now + duration };
                return ValueTask.FromResult<ShardLease?>(new ShardLease(shardId, owner, held.Token));
            }
            var token = _fences.GetValueOrDefault(shardId) + 1;
            _fences[shardId] = token;
            _leases[shardId] = new Held(owner, token, now + duration);
            return ValueTask.FromResult<ShardLease?>(new ShardLease(shardId, owner, token));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!IsHeld(lease, now, out var held))
                return ValueTask.FromResult(false);
            _leases[lease.ShardId] = held with { ExpiresAt = now + duration };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_gate)
        {
            if (IsHeld(lease, timeProvider.GetUtcNow(), out _))
                _leases.Remove(lease.ShardId);
        }
        return ValueTask.CompletedTask;
    }

    private bool IsHeld(ShardLease lease, DateTimeOffset now, out Held held) =>
        _leases.TryGetValue(lease.ShardId, out held!) && held.Owner == lease.Owner && held.Token == lease.FencingToken && held.ExpiresAt > now;

    private sealed record Held(string Owner, long Token, DateTimeOffset ExpiresAt);
}

/// <summary>Event claims of one process: first claim wins until it expires; expired claims are pruned as new ones come.</summary>
public sealed class InMemoryEventClaims(TimeProvider timeProvider) : IEventClaims
{
    private const int PruneEvery = 1024;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private int _sincePrune;

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string key, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref _sincePrune) >= PruneEvery)
        {
            Interlocked.Exchange(ref _sincePrune, 0);
            foreach (var (k, expiresAt) in _claims)
            {
                if (expiresAt <= now)
                    _claims.TryRemove(new KeyValuePair<string, DateTimeOffset>(k, expiresAt));
            }
        }
        while (true)
        {
            if (_claims.TryAdd(key, now + duration))
                return ValueTask.FromResult(true);
            if (!_claims.TryGetValue(key, out var expiresAt))
                continue;
            if (expiresAt > now)
                return ValueTask.FromResult(false);
            if (_claims.TryUpdate(key, now + duration, expiresAt))
                return ValueTask.FromResult(true);
        }
    }
}
