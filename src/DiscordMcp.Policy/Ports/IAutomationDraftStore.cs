namespace DiscordMcp.Policy.Ports;

/// <summary>
/// A stored, reviewable automation rule. Never executed: it only records what someone proposed (trigger, conditions and
/// the catalog tools it would call), for a person to review.
/// </summary>
/// <param name="DefinitionJson">The validated rule (trigger, conditions, actions) as canonical JSON.</param>
public sealed record AutomationDraft(
    string Id, string WorkspaceId, ulong GuildId, string CreatedBy, string Name, string Trigger, string DefinitionJson, DateTimeOffset CreatedAt);

/// <summary>Automation drafts, always read within one workspace.</summary>
public interface IAutomationDraftStore
{
    /// <summary>Stores a new draft. Throws <see cref="PlatformConflictException"/> on a duplicate id.</summary>
    ValueTask CreateAsync(AutomationDraft draft, CancellationToken cancellationToken);

    /// <summary>The workspace's drafts (of one guild when <paramref name="guildId"/> is given), oldest first.</summary>
    ValueTask<IReadOnlyList<AutomationDraft>> ListAsync(string workspaceId, ulong? guildId, CancellationToken cancellationToken);

    /// <summary>The draft when it belongs to <paramref name="workspaceId"/>, else <c>null</c>.</summary>
    ValueTask<AutomationDraft?> GetAsync(string workspaceId, string id, CancellationToken cancellationToken);
}
