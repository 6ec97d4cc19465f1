using DiscordMcp.Policy.Model;
using DiscordMcp.Storage.Audit;
using DiscordMcp.Storage.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Storage.Tests;

/// <summary>
/// The sandbox's throwaway SQLite database gets its schema from the model in one step (EnsureCreated) instead of by
/// replaying migrations. That is only sound while both produce the same schema; these tests hold them to it.
/// </summary>
public sealed class EphemeralSchemaTests
{
    [Fact]
    public async Task Ephemeral_schema_is_identical_to_the_migrated_schema()
    {
        await using var migrated = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
        await using var ephemeral = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
        await Initializer(migrated, ephemeral: false).InitializeAsync(CancellationToken.None);
        await Initializer(ephemeral, ephemeral: true).InitializeAsync(CancellationToken.None);

        var expected = await SchemaAsync(migrated);
        var actual = await SchemaAsync(ephemeral);

        Assert.Contains(expected, e => e.StartsWith("table audit_events:", StringComparison.Ordinal)); // the comparison sees real tables
        Assert.Contains(expected, e => e.StartsWith("index ", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
        Assert.True(await HasTableAsync(migrated, "__EFMigrationsHistory"));
        Assert.False(await HasTableAsync(ephemeral, "__EFMigrationsHistory")); // it really took the other path
    }

    [Fact]
    public async Task Ephemeral_bootstrap_creates_the_default_workspace_and_allowed_guilds()
    {
        await using var t = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, migrate: false);
        await Initializer(t, ephemeral: true, allowed: [42UL]).InitializeAsync(CancellationToken.None);

        var platform = new EfPlatformStore(t.Database);
        Assert.NotNull(await platform.GetWorkspaceAsync("default", CancellationToken.None));
        Assert.Equal("default", (await platform.GetInstallationAsync(42UL, CancellationToken.None))?.WorkspaceId);
    }

    [Fact]
    public void The_ephemeral_setting_applies_to_sqlite_only()
    {
        Assert.True(Bootstrap(new() { [StorageServiceCollectionExtensions.EphemeralKey] = "true", [StorageServiceCollectionExtensions.DataDirectoryKey] = "/tmp/x" }).Ephemeral);
        Assert.False(Bootstrap(new() { [StorageServiceCollectionExtensions.DataDirectoryKey] = "/tmp/x" }).Ephemeral);
        // A PostgreSQL database is never created outside migrations, whatever the setting says.
        Assert.False(Bootstrap(new() { [StorageServiceCollectionExtensions.EphemeralKey] = "true", [StorageServiceCollectionExtensions.DatabaseUrlKey] = "postgres://u:p@127.0.0.1:5432/db" }).Ephemeral);
    }

    private static StorageBootstrapOptions Bootstrap(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddDiscordMcpStorage(configuration);
        return (StorageBootstrapOptions)services.Single(d => d.ServiceType == typeof(StorageBootstrapOptions)).ImplementationInstance!;
    }

    private static StorageInitializer Initializer(TestDatabase t, bool ephemeral, IReadOnlyList<ulong>? allowed = null)
    {
        var platform = new EfPlatformStore(t.Database);
#pragma warning disable CA2000 // The audit log holds no resources the test must release for a bootstrap.
        var audit = new EfAuditLog(t.Database, t.Time);
#pragma warning restore CA2000
        return new StorageInitializer(t.Database, platform, audit, new StorageBootstrapOptions(allowed ?? [], ephemeral), t.Time);
    }

    /// <summary>Every table with its columns (name, type, not-null, default, key position) and every index with its columns, sorted.</summary>
    private static async Task<List<string>> SchemaAsync(TestDatabase t)
    {
        var lines = new List<string>();
        await using var connection = new SqliteConnection(t.Database.Url.ConnectionString);
        await connection.OpenAsync();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory' AND name <> '__EFMigrationsLock'", r => r.GetString(0));
        foreach (var table in tables)
        {
            var columns = await QueryAsync(connection, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')",
                r => $"{r.GetString(0)} {r.GetString(1)} notnull={r.GetInt64(2)} default={(r.IsDBNull(3) ? "-" : r.GetString(3))} pk={r.GetInt64(4)}");
            columns.Sort(StringComparer.Ordinal);
            lines.Add($"table {table}: {string.Join("; ", columns)}");
            var foreignKeys = await QueryAsync(connection, $"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')",
                r => $"fk {table}.{r.GetString(1)} -> {r.GetString(0)}.{r.GetString(2)} on delete {r.GetString(3)}");
            lines.AddRange(foreignKeys);
            var indexes = await QueryAsync(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c'", r => (Name: r.GetString(0), Unique: r.GetInt64(1)));
            foreach (var (name, unique) in indexes)
            {
                var indexColumns = await QueryAsync(connection, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno", r => r.GetString(0));
                lines.Add($"index {name} on {table}({string.Join(",", indexColumns)}) unique={unique}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<bool> HasTableAsync(TestDatabase t, string name)
    {
        await using var connection = new SqliteConnection(t.Database.Url.ConnectionString);
        await connection.OpenAsync();
        return (await QueryAsync(connection, $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{name}'", r => r.GetString(0))).Count == 1;
    }

    private static async Task<List<T>> QueryAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table and index names come from sqlite_master of a database this test created.
        command.CommandText = sql;
#pragma warning restore CA2100
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }
}
