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
internal sealed class ExecuteWebhookTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_execute_webhook", Title = "Post through a webhook", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Posts a message through one of the guild's incoming webhooks, optionally under another display name. Mentions of @everyone, @here " +
        "and roles are suppressed (they show as text, nobody is pinged). The webhook's token is read with the bot for this one call and never returned. " +
        "Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Webhook id (see discord_list_webhooks).")] string webhook_id,
        [Description("Message text (1–2000 characters).")] string content,
        [Description("Display name for this message (1–80 characters; must not contain \"clyde\" or \"discord\"). Default: the webhook's name.")] string? username = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, webhook_id, content, username), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string webhookId, string content, string? username) : IWriteOperation
    {
        private Snowflake _id;
        private string _content = "";
        private string? _username;
        private string _as = "";
        private string _where = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(webhookId, "webhook_id", "webhook");
            _content = WriteText.Required(content, "content", 1, DiscordLimits.MessageContent);
            _username = username is null ? null : WebhookText.Name(username, "username");
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var webhook = await WebhookText.LoadAsync(discord, ctx, id.ToString(), cancellationToken);
            if (webhook.Type != 1)
                throw DiscordServiceException.Invalid("webhook_id", $"webhook_id: {WebhookText.Quoted(webhook.Name)} is a {WebhookText.TypeName(webhook.Type)} webhook; only incoming webhooks can be posted through.");
            _id = webhook.Id;
            _as = WebhookText.Quoted(_username ?? webhook.Name);
            _where = WebhookText.ChannelLabel(ctx, webhook);
            return new WritePlan
            {
                Action = "execute_webhook",
                Sentence = $"post this message as {_as} through the webhook {WebhookText.Quoted(webhook.Name)} in {_where}.",
                Target = $"webhook {WebhookText.Quoted(webhook.Name)} (id {webhook.Id}) in {_where}",
                Changes = [$"Content: \"{UntrustedText.Inline(_content)}\"", $"Posted as: {_as}"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = webhook.ChannelId?.Value,
                BotPermissions = WebhookText.Permission, // to read the webhook's token
                Undo = "delete the message (message id in the result)",
                Notes = ["Mentions of @everyone, @here and roles are suppressed: nobody is pinged by them.", WebhookText.Notice(webhook.Id.ToString()) + "."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            // The token lives only in this call: read with the bot, used once, never stored or returned.
            var webhook = await DiscordReadService.CallAsync(() => discord.Client.GetWebhookAsync(_id, cancellationToken), "read the webhook");
            if (webhook.Token is not { Length: > 0 } token)
                throw new DiscordServiceException(DiscordErrorKind.InvalidArgument, "webhook_id: the webhook has no token the bot can use, so nothing was posted.", "webhook_id");
            var request = new ExecuteWebhookRequest
            {
                Content = _content,
                Username = _username,
                AllowedMentions = new AllowedMentions { Parse = [AllowedMentions.Users] },
            };
            var message = await DiscordReadService.CallAsync(
                () => discord.Client.ExecuteWebhookAsync(_id, token, request, wait: true, cancellationToken: cancellationToken), "post through the webhook");
            var messageId = message?.Id.ToString() ?? "";
            return WriteOutcome.Of($"Posted a message as {_as} in {_where}.", ("message_id", messageId), ("webhook_id", _id.ToString()));
        }
    }
}
