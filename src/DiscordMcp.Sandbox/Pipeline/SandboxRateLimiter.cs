using System.Security.Cryptography;
using System.Text;
using System.Collections.Concurrent;

namespace DiscordMcp.Sandbox.Pipeline;

/// <summary>The bucket state after counting one request, as the <c>X-RateLimit-*</c> headers report it.</summary>
internal readonly record struct BucketResult(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt, TimeSpan ResetAfter, string BucketId);

/// <summary>The global limiter's answer for one request.</summary>
internal readonly record struct GlobalResult(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Fixed-window rate limits with real enforcement: one window per (route bucket, major parameter), starting at the
/// first request after the previous window ended and ending exactly at the advertised reset time; plus a global
/// requests-per-second window per caller. All time comes from the sandbox's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class SandboxRateLimiter(SandboxOptions options)
{
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Bucket, string Major), Window> _buckets = [];
    private readonly Dictionary<string, Window> _global = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _bucketIds = new(StringComparer.Ordinal);

    private TimeProvider Time => options.TimeProvider;

    /// <summary>The opaque, stable bucket id of a route key (a hash; no major parameter in it).</summary>
    public string BucketId(string routeKey) => _bucketIds.GetOrAdd(routeKey, static key =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("sandbox-bucket:" + key)), 0, 16));

    public BucketResult CountBucket(string routeKey, string majorParameter)
    {
        var limits = options.RateLimits;
        var (limit, length) = limits.Routes.TryGetValue(routeKey, out var route)
            ? (route.Limit, route.Window)
            : (limits.DefaultLimit, limits.DefaultWindow);
        var bucketId = BucketId(routeKey);
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            var key = (bucketId, majorParameter);
            if (!_buckets.TryGetValue(key, out var window) || now >= window.ResetAt)
            {
                window = new Window { ResetAt = now + length };
                _buckets[key] = window;
                PruneIfLarge(_buckets, now);
            }
            var allowed = !limits.Enabled || window.Count < limit;
            if (allowed)
                window.Count++;
            return new BucketResult(allowed, limit, Math.Max(0, limit - window.Count), window.ResetAt, window.ResetAt - now, bucketId);
        }
    }

    public GlobalResult CountGlobal(string caller)
    {
        var limits = options.RateLimits;
        if (!limits.Enabled)
            return new GlobalResult(true, TimeSpan.Zero);
        var now = Time.GetUtcNow();
        lock (_lock)
        {
            if (!_global.TryGetValue(caller, out var window) || now >= window.ResetAt)
            {
                window = new Window { ResetAt = now + GlobalWindow };
                _global[caller] = window;
            }
            if (window.Count >= limits.GlobalPerSecond)
                return new GlobalResult(false, window.ResetAt - now);
            window.Count++;
            return new GlobalResult(true, TimeSpan.Zero);
        }
    }

    private static void PruneIfLarge<TKey>(Dictionary<TKey, Window> windows, DateTimeOffset now)
        where TKey : notnull
    {
        if (windows.Count < 10_000)
            return;
        foreach (var (key, window) in windows)
        {
            if (now >= window.ResetAt)
                windows.Remove(key);
        }
    }

    private sealed class Window
    {
        public DateTimeOffset ResetAt { get; init; }
        public int Count { get; set; }
    }
}
