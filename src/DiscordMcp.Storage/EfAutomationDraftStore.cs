using System.Globalization;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary>Automation drafts in the database (table <c>automation_drafts</c>), always read within one workspace.</summary>
internal sealed class EfAutomationDraftStore(DiscordMcpDatabase database) : IAutomationDraftStore
{
    public async ValueTask CreateAsync(AutomationDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = database.CreateContext();
        if (await db.AutomationDrafts.AnyAsync(d => d.Id == draft.Id, cancellationToken))
            throw new PlatformConflictException($"Automation draft '{draft.Id}' already exists.");
        db.AutomationDrafts.Add(new AutomationDraftEntity
        {
            Id = draft.Id,
            WorkspaceId = draft.WorkspaceId,
            GuildId = draft.GuildId.ToString(CultureInfo.InvariantCulture),
            CreatedBy = draft.CreatedBy,
            Name = draft.Name,
            Trigger = draft.Trigger,
            DefinitionJson = draft.DefinitionJson,
            CreatedAt = Mapping.Normalize(draft.CreatedAt),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new PlatformConflictException($"Automation draft '{draft.Id}' already exists.", ex);
        }
    }

    public async ValueTask<IReadOnlyList<AutomationDraft>> ListAsync(string workspaceId, ulong? guildId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.AutomationDrafts.AsNoTracking().Where(d => d.WorkspaceId == workspaceId);
        if (guildId is { } g)
        {
            var text = g.ToString(CultureInfo.InvariantCulture);
            query = query.Where(d => d.GuildId == text);
        }
        var rows = await query.ToListAsync(cancellationToken);
        // Ordered here: SQLite cannot order by DateTimeOffset.
        return [.. rows.Select(ToRecord).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    public async ValueTask<AutomationDraft?> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var row = await db.AutomationDrafts.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.WorkspaceId == workspaceId, cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    private static AutomationDraft ToRecord(AutomationDraftEntity e) => new(
        e.Id, e.WorkspaceId, ulong.Parse(e.GuildId, NumberStyles.None, CultureInfo.InvariantCulture), e.CreatedBy, e.Name, e.Trigger, e.DefinitionJson, e.CreatedAt);
}
