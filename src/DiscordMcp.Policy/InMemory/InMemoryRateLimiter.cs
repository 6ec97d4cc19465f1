using System.Collections.Concurrent;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>Thread-safe in-process token buckets driven by <see cref="TimeProvider"/>.</summary>
public sealed class InMemoryRateLimiter(TimeProvider timeProvider) : IRateLimiter
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<RateLimitResult> TryTakeAsync(string key, int capacity, double refillPerSecond, int tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(refillPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        var now = timeProvider.GetTimestamp();
        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.capacity, state.now), (capacity, now));
        lock (bucket)
        {
            var elapsed = timeProvider.GetElapsedTime(bucket.LastRefill, now).TotalSeconds;
            if (elapsed > 0)
            {
                bucket.Tokens = Math.Min(capacity, bucket.Tokens + (elapsed * refillPerSecond));
                bucket.LastRefill = now;
            }
            else if (bucket.Tokens > capacity)
            {
                bucket.Tokens = capacity;
            }

            if (bucket.Tokens >= tokens)
            {
                bucket.Tokens -= tokens;
                return ValueTask.FromResult(new RateLimitResult(true, TimeSpan.Zero, bucket.Tokens));
            }

            if (tokens > capacity)
            {
                // Can never be satisfied; say so with the longest honest wait (a full refill).
                return ValueTask.FromResult(new RateLimitResult(false, TimeSpan.FromSeconds(capacity / refillPerSecond), bucket.Tokens));
            }

            var wait = TimeSpan.FromSeconds((tokens - bucket.Tokens) / refillPerSecond);
            return ValueTask.FromResult(new RateLimitResult(false, wait, bucket.Tokens));
        }
    }

    private sealed class Bucket(double tokens, long lastRefill)
    {
        public double Tokens { get; set; } = tokens;

        public long LastRefill { get; set; } = lastRefill;
    }
}
