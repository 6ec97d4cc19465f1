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
internal sealed class RemoveReactionTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_remove_reaction", Title = "Remove the bot's reaction", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Removes the bot's own reaction from a message (other people's reactions are left alone). Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Message id.")] string message_id,
        [Description("A unicode emoji (e.g. 👍) or a custom emoji as name:id or <:name:id>.")] string emoji,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, new Operation(discord, guild_id, channel, message_id, emoji), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string messageId, string emoji) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private Snowflake _id;
        private string _api = "";
        private string _label = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(messageId, "message_id", "message");
            var parsed = MessageWrites.Emoji(emoji);
            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
            var mine = message.Reactions?.Any(r => r.Me && MessageWrites.IsEmoji(r, parsed)) ?? false;
            if (!mine)
                throw DiscordServiceException.Invalid("emoji", $"emoji: the bot has no {UntrustedText.Inline(parsed.Label)} reaction on message {id}; nothing to remove.");
            _channel = c;
            _id = id;
            _api = parsed.Api;
            _label = parsed.Label;
            var describe = MessageWrites.Describe(message, c, ctx.Bot.User!.Id.Value);
            return new WritePlan
            {
                Action = "remove_reaction",
                Sentence = $"remove the bot's {UntrustedText.Inline(parsed.Label)} reaction from {describe}.",
                Target = $"{describe} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Bot's reaction: {UntrustedText.Inline(parsed.Label)} → none"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = DiscordPermissions.ReadMessageHistory,
                Undo = "react again with discord_add_reaction",
                References = [MessageWrites.Reference(c, id)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            await DiscordReadService.CallAsync(() => discord.Client.DeleteOwnReactionAsync(_channel!.Id, _id, _api, cancellationToken), $"remove the reaction {UntrustedText.Inline(_label)} on message {_id} in {where}");
            return WriteOutcome.Of($"Removed the bot's {UntrustedText.Inline(_label)} reaction from message {_id} in {where}.", ("message_id", _id.ToString()));
        }
    }
}
