using System.ComponentModel;
using System.Reflection;
using DiscordMcp.Mcp.Tools.Audit;
using DiscordMcp.Mcp.Tools.Channels;
using DiscordMcp.Mcp.Tools.Guilds;
using DiscordMcp.Mcp.Tools.Members;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Tools.Roles;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp;

/// <summary>The single source of truth for tools: the registration, the gate, the CLI and docs/tools.md all read this list.</summary>
internal static class ToolCatalog
{
    public static IReadOnlyList<Type> ToolTypes { get; } =
    [
        typeof(ListGuildsTool), typeof(GetGuildTool),
        typeof(ListChannelsTool), typeof(GetChannelTool),
        typeof(ListMessagesTool), typeof(GetMessageTool),
        typeof(ListRolesTool), typeof(ExplainPermissionsTool),
        typeof(GetMemberTool), typeof(ListMembersTool), typeof(SearchMembersTool),
        typeof(GetAuditLogTool),
    ];

    private static readonly Lazy<IReadOnlyList<ToolInfo>> Infos = new(() => ToolTypes.Select(Describe).ToList());
    private static readonly Lazy<IReadOnlyDictionary<string, ToolInfo>> ByName = new(() => Infos.Value.ToDictionary(t => t.Name, StringComparer.Ordinal));

    public static IReadOnlyList<ToolInfo> All => Infos.Value;

    public static ToolInfo? Find(string name) => ByName.Value.GetValueOrDefault(name);

    private static ToolInfo Describe(Type type)
    {
        var toolset = type.GetCustomAttribute<ToolsetAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name} has no [Toolset].");
        var method = type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .Single(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null);
        var attr = method.GetCustomAttribute<McpServerToolAttribute>()!;
        var description = method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
        return new ToolInfo(attr.Name ?? method.Name, toolset, attr.ReadOnly, attr.Destructive, attr.Title ?? attr.Name ?? method.Name, description);
    }
}
