using System.Data.Common;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>
/// Pending actions in the database (used when no Redis is configured; survives restarts). Consumption is one
/// conditional <c>DELETE … RETURNING</c>: the row goes only if it is unexpired, matches the binding and, for approve
/// mode, is approved — the database lets exactly one concurrent caller delete it, and that caller gets the row back in
/// the same round trip. Create, read and consume — on the path of every write — are plain commands mapped by
/// <see cref="RawRows{T}"/>; the rest uses EF queries.
/// </summary>
internal sealed class EfPendingActionStore(DiscordMcpDatabase database, TimeProvider timeProvider) : IPendingActionStore
{
    public async ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var db = database.CreateContext();
        var rows = RawRows<PendingActionEntity>.Of(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var sqlite = database.Provider == Configuration.DatabaseProvider.Sqlite;
        if (sqlite)
        {
            // No disk sync of its own: the pipeline appends the call's durable audit event (dry run or pending) right after,
            // in the same database file, and syncing the WAL for it makes this commit durable too. Lost without it (a power
            // failure in between) means the person plans again; nothing ran.
            await SqliteSync.SetAsync(db, full: false, cancellationToken);
        }
        try
        {
            await using var insert = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Table and column names from the model; every value is a parameter.
            insert.CommandText = rows.InsertSql;
#pragma warning restore CA2100
            rows.AddInsertParameters(insert, action.ToEntity());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex) when (IsDuplicateKey(ex))
        {
            throw new PlatformConflictException($"Pending action '{action.Id}' already exists.", ex);
        }
        finally
        {
            // The pooled connection goes back with the durable default.
            if (sqlite)
                await SqliteSync.SetAsync(db, full: true, CancellationToken.None);
        }
    }

    /// <summary>A duplicate key: SQLite's primary-key or unique constraint (1555, 2067), PostgreSQL's unique violation (23505).</summary>
    private static bool IsDuplicateKey(DbException ex) =>
        ex.SqlState == "23505" || (ex is Microsoft.Data.Sqlite.SqliteException sqlite && sqlite.SqliteExtendedErrorCode is 1555 or 2067);

    public async ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        await using var db = database.CreateContext();
        var rows = RawRows<PendingActionEntity>.Of(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var select = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Table and column names from the model; every value is a parameter.
        select.CommandText = rows.Statement("get", static r => $"SELECT {r.Columns} FROM {r.Table} WHERE {r.Column(nameof(PendingActionEntity.Id))} = @id"
            + $" AND {r.Column(nameof(PendingActionEntity.ExpiresAt))} > @now");
#pragma warning restore CA2100
        select.Parameters.Add(rows.Parameter(select, "@id", nameof(PendingActionEntity.Id), id));
        select.Parameters.Add(rows.Parameter(select, "@now", nameof(PendingActionEntity.ExpiresAt), now));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? rows.Read(reader).ToRecord() : null;
    }

    public async ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(binding);
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        var approve = Mapping.Word(ToolMode.Approve);
        await using var db = database.CreateContext();
        var rows = RawRows<PendingActionEntity>.Of(db);
        await db.Database.OpenConnectionAsync(cancellationToken);

        // The decisive step, and on the way that succeeds the only round trip: one conditional DELETE … RETURNING (SQLite
        // ≥ 3.35 and PostgreSQL both have it). Only one caller's DELETE finds the row still matching; it gets the row back.
        var sqlite = database.Provider == Configuration.DatabaseProvider.Sqlite;
        if (sqlite)
        {
            // No disk sync of its own: a consumed action is followed at once by the durable write-ahead audit event in
            // the same database file, and syncing the WAL for that event makes this earlier commit durable too. Lost
            // without it (a power failure before that event) means the action is pending again, and it never ran.
            await SqliteSync.SetAsync(db, full: false, cancellationToken);
        }
        PendingActionEntity? consumed = null;
        try
        {
            await using var delete = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Table and column names from the model; every value is a parameter.
            delete.CommandText = rows.Statement("consume", static r => $"DELETE FROM {r.Table} WHERE {r.Column(nameof(PendingActionEntity.Id))} = @id"
                + $" AND {r.Column(nameof(PendingActionEntity.ExpiresAt))} > @now"
                + $" AND {r.Column(nameof(PendingActionEntity.WorkspaceId))} = @workspace AND {r.Column(nameof(PendingActionEntity.PrincipalId))} = @principal"
                + $" AND {r.Column(nameof(PendingActionEntity.ToolName))} = @tool AND {r.Column(nameof(PendingActionEntity.ArgumentHash))} = @hash"
                + $" AND ({r.Column(nameof(PendingActionEntity.Mode))} <> @approve OR {r.Column(nameof(PendingActionEntity.ApprovedBy))} IS NOT NULL)"
                + $" RETURNING {r.Columns}");
#pragma warning restore CA2100
            delete.Parameters.Add(rows.Parameter(delete, "@id", nameof(PendingActionEntity.Id), id));
            delete.Parameters.Add(rows.Parameter(delete, "@now", nameof(PendingActionEntity.ExpiresAt), now));
            delete.Parameters.Add(rows.Parameter(delete, "@workspace", nameof(PendingActionEntity.WorkspaceId), binding.WorkspaceId));
            delete.Parameters.Add(rows.Parameter(delete, "@principal", nameof(PendingActionEntity.PrincipalId), binding.PrincipalId));
            delete.Parameters.Add(rows.Parameter(delete, "@tool", nameof(PendingActionEntity.ToolName), binding.ToolName));
            delete.Parameters.Add(rows.Parameter(delete, "@hash", nameof(PendingActionEntity.ArgumentHash), binding.ArgumentHash));
            delete.Parameters.Add(rows.Parameter(delete, "@approve", nameof(PendingActionEntity.Mode), approve));
            await using var reader = await delete.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                consumed = rows.Read(reader);
        }
        finally
        {
            // The pooled connection goes back with the durable default.
            if (sqlite)
                await SqliteSync.SetAsync(db, full: true, CancellationToken.None);
        }
        if (consumed is not null)
            return new PendingConsumeResult(PendingConsumeStatus.Consumed, consumed.ToRecord());

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
