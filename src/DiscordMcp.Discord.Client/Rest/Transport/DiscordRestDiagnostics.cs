namespace DiscordMcp.Discord.Client.Rest;

/// <summary>Counters of the send loop, for tests, benchmarks and health output. Thread-safe; never holds ids or tokens.</summary>
public sealed class DiscordRestDiagnostics
{
    private readonly InvalidRequestCounter _invalid;
    private readonly TimeProvider _time;
    private long _requestsSent;
    private long _bucket429;
    private long _global429;
    private long _shared429;
    private long _preemptiveWaits;
    private long _globalWaits;
    private long _retries;

    internal DiscordRestDiagnostics(InvalidRequestCounter invalid, TimeProvider time)
    {
        _invalid = invalid;
        _time = time;
    }

    /// <summary>HTTP attempts handed to the <see cref="HttpClient"/> (retries included).</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    /// <summary>429 responses for our own per-route bucket.</summary>
    public long BucketRateLimitResponses => Interlocked.Read(ref _bucket429);

    /// <summary>429 responses for the bot-wide global limit.</summary>
    public long GlobalRateLimitResponses => Interlocked.Read(ref _global429);

    /// <summary>429 responses with <c>X-RateLimit-Scope: shared</c>.</summary>
    public long SharedRateLimitResponses => Interlocked.Read(ref _shared429);

    /// <summary>All 429 responses.</summary>
    public long RateLimitResponses => BucketRateLimitResponses + GlobalRateLimitResponses + SharedRateLimitResponses;

    /// <summary>Waits because a learned bucket had nothing left.</summary>
    public long PreemptiveWaits => Interlocked.Read(ref _preemptiveWaits);

    /// <summary>Waits for the global limiter (pacing or a global lock).</summary>
    public long GlobalWaits => Interlocked.Read(ref _globalWaits);

    /// <summary>All rate-limit waits: pre-emptive, global, and after 429s.</summary>
    public long RateLimitWaits => PreemptiveWaits + GlobalWaits + RateLimitResponses;

    /// <summary>Retries after 5xx, time-outs and connection failures.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>401/403/non-shared 429 responses in the last 10 minutes (Discord bans an IP at 10,000).</summary>
    public int InvalidRequestsInWindow => _invalid.Count(_time.GetUtcNow());

    internal void RequestSent() => Interlocked.Increment(ref _requestsSent);

    internal void RateLimitResponse(RateLimitScope scope)
    {
        switch (scope)
        {
            case RateLimitScope.Global: Interlocked.Increment(ref _global429); break;
            case RateLimitScope.Shared: Interlocked.Increment(ref _shared429); break;
            default: Interlocked.Increment(ref _bucket429); break;
        }
    }

    internal void PreemptiveWait() => Interlocked.Increment(ref _preemptiveWaits);

    internal void GlobalWait() => Interlocked.Increment(ref _globalWaits);

    internal void Retry() => Interlocked.Increment(ref _retries);
}
