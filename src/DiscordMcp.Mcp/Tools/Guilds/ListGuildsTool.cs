using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Guilds;

[McpServerToolType, Toolset(Toolsets.Guilds)]
internal sealed class ListGuildsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_guilds", Title = "List guilds", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(GuildList))]
    [Description("Lists the Discord servers (guilds) this connection may use, with their ids. Call this first when you do not know the guild_id; other tools accept guild_id, or omit it when only one guild is listed.")]
    public async Task<CallToolResult> Run(CancellationToken cancellationToken)
    {
        var result = await discord.ListGuildsAsync(cancellationToken);
        var text = result.Guilds.Count == 0 ? "No guild is available to you: the bot is in no allowed guild that is installed in your workspace."
            : string.Join("\n", result.Guilds.Select(g => $"{g.Name} (id {g.Id})"));
        return ToolResults.Ok(result, text);
    }
}
