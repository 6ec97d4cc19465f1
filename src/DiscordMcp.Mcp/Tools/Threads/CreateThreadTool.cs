using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Threads;

[McpServerToolType, Toolset(Toolsets.Threads), WriteTool, BotPermissions(DiscordPermissions.CreatePublicThreads | DiscordPermissions.CreatePrivateThreads | DiscordPermissions.SendMessages | DiscordPermissions.ViewChannel)]
internal sealed class CreateThreadTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_thread", Title = "Create a thread", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Starts a thread. Three forms, chosen by the arguments: from a message (channel + message_id), standalone in a text or announcement channel " +
        "(channel + name; private: true for a private thread, text channels only), or a post in a forum channel (forum + name as the title + content, " +
        "optional tags by name). Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The parent channel: a text or announcement channel, or a forum channel for a post (#name, name, <#id> or id).")] string channel,
        [Description("Thread name, or the post's title in a forum (1–100 characters).")] string name,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Start the thread from this message of the channel (text or announcement channels; at most one thread per message).")] string? message_id = null,
        [Description("true: a private thread (standalone threads in text channels only; members are added by mention or invitation).")] bool @private = false,
        [Description("Forum posts only: the first message (1–2000 characters, required for a post). @everyone, @here and role mentions are suppressed.")] string? content = null,
        [Description("Forum posts only: tags by name (or id) from the forum's available tags, at most 5.")] string[]? tags = null,
        [Description("Archive after this many minutes without activity: 60, 1440, 4320 or 10080. Default: the channel's default.")] int? auto_archive_minutes = null,
        [Description("Slowmode in the thread in seconds (0–21600, 0 = off).")] int? slowmode_seconds = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run,
            () => new Operation(discord, guild_id, channel, name, message_id, @private, content, tags, auto_archive_minutes, slowmode_seconds, reason), cancellationToken);

    private enum Form
    {
        FromMessage,
        Standalone,
        ForumPost,
    }

    private sealed class Operation(
        DiscordReadService discord, string? guild, string channel, string name, string? messageId, bool isPrivate, string? content, string[]? tags,
        int? autoArchive, int? slowmode, string? reason) : IWriteOperation
    {
        /// <summary>Discord's channel flag REQUIRE_TAG: a post in this forum needs at least one tag.</summary>
        private const int RequireTagFlag = 1 << 4;

        private Form _form;
        private DiscordChannel? _parent;
        private string? _name;
        private string? _content;
        private Snowflake? _messageId;
        private ChannelType _threadType;
        private List<ForumTag> _tags = [];
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            // Every argument first, without Discord.
            var threadName = ThreadText.Name(name);
            ThreadText.AutoArchive(autoArchive);
            WriteText.Range(slowmode, "slowmode_seconds", 0, DiscordLimits.SlowmodeMaxSeconds, "seconds");
            var text = MessageWrites.Content(content);
            var tagNames = tags ?? [];
            if (tagNames.Length > DiscordLimits.AppliedTags)
                throw DiscordServiceException.Invalid("tags", $"tags: at most {DiscordLimits.AppliedTags} tags per post, got {tagNames.Length}.");
            for (var i = 0; i < tagNames.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(tagNames[i]))
                    throw DiscordServiceException.Invalid($"tags[{i}]", $"tags[{i}] is empty: give a tag name of the forum.");
            }
            Snowflake? fromMessage = messageId is null ? null : DiscordReadService.ParseId(messageId, "message_id", "message");
            if (fromMessage is not null && isPrivate)
                throw DiscordServiceException.Invalid("private", "private: a thread started from a message is public; leave out message_id for a private thread.");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var parent = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            var where = WriteText.Channel(parent);
            var isForum = parent.Type is ChannelType.GuildForum or ChannelType.GuildMedia;
            if (!isForum && parent.Type is not (ChannelType.GuildText or ChannelType.GuildAnnouncement))
                throw DiscordServiceException.Invalid("channel",
                    $"channel: {where} is a {DiscordReadService.TypeName(parent.Type)} channel; threads start in text, announcement or forum channels.");
            if (!isForum && text is not null)
                throw DiscordServiceException.Invalid("content", $"content is only for forum posts; {where} is a {DiscordReadService.TypeName(parent.Type)} channel.");
            if (!isForum && tagNames.Length > 0)
                throw DiscordServiceException.Invalid("tags", $"tags are only for forum posts; {where} is a {DiscordReadService.TypeName(parent.Type)} channel.");

            var changes = new List<string> { $"Name: {ThreadText.Quoted(threadName)}" };
            var notes = new List<string>();
            var references = new List<Policy.Pipeline.ResourceReference>();
            DiscordPermissions needed;
            string sentence;
            var botId = ctx.Bot.User!.Id.Value;
            if (isForum)
            {
                if (fromMessage is not null)
                    throw DiscordServiceException.Invalid("message_id", $"message_id: posts in the forum {where} are new threads; they cannot start from a message.");
                if (isPrivate)
                    throw DiscordServiceException.Invalid("private", $"private: forum posts are always public ({where} is a forum).");
                if (string.IsNullOrWhiteSpace(text))
                    throw DiscordServiceException.Invalid("content", $"content: a forum post needs its first message (1–{DiscordLimits.MessageContent} characters).");
                _tags = ResolveTags(parent, tagNames);
                if (_tags.Count == 0 && ((parent.Flags ?? 0) & RequireTagFlag) != 0)
                    throw DiscordServiceException.Invalid("tags", $"tags: the forum {where} requires at least one tag; available: {Available(parent)}.");
                _form = Form.ForumPost;
                _threadType = ChannelType.PublicThread;
                // Forum posts need Send Messages in the forum; a moderated tag may only be applied with Manage Threads.
                needed = DiscordPermissions.SendMessages | (_tags.Any(t => t.Moderated) ? DiscordPermissions.ManageThreads : DiscordPermissions.None);
                changes.Add($"Content: {MessageWrites.Quote(text, 300)}");
                changes.Add(_tags.Count == 0 ? "Tags: none" : "Tags: " + string.Join(", ", _tags.Select(t => UntrustedText.Inline(t.Name))));
                if (MessageWrites.HasMassMentions(text))
                    notes.Add("Mentions of @everyone, @here and roles in the content are suppressed: they show as text and ping nobody.");
                sentence = $"create the post {ThreadText.Quoted(threadName)} in the forum {where}" +
                    (_tags.Count == 0 ? "" : $" with the {(_tags.Count == 1 ? "tag" : "tags")} {WriteText.And([.. _tags.Select(t => UntrustedText.Inline(t.Name))])}") + ".";
            }
            else if (fromMessage is { } mid)
            {
                var message = await MessageWrites.LoadMessageAsync(discord, parent, mid, "message_id", cancellationToken);
                if (message.Thread is { } existing)
                    throw new DiscordServiceException(DiscordErrorKind.InvalidArgument,
                        $"message_id: message {mid} in {where} already has the thread {ThreadText.Quoted(existing.Name)} (id {existing.Id}); Discord allows one thread per message.", "message_id");
                _form = Form.FromMessage;
                _messageId = mid;
                _threadType = parent.Type == ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
                needed = DiscordPermissions.CreatePublicThreads;
                changes.Add($"From: {MessageWrites.Describe(message, parent, botId)}: {MessageWrites.Quote(message.Content, 80)}");
                references.Add(MessageWrites.Reference(parent, mid));
                sentence = $"start the {ThreadText.KindWord(_threadType)} {ThreadText.Quoted(threadName)} in {where} from " +
                    (message.Author.Id.Value == botId ? "the bot's message " : $"@{UntrustedText.Inline(message.Author.GlobalName ?? message.Author.Username)}'s message ") + $"{mid}.";
            }
            else
            {
                if (isPrivate && parent.Type != ChannelType.GuildText)
                    throw DiscordServiceException.Invalid("private", $"private: private threads exist only in text channels; {where} is an announcement channel.");
                _form = Form.Standalone;
                _threadType = isPrivate ? ChannelType.PrivateThread : parent.Type == ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
                needed = isPrivate ? DiscordPermissions.CreatePrivateThreads : DiscordPermissions.CreatePublicThreads;
                sentence = $"start the {ThreadText.Label(_threadType)} {ThreadText.Quoted(threadName)} in {where}.";
                if (isPrivate)
                    notes.Add("A private thread is visible only to the people in it and to members with Manage Threads; the bot joins it as its creator.");
            }

            changes.Add("Type: " + ThreadText.Label(_threadType));
            var archive = autoArchive ?? parent.DefaultAutoArchiveDuration;
            changes.Add(autoArchive is { } a ? $"Auto-archive: after {ThreadText.Duration(a)} of inactivity"
                : $"Auto-archive: the channel's default{(archive is { } d ? $" ({ThreadText.Duration(d)})" : "")}");
            if (slowmode is { } s)
                changes.Add($"Slowmode: {(s == 0 ? "off" : s + " s")}");

            _parent = parent;
            _name = threadName;
            _content = text;
            return new WritePlan
            {
                Action = "create_thread",
                Sentence = sentence,
                Target = $"{where} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = parent.Id.Value,
                BotPermissions = needed,
                Undo = "archive and lock the thread with discord_modify_thread (these tools do not delete threads)",
                References = references,
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var parent = _parent!;
            var where = WriteText.Channel(parent);
            var quoted = ThreadText.Quoted(_name);
            switch (_form)
            {
                case Form.FromMessage:
                {
                    var request = new StartThreadFromMessageRequest { Name = _name!, AutoArchiveDuration = autoArchive, RateLimitPerUser = slowmode };
                    var thread = await DiscordReadService.CallAsync(
                        () => discord.Client.StartThreadFromMessageAsync(parent.Id, _messageId!.Value, request, _reason, cancellationToken), $"start a thread in {where}");
                    return WriteOutcome.Of($"Started the {ThreadText.KindWord(thread.Type)} {quoted} in {where} from message {_messageId}.", ("thread_id", thread.Id.ToString()));
                }
                case Form.Standalone:
                {
                    var request = new StartThreadRequest { Name = _name!, AutoArchiveDuration = autoArchive, RateLimitPerUser = slowmode, Type = _threadType };
                    var thread = await DiscordReadService.CallAsync(
                        () => discord.Client.StartThreadAsync(parent.Id, request, _reason, cancellationToken), $"start a thread in {where}");
                    return WriteOutcome.Of($"Started the {ThreadText.KindWord(thread.Type)} {quoted} in {where}.", ("thread_id", thread.Id.ToString()));
                }
                default:
                {
                    var request = new StartForumThreadRequest
                    {
                        Name = _name!,
                        AutoArchiveDuration = autoArchive,
                        RateLimitPerUser = slowmode,
                        AppliedTags = _tags.Count == 0 ? null : [.. _tags.Select(t => t.Id!.Value)],
                        Message = new ForumThreadMessage { Content = _content, AllowedMentions = MessageWrites.Mentions(false) },
                    };
                    var thread = await DiscordReadService.CallAsync(
                        () => discord.Client.StartForumThreadAsync(parent.Id, request, _reason, cancellationToken), $"create a post in the forum {where}");
                    var tagText = _tags.Count == 0 ? "" : $" with the {(_tags.Count == 1 ? "tag" : "tags")} {WriteText.And([.. _tags.Select(t => UntrustedText.Inline(t.Name))])}";
                    return WriteOutcome.Of($"Created the post {quoted} in the forum {where}{tagText}.", ("thread_id", thread.Id.ToString()));
                }
            }
        }

        /// <summary>Each tag by name (case-insensitive) or id among the forum's available tags; an unknown one names tags[i] and lists the available tags.</summary>
        private static List<ForumTag> ResolveTags(DiscordChannel forum, string[] names)
        {
            var available = forum.AvailableTags ?? [];
            var resolved = new List<ForumTag>();
            for (var i = 0; i < names.Length; i++)
            {
                var wanted = names[i].Trim();
                var tag = available.FirstOrDefault(t => t.Id is { } id && id.ToString() == wanted)
                    ?? available.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase))
                    ?? throw new DiscordServiceException(DiscordErrorKind.NotFound,
                        $"tags[{i}]: the forum {WriteText.Channel(forum)} has no tag \"{UntrustedText.Inline(wanted.Length > 40 ? wanted[..40] + "…" : wanted)}\"; available: {Available(forum)}.",
                        $"tags[{i}]");
                if (tag.Id is null)
                    throw DiscordServiceException.Invalid($"tags[{i}]", $"tags[{i}]: the tag {UntrustedText.Inline(tag.Name)} has no id yet.");
                if (resolved.Any(r => r.Id == tag.Id))
                    throw DiscordServiceException.Invalid($"tags[{i}]", $"tags[{i}]: the tag {UntrustedText.Inline(tag.Name)} is listed twice.");
                resolved.Add(tag);
            }
            return resolved;
        }

        private static string Available(DiscordChannel forum) =>
            forum.AvailableTags is { Count: > 0 } tags ? string.Join(", ", tags.Select(t => UntrustedText.Inline(t.Name))) : "(the forum has no tags)";
    }
}
