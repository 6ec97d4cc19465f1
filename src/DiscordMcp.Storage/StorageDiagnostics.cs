using DiscordMcp.Storage.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace DiscordMcp.Storage;

/// <summary>What <c>discord-mcp doctor</c> learns about storage without changing it (no migration is applied).</summary>
/// <param name="Provider"><c>sqlite</c> or <c>postgresql</c>.</param>
/// <param name="Location">Where the database is, without credentials: the SQLite file, or host:port/database.</param>
/// <param name="Connected">The database answered.</param>
/// <param name="PendingMigrations">Migrations not applied yet (empty when up to date or not connected).</param>
/// <param name="Error">Why it did not answer: the exception type and first line of its message, credentials redacted by the caller.</param>
public sealed record DatabaseStatus(string Provider, string Location, bool Connected, IReadOnlyList<string> PendingMigrations, string? Error);

/// <summary>Read-only checks of the configured database and Redis.</summary>
public interface IStorageDiagnostics
{
    /// <summary>Connects to the database and lists pending migrations; never throws for an unreachable database.</summary>
    Task<DatabaseStatus> CheckDatabaseAsync(CancellationToken cancellationToken);
}

internal sealed class StorageDiagnostics(DiscordMcpDatabase database) : IStorageDiagnostics
{
    public async Task<DatabaseStatus> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        var provider = database.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgresql";
        var location = Location();
        try
        {
            if (database.SqliteFilePath is { } file && !File.Exists(file))
                return new(provider, location, false, [], "the database file does not exist yet");
            await using var db = database.CreateContext();
            if (!await db.Database.CanConnectAsync(cancellationToken))
                return new(provider, location, false, [], "the database did not accept a connection");
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return new(provider, location, true, pending, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure means "not reachable"; it is reported, not thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new(provider, location, false, [], $"{ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}");
        }
    }

    private string Location()
    {
        if (database.SqliteFilePath is { } file)
            return file;
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.Url.ConnectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "the configured PostgreSQL server";
        }
    }
}

/// <summary>Where a Redis URL points, without its password.</summary>
public static class RedisEndpoint
{
    /// <summary>The endpoints of <paramref name="options"/> (host:port, comma-separated).</summary>
    public static string Describe(ConfigurationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(", ", options.EndPoints.Select(e => e switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => e.ToString() ?? "?",
        }));
    }
}

/// <summary>Registration of <see cref="IStorageDiagnostics"/>.</summary>
public static class StorageDiagnosticsServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IStorageDiagnostics"/>; call after <see cref="StorageServiceCollectionExtensions.AddDiscordMcpStorage"/>.</summary>
    public static IServiceCollection AddStorageDiagnostics(this IServiceCollection services)
    {
        services.AddSingleton<IStorageDiagnostics, StorageDiagnostics>();
        return services;
    }
}
