namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Token buckets keyed by string. <see cref="TryTakeAsync"/> is atomic (across processes for a shared store such as Redis):
/// refill by elapsed time × <c>refillPerSecond</c> up to <c>capacity</c>, then take <c>tokens</c> if available.
/// A new key starts full.
/// </summary>
public interface IRateLimiter
{
    /// <summary>Takes <paramref name="tokens"/> from bucket <paramref name="key"/> or says when enough will be available.</summary>
    ValueTask<RateLimitResult> TryTakeAsync(string key, int capacity, double refillPerSecond, int tokens, CancellationToken cancellationToken);
}

/// <summary>Bucket answer. When not allowed, <see cref="RetryAfter"/> is the wait until the tokens are available.</summary>
public readonly record struct RateLimitResult(bool Allowed, TimeSpan RetryAfter, double Remaining);
