namespace DiscordMcp.Storage.SharedState;

/// <summary>The single-process store: buckets and claims in dictionaries, time from <see cref="TimeProvider"/>.</summary>
internal sealed class InMemorySharedStateStore(TimeProvider timeProvider) : ISharedStateStore
{
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _claims = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _operations;

    public ValueTask<TokenBucketResult> TryTakeAsync(string key, TokenBucketLimit limit, int cost = 1, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(limit);
        limit.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(cost, 1);

        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (++_operations % 1024 == 0)
                Sweep(now);
            if (!_buckets.TryGetValue(key, out var bucket))
                bucket = new Bucket(limit.Capacity, now, now);

            var elapsed = (now - bucket.Updated).TotalSeconds;
            var tokens = elapsed > 0 ? Math.Min(limit.Capacity, bucket.Tokens + (elapsed * limit.RefillPerSecond)) : Math.Min(limit.Capacity, bucket.Tokens);
            var updated = elapsed > 0 ? now : bucket.Updated;

            TokenBucketResult result;
            if (tokens >= cost)
            {
                tokens -= cost;
                result = new TokenBucketResult(true, tokens, TimeSpan.Zero);
            }
            else
            {
                var wait = TimeSpan.FromSeconds((cost - tokens) / limit.RefillPerSecond);
                result = new TokenBucketResult(false, tokens, CeilingMilliseconds(wait));
            }
            var fullAt = updated + TimeSpan.FromSeconds((limit.Capacity - tokens) / limit.RefillPerSecond);
            _buckets[key] = new Bucket(tokens, updated, fullAt);
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask<bool> TryClaimOnceAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);

        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (++_operations % 1024 == 0)
                Sweep(now);
            if (_claims.TryGetValue(key, out var expires) && expires > now)
                return ValueTask.FromResult(false);
            _claims[key] = now + lifetime;
            return ValueTask.FromResult(true);
        }
    }

    internal static TimeSpan CeilingMilliseconds(TimeSpan value) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(value.TotalMilliseconds));

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, expires) in _claims.ToList())
        {
            if (expires <= now)
                _claims.Remove(key);
        }
        // A bucket that has refilled completely is the same as no bucket.
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.FullAt <= now)
                _buckets.Remove(key);
        }
    }

    private readonly record struct Bucket(double Tokens, DateTimeOffset Updated, DateTimeOffset FullAt);
}
