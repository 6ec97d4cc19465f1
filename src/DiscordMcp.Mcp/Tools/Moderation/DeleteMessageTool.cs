using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Moderation;

[McpServerToolType, Toolset(Toolsets.Moderation), WriteTool, BotPermissions(DiscordPermissions.ManageMessages | DiscordPermissions.ViewChannel)]
internal sealed class DeleteMessageTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_message", Title = "Delete a message", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes one message (the bot's own, or anyone's with Manage Messages). Cannot be undone. Dry run by default: returns the plan and a " +
        "confirmation_id; deletes usually need a person's approval.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Id of the message to delete.")] string message_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, message_id, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string messageId, string? reason) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private DiscordMessage? _message;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(messageId, "message_id", "message");
            _reason = WriteText.Reason(reason);
            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
            var botId = ctx.Bot.User!.Id;
            var own = message.Author.Id == botId;
            _channel = c;
            _message = message;
            _label = MessageWrites.Describe(message, c, botId.Value);
            return new WritePlan
            {
                Action = "delete_message",
                Sentence = $"delete {_label}.",
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Deleted: {MessageWrites.Quote(message.Content, 200)}" + (message.Attachments.Count > 0 ? $" (+{message.Attachments.Count} attachment(s))" : "")],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                // Discord lets anyone delete their own messages; others' need Manage Messages.
                BotPermissions = own ? DiscordPermissions.ViewChannel : DiscordPermissions.ManageMessages,
                Undo = null,
                References = [MessageWrites.Reference(c, message.Id)],
                Notes = own ? [] : ["The author is not notified; Discord's audit log records the deletion" + (_reason is null ? "." : " with the reason.")],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.DeleteMessageAsync(_channel!.Id, _message!.Id, _reason, cancellationToken), $"delete {_label}");
            return WriteOutcome.Of($"Deleted {_label}.", ("message_id", _message!.Id.ToString()));
        }
    }
}
