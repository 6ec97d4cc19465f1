namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Leases on gateway shards, so that each shard is connected by at most one process of a cluster. A lease has an owner,
/// an expiry and a fencing token (a number that grows with every new grant of the shard, so a later holder always has a
/// larger token than an earlier one). Renew and release act only for the owner and token that hold the lease now.
/// All times come from the caller's <see cref="TimeProvider"/> (processes sharing a store are expected to share a clock).
/// </summary>
public interface IShardLeases
{
    /// <summary>
    /// Grants shard <paramref name="shardId"/> to <paramref name="owner"/> for <paramref name="duration"/> when it is free
    /// or its lease expired; <c>null</c> while another owner holds it. An owner that already holds it gets it renewed.
    /// </summary>
    ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// Extends <paramref name="lease"/> by <paramref name="duration"/> from now; false when the lease is no longer held by
    /// its owner (it expired, or another owner took the shard). An expired lease is never renewed: acquire again.
    /// </summary>
    ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Frees the shard if <paramref name="lease"/> still holds it (a no-op otherwise).</summary>
    ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken);
}

/// <summary>A granted lease: shard, owner and the fencing token of this grant.</summary>
public sealed record ShardLease(int ShardId, string Owner, long FencingToken);

/// <summary>
/// Claims on events (an interaction id, a message id): the first claim of a key wins for <c>duration</c>, later claims
/// are refused, across every process sharing the store. A gateway handles only the events it claimed, so an event that
/// reaches two processes (two connections during a shard move, a replay after RESUME) is handled once.
/// </summary>
public interface IEventClaims
{
    /// <summary>True for the first claim of <paramref name="key"/> within <paramref name="duration"/>; false after.</summary>
    ValueTask<bool> TryClaimAsync(string key, TimeSpan duration, CancellationToken cancellationToken);
}
