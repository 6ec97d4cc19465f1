using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using System.Text;

namespace DiscordMcp.Mcp.Tools.Channels;

[McpServerToolType, Toolset(Toolsets.Channels)]
internal sealed class ListChannelsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_channels", Title = "List channels", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ChannelList))]
    [Description("Lists a guild's channels grouped by category, with type, topic, and whether the bot can view, read history and send in each. Channels the bot cannot view are marked NOT VIEWABLE; do not try to read them.")]
    public async Task<CallToolResult> Run([Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var list = await discord.ListChannelsAsync(guild_id, cancellationToken);
        var sb = new StringBuilder();
        foreach (var group in list.Categories)
        {
            sb.Append(group.CategoryName).Append(group.CategoryId is null ? "" : $" (category {group.CategoryId})").Append('\n');
            foreach (var c in group.Channels)
            {
                sb.Append("  ").Append(c.Type is "text" or "announcement" or "forum" ? "#" : "").Append(c.Name).Append(" [").Append(c.Type).Append("] id ").Append(c.Id)
                  .Append(!c.BotCanView ? " — NOT VIEWABLE by the bot" : c.BotCanSend ? " — bot can read and write" : c.BotCanReadHistory ? " — bot can read, not write" : " — bot can view only");
                if (!string.IsNullOrEmpty(c.Topic))
                    sb.Append(" — topic: \"").Append(UntrustedText.Inline(c.Topic)).Append('"');
                sb.Append('\n');
            }
        }
        sb.Append(list.ChannelCount).Append(" channels, ").Append(list.NotViewableCount).Append(" not viewable by the bot. ").Append(UntrustedText.Notice);
        return ToolResults.Ok(list, sb.ToString());
    }
}
