using System.Diagnostics;
using System.Globalization;
using DiscordMcp.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// The server's storage composed exactly as the host does it (<see cref="StorageServiceCollectionExtensions.AddDiscordMcpStorage"/>:
/// EF Core store wrapped in the platform cache, <c>EfAuditLog</c>, the in-memory rate limiter), migrated and bootstrapped
/// by the real initializer, over a database of the benchmark's own: a SQLite file in a temp directory or a fresh
/// PostgreSQL database (dropped on dispose).
/// </summary>
internal sealed class PlatformStorage : IAsyncDisposable
{
    private readonly string? _tempDirectory;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresDatabase;

    private PlatformStorage(ServiceProvider services, string label, string? tempDirectory, string? postgresAdmin, string? postgresDatabase)
    {
        Services = services;
        Label = label;
        _tempDirectory = tempDirectory;
        _postgresAdmin = postgresAdmin;
        _postgresDatabase = postgresDatabase;
    }

    public ServiceProvider Services { get; }

    public string Label { get; }

    /// <summary>The directory of the SQLite file (null for PostgreSQL): disk-sync measurements use the same file system.</summary>
    public string? TempDirectory => _tempDirectory;

    /// <summary>A SQLite file in a new temp directory (WAL: the initializer sets it).</summary>
    public static Task<PlatformStorage> SqliteAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var dir = Directory.CreateTempSubdirectory("dmcp-bench-");
        var file = Path.Combine(dir.FullName, "bench.db");
        return CreateAsync(new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            [StorageServiceCollectionExtensions.DataDirectoryKey] = dir.FullName,
            [StorageServiceCollectionExtensions.DatabaseUrlKey] = file,
        }, $"SQLite ({file})", dir.FullName, null, null);
    }

    /// <summary>A fresh database on the server of <c>ConnectionStrings__Postgres</c>; null when that is not set.</summary>
    public static async Task<PlatformStorage?> PostgresAsync()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is not { Length: > 0 } connection)
            return null;
        var name = "dmcp_bench_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..12];
        var builder = new NpgsqlConnectionStringBuilder(connection) { Database = name };
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Pooling = false }.ConnectionString;
        var dir = Directory.CreateTempSubdirectory("dmcp-bench-pg-");
        return await CreateAsync(new Dictionary<string, string?>
        {
            [StorageServiceCollectionExtensions.DataDirectoryKey] = dir.FullName,
            [StorageServiceCollectionExtensions.DatabaseUrlKey] = builder.ConnectionString,
        }, $"PostgreSQL ({builder.Host}:{builder.Port}, database {name})", dir.FullName, admin, name);
    }

    private static async Task<PlatformStorage> CreateAsync(Dictionary<string, string?> settings, string label, string? tempDirectory, string? postgresAdmin, string? postgresDatabase)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddDiscordMcpStorage(configuration).BuildServiceProvider();
        var storage = new PlatformStorage(services, label, tempDirectory, postgresAdmin, postgresDatabase);
        try
        {
            await services.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
        return storage;
    }

    /// <summary>The settings of the PostgreSQL server that decide what a durable commit costs (for the report).</summary>
    public async Task<string> PostgresSettingsAsync()
    {
        if (_postgresAdmin is null)
            return "";
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        var parts = new List<string>();
        foreach (var setting in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "commit_delay" })
        {
            await using var command = new NpgsqlCommand("SELECT current_setting(@name)", connection);
            command.Parameters.AddWithValue("name", setting);
            parts.Add($"{setting}={await command.ExecuteScalarAsync()}");
        }
        return string.Join(", ", parts);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_postgresAdmin is not null && _postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
#pragma warning disable CA2100 // The name is generated above from a GUID (hex only), not input.
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync();
        }
        if (_tempDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_tempDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean; not worth failing a benchmark over.
            }
        }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>The first field of <c>/proc/loadavg</c> (1-minute load average), for every printed number.</summary>
    public static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} / {fields[1]} / {fields[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
