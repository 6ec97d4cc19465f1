namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// Coordinates IDENTIFY across shards: at most one identify per rate-limit key (<c>shard_id % max_concurrency</c>)
/// per <see cref="GatewayLimits.IdentifyWindow"/>. The in-memory implementation covers one process; a distributed one
/// (e.g. Redis) can coordinate several.
/// </summary>
public interface IGatewayIdentifyLimiter
{
    /// <summary>Waits until this shard may identify, and claims the slot.</summary>
    ValueTask WaitToIdentifyAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken);
}

/// <summary>Identify slots in one process; share one instance between the shards of a process.</summary>
public sealed class InMemoryGatewayIdentifyLimiter(TimeProvider timeProvider) : IGatewayIdentifyLimiter
{
    private readonly Dictionary<int, DateTimeOffset> _nextAllowed = [];
    private readonly Lock _lock = new();

    public async ValueTask WaitToIdentifyAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shardId);
        var key = shardId % Math.Max(1, maxConcurrency);
        DateTimeOffset slot;
        DateTimeOffset? previous;
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            previous = _nextAllowed.TryGetValue(key, out var next) ? next : null;
            slot = previous is { } p && p > now ? p : now;
            _nextAllowed[key] = slot + GatewayLimits.IdentifyWindow;
        }
        var wait = slot - now;
        if (wait <= TimeSpan.Zero)
            return;
        try
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A cancelled wait never identifies: give the slot back if no later caller queued behind it.
            lock (_lock)
            {
                if (_nextAllowed.TryGetValue(key, out var claimed) && claimed == slot + GatewayLimits.IdentifyWindow)
                {
                    if (previous is { } p)
                        _nextAllowed[key] = p;
                    else
                        _nextAllowed.Remove(key);
                }
            }
            throw;
        }
    }
}

/// <summary>
/// Guards the 120-events-per-60-s client limit with a sliding window. Heartbeats, IDENTIFY and RESUME are
/// priority sends: they never wait (a late heartbeat costs the session) but count; other sends wait while the window
/// holds <see cref="GatewayLimits.MaxClientEventsPerWindow"/> − <see cref="ReservedForPriority"/> events.
/// Callers serialise access (the client's send lock).
/// </summary>
internal sealed class ClientEventRateLimiter(TimeProvider timeProvider)
{
    public const int ReservedForPriority = 5;
    private readonly Queue<DateTimeOffset> _sent = new();

    public int CountInWindow
    {
        get
        {
            Trim(timeProvider.GetUtcNow());
            return _sent.Count;
        }
    }

    /// <summary>How long a send of this priority must wait now (zero when it may go).</summary>
    public TimeSpan DelayFor(bool priority)
    {
        var now = timeProvider.GetUtcNow();
        Trim(now);
        var limit = GatewayLimits.MaxClientEventsPerWindow - (priority ? 0 : ReservedForPriority);
        if (priority || _sent.Count < limit)
            return TimeSpan.Zero;
        // The window frees up when enough of the oldest sends expire.
        var index = _sent.Count - limit;
        return _sent.ElementAt(index) + GatewayLimits.ClientEventWindow - now;
    }

    public void Record() => _sent.Enqueue(timeProvider.GetUtcNow());

    public void Reset() => _sent.Clear();

    private void Trim(DateTimeOffset now)
    {
        while (_sent.Count > 0 && _sent.Peek() + GatewayLimits.ClientEventWindow <= now)
            _sent.Dequeue();
    }
}
