using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Writes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Moderation;

/// <summary>
/// Drafts a moderation warning for a message and stores it as a pending reply or direct message: it ALWAYS dry-runs, so
/// the pending action is the draft, and only a confirmation (<c>discord_confirm_action</c>, or an approval in approve
/// mode) posts it. A DM is opened only when the confirmed warning is sent, never while drafting.
/// </summary>
[McpServerToolType, Toolset(Toolsets.Moderation), WriteTool, BotPermissions(DiscordPermissions.SendMessages | DiscordPermissions.ReadMessageHistory | DiscordPermissions.ViewChannel)]
internal sealed class DraftModerationWarningTool(DiscordReadService discord)
{
    /// <summary>Configuration key of the warning template (placeholders {user}, {rule}, {channel}).</summary>
    public const string TemplateKey = "Moderation:WarningTemplate";

    public const string DefaultTemplate =
        "{user}, this is a moderation warning about your message in {channel}: it breaks {rule}. Please review the server rules; further violations may lead to moderation action.";

    /// <summary>The sentence every draft carries, word for word.</summary>
    public const string NothingDone = "No message was sent. No moderation action was applied.";

    public const int RuleMax = 200;
    public const int ContextMessages = 10;

    [McpServerTool(Name = "discord_draft_moderation_warning", Title = "Draft a moderation warning", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Drafts a warning for a message that breaks a rule, without sending it: reads the message (and up to 10 messages of context before it, " +
        "when the bot can read the history), builds the warning from 'text' or from the server's template citing 'rule', and stores it as a pending reply " +
        "to the message or a pending direct message to its author. Always a draft: nothing is sent and no moderation action is applied; the returned confirmation_id posts it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel of the message: #name, name, <#id> mention, or id.")] string channel,
        [Description("Id of the message the warning is about.")] string message_id,
        [Description("The rule it breaks, e.g. \"Rule 2: be respectful\" (at most 200 characters). Used by the template; required unless text is given.")] string? rule = null,
        [Description("The warning text itself (at most 2000 characters); replaces the template.")] string? text = null,
        [Description("How the warning is delivered: reply (default; a reply to the message that mentions only its author) or dm (a direct message to the author; nothing is posted in the channel).")] string? delivery = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var template = context.Services?.GetService<IConfiguration>()?[TemplateKey];
        // Always a dry run: the stored pending action IS the draft; only a confirmation posts it.
        return WriteRunner.RunAsync(context, dryRun: true,
            () => new Operation(discord, guild_id, channel, message_id, rule, text, delivery, string.IsNullOrWhiteSpace(template) ? DefaultTemplate : template), cancellationToken);
    }

    private sealed class Operation(
        DiscordReadService discord, string? guild, string channel, string messageId, string? rule, string? text, string? delivery, string template) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private DiscordMessage? _message;
        private string? _warning;
        private bool _dm;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var id = DiscordReadService.ParseId(messageId, "message_id", "message");
            var ruleText = WriteText.Optional(rule?.Trim(), "rule", RuleMax);
            var given = WriteText.Optional(text?.Trim(), "text", DiscordLimits.MessageContent);
            if (string.IsNullOrEmpty(given) && string.IsNullOrEmpty(ruleText))
                throw DiscordServiceException.Invalid("rule", "rule: give the rule the message breaks (e.g. \"Rule 2: be respectful\", at most 200 characters) or the warning text.");
            var how = (delivery ?? "reply").Trim();
            var dm = string.Equals(how, "dm", StringComparison.OrdinalIgnoreCase);
            if (!dm && !string.Equals(how, "reply", StringComparison.OrdinalIgnoreCase))
                throw DiscordServiceException.Invalid("delivery", $"delivery must be reply (a reply to the message) or dm (a direct message to its author), got \"{UntrustedText.Inline(how.Length > 20 ? how[..20] : how)}\".");

            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var botId = ctx.Bot.User!.Id;
            var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
            if (message.Author.Id == botId)
                throw DiscordServiceException.Invalid("message_id", $"message_id: message {id} was written by the bot itself; there is nobody to warn.");

            var user = $"<@{message.Author.Id}>";
            var warning = !string.IsNullOrEmpty(given)
                ? given
                : template.Replace("{user}", user, StringComparison.Ordinal)
                    .Replace("{rule}", ruleText, StringComparison.Ordinal)
                    .Replace("{channel}", $"<#{c.Id}>", StringComparison.Ordinal);
            if (warning.Length > DiscordLimits.MessageContent)
                throw DiscordServiceException.Invalid(string.IsNullOrEmpty(given) ? "rule" : "text",
                    $"The warning would be {warning.Length} characters; a message is at most {DiscordLimits.MessageContent}. Shorten the rule or the template ({TemplateKey}).");

            if (dm)
                await RequireStillMemberAsync(ctx.Guild, message.Author, cancellationToken);

            var notes = new List<string>
            {
                NothingDone,
                dm
                    ? $"This is a draft: confirming it sends it to @{Author(message)} as a direct message (nothing is posted in the channel); only @{Author(message)} is mentioned."
                    : $"This is a draft: confirming it posts it as a reply to the message; only @{Author(message)} is mentioned (no @everyone, @here or roles).",
            };
            var transcript = new List<DiscordMessage>();
            if (discord.BotPermissionsIn(ctx, c).HasFlag(DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory))
            {
                var before = await DiscordReadService.CallAsync(
                    () => discord.Client.GetMessagesAsync(c.Id, new ListMessagesQuery { Before = id, Limit = ContextMessages }, cancellationToken),
                    $"read the messages before {id} in {WriteText.Channel(c)}");
                transcript.AddRange(before.OrderBy(m => m.Id));
            }
            else
            {
                notes.Add("The bot cannot read the message history of this channel, so no context before the message was read.");
            }
            transcript.Add(message);
            notes.Add($"The message (last) and up to {ContextMessages} messages before it, as written by Discord users:\n" + Transcript.Render(transcript.Select(Transcript.View)));

            _channel = c;
            _message = message;
            _warning = warning;
            _dm = dm;
            var where = WriteText.Channel(c);
            var citing = string.IsNullOrEmpty(ruleText) ? "." : $" citing {UntrustedText.Inline(ruleText)}.";
            return new WritePlan
            {
                Action = "draft_moderation_warning",
                Sentence = dm
                    ? $"send @{Author(message)} a direct message with this moderation warning about {MessageWrites.Describe(message, c, botId.Value)}" + citing
                    : $"reply to {MessageWrites.Describe(message, c, botId.Value)} with this moderation warning" + citing,
                Target = $"{MessageWrites.Describe(message, c, botId.Value)} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes =
                [
                    $"Warning: \"{UntrustedText.Inline(warning)}\"",
                    $"Reported message: {MessageWrites.Quote(message.Content, 200)}",
                    dm
                        ? $"Delivery: direct message to @{Author(message)} (nothing is posted in {where})"
                        : $"Delivery: reply in {where}, pinging only @{Author(message)}",
                ],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                // A DM needs no permission in the channel: only reading the reported message there.
                BotPermissions = dm
                    ? DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory
                    : MessageWrites.SendPermission(c) | DiscordPermissions.ReadMessageHistory,
                // No tool deletes a message in a DM, so a sent DM cannot be taken back here.
                Undo = dm ? null : "delete the warning with discord_delete_message",
                References = [MessageWrites.Reference(c, message.Id)],
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            if (_dm)
                return await SendDirectAsync(cancellationToken);
            var request = new CreateMessageRequest
            {
                Content = _warning,
                MessageReference = new MessageReference { MessageId = _message!.Id, FailIfNotExists = true },
                // Only the warned user is pinged, whatever the text says.
                AllowedMentions = new AllowedMentions { Parse = [], UserIds = [_message.Author.Id], RepliedUser = true },
            };
            var where = WriteText.Channel(_channel!);
            var sent = await DiscordReadService.CallAsync(
                () => discord.Client.CreateMessageAsync(_channel!.Id, request, cancellationToken), $"post the moderation warning in {where}");
            return WriteOutcome.Of($"Posted the moderation warning as a reply to @{Author(_message)}'s message in {where}.",
                ("message_id", sent.Id.ToString()), ("warned_user_id", _message.Author.Id.ToString()));
        }

        /// <summary>
        /// Opens the bot's DM with the author and sends the drafted text. Opening a DM changes nothing anyone sees; when
        /// Discord refuses the message (50007: no shared server, or the user does not accept DMs) nothing was sent.
        /// </summary>
        private async ValueTask<WriteOutcome> SendDirectAsync(CancellationToken cancellationToken)
        {
            var author = _message!.Author;
            var who = "@" + Author(_message);
            var channel = await DiscordReadService.CallAsync(
                () => discord.Client.CreateDmAsync(author.Id, cancellationToken), $"open a direct message with {who}");
            var request = new CreateMessageRequest
            {
                Content = _warning,
                AllowedMentions = new AllowedMentions { Parse = [], UserIds = [author.Id] },
            };
            var sent = await DiscordReadService.CallAsync(
                () => discord.Client.CreateMessageAsync(channel.Id, request, cancellationToken), $"send the moderation warning to {who} by direct message");
            return WriteOutcome.Of($"Sent the moderation warning to {who} by direct message; nothing was posted in {WriteText.Channel(_channel!)}.",
                ("message_id", sent.Id.ToString()), ("dm_channel_id", channel.Id.ToString()), ("warned_user_id", author.Id.ToString()));
        }

        /// <summary>The bot can only DM someone it shares a server with: an author who left is refused at the plan (and so at confirmation).</summary>
        private async ValueTask RequireStillMemberAsync(DiscordGuild guild, DiscordUser author, CancellationToken cancellationToken)
        {
            try
            {
                await discord.Client.GetMemberAsync(guild.Id, author.Id, cancellationToken);
            }
            catch (DiscordHttpException e) when (e.Code is 10007 or 10013)
            {
                throw DiscordServiceException.Invalid("delivery",
                    $"delivery: @{UntrustedText.Inline(author.GlobalName ?? author.Username)} is no longer a member of {UntrustedText.Inline(guild.Name)}, so the bot cannot send them a direct message here; use delivery: reply.");
            }
            catch (Exception e) when (DiscordErrors.IsTranslatable(e))
            {
                throw DiscordErrors.Translate(e, $"check that @{UntrustedText.Inline(author.GlobalName ?? author.Username)} is still a member");
            }
        }

        private static string Author(DiscordMessage m) => UntrustedText.Inline(m.Author.GlobalName ?? m.Author.Username);
    }
}
