using System.ComponentModel;
using System.Text;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Webhooks;

[McpServerToolType, Toolset(Toolsets.Webhooks)]
internal sealed class ListWebhooksTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_webhooks", Title = "List webhooks", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WebhookList))]
    [Description("Lists the webhooks of a guild, or of one channel: id, name, type, channel and creator. Never returns a webhook's URL or token " +
        "(an admin reveals a URL with 'discord-mcp webhooks reveal ID'). Needs the bot's Manage Webhooks permission.")]
    public async Task<CallToolResult> Run(
        [Description("Only this channel's webhooks: #name, name, <#id> mention or id. Default: the whole guild.")] string? channel = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var ctx = await discord.LoadGuildAsync(guild_id, cancellationToken);
        var inChannel = channel is null ? null : DiscordReadService.ResolveChannel(ctx, channel, "channel");
        var webhooks = inChannel is null
            ? await DiscordReadService.CallAsync(() => discord.Client.GetGuildWebhooksAsync(ctx.Guild.Id, cancellationToken), "list the guild's webhooks")
            : await DiscordReadService.CallAsync(() => discord.Client.GetChannelWebhooksAsync(inChannel.Id, cancellationToken), "list the channel's webhooks");
        var views = webhooks.Where(w => w.GuildId == ctx.Guild.Id).Select(w => WebhookText.View(ctx, w)).ToList();
        var list = new WebhookList(ctx.Guild.Id.ToString(), inChannel?.Id.ToString(), views,
            "Webhook URLs were not printed here for safety. An admin can reveal one with: discord-mcp webhooks reveal <id>");
        var text = new StringBuilder();
        foreach (var w in views)
            text.Append('"').Append(w.Name).Append("\" id ").Append(w.Id).Append(" [").Append(w.Type).Append("] in ")
                .Append(w.ChannelName is { } n ? "#" + n : "channel " + w.ChannelId).Append(w.CreatedBy is { } by ? $", created by {by}" : "").Append('\n');
        text.Append(views.Count).Append(views.Count == 1 ? " webhook" : " webhooks")
            .Append(inChannel is null ? " in the guild. " : $" in #{UntrustedText.Inline(inChannel.Name)}. ").Append(list.UrlNotice).Append(". ").Append(UntrustedText.Notice);
        return ToolResults.Ok(list, text.ToString());
    }
}
