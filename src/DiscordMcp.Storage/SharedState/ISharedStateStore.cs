namespace DiscordMcp.Storage.SharedState;

/// <summary>A token bucket: holds up to <see cref="Capacity"/> tokens and refills <see cref="RefillPerSecond"/> per second.</summary>
public sealed record TokenBucketLimit(int Capacity, double RefillPerSecond)
{
    /// <summary>Checks the numbers; the message names the field.</summary>
    public void Validate()
    {
        if (Capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "Token bucket capacity must be at least 1.");
        if (!(RefillPerSecond > 0) || double.IsInfinity(RefillPerSecond))
            throw new ArgumentOutOfRangeException(nameof(RefillPerSecond), RefillPerSecond, "Token bucket refill rate must be a positive, finite number of tokens per second.");
    }
}

/// <summary>The answer of a take: whether it was allowed, what is left, and when enough tokens will be back.</summary>
public readonly record struct TokenBucketResult(bool Allowed, double Remaining, TimeSpan RetryAfter);

/// <summary>
/// State that every server process must share: rate-limit buckets and single-use claims (a confirmation consumed
/// exactly once). In-memory for one process; Redis when <c>REDIS_URL</c> is set, atomic across processes.
/// </summary>
public interface ISharedStateStore
{
    /// <summary>Takes <paramref name="cost"/> tokens from the bucket <paramref name="key"/> if it holds that many.</summary>
    ValueTask<TokenBucketResult> TryTakeAsync(string key, TokenBucketLimit limit, int cost = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="key"/>; true for exactly one caller among all processes until <paramref name="lifetime"/>
    /// has passed (make it at least the lifetime of the thing claimed).
    /// </summary>
    ValueTask<bool> TryClaimOnceAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default);
}
