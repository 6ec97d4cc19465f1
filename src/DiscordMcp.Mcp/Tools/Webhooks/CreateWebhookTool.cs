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
internal sealed class CreateWebhookTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_webhook", Title = "Create a webhook", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Creates an incoming webhook in a channel (e.g. \"Deployments\" in #deployments for deployment notifications). The webhook's URL and token " +
        "are never returned by any tool; an admin reveals the URL with 'discord-mcp webhooks reveal ID'. Dry run by default: returns the plan and a " +
        "confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel to post in: #name, name, <#id> mention or id (text, announcement, forum, voice or stage).")] string channel,
        [Description("Webhook name (1–80 characters; must not contain \"clyde\" or \"discord\").")] string name,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, name, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string name, string? reason) : IWriteOperation
    {
        private string _name = "";
        private string? _reason;
        private DiscordChannel? _channel;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _name = WebhookText.Name(name, "name");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            _channel = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            if (!WebhookText.CanHost(_channel.Type))
                throw DiscordServiceException.Invalid("channel", $"channel: {WriteText.Channel(_channel)} is a {DiscordReadService.TypeName(_channel.Type)} channel; webhooks post in text, announcement, forum, voice or stage channels.");

            var notes = new List<string> { "The webhook URL will not be printed here for safety. An admin can reveal it with: discord-mcp webhooks reveal <id>." };
            if (discord.BotPermissionsIn(ctx, _channel).HasFlag(WebhookText.Permission))
            {
                // Only when the bot may list them; otherwise the policy refuses the call for the missing permission.
                var existing = await DiscordReadService.CallAsync(() => discord.Client.GetChannelWebhooksAsync(_channel.Id, cancellationToken), "list the channel's webhooks");
                if (existing.Count >= WebhookText.PerChannel)
                    throw DiscordServiceException.Invalid("channel", $"channel: {WriteText.Channel(_channel)} already has {existing.Count} webhooks, the most Discord allows ({WebhookText.PerChannel}).");
                if (existing.FirstOrDefault(w => string.Equals(w.Name, _name, StringComparison.OrdinalIgnoreCase)) is { } same)
                    notes.Add($"{WriteText.Channel(_channel)} already has a webhook named {WebhookText.Quoted(same.Name)} (id {same.Id}); this creates a second one.");
            }

            var label = WriteText.Channel(_channel);
            return new WritePlan
            {
                Action = "create_webhook",
                Sentence = $"create the webhook {WebhookText.Quoted(_name)} in {label}.",
                Target = $"{label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Name: {UntrustedText.Inline(_name)}", $"Channel: {label}"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = _channel.Id.Value,
                BotPermissions = WebhookText.Permission,
                Undo = "delete the webhook with discord_delete_webhook",
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var request = new CreateWebhookRequest { Name = _name };
            // The response carries the token: only the id is kept from it.
            var id = (await DiscordReadService.CallAsync(
                () => discord.Client.CreateWebhookAsync(_channel!.Id, request, _reason, cancellationToken), $"create the webhook in {WriteText.Channel(_channel!)}")).Id.ToString();
            return WriteOutcome.Of($"Created the webhook {WebhookText.Quoted(_name)} in {WriteText.Channel(_channel!)}. {WebhookText.Notice(id)}.", ("webhook_id", id));
        }
    }
}
