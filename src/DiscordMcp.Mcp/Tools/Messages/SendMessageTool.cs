using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Messages;

[McpServerToolType, Toolset(Toolsets.Messages), WriteTool, BotPermissions(DiscordPermissions.SendMessages | DiscordPermissions.SendMessagesInThreads | DiscordPermissions.EmbedLinks | DiscordPermissions.ViewChannel)]
internal sealed class SendMessageTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_send_message", Title = "Send a message", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Sends a message as the bot to a channel, optionally as a reply and with embeds. Mentions of @everyone, @here and roles are suppressed " +
        "(shown as text, no ping) unless allow_mentions is true; user mentions ping. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Message text (at most 2000 characters). Optional when embeds are given.")] string? content = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Id of a message in the same channel to reply to.")] string? reply_to = null,
        [Description("Up to 10 embeds (title ≤ 256, description ≤ 4096, ≤ 25 fields of name ≤ 256 and value ≤ 1024, 6000 characters in all).")] EmbedInput[]? embeds = null,
        [Description("true: @everyone, @here and role mentions in the content ping (default false: they are suppressed).")] bool allow_mentions = false,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, content, reply_to, embeds, allow_mentions), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string channel, string? content, string? replyTo, EmbedInput[]? embeds, bool allowMentions) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private CreateMessageRequest? _request;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var text = MessageWrites.Content(content);
            var converted = MessageWrites.Embeds(embeds);
            if (string.IsNullOrWhiteSpace(text) && converted is null)
                throw DiscordServiceException.Invalid("content", $"content: give the message text (1–{DiscordLimits.MessageContent} characters) or at least one embed.");
            Snowflake? replyId = replyTo is null ? null : DiscordReadService.ParseId(replyTo, "reply_to", "message");

            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var botId = ctx.Bot.User!.Id.Value;
            DiscordMessage? replied = null;
            if (replyId is { } r)
                replied = await MessageWrites.LoadMessageAsync(discord, c, r, "reply_to", cancellationToken);

            var notes = new List<string>();
            var needed = MessageWrites.SendPermission(c);
            if (converted is not null)
                needed |= DiscordPermissions.EmbedLinks;
            if (replied is not null)
                needed |= DiscordPermissions.ReadMessageHistory;
            if (MessageWrites.HasMassMentions(text))
            {
                if (allowMentions)
                {
                    notes.Add("The content mentions @everyone, @here or roles, and allow_mentions is true: they will ping.");
                    if (MessageWrites.HasEveryone(text))
                        needed |= DiscordPermissions.MentionEveryone;
                }
                else
                {
                    notes.Add(MessageWrites.SuppressedNote);
                }
            }

            _channel = c;
            _request = new CreateMessageRequest
            {
                Content = string.IsNullOrEmpty(text) ? null : text,
                Embeds = converted,
                AllowedMentions = MessageWrites.Mentions(allowMentions),
                MessageReference = replied is null ? null : new MessageReference { MessageId = replied.Id, FailIfNotExists = true },
            };

            var where = WriteText.Channel(c);
            var sentence = replied is null
                ? $"send a message to {where}."
                : $"reply in {where} to {MessageWrites.Describe(replied, c, botId)}.";
            var changes = new List<string>();
            if (!string.IsNullOrEmpty(text))
                changes.Add($"Content: {MessageWrites.Quote(text, 300)}");
            if (converted is not null)
                changes.Add($"Embeds: {string.Join(", ", converted.Select(e => e.Title is null ? "(untitled)" : MessageWrites.Quote(e.Title, 60)))}");
            if (replied is not null)
                changes.Add($"Reply to: {MessageWrites.Quote(replied.Content, 80)}");
            changes.Add("Mentions that ping: " + (allowMentions ? "users, roles, @everyone and @here" : "users only"));

            return new WritePlan
            {
                Action = "send_message",
                Sentence = sentence,
                Target = $"{where} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = needed,
                Undo = "delete the message with discord_delete_message",
                References = replied is null ? [] : [MessageWrites.Reference(c, replied.Id)],
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            var sent = await DiscordReadService.CallAsync(
                () => discord.Client.CreateMessageAsync(_channel!.Id, _request!, cancellationToken), $"send a message to {where}");
            var text = _request!.MessageReference is null ? $"Sent a message to {where}." : $"Replied in {where} to message {_request.MessageReference.MessageId}.";
            return WriteOutcome.Of(text, ("message_id", sent.Id.ToString()));
        }
    }
}
