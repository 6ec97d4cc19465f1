using DiscordMcp.Storage.Configuration;
using DiscordMcp.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using StackExchange.Redis;

namespace DiscordMcp.Storage.Tests;

/// <summary>The PostgreSQL and Redis that scripts/test.sh starts; tests never start services themselves.</summary>
internal static class Services
{
    private const string Hint = "is not set: run the tests with `bash scripts/test.sh`, which starts PostgreSQL and Redis and sets it.";

    public static string PostgresAdmin => Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } v
        ? v : throw new InvalidOperationException("ConnectionStrings__Postgres " + Hint);

    public static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") is { Length: > 0 } v
        ? v : throw new InvalidOperationException("ConnectionStrings__Redis " + Hint);

    public static Task<ConnectionMultiplexer> ConnectRedisAsync() => ConnectionMultiplexer.ConnectAsync(Redis);
}

/// <summary>A fresh, migrated database of one provider; dropped (PostgreSQL) or deleted (SQLite) on dispose.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _pgName;
    private readonly string? _dir;

    private TestDatabase(DatabaseUrl url, string? pgName, string? dir)
    {
        Database = new DiscordMcpDatabase(url);
        _pgName = pgName;
        _dir = dir;
    }

    public DiscordMcpDatabase Database { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        TestDatabase db;
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "dmcp-storage-" + Guid.NewGuid().ToString("N"));
            db = new TestDatabase(DatabaseUrl.Parse(null, dir), null, dir);
        }
        else
        {
            var name = "dmcp_test_" + Guid.NewGuid().ToString("N");
            var builder = new NpgsqlConnectionStringBuilder(Services.PostgresAdmin) { Database = name, Pooling = false };
            db = new TestDatabase(new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString), name, null);
        }
        if (migrate)
        {
            if (db._dir is not null)
                Directory.CreateDirectory(db._dir);
            await using var ctx = db.Database.CreateContext();
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(ctx.Database);
        }
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        // The secret scan: the audit rows and pending actions this test stored, before the database goes away.
        if (SecretScan.Sink is not null)
        {
            await using var ctx = Database.CreateContext();
            var connection = Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(ctx.Database);
            await connection.OpenAsync();
            await SecretScan.RecordDatabaseRowsAsync(connection, "Storage.Tests " + (_pgName is null ? "sqlite" : "postgres"));
        }
        if (_pgName is not null)
        {
            var admin = new NpgsqlConnectionStringBuilder(Services.PostgresAdmin) { Database = "postgres", Pooling = false };
            await using var conn = new NpgsqlConnection(admin.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgName}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        if (_dir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
