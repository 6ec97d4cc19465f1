using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DiscordMcp.Policy.Caching;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Audit;
using DiscordMcp.Storage.Configuration;
using DiscordMcp.Storage.SharedState;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace DiscordMcp.Storage;

/// <summary>Composition of the storage layer.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Configuration key of the database URL (<c>DATABASE_URL</c>).</summary>
    public const string DatabaseUrlKey = "Storage:DatabaseUrl";
    /// <summary>Configuration key of the Redis URL (<c>REDIS_URL</c>).</summary>
    public const string RedisUrlKey = "Storage:RedisUrl";
    /// <summary>Configuration key of the data directory (SQLite file); default: the user's local application data.</summary>
    public const string DataDirectoryKey = "Storage:DataDirectory";
    /// <summary>
    /// Configuration key: <c>true</c> when the SQLite database is a throwaway that dies with the process (set by the host
    /// for <c>--sandbox</c> without a data directory); its schema is then created directly instead of migrated.
    /// </summary>
    public const string EphemeralKey = "Storage:Ephemeral";
    /// <summary>
    /// Configuration key: seconds a server may answer per-call platform lookups (API keys, memberships, installations,
    /// policies) from memory; a change made by another process is seen within that time. 0 disables; default
    /// <see cref="DefaultPlatformCacheSeconds"/>, at most <see cref="MaxPlatformCacheSeconds"/>.
    /// </summary>
    public const string PlatformCacheSecondsKey = "Storage:PlatformCacheSeconds";
    public const int DefaultPlatformCacheSeconds = 2;
    public const int MaxPlatformCacheSeconds = 60;
    /// <summary>Configuration key of the guilds installed into the default workspace at start (<c>ALLOWED_GUILD_IDS</c>).</summary>
    public const string AllowedGuildIdsKey = "Discord:AllowedGuildIds";

    /// <summary>
    /// Registers <see cref="IPlatformStore"/>, <see cref="IAuditLog"/>, <see cref="IRateLimiter"/>,
    /// <see cref="IPendingActionStore"/>, <see cref="IShardLeases"/>, <see cref="IEventClaims"/>, <see cref="IAutomationDraftStore"/> and <see cref="IStorageInitializer"/>. Settings are parsed here, so a bad
    /// <c>DATABASE_URL</c> or <c>REDIS_URL</c> fails at composition with a message naming it. The host must call
    /// <see cref="IStorageInitializer.InitializeAsync"/> before serving.
    /// </summary>
    public static IServiceCollection AddDiscordMcpStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var dataDirectory = configuration[DataDirectoryKey] is { Length: > 0 } d
            ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "discord-mcp");
        var url = DatabaseUrl.Parse(configuration[DatabaseUrlKey], dataDirectory);
        var allowed = ParseGuildIds(configuration[AllowedGuildIdsKey]);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new DiscordMcpDatabase(url));
        var ephemeral = string.Equals(configuration[EphemeralKey], "true", StringComparison.OrdinalIgnoreCase);
        services.AddSingleton(new StorageBootstrapOptions(allowed, ephemeral && url.Provider == DatabaseProvider.Sqlite));
        var cacheFor = ParseCacheSeconds(configuration[PlatformCacheSecondsKey]);
        services.AddSingleton<EfPlatformStore>();
        services.AddSingleton<IPlatformStore>(sp => new CachingPlatformStore(sp.GetRequiredService<EfPlatformStore>(), sp.GetRequiredService<TimeProvider>(), cacheFor));
        services.AddSingleton<EfAuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<EfAuditLog>());
        services.AddSingleton<IAutomationDraftStore, EfAutomationDraftStore>();
        services.AddSingleton<IStorageInitializer, StorageInitializer>();

        if (configuration[RedisUrlKey] is { Length: > 0 } redisUrl)
        {
            AddRedis(services, redisUrl);
        }
        else
        {
            services.AddSingleton<IRateLimiter, InMemoryRateLimiter>();
            services.AddSingleton<IPendingActionStore, EfPendingActionStore>();
            services.AddSingleton<IShardLeases>(sp => new DiscordMcp.Policy.InMemory.InMemoryShardLeases(sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IEventClaims>(sp => new DiscordMcp.Policy.InMemory.InMemoryEventClaims(sp.GetRequiredService<TimeProvider>()));
        }
        return services;
    }

    // A method of its own so that the Redis client library is loaded only when Redis is configured (JIT compiles a
    // method whole, with every type it names).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddRedis(IServiceCollection services, string redisUrl)
    {
        var options = RedisUrl.Parse(redisUrl);
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        services.AddSingleton<IRateLimiter>(sp => new RedisRateLimiter(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IPendingActionStore>(sp => new RedisPendingActionStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IShardLeases>(sp => new RedisShardLeases(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IEventClaims>(sp => new RedisEventClaims(sp.GetRequiredService<IConnectionMultiplexer>()));
    }

    internal static TimeSpan ParseCacheSeconds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return TimeSpan.FromSeconds(DefaultPlatformCacheSeconds);
        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxPlatformCacheSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{PlatformCacheSecondsKey} is '{value}'; give whole seconds from 0 (no cache) to {MaxPlatformCacheSeconds}.");
    }

    /// <summary>Comma-separated or JSON list of snowflakes; empty → none.</summary>
    internal static IReadOnlyList<ulong> ParseGuildIds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return [];
        var text = value.Trim();
        string[] parts;
        if (text.StartsWith('['))
        {
            try
            {
                parts = JsonSerializer.Deserialize<string[]>(text) ?? [];
            }
            catch (JsonException)
            {
                throw new FormatException("ALLOWED_GUILD_IDS is not a valid JSON list of id strings.");
            }
        }
        else
        {
            parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        return [.. parts.Select(p => ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new FormatException($"ALLOWED_GUILD_IDS has '{p}', which is not a guild id (a positive number)."))];
    }
}
