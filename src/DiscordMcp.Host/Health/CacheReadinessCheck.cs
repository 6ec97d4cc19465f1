using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace DiscordMcp.Host.Health;

/// <summary>Rate-limit counters and pending-action locks: in-memory (always ready), or Redis (REDIS_URL) answering a PING.</summary>
internal sealed class CacheReadinessCheck(IServiceProvider services) : IReadinessCheck
{
    public string Name => "cache";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
            return ReadinessResult.Ok("in-memory");
        try
        {
            await redis.GetDatabase().PingAsync();
            return ReadinessResult.Ok("redis");
        }
#pragma warning disable CA1031 // Any failure means "not ready"; the detail names only the exception type.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ReadinessResult.Failed($"redis: {ex.GetType().Name}");
        }
    }
}
