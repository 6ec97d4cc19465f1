using System.ComponentModel;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Channels;

[McpServerToolType, Toolset(Toolsets.Channels), WriteTool, BotPermissions(DiscordPermissions.ManageChannels | DiscordPermissions.ManageRoles
    // A private channel: the bot grants itself (and can only grant what it has) the access it gives the allowed.
    | DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages | DiscordPermissions.ReadMessageHistory | DiscordPermissions.Connect | DiscordPermissions.Speak)]
internal sealed partial class CreateChannelTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_channel", Title = "Create a channel", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Creates a text, voice, category, announcement, stage or forum channel, optionally private with access for chosen roles and members " +
        "(e.g. private=true, allowed=[\"@Luis\", \"Support\"] for a channel only Luis and the Support role can see). Dry run by default: returns the plan and a " +
        "confirmation_id; run it with discord_confirm_action. Refuses a name that already exists in the guild.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel name (1–100 characters). Text-like channels are lower-cased with dashes, as Discord does.")] string name,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("text (default), voice, category, announcement, stage or forum.")] string? type = null,
        [Description("Parent category: name or id. Not for categories.")] string? category = null,
        [Description("Topic (text, announcement: at most 1024 characters; forum: 4096).")] string? topic = null,
        [Description("Age-restricted channel.")] bool? nsfw = null,
        [Description("Slowmode in seconds (0–21600); text, announcement and forum only.")] int? slowmode_seconds = null,
        [Description("Voice/stage bitrate in bits per second (8000–384000).")] int? bitrate = null,
        [Description("Voice user limit (0–99, 0 = unlimited).")] int? user_limit = null,
        [Description("Sorting position (0 or more).")] int? position = null,
        [Description("Private: @everyone cannot view the channel; only 'allowed' roles and members (and the bot) can.")] bool? @private = null,
        [Description("Roles and members that can view (and in text channels write, in voice channels join): role names, @members, role:Name, user:Name, mentions or ids.")] string[]? allowed = null,
        [Description("Roles and members that cannot view the channel (same forms as allowed).")] string[]? denied = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, name, type, category, topic, nsfw, slowmode_seconds, bitrate, user_limit, position,
            @private ?? false, allowed, denied, reason), cancellationToken);

    private static readonly Dictionary<string, ChannelType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text"] = ChannelType.GuildText,
        ["voice"] = ChannelType.GuildVoice,
        ["category"] = ChannelType.GuildCategory,
        ["announcement"] = ChannelType.GuildAnnouncement,
        ["stage"] = ChannelType.GuildStageVoice,
        ["forum"] = ChannelType.GuildForum,
    };

    private sealed partial class Operation(
        DiscordReadService discord, string? guild, string name, string? type, string? category, string? topic, bool? nsfw, int? slowmode, int? bitrate,
        int? userLimit, int? position, bool isPrivate, string[]? allowed, string[]? denied, string? reason) : IWriteOperation
    {
        private CreateChannelRequest? _request;
        private string? _label;
        private IReadOnlyList<PermissionTarget> _allowed = [];

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var kind = ChannelType.GuildText;
            if (type is not null && !Types.TryGetValue(type.Trim(), out kind))
                throw DiscordServiceException.Invalid("type", $"type must be one of {string.Join(", ", Types.Keys)}, got \"{UntrustedText.Inline(type)}\".");
            var textLike = kind is ChannelType.GuildText or ChannelType.GuildAnnouncement or ChannelType.GuildForum;
            var voiceLike = kind is ChannelType.GuildVoice or ChannelType.GuildStageVoice;
            var channelName = WriteText.Required(name, "name", DiscordLimits.ChannelNameMin, DiscordLimits.ChannelNameMax);
            if (textLike)
            {
                // Discord stores text-like channel names lower-case with dashes; plan with the name it will really have.
                channelName = Spaces().Replace(channelName.ToLowerInvariant(), "-");
            }
            if (topic is not null && !textLike)
                throw DiscordServiceException.Invalid("topic", "topic is only for text, announcement and forum channels.");
            WriteText.Optional(topic, "topic", kind == ChannelType.GuildForum ? DiscordLimits.ForumChannelTopic : DiscordLimits.ChannelTopic);
            if (slowmode is not null && !textLike)
                throw DiscordServiceException.Invalid("slowmode_seconds", "slowmode_seconds is only for text, announcement and forum channels.");
            WriteText.Range(slowmode, "slowmode_seconds", 0, DiscordLimits.SlowmodeMaxSeconds, "seconds");
            if ((bitrate is not null || userLimit is not null) && !voiceLike)
                throw DiscordServiceException.Invalid(bitrate is not null ? "bitrate" : "user_limit", "bitrate and user_limit are only for voice and stage channels.");
            WriteText.Range(bitrate, "bitrate", DiscordLimits.BitrateMin, DiscordLimits.BitrateMax, "bits per second");
            WriteText.Range(userLimit, "user_limit", 0, DiscordLimits.VoiceUserLimitMax);
            WriteText.Range(position, "position", 0, 10_000);
            var auditReason = WriteText.Reason(reason);
            if (category is not null && kind == ChannelType.GuildCategory)
                throw DiscordServiceException.Invalid("category", "A category cannot be inside another category.");

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            DiscordChannel? parent = null;
            if (category is not null)
            {
                parent = DiscordReadService.ResolveChannel(ctx, category, "category");
                if (parent.Type != ChannelType.GuildCategory)
                    throw DiscordServiceException.Invalid("category", $"category: {WriteText.Channel(parent)} is not a category.");
            }
            var existing = ctx.Channels.FirstOrDefault(c => string.Equals(c.Name, channelName, StringComparison.OrdinalIgnoreCase)
                && (c.Type == ChannelType.GuildCategory) == (kind == ChannelType.GuildCategory));
            if (existing is not null)
                throw new DiscordServiceException(DiscordErrorKind.InvalidArgument,
                    $"name: a channel named {WriteText.Channel(existing)} already exists in this guild (id {existing.Id}); choose another name or use that channel.", "name");

            _allowed = await PermissionTargets.ResolveAsync(discord, ctx, allowed, "allowed", cancellationToken);
            var deniedTargets = await PermissionTargets.ResolveAsync(discord, ctx, denied, "denied", cancellationToken);
            var both = _allowed.FirstOrDefault(a => deniedTargets.Any(d => d.Id == a.Id));
            if (both is not null)
                throw DiscordServiceException.Invalid("denied", $"denied: {both.Label} is also in allowed; a role or member is either allowed or denied.");
            var everyoneDenied = isPrivate || deniedTargets.Any(d => d.IsEveryone(ctx.Guild.Id));
            if (isPrivate && _allowed.Any(a => a.IsEveryone(ctx.Guild.Id)))
                throw DiscordServiceException.Invalid("allowed", "allowed: @everyone cannot be allowed in a private channel.");

            var access = DiscordPermissions.ViewChannel | (voiceLike ? DiscordPermissions.Connect | DiscordPermissions.Speak
                : kind == ChannelType.GuildCategory ? DiscordPermissions.SendMessages | DiscordPermissions.ReadMessageHistory | DiscordPermissions.Connect
                : DiscordPermissions.SendMessages | DiscordPermissions.ReadMessageHistory);
            var overwrites = new List<PermissionOverwrite>();
            var deniedLabels = deniedTargets.Where(d => !d.IsEveryone(ctx.Guild.Id)).Select(d => d.Label).ToList();
            if (everyoneDenied)
            {
                overwrites.Add(new PermissionOverwrite(ctx.Guild.Id, OverwriteType.Role, DiscordPermissions.None, DiscordPermissions.ViewChannel));
                deniedLabels.Insert(0, "@everyone");
            }
            overwrites.AddRange(deniedTargets.Where(d => !d.IsEveryone(ctx.Guild.Id)).Select(d => new PermissionOverwrite(d.Id, d.Type, DiscordPermissions.None, DiscordPermissions.ViewChannel)));
            overwrites.AddRange(_allowed.Select(a => new PermissionOverwrite(a.Id, a.Type, access, DiscordPermissions.None)));
            var botId = ctx.Bot.User!.Id;
            var notes = new List<string>();
            if (everyoneDenied && _allowed.All(a => a.Id != botId))
            {
                // Otherwise the bot locks itself out of the channel it just created.
                overwrites.Add(new PermissionOverwrite(botId, OverwriteType.Member, access | DiscordPermissions.ManageChannels, DiscordPermissions.None));
                notes.Add("The bot keeps access to the channel so it can still manage it.");
            }

            _label = WriteText.Channel(kind, channelName);
            _request = new CreateChannelRequest
            {
                Name = channelName,
                Type = kind,
                Topic = topic,
                Nsfw = nsfw,
                RateLimitPerUser = slowmode,
                Bitrate = bitrate,
                UserLimit = userLimit,
                Position = position,
                ParentId = parent?.Id,
                PermissionOverwrites = overwrites.Count > 0 ? overwrites : null,
            };
            _reason = auditReason;

            var kindWord = kind switch
            {
                ChannelType.GuildText => "channel",
                ChannelType.GuildVoice => "voice channel",
                ChannelType.GuildCategory => "category",
                ChannelType.GuildAnnouncement => "announcement channel",
                ChannelType.GuildStageVoice => "stage channel",
                _ => "forum channel",
            };
            var sentence = $"create the {kindWord} {_label}" + (parent is null ? "" : $" in the category {WriteText.Channel(parent)}");
            var allowedLabels = _allowed.Select(a => a.Label).ToList();
            sentence += overwrites.Count == 0
                ? "."
                : " with these permissions:" + (allowedLabels.Count > 0 ? $" Allowed: {string.Join(", ", allowedLabels)}." : "")
                  + (deniedLabels.Count > 0 ? $" Denied: {string.Join(", ", deniedLabels)}." : "");
            var changes = new List<string> { $"Type: {DiscordReadService.TypeName(kind)}", $"Name: {UntrustedText.Inline(channelName)}" };
            if (parent is not null)
                changes.Add($"Category: {WriteText.Channel(parent)}");
            if (topic is not null)
                changes.Add($"Topic: \"{UntrustedText.Inline(topic)}\"");
            if (slowmode is not null)
                changes.Add($"Slowmode: {slowmode} s");
            if (bitrate is not null)
                changes.Add($"Bitrate: {bitrate} bps");
            if (userLimit is not null)
                changes.Add($"User limit: {(userLimit == 0 ? "none" : userLimit)}");
            if (nsfw == true)
                changes.Add("Age-restricted (NSFW)");
            if (allowedLabels.Count > 0)
                changes.Add($"Allowed ({string.Join(", ", access.ToNames())}): {string.Join(", ", allowedLabels)}");
            if (deniedLabels.Count > 0)
                changes.Add($"Denied (VIEW_CHANNEL): {string.Join(", ", deniedLabels)}");

            var needed = DiscordPermissions.ManageChannels;
            if (overwrites.Count > 0)
                needed |= DiscordPermissions.ManageRoles | access; // the bot can only grant what it has
            return new WritePlan
            {
                Action = "create_channel",
                Sentence = sentence,
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = parent?.Id.Value,
                BotPermissions = needed,
                Undo = "delete the channel with discord_delete_channel",
                Notes = notes,
            };
        }

        private string? _reason;

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var created = await DiscordReadService.CallAsync(
                () => discord.Client.CreateGuildChannelAsync(guildId, _request!, _reason, cancellationToken), $"create the channel {_label}");
            discord.InvalidateGuild(guildId);
            var text = $"Created {WriteText.Channel(created)}" + (_allowed.Count > 0
                ? $" and configured access for {WriteText.And([.. _allowed.Select(a => a.Phrase)])}."
                : ".");
            return WriteOutcome.Of(text, ("channel_id", created.Id.ToString()));
        }

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaces();
    }
}
