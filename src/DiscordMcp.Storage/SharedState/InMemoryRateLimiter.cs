using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Storage.SharedState;

/// <summary>Token buckets for one process (no <c>REDIS_URL</c>): a dictionary under a lock, time from <see cref="TimeProvider"/>.</summary>
internal sealed class InMemoryRateLimiter(TimeProvider timeProvider) : IRateLimiter
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _operations;

    public ValueTask<RateLimitResult> TryTakeAsync(string key, int capacity, double refillPerSecond, int tokens, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        BucketArguments.Validate(capacity, refillPerSecond, tokens);
        var limit = (Capacity: capacity, RefillPerSecond: refillPerSecond);
        var cost = tokens;

        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (++_operations % 1024 == 0)
                Sweep(now);
            if (!_buckets.TryGetValue(key, out var bucket))
                bucket = new Bucket(limit.Capacity, now, now);

            var elapsed = (now - bucket.Updated).TotalSeconds;
            var available = elapsed > 0 ? Math.Min(limit.Capacity, bucket.Tokens + (elapsed * limit.RefillPerSecond)) : Math.Min(limit.Capacity, bucket.Tokens);
            var updated = elapsed > 0 ? now : bucket.Updated;

            RateLimitResult result;
            if (available >= cost)
            {
                available -= cost;
                result = new RateLimitResult(true, TimeSpan.Zero, available);
            }
            else
            {
                var wait = TimeSpan.FromSeconds((cost - available) / limit.RefillPerSecond);
                result = new RateLimitResult(false, CeilingMilliseconds(wait), available);
            }
            var fullAt = updated + TimeSpan.FromSeconds((limit.Capacity - available) / limit.RefillPerSecond);
            _buckets[key] = new Bucket(available, updated, fullAt);
            return ValueTask.FromResult(result);
        }
    }

    internal static TimeSpan CeilingMilliseconds(TimeSpan value) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(value.TotalMilliseconds));

    private void Sweep(DateTimeOffset now)
    {
        // A bucket that has refilled completely is the same as no bucket.
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.FullAt <= now)
                _buckets.Remove(key);
        }
    }

    private readonly record struct Bucket(double Tokens, DateTimeOffset Updated, DateTimeOffset FullAt);
}

/// <summary>Argument checks shared by the limiters; messages name the argument and the limit.</summary>
internal static class BucketArguments
{
    public static void Validate(int capacity, double refillPerSecond, int tokens)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Token bucket capacity must be at least 1.");
        if (!(refillPerSecond > 0) || double.IsInfinity(refillPerSecond))
            throw new ArgumentOutOfRangeException(nameof(refillPerSecond), refillPerSecond, "Token bucket refill rate must be a positive, finite number of tokens per second.");
        if (tokens < 1 || tokens > capacity)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"Tokens taken must be from 1 to the capacity ({capacity}).");
    }
}
