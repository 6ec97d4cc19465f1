using System.Globalization;
using StackExchange.Redis;

namespace DiscordMcp.Storage.SharedState;

/// <summary>
/// Shared state in Redis. A take runs as one Lua script (read, refill, take, write), so concurrent callers in any
/// number of processes see one bucket; a claim is <c>SET key NX PX</c>, which Redis grants to exactly one caller.
/// Time comes from the caller's <see cref="TimeProvider"/> (servers sharing a Redis are expected to share a clock;
/// a small skew only shifts refills by that skew).
/// </summary>
internal sealed class RedisSharedStateStore(IConnectionMultiplexer redis, TimeProvider timeProvider, string keyPrefix = RedisSharedStateStore.DefaultPrefix)
    : ISharedStateStore
{
    public const string DefaultPrefix = "dmcp:";

    // KEYS[1] bucket hash (t = tokens, ts = last refill in ms). ARGV: capacity, refill per ms, now ms, cost.
    // Returns {allowed (0/1), remaining tokens as text, retry-after ms}.
    private const string TakeScript = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local now = tonumber(ARGV[3])
        local cost = tonumber(ARGV[4])
        local state = redis.call('HMGET', KEYS[1], 't', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = capacity
          ts = now
        end
        if now > ts then
          tokens = math.min(capacity, tokens + (now - ts) * rate)
          ts = now
        end
        tokens = math.min(capacity, tokens)
        local allowed = 0
        local retry = 0
        if tokens >= cost then
          tokens = tokens - cost
          allowed = 1
        else
          retry = math.ceil((cost - tokens) / rate)
        end
        redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%d', ts))
        redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate) + 1000)
        return {allowed, string.format('%.17g', tokens), retry}
        """;

    public async ValueTask<TokenBucketResult> TryTakeAsync(string key, TokenBucketLimit limit, int cost = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(limit);
        limit.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);

        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var ratePerMs = limit.RefillPerSecond / 1000.0;
        var raw = await redis.GetDatabase().ScriptEvaluateAsync(
            TakeScript,
            [(RedisKey)(keyPrefix + "bucket:" + key)],
            [limit.Capacity, ratePerMs.ToString("R", CultureInfo.InvariantCulture), nowMs, cost]).ConfigureAwait(false);

        var parts = (RedisResult[])raw!;
        var allowed = (long)parts[0] == 1;
        var remaining = double.Parse((string)parts[1]!, NumberStyles.Float, CultureInfo.InvariantCulture);
        var retryMs = (long)parts[2];
        return new TokenBucketResult(allowed, remaining, TimeSpan.FromMilliseconds(retryMs));
    }

    public async ValueTask<bool> TryClaimOnceAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        return await redis.GetDatabase().StringSetAsync(keyPrefix + "claim:" + key, "1", lifetime, When.NotExists).ConfigureAwait(false);
    }
}
