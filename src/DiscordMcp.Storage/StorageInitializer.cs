using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Audit;
using DiscordMcp.Storage.Configuration;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>Start-up work for storage: migrate, bootstrap the default workspace, install allowed guilds, close open audit calls.</summary>
public interface IStorageInitializer
{
    /// <summary>
    /// Creates the SQLite data directory if needed, applies migrations, creates the <c>default</c> workspace on an empty
    /// database, installs <c>ALLOWED_GUILD_IDS</c> into it (idempotent) and marks interrupted writes
    /// <c>outcome_unknown</c>. Call once at start before serving.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Installs a guild (e.g. the sandbox demo guild) into the <c>default</c> workspace; idempotent.</summary>
    Task InstallIntoDefaultWorkspaceAsync(ulong guildId, CancellationToken cancellationToken);
}

/// <summary>The storage settings the initializer needs.</summary>
/// <param name="AllowedGuildIds">Installed into the default workspace at start.</param>
/// <param name="Ephemeral">The SQLite database lives only as long as this process (the sandbox's throwaway file): its
/// schema is created from the model in one step rather than by replaying migrations, which no later version will
/// ever need to continue. A test keeps both schemas identical.</param>
internal sealed record StorageBootstrapOptions(IReadOnlyList<ulong> AllowedGuildIds, bool Ephemeral = false);

internal sealed class StorageInitializer(
    DiscordMcpDatabase database,
    IPlatformStore platform,
    EfAuditLog audit,
    StorageBootstrapOptions options,
    TimeProvider timeProvider) : IStorageInitializer
{
    public const string DefaultWorkspaceId = "default";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (database.SqliteFilePath is { } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
            Directory.CreateDirectory(dir);

        await using (var db = database.CreateContext())
        {
            if (options.Ephemeral && database.Provider == DatabaseProvider.Sqlite)
                await db.Database.EnsureCreatedAsync(cancellationToken);
            else
                await db.Database.MigrateAsync(cancellationToken);
            if (database.Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers run while the audit writer appends; the setting persists in the file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        await EnsureDefaultWorkspaceAsync(cancellationToken);
        foreach (var guildId in options.AllowedGuildIds)
            await InstallIntoDefaultWorkspaceAsync(guildId, cancellationToken);
        await audit.MarkUnknownOutcomesAsync(cancellationToken);
    }

    public async Task InstallIntoDefaultWorkspaceAsync(ulong guildId, CancellationToken cancellationToken)
    {
        await EnsureDefaultWorkspaceAsync(cancellationToken);
        var existing = await platform.GetInstallationAsync(guildId, cancellationToken);
        if (existing is not null && existing.WorkspaceId != DefaultWorkspaceId)
            return; // Installed elsewhere on purpose (admin CLI); bootstrap never moves a guild.
        await platform.InstallGuildAsync(new GuildInstallation(guildId, DefaultWorkspaceId, timeProvider.GetUtcNow(), "bootstrap"), cancellationToken);
    }

    private async Task EnsureDefaultWorkspaceAsync(CancellationToken cancellationToken)
    {
        if (await platform.GetWorkspaceAsync(DefaultWorkspaceId, cancellationToken) is not null)
            return;
        await using (var db = database.CreateContext())
        {
            // Only an empty database gets the default workspace; one whose admin deleted it stays without.
            if (await db.Workspaces.AnyAsync(cancellationToken))
                return;
        }
        try
        {
            await platform.CreateWorkspaceAsync(new Workspace(DefaultWorkspaceId, "Default workspace", timeProvider.GetUtcNow()), cancellationToken);
        }
        catch (PlatformConflictException)
        {
            // Another process bootstrapped at the same moment.
        }
    }
}
