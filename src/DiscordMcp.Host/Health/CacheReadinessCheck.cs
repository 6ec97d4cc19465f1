using DiscordMcp.Host.Configuration;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Health;

/// <summary>The cache is in-memory today, so it is always ready; Redis (REDIS_URL) arrives with the platform issue.</summary>
internal sealed class CacheReadinessCheck(IOptions<StorageOptions> storage) : IReadinessCheck
{
    public string Name => "cache";

    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ReadinessResult.Ok(string.IsNullOrWhiteSpace(storage.Value.RedisUrl)
            ? "in-memory"
            : "in-memory (REDIS_URL is set, but Redis support is not built yet)"));
}
