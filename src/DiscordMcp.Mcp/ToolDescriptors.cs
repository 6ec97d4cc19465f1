using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp;

/// <summary>
/// What the gate and the list filter know about a registered tool: the catalog entry; else a <see cref="ToolInfo"/>
/// registered in DI by whoever added the tool (tests, fixtures, later issues); else a description derived from the
/// tool's own annotations, in no toolset, and treated as a write tool unless it says <c>readOnlyHint: true</c>
/// (so read-only mode fails closed for tools nobody described).
/// </summary>
internal sealed class ToolDescriptors(IEnumerable<ToolInfo> registered)
{
    private readonly Dictionary<string, ToolInfo> _registered = registered.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public ToolInfo Describe(Tool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (ToolCatalog.Find(tool.Name) is { } info || _registered.TryGetValue(tool.Name, out info))
            return info;
        return new ToolInfo(tool.Name, ToolInfo.NoToolset, tool.Annotations?.ReadOnlyHint == true, tool.Annotations?.DestructiveHint != false,
            tool.Title ?? tool.Name, tool.Description ?? "");
    }
}
