using System.Globalization;
using DiscordMcp.Policy.Ports;
using StackExchange.Redis;

namespace DiscordMcp.Storage.SharedState;

/// <summary>
/// Token buckets in Redis. A take runs as one Lua script (read, refill, take, write), so concurrent callers in any
/// number of processes see one bucket.
/// Time comes from the caller's <see cref="TimeProvider"/> (servers sharing a Redis are expected to share a clock;
/// a small skew only shifts refills by that skew).
/// </summary>
internal sealed class RedisRateLimiter(IConnectionMultiplexer redis, TimeProvider timeProvider, string keyPrefix = RedisRateLimiter.DefaultPrefix)
    : IRateLimiter
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

    public async ValueTask<RateLimitResult> TryTakeAsync(string key, int capacity, double refillPerSecond, int tokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        BucketArguments.Validate(capacity, refillPerSecond, tokens);

        var nowMs = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var ratePerMs = refillPerSecond / 1000.0;
        var raw = await redis.GetDatabase().ScriptEvaluateAsync(
            TakeScript,
            [(RedisKey)(keyPrefix + "bucket:" + key)],
            [capacity, ratePerMs.ToString("R", CultureInfo.InvariantCulture), nowMs, tokens]).ConfigureAwait(false);

        var parts = (RedisResult[])raw!;
        var allowed = (long)parts[0] == 1;
        var remaining = double.Parse((string)parts[1]!, NumberStyles.Float, CultureInfo.InvariantCulture);
        var retryMs = (long)parts[2];
        return new RateLimitResult(allowed, TimeSpan.FromMilliseconds(retryMs), remaining);
    }
}
