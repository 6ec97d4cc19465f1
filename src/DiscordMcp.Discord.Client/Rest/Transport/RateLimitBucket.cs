namespace DiscordMcp.Discord.Client.Rest;

/// <summary>Identifies one rate-limit queue: Discord's bucket id (or the route key until learned) plus the major parameter.</summary>
internal readonly record struct BucketKey(string BucketId, string? MajorParameter);

/// <summary>
/// State of one (bucket, major parameter) pair. <see cref="Gate"/> keeps one request in flight, so the
/// <c>Remaining</c> header of each response describes the bucket exactly when the next request starts.
/// The numbers sit behind a lock because a response that re-keys a route updates a bucket whose gate it does not hold.
/// </summary>
internal sealed class RateLimitBucket
{
    private readonly Lock _lock = new();
    private int _remaining = -1; // -1: unknown or unlimited
    private long _resetAtTicks;  // UTC ticks; meaningful when _remaining == 0

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>How long to wait before sending, zero when the bucket has room or its window has passed.</summary>
    public TimeSpan GetWait(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_remaining != 0)
                return TimeSpan.Zero;
            var left = _resetAtTicks - now.UtcTicks;
            return left > 0 ? TimeSpan.FromTicks(left) : TimeSpan.Zero;
        }
    }

    /// <summary>Takes <c>X-RateLimit-Remaining</c> and the reset time from a response; a null remaining means "not limited".</summary>
    public void Update(int? remaining, DateTimeOffset? resetAt)
    {
        lock (_lock)
        {
            _remaining = remaining ?? -1;
            if (resetAt is { } at)
                _resetAtTicks = at.UtcTicks;
        }
    }

    /// <summary>A bucket-scoped 429: nothing is left until <paramref name="until"/>.</summary>
    public void Exhaust(DateTimeOffset until)
    {
        lock (_lock)
        {
            _resetAtTicks = _remaining == 0 ? Math.Max(_resetAtTicks, until.UtcTicks) : until.UtcTicks;
            _remaining = 0;
        }
    }
}
