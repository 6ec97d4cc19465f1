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

[McpServerToolType, Toolset(Toolsets.Channels), WriteTool, BotPermissions(DiscordPermissions.ManageChannels)]
internal sealed partial class EditChannelTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_edit_channel", Title = "Edit a channel", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Changes a channel's name, topic, age restriction, slowmode, bitrate, user limit, category or position. Only the fields given change; " +
        "the plan lists each as \"from → to\". Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action. " +
        "Refuses a new name another channel already has.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The channel to edit: #name, name, <#id> or id.")] string channel,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("New name (1–100 characters). Text-like channels are lower-cased with dashes, as Discord does.")] string? name = null,
        [Description("New topic (text, announcement: at most 1024 characters; forum: 4096); an empty string clears it.")] string? topic = null,
        [Description("Age-restricted channel (true/false).")] bool? nsfw = null,
        [Description("Slowmode in seconds (0–21600, 0 = off); text, announcement and forum only.")] int? slowmode_seconds = null,
        [Description("Voice/stage bitrate in bits per second (8000–384000).")] int? bitrate = null,
        [Description("Voice/stage user limit (0–99, 0 = unlimited).")] int? user_limit = null,
        [Description("Move into this category (name or id), or \"none\" to take the channel out of its category. Not for categories.")] string? category = null,
        [Description("Sorting position (0–10000).")] int? position = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, name, topic, nsfw, slowmode_seconds, bitrate, user_limit, category, position, reason),
            cancellationToken);

    private sealed partial class Operation(
        DiscordReadService discord, string? guild, string channel, string? name, string? topic, bool? nsfw, int? slowmode, int? bitrate, int? userLimit,
        string? category, int? position, string? reason) : IWriteOperation
    {
        private ModifyChannelRequest? _request;
        private DiscordChannel? _channel;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if (name is null && topic is null && nsfw is null && slowmode is null && bitrate is null && userLimit is null && category is null && position is null)
                throw DiscordServiceException.Invalid("channel",
                    "Nothing to change: give at least one of name, topic, nsfw, slowmode_seconds, bitrate, user_limit, category or position.");
            var newName = name is null ? null : WriteText.Required(name, "name", DiscordLimits.ChannelNameMin, DiscordLimits.ChannelNameMax);
            WriteText.Optional(topic, "topic", DiscordLimits.ForumChannelTopic);
            WriteText.Range(slowmode, "slowmode_seconds", 0, DiscordLimits.SlowmodeMaxSeconds, "seconds");
            WriteText.Range(bitrate, "bitrate", DiscordLimits.BitrateMin, DiscordLimits.BitrateMax, "bits per second");
            WriteText.Range(userLimit, "user_limit", 0, DiscordLimits.VoiceUserLimitMax);
            WriteText.Range(position, "position", 0, 10_000);
            if (category is not null && category.Trim().Length == 0)
                throw DiscordServiceException.Invalid("category", "category is empty: give a category name or id, or \"none\" to take the channel out of its category.");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var current = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            var kind = current.Type;
            var textLike = kind is ChannelType.GuildText or ChannelType.GuildAnnouncement or ChannelType.GuildForum or ChannelType.GuildMedia;
            var voiceLike = kind is ChannelType.GuildVoice or ChannelType.GuildStageVoice;
            var label = WriteText.Channel(current);
            if (topic is not null && !textLike)
                throw DiscordServiceException.Invalid("topic", $"topic is only for text, announcement and forum channels; {label} is a {DiscordReadService.TypeName(kind)} channel.");
            var topicMax = kind is ChannelType.GuildForum or ChannelType.GuildMedia ? DiscordLimits.ForumChannelTopic : DiscordLimits.ChannelTopic;
            WriteText.Optional(topic, "topic", topicMax);
            if (slowmode is not null && !textLike)
                throw DiscordServiceException.Invalid("slowmode_seconds", $"slowmode_seconds is only for text, announcement and forum channels; {label} is a {DiscordReadService.TypeName(kind)} channel.");
            if ((bitrate is not null || userLimit is not null) && !voiceLike)
                throw DiscordServiceException.Invalid(bitrate is not null ? "bitrate" : "user_limit",
                    $"bitrate and user_limit are only for voice and stage channels; {label} is a {DiscordReadService.TypeName(kind)} channel.");
            if (category is not null && kind == ChannelType.GuildCategory)
                throw DiscordServiceException.Invalid("category", "A category cannot be inside another category.");

            if (newName is not null && kind is ChannelType.GuildText or ChannelType.GuildAnnouncement or ChannelType.GuildForum)
                newName = Spaces().Replace(newName.ToLowerInvariant(), "-"); // plan with the name Discord will store
            if (newName is not null && !string.Equals(newName, current.Name, StringComparison.Ordinal))
            {
                var taken = ctx.Channels.FirstOrDefault(c => c.Id != current.Id && string.Equals(c.Name, newName, StringComparison.OrdinalIgnoreCase)
                    && (c.Type == ChannelType.GuildCategory) == (kind == ChannelType.GuildCategory));
                if (taken is not null)
                    throw new DiscordServiceException(DiscordErrorKind.InvalidArgument,
                        $"name: a channel named {WriteText.Channel(taken)} already exists in this guild (id {taken.Id}); choose another name.", "name");
            }

            Optional<Snowflake?> parent = default;
            DiscordChannel? newParent = null;
            if (category is not null)
            {
                var text = category.Trim();
                if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
                {
                    parent = new Optional<Snowflake?>(null);
                }
                else
                {
                    newParent = DiscordReadService.ResolveChannel(ctx, text, "category");
                    if (newParent.Type != ChannelType.GuildCategory)
                        throw DiscordServiceException.Invalid("category", $"category: {WriteText.Channel(newParent)} is not a category.");
                    parent = new Optional<Snowflake?>(newParent.Id);
                }
            }

            var changes = new List<string>();
            var request = new ModifyChannelRequest();
            if (newName is not null && !string.Equals(newName, current.Name, StringComparison.Ordinal))
            {
                changes.Add($"Name: {UntrustedText.Inline(current.Name)} → {UntrustedText.Inline(newName)}");
                request = request with { Name = newName };
            }
            if (topic is not null && !string.Equals(topic, current.Topic ?? "", StringComparison.Ordinal))
            {
                changes.Add($"Topic: {Quoted(current.Topic)} → {Quoted(topic)}");
                request = request with { Topic = topic.Length == 0 ? new Optional<string?>(null) : topic };
            }
            if (nsfw is { } n && n != (current.Nsfw ?? false))
            {
                changes.Add($"Age-restricted (NSFW): {YesNo(current.Nsfw ?? false)} → {YesNo(n)}");
                request = request with { Nsfw = n };
            }
            if (slowmode is { } s && s != (current.RateLimitPerUser ?? 0))
            {
                changes.Add($"Slowmode: {Seconds(current.RateLimitPerUser ?? 0)} → {Seconds(s)}");
                request = request with { RateLimitPerUser = s };
            }
            if (bitrate is { } b && b != current.Bitrate)
            {
                changes.Add($"Bitrate: {(current.Bitrate is { } cb ? cb + " bps" : "default")} → {b} bps");
                request = request with { Bitrate = b };
            }
            if (userLimit is { } u && u != (current.UserLimit ?? 0))
            {
                changes.Add($"User limit: {Limit(current.UserLimit ?? 0)} → {Limit(u)}");
                request = request with { UserLimit = u };
            }
            if (parent.HasValue && parent.Value != current.ParentId)
            {
                changes.Add($"Category: {CategoryName(ctx, current.ParentId)} → {(newParent is null ? "none" : WriteText.Channel(newParent))}");
                request = request with { ParentId = parent };
            }
            if (position is { } p && p != (current.Position ?? 0))
            {
                changes.Add($"Position: {current.Position ?? 0} → {p}");
                request = request with { Position = p };
            }
            if (changes.Count == 0)
                throw DiscordServiceException.Invalid("channel", $"channel: {label} already has these settings; nothing would change.");

            _request = request;
            _channel = current;
            _label = label;
            return new WritePlan
            {
                Action = "edit_channel",
                Sentence = $"edit the {KindWord(kind)} {label}: {string.Join("; ", changes)}.",
                Target = $"{label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = current.Id.Value,
                BotPermissions = DiscordPermissions.ManageChannels,
                Undo = "run discord_edit_channel again with the previous values (the \"from\" side of each change)",
                References = newParent is null ? [] : [new Policy.Pipeline.ResourceReference(Policy.Ports.ResourceKind.Channel, newParent.Id.Value)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var updated = await DiscordReadService.CallAsync(
                () => discord.Client.ModifyChannelAsync(_channel!.Id, _request!, _reason, cancellationToken), $"edit the channel {_label}");
            discord.InvalidateGuild(new Snowflake(plan.GuildId));
            var count = plan.Changes.Count;
            return WriteOutcome.Of($"Edited {WriteText.Channel(updated)}: {string.Join("; ", plan.Changes)}" + (count == 1 ? "." : $" ({count} changes)."),
                ("channel_id", updated.Id.ToString()));
        }

        private static string CategoryName(DiscordReadService.GuildContext ctx, Snowflake? id) =>
            id is { } pid && ctx.Channels.FirstOrDefault(c => c.Id == pid) is { } c ? WriteText.Channel(c) : "none";

        private static string Quoted(string? text) => string.IsNullOrEmpty(text) ? "(none)" : "\"" + UntrustedText.Inline(text) + "\"";

        private static string YesNo(bool value) => value ? "yes" : "no";

        private static string Seconds(int value) => value == 0 ? "off" : value + " s";

        private static string Limit(int value) => value == 0 ? "unlimited" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        [GeneratedRegex(@"\s+")]
        private static partial Regex Spaces();
    }

    internal static string KindWord(ChannelType kind) => kind switch
    {
        ChannelType.GuildText => "channel",
        ChannelType.GuildVoice => "voice channel",
        ChannelType.GuildCategory => "category",
        ChannelType.GuildAnnouncement => "announcement channel",
        ChannelType.GuildStageVoice => "stage channel",
        ChannelType.GuildForum => "forum channel",
        _ => "channel",
    };
}
