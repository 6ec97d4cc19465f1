using System.Collections.Concurrent;

namespace DiscordMcp.Mcp.Writes;

/// <summary>
/// What each pending action this process handed out runs — its tool and stored arguments — so that
/// <c>discord_confirm_action</c> can route a confirmation to its tool without reading the pending-action store first.
/// Routing only: whether the action still exists, is unexpired, approved where needed, and bound to this caller, tool and
/// arguments is decided by the store when the policy pipeline consumes it, exactly once. A route that outlived its action
/// (cancelled by an admin in another process) therefore ends in the pipeline's refusal, audited; an expired or unknown
/// one is not used, and the store is read as before.
/// </summary>
internal sealed class PendingActionRoutes(TimeProvider time)
{
    /// <summary>Most routes kept; beyond it, expired ones are dropped and new ones are not kept (the store answers instead).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);

    private sealed record Route(string ToolName, string CanonicalArguments, DateTimeOffset ExpiresAt);

    public int Count => _routes.Count;

    public void Remember(string actionId, string toolName, string canonicalArguments, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        if (_routes.Count >= Capacity)
        {
            var now = time.GetUtcNow();
            foreach (var (id, route) in _routes)
            {
                if (route.ExpiresAt <= now)
                    _routes.TryRemove(id, out _);
            }
            if (_routes.Count >= Capacity)
                return;
        }
        _routes[actionId] = new Route(toolName, canonicalArguments, expiresAt);
    }

    /// <summary>The tool and stored arguments of an unexpired pending action this process created, if it knows them.</summary>
    public bool TryGet(string actionId, out string toolName, out string canonicalArguments)
    {
        if (_routes.TryGetValue(actionId, out var route))
        {
            if (route.ExpiresAt > time.GetUtcNow())
            {
                (toolName, canonicalArguments) = (route.ToolName, route.CanonicalArguments);
                return true;
            }
            _routes.TryRemove(actionId, out _);
        }
        (toolName, canonicalArguments) = ("", "");
        return false;
    }

    /// <summary>After a confirmation attempt or a cancellation: the next attempt reads the store.</summary>
    public void Forget(string actionId) => _routes.TryRemove(actionId, out _);
}
