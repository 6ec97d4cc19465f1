using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DiscordMcp.Storage;

/// <summary>
/// Pending actions in the database (used when no Redis is configured; survives restarts). Consumption is one
/// conditional <c>DELETE … RETURNING</c>: the row goes only if it is unexpired, matches the binding and, for approve
/// mode, is approved — the database lets exactly one concurrent caller delete it, and that caller gets the row back in
/// the same round trip.
/// </summary>
internal sealed class EfPendingActionStore(DiscordMcpDatabase database, TimeProvider timeProvider) : IPendingActionStore
{
    public async ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var db = database.CreateContext();
        if (await db.PendingActions.AnyAsync(p => p.Id == action.Id, cancellationToken))
            throw new PlatformConflictException($"Pending action '{action.Id}' already exists.");
        db.PendingActions.Add(action.ToEntity());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new PlatformConflictException($"Pending action '{action.Id}' already exists.", ex);
        }
    }

    public async ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        await using var db = database.CreateContext();
        var e = await db.PendingActions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.ExpiresAt > now, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(binding);
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        var approve = Mapping.Word(ToolMode.Approve);
        await using var db = database.CreateContext();

        // The decisive step, and on the way that succeeds the only round trip: one conditional DELETE … RETURNING (SQLite
        // ≥ 3.35 and PostgreSQL both have it). Only one caller's DELETE finds the row still matching; it gets the row back.
        var (sql, toStored) = ConsumeStatement(db);
        var sqlite = database.Provider == Configuration.DatabaseProvider.Sqlite;
        if (sqlite)
        {
            // No disk sync of its own: a consumed action is followed at once by the durable write-ahead audit event in
            // the same database file, and syncing the WAL for that event makes this earlier commit durable too. Lost
            // without it (a power failure before that event) means the action is pending again, and it never ran.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await PragmaAsync(db, "PRAGMA synchronous = NORMAL;", cancellationToken);
        }
        List<PendingActionEntity> deleted;
        try
        {
            deleted = await db.PendingActions
                .FromSqlRaw(sql, id, toStored(now), binding.WorkspaceId, binding.PrincipalId, binding.ToolName, binding.ArgumentHash, approve)
                .AsNoTracking()
                .AsAsyncEnumerable()
                .ToListAsync(cancellationToken);
        }
        finally
        {
            // The pooled connection goes back with the durable default.
            if (sqlite)
                await PragmaAsync(db, "PRAGMA synchronous = FULL;", CancellationToken.None);
        }
        if (deleted.Count == 1)
            return new PendingConsumeResult(PendingConsumeStatus.Consumed, deleted[0].ToRecord());

        // Not consumed: read why (it may also have been consumed meanwhile, which reads as not found).
        var row = await db.PendingActions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
            return new PendingConsumeResult(PendingConsumeStatus.NotFound, null);
        if (row.ExpiresAt <= now)
        {
            await db.PendingActions.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
            return new PendingConsumeResult(PendingConsumeStatus.Expired, null);
        }
        if (!row.ToRecord().Matches(binding))
            return new PendingConsumeResult(PendingConsumeStatus.Mismatch, null);
        // Matching and unexpired, yet the DELETE did not take it: it was not approved then (or was approved just after).
        return new PendingConsumeResult(row.Mode == approve ? PendingConsumeStatus.NotApproved : PendingConsumeStatus.NotFound, null);
    }

    /// <summary>A constant PRAGMA on the context's open connection.</summary>
    private static async Task PragmaAsync(DiscordMcpDbContext db, string pragma, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // One of two constant statements, no input.
        command.CommandText = pragma;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string Sql, Func<DateTimeOffset, object> ToStored)> ConsumeStatements = new();

    /// <summary>
    /// The consuming statement, with table and column names from the model, and how a timestamp parameter is stored by
    /// this provider (SQLite: the value converter's binary form; PostgreSQL: a timestamp).
    /// </summary>
    private static (string Sql, Func<DateTimeOffset, object> ToStored) ConsumeStatement(DiscordMcpDbContext db) =>
        ConsumeStatements.GetOrAdd(db.GetType(), _ => BuildConsumeStatement(db));

    private static (string Sql, Func<DateTimeOffset, object> ToStored) BuildConsumeStatement(DiscordMcpDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(PendingActionEntity))!;
        var converter = entity.FindProperty(nameof(PendingActionEntity.ExpiresAt))!.GetTypeMapping().Converter;
        Func<DateTimeOffset, object> toStored = converter is null ? t => t : t => converter.ConvertToProvider(t)!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => "\"" + entity.FindProperty(property)!.GetColumnName(table)! + "\"";
        var sql = $"DELETE FROM \"{table.Name}\" WHERE {Column(nameof(PendingActionEntity.Id))} = {{0}} AND {Column(nameof(PendingActionEntity.ExpiresAt))} > {{1}}"
            + $" AND {Column(nameof(PendingActionEntity.WorkspaceId))} = {{2}} AND {Column(nameof(PendingActionEntity.PrincipalId))} = {{3}}"
            + $" AND {Column(nameof(PendingActionEntity.ToolName))} = {{4}} AND {Column(nameof(PendingActionEntity.ArgumentHash))} = {{5}}"
            + $" AND ({Column(nameof(PendingActionEntity.Mode))} <> {{6}} OR {Column(nameof(PendingActionEntity.ApprovedBy))} IS NOT NULL) RETURNING *";
        return (sql, toStored);
    }

    public async ValueTask<bool> ApproveAsync(string id, string approverPrincipalId, CancellationToken cancellationToken)
    {
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        await using var db = database.CreateContext();
        return await db.PendingActions.Where(p => p.Id == id && p.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ApprovedBy, approverPrincipalId), cancellationToken) == 1;
    }

    public async ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.PendingActions.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 1;
    }

    public async ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        await using var db = database.CreateContext();
        var rows = await db.PendingActions.AsNoTracking().Where(p => p.WorkspaceId == workspaceId && p.ExpiresAt > now).ToListAsync(cancellationToken);
        // Ordered here: the timestamps are stored as provider-neutral binary values, and the list is small (one workspace).
        return [.. rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToRecord())];
    }

    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        await using var db = database.CreateContext();
        return await db.PendingActions.Where(p => p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
