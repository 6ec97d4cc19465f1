using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Webhooks;

[McpServerToolType, Toolset(Toolsets.Webhooks), WriteTool, BotPermissions(DiscordPermissions.ManageWebhooks)]
internal sealed class ModifyWebhookTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_modify_webhook", Title = "Rename or move a webhook", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Renames a webhook and/or moves it to another channel of the guild (its URL stays the same and is never returned). Dry run by default: " +
        "returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Webhook id (see discord_list_webhooks).")] string webhook_id,
        [Description("New name (1–80 characters; must not contain \"clyde\" or \"discord\").")] string? name = null,
        [Description("Channel to move it to: #name, name, <#id> mention or id.")] string? move_to_channel = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, webhook_id, name, move_to_channel, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string webhookId, string? name, string? moveTo, string? reason) : IWriteOperation
    {
        private Snowflake _id;
        private ModifyWebhookRequest _request = new();
        private string? _reason;
        private string _label = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            DiscordReadService.ParseId(webhookId, "webhook_id", "webhook");
            var newName = name is null ? null : WebhookText.Name(name, "name");
            if (newName is null && moveTo is null)
                throw DiscordServiceException.Invalid("name", "name or move_to_channel: give at least one change.");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var webhook = await WebhookText.LoadAsync(discord, ctx, webhookId, cancellationToken);
            _id = webhook.Id;
            var from = WebhookText.ChannelLabel(ctx, webhook);
            var changes = new List<string>();
            var parts = new List<string>();
            if (newName is not null)
            {
                _request = _request with { Name = newName };
                changes.Add($"Name: {WebhookText.Quoted(webhook.Name)} → {WebhookText.Quoted(newName)}");
                parts.Add($"rename the webhook {WebhookText.Quoted(webhook.Name)} to {WebhookText.Quoted(newName)}");
            }
            if (moveTo is not null)
            {
                var target = DiscordReadService.ResolveChannel(ctx, moveTo, "move_to_channel");
                if (!WebhookText.CanHost(target.Type))
                    throw DiscordServiceException.Invalid("move_to_channel", $"move_to_channel: {WriteText.Channel(target)} is a {DiscordReadService.TypeName(target.Type)} channel; webhooks post in text, announcement, forum, voice or stage channels.");
                if (target.Id == webhook.ChannelId)
                    throw DiscordServiceException.Invalid("move_to_channel", $"move_to_channel: the webhook is already in {WriteText.Channel(target)}.");
                // The pipeline checks the bot in the webhook's current channel; Discord also needs it in the new one.
                if (!discord.BotPermissionsIn(ctx, target).HasFlag(WebhookText.Permission))
                    throw DiscordServiceException.Invalid("move_to_channel", $"move_to_channel: the bot lacks Manage Webhooks in {WriteText.Channel(target)}.");
                _request = _request with { ChannelId = target.Id };
                changes.Add($"Channel: {from} → {WriteText.Channel(target)}");
                parts.Add((parts.Count == 0 ? $"move the webhook {WebhookText.Quoted(webhook.Name)}" : "move it") + $" from {from} to {WriteText.Channel(target)}");
            }
            _label = WebhookText.Quoted(newName ?? webhook.Name);
            return new WritePlan
            {
                Action = "modify_webhook",
                Sentence = WriteText.And(parts) + ".",
                Target = $"webhook {WebhookText.Quoted(webhook.Name)} (id {webhook.Id}) in {from}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = webhook.ChannelId?.Value,
                BotPermissions = WebhookText.Permission,
                Undo = "modify it back with discord_modify_webhook",
                Notes = [WebhookText.Notice(webhook.Id.ToString()) + "."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.ModifyWebhookAsync(_id, _request, _reason, cancellationToken), "modify the webhook");
            return WriteOutcome.Of($"Updated the webhook {_label}: {string.Join("; ", plan.Changes)}.", ("webhook_id", _id.ToString()));
        }
    }
}
