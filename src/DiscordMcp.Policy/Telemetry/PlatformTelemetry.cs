using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DiscordMcp.Policy.Telemetry;

/// <summary>
/// The platform's traces and metrics, with the BCL only (<see cref="ActivitySource"/>, <see cref="Meter"/>): the host wires
/// an exporter to <see cref="SourceName"/> and <see cref="MeterName"/> (docs/observability.md). Nothing recorded here may
/// hold an argument value, a token, a key or a URL: attributes are tool names, ids, decisions and reason codes only.
/// When nothing listens, every helper returns after one field read.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>The activity source and meter name of the platform (tool calls, policy, storage, agent).</summary>
    public const string SourceName = "DiscordMcp";

    /// <summary>The meter name of the platform.</summary>
    public const string MeterName = "DiscordMcp";

#pragma warning disable CS1591 // Attribute names: the names are the documentation (docs/observability.md).
    public const string ToolAttribute = "discord_mcp.tool";
    public const string WorkspaceAttribute = "discord_mcp.workspace";
    public const string GuildAttribute = "discord_mcp.guild_id";
    public const string ChannelAttribute = "discord_mcp.channel_id";
    public const string DecisionAttribute = "discord_mcp.decision";
    public const string OutcomeAttribute = "discord_mcp.outcome";
    public const string ReasonAttribute = "discord_mcp.reason_code";
    public const string LayerAttribute = "discord_mcp.policy.layer";
    public const string PolicyEventName = "policy.layer";
#pragma warning restore CS1591

    /// <summary>Tool-call spans, policy events, audit and pending-action store spans.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The platform's meter.</summary>
    public static readonly Meter Meter = new(MeterName);

    /// <summary><c>discord_mcp.tool_calls</c>: finished tool calls by <c>tool</c>, <c>decision</c> and <c>outcome</c>.</summary>
    public static readonly Counter<long> ToolCalls =
        Meter.CreateCounter<long>("discord_mcp.tool_calls", "{call}", "Tool calls by tool, decision (allowed, denied, pending, dry_run, none) and outcome.");

    /// <summary><c>discord_mcp.tool_call.duration</c>: tool-call latency in seconds, by <c>tool</c> and <c>decision</c>.</summary>
    public static readonly Histogram<double> ToolCallDuration =
        Meter.CreateHistogram<double>("discord_mcp.tool_call.duration", "s", "Tool-call latency from the MCP filter's start to its result.");

    /// <summary><c>discord_mcp.pending_actions</c>: pending actions by <c>state</c> (created, consumed, expired, mismatch, invalid).</summary>
    public static readonly Counter<long> PendingActions =
        Meter.CreateCounter<long>("discord_mcp.pending_actions", "{action}", "Pending actions (confirmations and approvals) by state: created, consumed, expired, mismatch, invalid.");

    /// <summary><c>discord_mcp.agent.turns</c>: in-Discord agent turns by <c>outcome</c>.</summary>
    public static readonly Counter<long> AgentTurns =
        Meter.CreateCounter<long>("discord_mcp.agent.turns", "{turn}", "In-Discord agent turns by outcome (answered, round_limit, timed_out, failed).");

    /// <summary>Counts a pending-action transition (no-op when nothing listens).</summary>
    public static void PendingAction(string state)
    {
        if (PendingActions.Enabled)
            PendingActions.Add(1, new KeyValuePair<string, object?>("state", state));
    }

    /// <summary>Counts an agent turn (no-op when nothing listens).</summary>
    public static void AgentTurn(string outcome)
    {
        if (AgentTurns.Enabled)
            AgentTurns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>
    /// Starts a span for storage work (<c>db audit.append</c>, <c>db pending_actions.consume</c>) as a child of the
    /// current span, or returns null when nothing samples it.
    /// </summary>
    public static Activity? StartStorage(string operation) =>
        Source.HasListeners() && Activity.Current is not null
            ? Source.StartActivity(operation, ActivityKind.Internal)
            : null;
}

/// <summary>
/// What the pipeline decided for the tool call on this async flow, for the call filter's span and metrics. The filter
/// creates one per call only when something listens (<see cref="Begin"/>); the pipeline fills it in.
/// </summary>
public sealed class ToolCallTelemetry
{
    private static readonly AsyncLocal<ToolCallTelemetry?> Ambient = new();

    /// <summary>allowed, denied, pending or dry_run; null when no pipeline decision was made.</summary>
    public string? Decision { get; internal set; }

    /// <summary>The deciding layer (when not allowed).</summary>
    public string? Layer { get; internal set; }

    /// <summary>The reason code (when not allowed).</summary>
    public string? ReasonCode { get; internal set; }

    /// <summary>The record of the call on this async flow, or null when none was begun.</summary>
    public static ToolCallTelemetry? Current => Ambient.Value;

    /// <summary>Begins a record for the call on this async flow (visible to everything the call awaits).</summary>
    public static ToolCallTelemetry Begin()
    {
        var record = new ToolCallTelemetry();
        Ambient.Value = record;
        return record;
    }
}
