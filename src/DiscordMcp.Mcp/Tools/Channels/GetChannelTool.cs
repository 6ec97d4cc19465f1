using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Channels;

[McpServerToolType, Toolset(Toolsets.Channels)]
internal sealed class GetChannelTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_channel", Title = "Get channel", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ChannelDetails))]
    [Description("Shows one channel: type, category, topic, slowmode, and the bot's effective permissions there.")]
    public async Task<CallToolResult> Run(
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var d = await discord.GetChannelAsync(guild_id, channel, cancellationToken);
        var c = d.Channel;
        var text = $"#{c.Name} [{c.Type}] id {c.Id}" + (d.CategoryName is null ? "" : $" in {d.CategoryName}")
            + (c.BotCanView ? "" : " — NOT VIEWABLE by the bot")
            + $"\nBot permissions here: {(d.BotPermissions.Count == 0 ? "none" : string.Join(", ", d.BotPermissions))}"
            + (string.IsNullOrEmpty(c.Topic) ? "" : "\n" + UntrustedText.Fence("channel-topic", c.Topic));
        return ToolResults.Ok(d, text);
    }
}
