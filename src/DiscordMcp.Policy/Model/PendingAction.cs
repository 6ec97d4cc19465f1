namespace DiscordMcp.Policy.Model;

/// <summary>
/// A write waiting for confirmation or approval. Stores the canonical arguments server-side, bound to
/// tool, argument hash, principal and workspace. Single use; expires at <see cref="ExpiresAt"/>.
/// </summary>
/// <param name="Id">Random, unguessable confirmation id (<c>pa_…</c>).</param>
/// <param name="ArgumentHash">Lowercase hex SHA-256 of <see cref="CanonicalArguments"/>.</param>
/// <param name="ApprovedBy">For <see cref="ToolMode.Approve"/>: the person who approved; <c>null</c> until then.</param>
public sealed record PendingAction(
    string Id,
    string WorkspaceId,
    string PrincipalId,
    string ToolName,
    string CanonicalArguments,
    string ArgumentHash,
    ToolMode Mode,
    ulong? GuildId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? ApprovedBy = null)
{
    /// <summary>True when <paramref name="binding"/> matches this action's tool, argument hash, principal and workspace.</summary>
    public bool Matches(PendingActionBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return string.Equals(WorkspaceId, binding.WorkspaceId, StringComparison.Ordinal)
            && string.Equals(PrincipalId, binding.PrincipalId, StringComparison.Ordinal)
            && string.Equals(ToolName, binding.ToolName, StringComparison.Ordinal)
            && string.Equals(ArgumentHash, binding.ArgumentHash, StringComparison.Ordinal);
    }
}

/// <summary>What a confirmation must match to consume a pending action.</summary>
public sealed record PendingActionBinding(string WorkspaceId, string PrincipalId, string ToolName, string ArgumentHash);

/// <summary>Result of an attempt to consume a pending action.</summary>
public enum PendingConsumeStatus
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>Consumed now; it can never be consumed again.</summary>
    Consumed = 1,
    /// <summary>No such id (never existed, or already consumed).</summary>
    NotFound = 2,
    /// <summary>Exists but past its expiry (implementations remove it).</summary>
    Expired = 3,
    /// <summary>Exists but tool, argument hash, principal or workspace differ. Not consumed.</summary>
    Mismatch = 4,
    /// <summary>An <see cref="ToolMode.Approve"/> action nobody approved yet. Not consumed.</summary>
    NotApproved = 5,
}

/// <summary>Outcome of <c>IPendingActionStore.TryConsumeAsync</c>; <see cref="Action"/> is set when consumed.</summary>
public readonly record struct PendingConsumeResult(PendingConsumeStatus Status, PendingAction? Action);
