using DiscordMcp.Policy.Pipeline;

namespace DiscordMcp.Mcp;

/// <summary>
/// The authorised call a tool runs in: who is calling (principal, workspace, role), as the policy pipeline established
/// it. Set by the call filter around the tool's execution only, so it is null anywhere else (listing, resources, a
/// composition without the platform). Tools that act on platform data (the workspace's audit events) or narrow what they
/// show to the caller's workspace read it; a tool that needs it and finds none must refuse.
/// </summary>
public sealed class PolicyCallContext
{
    private readonly AsyncLocal<PolicyContext?> _ambient = new();

    /// <summary>The pipeline context of the tool call on this async flow, or null outside one.</summary>
    public PolicyContext? Current => _ambient.Value;

    internal async ValueTask<T> RunInAsync<T>(PolicyContext context, Func<ValueTask<T>> run)
    {
        var previous = _ambient.Value;
        _ambient.Value = context;
        try
        {
            return await run();
        }
        finally
        {
            _ambient.Value = previous;
        }
    }
}
