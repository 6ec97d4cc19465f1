namespace DiscordMcp.Mcp;

/// <summary>What the gate knows about a call. The policy pipeline (platform issue) adds principal and workspace here.</summary>
public sealed record ToolCallRequest(ToolInfo Tool, IReadOnlyDictionary<string, string> Arguments);

/// <summary>Allowed, or denied with a stable reason code and a sentence a person can act on.</summary>
public sealed record ToolCallDecision(bool Allowed, string? ReasonCode = null, string? Message = null)
{
    public static ToolCallDecision Allow { get; } = new(true);

    public static ToolCallDecision Deny(string code, string message) => new(false, code, message);
}

/// <summary>
/// The seam where the policy pipeline plugs in: every tool call asks the gate before it runs, and the list filter
/// asks <see cref="IsVisible"/> so a tool that can never run is not offered.
/// </summary>
public interface IToolCallGate
{
    bool IsVisible(ToolInfo tool);

    ValueTask<ToolCallDecision> CheckAsync(ToolCallRequest request, CancellationToken cancellationToken);
}

/// <summary>Default gate: the tool's toolset must be enabled, and write tools are refused in read-only mode.</summary>
internal sealed class ToolsetGate(McpToolOptions options) : IToolCallGate
{
    public bool IsVisible(ToolInfo tool) => InEnabledToolset(tool) && (tool.ReadOnly || !options.ReadOnly);

    private bool InEnabledToolset(ToolInfo tool) => tool.Toolset == ToolInfo.NoToolset || options.Toolsets.Contains(tool.Toolset);

    public ValueTask<ToolCallDecision> CheckAsync(ToolCallRequest request, CancellationToken cancellationToken)
    {
        var tool = request.Tool;
        if (!InEnabledToolset(tool))
            return ValueTask.FromResult(ToolCallDecision.Deny("toolset_disabled",
                $"{tool.Name} belongs to the '{tool.Toolset}' toolset, which is not enabled on this server (TOOLSETS)."));
        if (!tool.ReadOnly && options.ReadOnly)
            return ValueTask.FromResult(ToolCallDecision.Deny("read_only",
                $"{tool.Name} changes Discord, and this server runs in read-only mode (READ_ONLY=true)."));
        return ValueTask.FromResult(ToolCallDecision.Allow);
    }
}
