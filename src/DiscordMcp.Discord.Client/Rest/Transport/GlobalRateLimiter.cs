namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// The bot-wide limit: a token bucket refilled at <c>GlobalRequestsPerSecond</c> (burst of one second's worth),
/// plus a lock set by a global 429. Callers reserve a slot and wait for it, so concurrent callers are paced
/// evenly instead of waking together.
/// </summary>
internal sealed class GlobalRateLimiter
{
    private readonly Lock _lock = new();
    private readonly double _perSecond;
    private double _tokens;
    private long _lastRefillTicks;
    private long _lockedUntilTicks;

    public GlobalRateLimiter(int perSecond, DateTimeOffset now)
    {
        _perSecond = perSecond;
        _tokens = perSecond;
        _lastRefillTicks = now.UtcTicks;
    }

    /// <summary>
    /// Reserves a slot. Returns zero when the caller may send now; otherwise the wait, and whether it comes from a
    /// global lock (no slot reserved: wait, then call again) or from pacing (slot reserved for after the wait).
    /// </summary>
    public TimeSpan Reserve(DateTimeOffset now, out bool locked)
    {
        lock (_lock)
        {
            var lockLeft = _lockedUntilTicks - now.UtcTicks;
            if (lockLeft > 0)
            {
                locked = true;
                return TimeSpan.FromTicks(lockLeft);
            }
            locked = false;
            Refill(now.UtcTicks);
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }

    /// <summary>Gives back a slot reserved by <see cref="Reserve"/> that will not be used.</summary>
    public void Refund()
    {
        lock (_lock)
            _tokens = Math.Min(_perSecond, _tokens + 1);
    }

    /// <summary>Remaining time of a global lock, zero when not locked.</summary>
    public TimeSpan LockWait(DateTimeOffset now)
    {
        lock (_lock)
        {
            var left = _lockedUntilTicks - now.UtcTicks;
            return left > 0 ? TimeSpan.FromTicks(left) : TimeSpan.Zero;
        }
    }

    /// <summary>A global 429: nobody sends before <paramref name="until"/>.</summary>
    public void LockUntil(DateTimeOffset until)
    {
        lock (_lock)
            _lockedUntilTicks = Math.Max(_lockedUntilTicks, until.UtcTicks);
    }

    private void Refill(long nowTicks)
    {
        var elapsed = nowTicks - _lastRefillTicks;
        if (elapsed <= 0)
            return;
        _lastRefillTicks = nowTicks;
        _tokens = Math.Min(_perSecond, _tokens + elapsed / (double)TimeSpan.TicksPerSecond * _perSecond);
    }
}
