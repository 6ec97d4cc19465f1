using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>Automation drafts in memory (tests and ephemeral hosts).</summary>
public sealed class InMemoryAutomationDraftStore : IAutomationDraftStore
{
    private readonly Lock _gate = new();
    private readonly List<AutomationDraft> _drafts = [];

    public ValueTask CreateAsync(AutomationDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        lock (_gate)
        {
            if (_drafts.Any(d => d.Id == draft.Id))
                throw new PlatformConflictException($"Automation draft '{draft.Id}' already exists.");
            _drafts.Add(draft);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AutomationDraft>> ListAsync(string workspaceId, ulong? guildId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<AutomationDraft> result = [.. _drafts.Where(d => d.WorkspaceId == workspaceId && (guildId is null || d.GuildId == guildId))
                .OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(result);
        }
    }

    public ValueTask<AutomationDraft?> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult(_drafts.FirstOrDefault(d => d.Id == id && d.WorkspaceId == workspaceId));
    }
}
