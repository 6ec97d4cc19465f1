using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>
/// Pending actions in the database (used when no Redis is configured; survives restarts). Consumption is one
/// conditional <c>DELETE</c>: the row goes only if it is unexpired, matches the binding and, for approve mode, is
/// approved — the database lets exactly one concurrent caller delete it.
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
        ArgumentNullException.ThrowIfNull(binding);
        var now = Mapping.Normalize(timeProvider.GetUtcNow());
        var approve = Mapping.Word(ToolMode.Approve);
        await using var db = database.CreateContext();
        var row = await db.PendingActions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (row is null)
            return new PendingConsumeResult(PendingConsumeStatus.NotFound, null);
        if (row.ExpiresAt <= now)
        {
            await db.PendingActions.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken);
            return new PendingConsumeResult(PendingConsumeStatus.Expired, null);
        }
        var action = row.ToRecord();
        if (!action.Matches(binding))
            return new PendingConsumeResult(PendingConsumeStatus.Mismatch, null);
        if (row.Mode == approve && row.ApprovedBy is null)
            return new PendingConsumeResult(PendingConsumeStatus.NotApproved, null);

        // The decisive step: only one caller's DELETE finds the row still matching.
        var deleted = await db.PendingActions
            .Where(p => p.Id == id && p.ExpiresAt > now && p.WorkspaceId == binding.WorkspaceId && p.PrincipalId == binding.PrincipalId
                && p.ToolName == binding.ToolName && p.ArgumentHash == binding.ArgumentHash && (p.Mode != approve || p.ApprovedBy != null))
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 1
            ? new PendingConsumeResult(PendingConsumeStatus.Consumed, action)
            : new PendingConsumeResult(PendingConsumeStatus.NotFound, null);
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
