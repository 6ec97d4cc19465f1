using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Policy.Pipeline;

namespace DiscordMcp.Mcp.Writes;

/// <summary>
/// What a write would do, built before anything else (architecture §2.2): validated arguments, names resolved to ids,
/// the exact changes, the Discord permission the bot will use and whether it can be undone. The runner hands its ids to
/// the policy pipeline and renders <see cref="Sentence"/> as <c>Dry-run: I would …</c>.
/// </summary>
internal sealed record WritePlan
{
    /// <summary>The action as a clause after "I would", ending with a full stop, e.g.
    /// <c>create the channel #support-luis with these permissions: Allowed: @Luis, Support role. Denied: @everyone.</c></summary>
    public required string Sentence { get; init; }

    /// <summary>Stable verb for clients, e.g. <c>create_channel</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What is changed, names resolved, e.g. <c>#support-luis in DiscordMCP Demo</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The changes, one per line (for overwrites: who is allowed, who is denied).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>The guild operated on.</summary>
    public required ulong GuildId { get; init; }

    /// <summary>The channel the bot's permissions are checked in; <c>null</c>: guild-wide.</summary>
    public ulong? ChannelId { get; init; }

    /// <summary>What the bot needs (in <see cref="ChannelId"/> when set).</summary>
    public DiscordPermissions BotPermissions { get; init; }

    /// <summary>Whether the change can be undone, and how (<c>null</c> when it cannot).</summary>
    public string? Undo { get; init; }

    /// <summary>Other ids the action touches; each must belong to <see cref="GuildId"/>.</summary>
    public IReadOnlyList<ResourceReference> References { get; init; } = [];

    /// <summary>Roles the action manages (role hierarchy is checked).</summary>
    public IReadOnlyList<ulong> TargetRoleIds { get; init; } = [];

    /// <summary>Members the action manages (role hierarchy is checked).</summary>
    public IReadOnlyList<ulong> TargetMemberIds { get; init; } = [];

    /// <summary>Things the person should know before confirming (e.g. "mentions of @everyone are suppressed").</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when <see cref="Undo"/> is set.</summary>
    public bool Reversible => Undo is not null;
}

/// <summary>What an executed write did: a sentence in the plan's voice and the ids it created or changed.</summary>
internal sealed record WriteOutcome(string Text, IReadOnlyDictionary<string, string> Ids)
{
    public static WriteOutcome Of(string text, params (string Key, string Value)[] ids) =>
        new(text, ids.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal));
}

/// <summary>
/// One write tool call: <see cref="PlanAsync"/> validates and resolves (throwing <c>DiscordServiceException</c> for bad
/// input or state that changed since a dry run) and keeps what it resolved; <see cref="ExecuteAsync"/> performs exactly
/// that plan. Created per call by the tool; never shared.
/// </summary>
internal interface IWriteOperation
{
    ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken);

    ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken);
}

/// <summary>The structured result of every write tool.</summary>
internal sealed record WriteResult(
    string Status,
    bool Executed,
    WritePlanView? Plan,
    string? ConfirmationId,
    string? ExpiresAt,
    IReadOnlyDictionary<string, string>? Ids,
    string Message);

/// <summary>The plan as clients see it.</summary>
internal sealed record WritePlanView(
    string Action,
    string Target,
    string Summary,
    IReadOnlyList<string> Changes,
    string GuildId,
    string? ChannelId,
    IReadOnlyList<string> BotPermissions,
    bool Reversible,
    string? Undo,
    IReadOnlyList<string> Notes)
{
    public static WritePlanView Of(WritePlan plan) => new(
        plan.Action, plan.Target, "I would " + plan.Sentence, plan.Changes,
        plan.GuildId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        plan.ChannelId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        plan.BotPermissions.ToNames(), plan.Reversible, plan.Undo, plan.Notes);
}
