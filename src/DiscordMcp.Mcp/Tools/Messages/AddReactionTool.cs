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
internal sealed class AddReactionTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_add_reaction", Title = "Add a reaction", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Adds the bot's reaction to a message (a unicode emoji or a custom emoji of the guild as name:id). Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
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
            if (mine)
                throw DiscordServiceException.Invalid("emoji", $"emoji: the bot already reacted with {UntrustedText.Inline(parsed.Label)} on message {id}.");
            _channel = c;
            _id = id;
            _api = parsed.Api;
            _label = parsed.Label;
            var describe = MessageWrites.Describe(message, c, ctx.Bot.User!.Id.Value);
            return new WritePlan
            {
                Action = "add_reaction",
                Sentence = $"react with {UntrustedText.Inline(parsed.Label)} to {describe}.",
                Target = $"{describe} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Bot's reaction: none → {UntrustedText.Inline(parsed.Label)}"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = DiscordPermissions.AddReactions | DiscordPermissions.ReadMessageHistory,
                Undo = "remove the reaction with discord_remove_reaction",
                References = [MessageWrites.Reference(c, id)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            await DiscordReadService.CallAsync(() => discord.Client.CreateReactionAsync(_channel!.Id, _id, _api, cancellationToken), $"add the reaction {UntrustedText.Inline(_label)} on message {_id} in {where}");
            return WriteOutcome.Of($"Reacted with {UntrustedText.Inline(_label)} to message {_id} in {where}.", ("message_id", _id.ToString()));
        }
    }
}
