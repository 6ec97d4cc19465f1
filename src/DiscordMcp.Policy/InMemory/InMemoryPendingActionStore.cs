using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.InMemory;

/// <summary>Thread-safe in-process pending actions; expiry by <see cref="TimeProvider"/>. Consumption is exactly-once.</summary>
public sealed class InMemoryPendingActionStore(TimeProvider timeProvider) : IPendingActionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingAction> _actions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask CreateAsync(PendingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            if (!_actions.TryAdd(action.Id, action))
            {
                throw new PlatformConflictException($"pending action '{action.Id}' already exists");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<PendingAction?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_actions.TryGetValue(id, out var a) && !IsExpired(a) ? a : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<PendingConsumeResult> TryConsumeAsync(string id, PendingActionBinding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_gate)
        {
            if (!_actions.TryGetValue(id, out var action))
            {
                return ValueTask.FromResult(new PendingConsumeResult(PendingConsumeStatus.NotFound, null));
            }

            if (IsExpired(action))
            {
                _actions.Remove(id);
                return ValueTask.FromResult(new PendingConsumeResult(PendingConsumeStatus.Expired, null));
            }

            if (!action.Matches(binding))
            {
                return ValueTask.FromResult(new PendingConsumeResult(PendingConsumeStatus.Mismatch, null));
            }

            if (action.Mode == ToolMode.Approve && action.ApprovedBy is null)
            {
                return ValueTask.FromResult(new PendingConsumeResult(PendingConsumeStatus.NotApproved, null));
            }

            _actions.Remove(id);
            return ValueTask.FromResult(new PendingConsumeResult(PendingConsumeStatus.Consumed, action));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ApproveAsync(string id, string approverPrincipalId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approverPrincipalId);
        lock (_gate)
        {
            if (!_actions.TryGetValue(id, out var action) || IsExpired(action))
            {
                return ValueTask.FromResult(false);
            }

            _actions[id] = action with { ApprovedBy = approverPrincipalId };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_actions.Remove(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PendingAction>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspaceId);
        lock (_gate)
        {
            IReadOnlyList<PendingAction> list = [.. _actions.Values
                .Where(a => string.Equals(a.WorkspaceId, workspaceId, StringComparison.Ordinal) && !IsExpired(a))
                .OrderBy(a => a.CreatedAt)
                .ThenBy(a => a.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = _actions.Values.Where(IsExpired).Select(a => a.Id).ToList();
            foreach (var id in expired)
            {
                _actions.Remove(id);
            }

            return ValueTask.FromResult(expired.Count);
        }
    }

    private bool IsExpired(PendingAction action) => timeProvider.GetUtcNow() >= action.ExpiresAt;
}
