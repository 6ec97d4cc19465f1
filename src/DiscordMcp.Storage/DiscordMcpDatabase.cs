using DiscordMcp.Storage.Configuration;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace DiscordMcp.Storage;

/// <summary>
/// Creates contexts of the configured provider. One per application; contexts are short-lived (one per operation) and
/// pooled: a disposed context is reset and handed out again, which saves building one for every audit append and
/// every platform lookup.
/// </summary>
internal sealed class DiscordMcpDatabase
{
    private const int PoolSize = 128;
    private readonly PooledDbContextFactory<SqliteDiscordMcpDbContext>? _sqlite;
    private readonly PooledDbContextFactory<PostgresDiscordMcpDbContext>? _postgres;

    public DiscordMcpDatabase(DatabaseUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        if (url.Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(url.ConnectionString) { ForeignKeys = true, Pooling = true };
            _sqlite = new(new DbContextOptionsBuilder<SqliteDiscordMcpDbContext>().UseSqlite(builder.ConnectionString).Options, PoolSize);
        }
        else
        {
            _postgres = PostgresOptions(url.ConnectionString);
        }
    }

    // Separate, so the PostgreSQL provider's assemblies are loaded only when PostgreSQL is configured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PooledDbContextFactory<PostgresDiscordMcpDbContext> PostgresOptions(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresDiscordMcpDbContext>().UseNpgsql(connectionString).Options, PoolSize);

    public DatabaseUrl Url { get; }

    public DatabaseProvider Provider => Url.Provider;

    public DiscordMcpDbContext CreateContext() => _sqlite is not null
        ? _sqlite.CreateDbContext()
        : _postgres!.CreateDbContext();

    /// <summary>The SQLite file path, or null for PostgreSQL.</summary>
    public string? SqliteFilePath => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(Url.ConnectionString).DataSource
        : null;
}
