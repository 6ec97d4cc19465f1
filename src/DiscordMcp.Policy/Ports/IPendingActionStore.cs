using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Pending confirmations/approvals. <see cref="TryConsumeAsync"/> is an atomic compare-and-delete: exactly one caller,
/// across processes, can consume an action, and only when its binding matches.
/// </summary>
public interface IPendingActionStore
{
    /// <summary>Stores a new pending action. Throws <see cref="PlatformConflictException"/> on a duplicate id.</summary>
    ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken);

    /// <summary>The action if present and not expired (does not consume), else <c>null</c>.</summary>
    ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Consumes the action when it exists, is not expired, matches <paramref name="binding"/> and (for approve mode) is approved.
    /// Expired actions are removed and reported as <see cref="PendingConsumeStatus.Expired"/>; mismatches and unapproved
    /// actions are left in place.
    /// </summary>
    ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken);

    /// <summary>Records a person's approval; false when the action is missing or expired.</summary>
    ValueTask<bool> ApproveAsync(string id, string approverPrincipalId, CancellationToken cancellationToken);

    /// <summary>Removes the action without executing it (rejection); false when missing.</summary>
    ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The unexpired actions of <paramref name="workspaceId"/>, oldest first (by <see cref="PendingAction.CreatedAt"/>,
    /// then id). Does not consume anything.
    /// </summary>
    ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Removes every expired action; returns how many.</summary>
    ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken);
}
