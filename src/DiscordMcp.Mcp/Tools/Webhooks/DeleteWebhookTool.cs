using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Webhooks;

[McpServerToolType, Toolset(Toolsets.Webhooks), WriteTool, BotPermissions(DiscordPermissions.ManageWebhooks)]
internal sealed class DeleteWebhookTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_webhook", Title = "Delete a webhook", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes a webhook of the guild; anything posting to its URL stops working. Cannot be undone. Dry run by default; by default a person " +
        "must approve it.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Webhook id (see discord_list_webhooks).")] string webhook_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, webhook_id, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string webhookId, string? reason) : IWriteOperation
    {
        private Snowflake _id;
        private string? _reason;
        private string _label = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            DiscordReadService.ParseId(webhookId, "webhook_id", "webhook");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var webhook = await WebhookText.LoadAsync(discord, ctx, webhookId, cancellationToken);
            _id = webhook.Id;
            var where = WebhookText.ChannelLabel(ctx, webhook);
            _label = $"{WebhookText.Quoted(webhook.Name)} in {where}";
            return new WritePlan
            {
                Action = "delete_webhook",
                Sentence = $"delete the webhook {_label}.",
                Target = $"webhook {WebhookText.Quoted(webhook.Name)} (id {webhook.Id}) in {where}",
                Changes = [$"Webhook {WebhookText.Quoted(webhook.Name)} (id {webhook.Id}): deleted"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = webhook.ChannelId?.Value,
                BotPermissions = WebhookText.Permission,
                Undo = null,
                Notes = ["Anything posting to this webhook's URL stops working; a new webhook gets a new URL."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.DeleteWebhookAsync(_id, _reason, cancellationToken), "delete the webhook");
            return WriteOutcome.Of($"Deleted the webhook {_label}.", ("webhook_id", _id.ToString()));
        }
    }
}
