using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Webhooks;

[McpServerToolType, Toolset(Toolsets.Webhooks)]
internal sealed class GetWebhookTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_webhook", Title = "Get webhook", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WebhookView))]
    [Description("Shows one webhook of the guild: name, type, channel and creator. Never returns its URL or token (an admin reveals the URL with " +
        "'discord-mcp webhooks reveal ID'). Needs the bot's Manage Webhooks permission.")]
    public async Task<CallToolResult> Run(
        [Description("Webhook id (see discord_list_webhooks).")] string webhook_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var ctx = await discord.LoadGuildAsync(guild_id, cancellationToken);
        var view = WebhookText.View(ctx, await WebhookText.LoadAsync(discord, ctx, webhook_id, cancellationToken));
        var text = $"\"{view.Name}\" id {view.Id} [{view.Type}] in {(view.ChannelName is { } n ? "#" + n : "channel " + view.ChannelId)}"
            + (view.CreatedBy is { } by ? $", created by {by}" : "") + $". {view.UrlNotice}.";
        return ToolResults.Ok(view, text);
    }
}
