using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles)]
internal sealed class ListRolesTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_roles", Title = "List roles", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(RoleList))]
    [Description("Lists a guild's roles from highest to lowest, with position, colour, flags and server-level permissions. Higher roles can manage lower ones.")]
    public async Task<CallToolResult> Run([Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var list = await discord.ListRolesAsync(guild_id, cancellationToken);
        var text = string.Join("\n", list.Roles.Select(r => $"{r.Position,3}  {r.Name} (id {r.Id}){(r.Managed ? " [managed]" : "")}: {(r.Permissions.Contains("ADMINISTRATOR") ? "ADMINISTRATOR" : r.Permissions.Count + " permissions")}"));
        return ToolResults.Ok(list, text);
    }
}
