using DiscordMcp.Storage.Configuration;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>Creates contexts of the configured provider. One per application; contexts are short-lived (one per operation).</summary>
internal sealed class DiscordMcpDatabase
{
    private readonly DbContextOptions<SqliteDiscordMcpDbContext>? _sqlite;
    private readonly DbContextOptions<PostgresDiscordMcpDbContext>? _postgres;

    public DiscordMcpDatabase(DatabaseUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Url = url;
        if (url.Provider == DatabaseProvider.Sqlite)
        {
            var builder = new SqliteConnectionStringBuilder(url.ConnectionString) { ForeignKeys = true, Pooling = true };
            _sqlite = new DbContextOptionsBuilder<SqliteDiscordMcpDbContext>().UseSqlite(builder.ConnectionString).Options;
        }
        else
        {
            _postgres = PostgresOptions(url.ConnectionString);
        }
    }

    // Separate, so the PostgreSQL provider's assemblies are loaded only when PostgreSQL is configured.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DbContextOptions<PostgresDiscordMcpDbContext> PostgresOptions(string connectionString) =>
        new DbContextOptionsBuilder<PostgresDiscordMcpDbContext>().UseNpgsql(connectionString).Options;

    public DatabaseUrl Url { get; }

    public DatabaseProvider Provider => Url.Provider;

    public DiscordMcpDbContext CreateContext() => _sqlite is not null
        ? new SqliteDiscordMcpDbContext(_sqlite)
        : new PostgresDiscordMcpDbContext(_postgres!);

    /// <summary>The SQLite file path, or null for PostgreSQL.</summary>
    public string? SqliteFilePath => Provider == DatabaseProvider.Sqlite
        ? new SqliteConnectionStringBuilder(Url.ConnectionString).DataSource
        : null;
}
