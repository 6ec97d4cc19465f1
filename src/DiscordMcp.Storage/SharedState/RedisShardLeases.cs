using System.Globalization;
using DiscordMcp.Policy.Ports;
using StackExchange.Redis;

namespace DiscordMcp.Storage.SharedState;

/// <summary>
/// Gateway shard leases in Redis (when <c>REDIS_URL</c> is set): one hash per shard (owner, fencing token, expiry in ms
/// on the callers' clock) and one counter per shard for the fencing tokens. Acquire, renew and release are Lua scripts,
/// so checking the owner and changing the lease is one step for every process sharing the Redis. The hash also expires
/// in Redis after the lease's duration, so a crashed holder leaves nothing behind.
/// </summary>
internal sealed class RedisShardLeases(IConnectionMultiplexer redis, TimeProvider timeProvider, string keyPrefix = RedisRateLimiter.DefaultPrefix)
    : IShardLeases
{
    // KEYS[1] lease hash, KEYS[2] fence counter. ARGV: owner, now ms, duration ms. Returns the fencing token, or 0 when
    // another owner holds an unexpired lease. The owner of an unexpired lease gets it extended with the same token.
    private const string AcquireScript = """
        local lease = redis.call('HMGET', KEYS[1], 'owner', 'token', 'exp')
        local now = tonumber(ARGV[2])
        local exp = now + tonumber(ARGV[3])
        if lease[1] and tonumber(lease[3]) > now then
          if lease[1] ~= ARGV[1] then return 0 end
          redis.call('HSET', KEYS[1], 'exp', exp)
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return tonumber(lease[2])
        end
        local token = redis.call('INCR', KEYS[2])
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'token', token, 'exp', exp)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return token
        """;

    // KEYS[1] lease hash. ARGV: owner, token, now ms, duration ms. Returns 1 when renewed, 0 when not held.
    private const string RenewScript = """
        local lease = redis.call('HMGET', KEYS[1], 'owner', 'token', 'exp')
        local now = tonumber(ARGV[3])
        if not lease[1] or lease[1] ~= ARGV[1] or lease[2] ~= ARGV[2] or tonumber(lease[3]) <= now then return 0 end
        redis.call('HSET', KEYS[1], 'exp', now + tonumber(ARGV[4]))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;

    // KEYS[1] lease hash. ARGV: owner, token. Deletes only the caller's own lease.
    private const string ReleaseScript = """
        local lease = redis.call('HMGET', KEYS[1], 'owner', 'token')
        if lease[1] == ARGV[1] and lease[2] == ARGV[2] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """;

    public async ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var token = (long)await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, [LeaseKey(shardId), FenceKey(shardId)],
            [owner, Now(), (long)duration.TotalMilliseconds]);
        return token > 0 ? new ShardLease(shardId, owner, token) : null;
    }

    public async ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var renewed = (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [LeaseKey(lease.ShardId)],
            [lease.Owner, lease.FencingToken, Now(), (long)duration.TotalMilliseconds]);
        return renewed == 1;
    }

    public async ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [LeaseKey(lease.ShardId)], [lease.Owner, lease.FencingToken]);
    }

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private RedisKey LeaseKey(int shardId) => keyPrefix + "gateway:lease:" + shardId.ToString(CultureInfo.InvariantCulture);

    private RedisKey FenceKey(int shardId) => keyPrefix + "gateway:fence:" + shardId.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Event claims in Redis: <c>SET key NX PX</c>, so exactly one process across the cluster wins each key.</summary>
internal sealed class RedisEventClaims(IConnectionMultiplexer redis, string keyPrefix = RedisRateLimiter.DefaultPrefix) : IEventClaims
{
    public async ValueTask<bool> TryClaimAsync(string key, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return await redis.GetDatabase().StringSetAsync(keyPrefix + "gateway:claim:" + key, 1, duration, When.NotExists);
    }
}
