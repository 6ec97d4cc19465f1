using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Messages;

[McpServerToolType, Toolset(Toolsets.Messages), WriteTool]
internal sealed class PinMessageTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_pin_message", Title = "Pin a message", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Pins a message in its channel. Needs the Pin Messages permission. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Message id.")] string message_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, new Operation(discord, guild_id, channel, message_id, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string messageId, string? reason) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private Snowflake _id;
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(messageId, "message_id", "message");
            _reason = WriteText.Reason(reason);
            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
            if (message.Pinned)
                throw DiscordServiceException.Invalid("message_id", $"message_id: message {id} is already pinned in {WriteText.Channel(c)}.");
            _channel = c;
            _id = id;
            var describe = MessageWrites.Describe(message, c, ctx.Bot.User!.Id.Value);
            return new WritePlan
            {
                Action = "pin_message",
                Sentence = $"pin {describe}.",
                Target = $"{describe} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Pinned: no → yes", $"Message: {MessageWrites.Quote(message.Content, 120)}"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                // Discord's PIN_MESSAGES (split from MANAGE_MESSAGES); the message must be readable too.
                BotPermissions = DiscordPermissions.PinMessages | DiscordPermissions.ReadMessageHistory,
                Undo = "unpin it with discord_unpin_message",
                References = [MessageWrites.Reference(c, id)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            await DiscordReadService.CallAsync(() => discord.Client.PinMessageAsync(_channel!.Id, _id, _reason, cancellationToken), $"pin message {_id} in {where}");
            return WriteOutcome.Of($"Pinned message {_id} in {where}.", ("message_id", _id.ToString()));
        }
    }
}
