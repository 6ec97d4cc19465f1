using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Pipeline;

/// <summary>
/// State of one call as it passes the layers: each layer reads what earlier layers established and adds its own.
/// Created per call by the pipeline; layers set the <c>internal</c> setters; hosts read it inside the execute delegate.
/// </summary>
public sealed class PolicyContext
{
    internal PolicyContext(PolicyRequest request, string callId)
    {
        Request = request;
        CallId = callId;
    }

    /// <summary>The call.</summary>
    public PolicyRequest Request { get; }

    /// <summary>Correlates this call's audit events.</summary>
    public string CallId { get; }

    /// <summary>Set by authentication.</summary>
    public string? PrincipalId { get; internal set; }

    /// <summary>Set by authentication.</summary>
    public PrincipalKind PrincipalKind { get; internal set; }

    /// <summary>Set by authentication (from the key, token or configuration).</summary>
    public string? WorkspaceId { get; internal set; }

    /// <summary>Effective role; set by authentication, narrowed by membership.</summary>
    public PlatformRole Role { get; internal set; }

    /// <summary>Effective toolset scopes (<c>null</c> = all).</summary>
    public IReadOnlyList<string>? ToolsetScopes { get; internal set; }

    /// <summary>Set by workspace membership.</summary>
    public Workspace? Workspace { get; internal set; }

    /// <summary>The target channel as the probe sees it (loaded once, by the first layer that needs it).</summary>
    public ProbeChannel? Channel { get; internal set; }

    internal bool ChannelLoaded { get; set; }

    /// <summary>Set by the confirmation layer: the resolved tool mode.</summary>
    public ToolMode Mode { get; internal set; }

    /// <summary>Set when this call consumed a pending action.</summary>
    public PendingAction? ConsumedAction { get; internal set; }

    /// <summary>A readable name of the target channel for messages (<c>#name</c> or the id).</summary>
    internal string ChannelLabel => Channel?.Name is { Length: > 0 } name ? "#" + name : $"channel {Request.ChannelId}";

    internal async ValueTask<ProbeChannel?> LoadChannelAsync(IBotPermissionProbe probe, CancellationToken cancellationToken)
    {
        if (!ChannelLoaded && Request.ChannelId is { } channelId)
        {
            Channel = await probe.GetChannelAsync(channelId, cancellationToken);
            ChannelLoaded = true;
        }

        return Channel;
    }
}

/// <summary>One layer of the pipeline. Returns <c>null</c> to let the call continue, or a decision that ends it.</summary>
public interface IPolicyLayer
{
    /// <summary>Which layer this is (for ordering, audit and <c>policy_error</c> denials).</summary>
    PolicyLayer Layer { get; }

    /// <summary>Evaluates the call. Exceptions are turned into <c>policy_error</c> denials by the pipeline.</summary>
    ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken);
}
