using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>
/// SQLite's per-connection commit sync (<c>PRAGMA synchronous</c>) on a context's open connection, without EF's raw-SQL
/// pipeline. FULL (the default every pooled connection must go back with) syncs the WAL at each commit; NORMAL leaves it
/// to the next sync, so a commit survives a process crash but not a power failure. Set outside a transaction: SQLite
/// ignores it inside one.
/// </summary>
internal static class SqliteSync
{
    public static async Task SetAsync(DiscordMcpDbContext db, bool full, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // One of two constant statements, no input.
        command.CommandText = full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
