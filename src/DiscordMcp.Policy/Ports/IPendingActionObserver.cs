using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Ports;

/// <summary>
/// Told when a pending action has been stored (e.g. to post an <c>approve</c>-mode plan to a Discord approvals channel).
/// Must return quickly and never throw: it runs on the tool call's path after the action is stored.
/// </summary>
public interface IPendingActionObserver
{
    /// <summary>The action was stored.</summary>
    void OnCreated(PendingAction action);
}

/// <summary>The default observer: does nothing.</summary>
public sealed class NoPendingActionObserver : IPendingActionObserver
{
    /// <summary>The shared instance.</summary>
    public static NoPendingActionObserver Instance { get; } = new();

    /// <inheritdoc />
    public void OnCreated(PendingAction action) { }
}

/// <summary>A pending-action store that tells an <see cref="IPendingActionObserver"/> about each action it stores.</summary>
public sealed class ObservedPendingActionStore(IPendingActionStore inner, IPendingActionObserver observer) : IPendingActionStore
{
    /// <summary>The wrapped store.</summary>
    public IPendingActionStore Inner => inner;

    /// <inheritdoc />
    public async ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken)
    {
        await inner.CreateAsync(action, cancellationToken);
        observer.OnCreated(action);
    }

    /// <inheritdoc />
    public ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken) =>
        inner.TryConsumeAsync(id, binding, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ApproveAsync(string id, string approverPrincipalId, CancellationToken cancellationToken) =>
        inner.ApproveAsync(id, approverPrincipalId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken) => inner.RemoveAsync(id, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken) => inner.ListAsync(workspaceId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken) => inner.RemoveExpiredAsync(cancellationToken);
}
