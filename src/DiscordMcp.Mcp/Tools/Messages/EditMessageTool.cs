using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Messages;

[McpServerToolType, Toolset(Toolsets.Messages), WriteTool, BotPermissions(DiscordPermissions.ViewChannel | DiscordPermissions.EmbedLinks)]
internal sealed class EditMessageTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_edit_message", Title = "Edit a message", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Edits the content and/or embeds of a message the bot sent (Discord lets a bot edit only its own messages). @everyone, @here and role mentions " +
        "are suppressed unless allow_mentions is true. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Id of the bot's message to edit.")] string message_id,
        [Description("New text (at most 2000 characters); omit to keep the current text.")] string? content = null,
        [Description("New embeds, replacing the current ones (same limits as discord_send_message); omit to keep them.")] EmbedInput[]? embeds = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("true: @everyone, @here and role mentions in the content ping (default false: suppressed).")] bool allow_mentions = false,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, message_id, content, embeds, allow_mentions), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string channel, string messageId, string? content, EmbedInput[]? embeds, bool allowMentions) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private Snowflake _id;
        private EditMessageRequest? _request;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(messageId, "message_id", "message");
            var text = MessageWrites.Content(content);
            var converted = MessageWrites.Embeds(embeds);
            if (text is null && embeds is null)
                throw DiscordServiceException.Invalid("content", "content: give the new text or embeds; nothing would change.");
            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
            var botId = ctx.Bot.User!.Id;
            if (message.Author.Id != botId)
                throw DiscordServiceException.Invalid("message_id",
                    $"message_id: {MessageWrites.Describe(message, c, botId.Value)} was not sent by the bot; Discord lets the bot edit only its own messages.");
            var finalText = text ?? message.Content;
            if (string.IsNullOrEmpty(finalText) && (converted ?? (embeds is null ? message.Embeds : null)) is not { Count: > 0 })
                throw DiscordServiceException.Invalid("content", "content: the message would be empty; give text or at least one embed.");

            var notes = new List<string>();
            if (text is not null && MessageWrites.HasMassMentions(text))
                notes.Add(allowMentions ? "The content mentions @everyone, @here or roles, and allow_mentions is true: they will ping." : MessageWrites.SuppressedNote);
            var changes = new List<string>();
            if (text is not null)
                changes.Add($"Content: {MessageWrites.Quote(message.Content, 200)} → {MessageWrites.Quote(text, 300)}");
            if (embeds is not null)
                changes.Add($"Embeds: {message.Embeds.Count} → {converted?.Count ?? 0}");
            _channel = c;
            _id = id;
            _request = new EditMessageRequest
            {
                Content = text is null ? default : new Optional<string?>(text),
                Embeds = embeds is null ? default : new Optional<IReadOnlyList<Embed>?>(converted ?? []),
                AllowedMentions = new Optional<AllowedMentions?>(MessageWrites.Mentions(allowMentions)),
            };
            var needed = DiscordPermissions.ViewChannel | (converted is not null ? DiscordPermissions.EmbedLinks : DiscordPermissions.None);
            if (allowMentions && MessageWrites.HasEveryone(text))
                needed |= DiscordPermissions.MentionEveryone;
            return new WritePlan
            {
                Action = "edit_message",
                Sentence = $"edit {MessageWrites.Describe(message, c, botId.Value)}.",
                Target = $"{MessageWrites.Describe(message, c, botId.Value)} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = needed,
                Undo = "edit it back to the previous content shown above with discord_edit_message",
                References = [MessageWrites.Reference(c, id)],
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            await DiscordReadService.CallAsync(() => discord.Client.EditMessageAsync(_channel!.Id, _id, _request!, cancellationToken), $"edit message {_id} in {where}");
            return WriteOutcome.Of($"Edited the bot's message {_id} in {where}.", ("message_id", _id.ToString()));
        }
    }
}
