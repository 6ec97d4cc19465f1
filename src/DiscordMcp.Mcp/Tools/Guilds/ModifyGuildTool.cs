using System.ComponentModel;
using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Guilds;

[McpServerToolType, Toolset(Toolsets.Guilds), WriteTool, BotPermissions(DiscordPermissions.ManageGuild)]
internal sealed class ModifyGuildTool(DiscordReadService discord)
{
    /// <summary>Discord's allowed AFK timeouts in seconds.</summary>
    private static readonly int[] AfkTimeouts = [60, 300, 900, 1800, 3600];

    private static readonly string[] VerificationLevels = ["none", "low", "medium", "high", "very_high"];

    private static readonly string[] NotificationLevels = ["all_messages", "only_mentions"];

    [McpServerTool(Name = "discord_modify_guild", Title = "Change server settings", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Changes the server's name, description, system channel, AFK channel and timeout, verification level or default notifications. Only the " +
        "fields given change; the plan lists each as \"from → to\". Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("New server name (2–100 characters).")] string? name = null,
        [Description("New description (at most 120 characters; an empty string clears it).")] string? description = null,
        [Description("Text channel for system messages (welcomes, boosts): name or id, or \"none\".")] string? system_channel = null,
        [Description("Voice channel idle members are moved to: name or id, or \"none\".")] string? afk_channel = null,
        [Description("Seconds of inactivity before moving to the AFK channel: 60, 300, 900, 1800 or 3600.")] int? afk_timeout_seconds = null,
        [Description("none, low, medium, high or very_high.")] string? verification_level = null,
        [Description("Default notification setting for members: all_messages or only_mentions.")] string? default_notifications = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, name, description, system_channel, afk_channel, afk_timeout_seconds,
            verification_level, default_notifications, reason), cancellationToken);

    /// <summary>Discord's limit for a guild description.</summary>
    private const int DescriptionMax = 120;

    private sealed class Operation(
        DiscordReadService discord, string? guild, string? name, string? description, string? systemChannel, string? afkChannel, int? afkTimeout,
        string? verification, string? notifications, string? reason) : IWriteOperation
    {
        private ModifyGuildRequest? _request;
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if (name is null && description is null && systemChannel is null && afkChannel is null && afkTimeout is null && verification is null && notifications is null)
                throw DiscordServiceException.Invalid("name", "Nothing to change: give at least one of name, description, system_channel, afk_channel, " +
                    "afk_timeout_seconds, verification_level or default_notifications.");
            var newName = name is null ? null : WriteText.Required(name, "name", 2, 100);
            WriteText.Optional(description, "description", DescriptionMax);
            if (afkTimeout is { } t && !AfkTimeouts.Contains(t))
                throw DiscordServiceException.Invalid("afk_timeout_seconds", $"afk_timeout_seconds must be one of {string.Join(", ", AfkTimeouts)}, got {t}.");
            var level = Level(verification, "verification_level", VerificationLevels);
            var notify = Level(notifications, "default_notifications", NotificationLevels);
            if (systemChannel is not null && systemChannel.Trim().Length == 0)
                throw DiscordServiceException.Invalid("system_channel", "system_channel is empty: give a text channel name or id, or \"none\".");
            if (afkChannel is not null && afkChannel.Trim().Length == 0)
                throw DiscordServiceException.Invalid("afk_channel", "afk_channel is empty: give a voice channel name or id, or \"none\".");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var g = ctx.Guild;
            var system = Channel(ctx, systemChannel, "system_channel", ChannelType.GuildText, "a text channel");
            var afk = Channel(ctx, afkChannel, "afk_channel", ChannelType.GuildVoice, "a voice channel");

            var changes = new List<string>();
            var request = new ModifyGuildRequest();
            var references = new List<Policy.Pipeline.ResourceReference>();
            if (newName is not null && !string.Equals(newName, g.Name, StringComparison.Ordinal))
            {
                changes.Add($"Name: {UntrustedText.Inline(g.Name)} → {UntrustedText.Inline(newName)}");
                request = request with { Name = newName };
            }
            if (description is not null && !string.Equals(description, g.Description ?? "", StringComparison.Ordinal))
            {
                changes.Add($"Description: {Quoted(g.Description)} → {Quoted(description)}");
                request = request with { Description = description.Length == 0 ? new Optional<string?>(null) : description };
            }
            if (system.HasValue && system.Value?.Id != g.SystemChannelId)
            {
                changes.Add($"System channel: {ChannelName(ctx, g.SystemChannelId)} → {(system.Value is { } s ? WriteText.Channel(s) : "none")}");
                request = request with { SystemChannelId = system.Value?.Id };
                if (system.Value is { } sc)
                    references.Add(new(Policy.Ports.ResourceKind.Channel, sc.Id.Value));
            }
            if (afk.HasValue && afk.Value?.Id != g.AfkChannelId)
            {
                changes.Add($"AFK channel: {ChannelName(ctx, g.AfkChannelId)} → {(afk.Value is { } a ? WriteText.Channel(a) : "none")}");
                request = request with { AfkChannelId = afk.Value?.Id };
                if (afk.Value is { } ac)
                    references.Add(new(Policy.Ports.ResourceKind.Channel, ac.Id.Value));
            }
            if (afkTimeout is { } timeout && timeout != g.AfkTimeout)
            {
                changes.Add($"AFK timeout: {Minutes(g.AfkTimeout)} → {Minutes(timeout)}");
                request = request with { AfkTimeout = timeout };
            }
            if (level is { } l && l != (g.VerificationLevel ?? 0))
            {
                changes.Add($"Verification level: {LevelName(g.VerificationLevel, VerificationLevels)} → {VerificationLevels[l]}");
                request = request with { VerificationLevel = l };
            }
            if (notify is { } n && n != (g.DefaultMessageNotifications ?? 0))
            {
                changes.Add($"Default notifications: {LevelName(g.DefaultMessageNotifications, NotificationLevels)} → {NotificationLevels[n]}");
                request = request with { DefaultMessageNotifications = n };
            }
            if (changes.Count == 0)
                throw DiscordServiceException.Invalid("guild_id", $"The server {UntrustedText.Inline(g.Name)} already has these settings; nothing would change.");

            _request = request;
            return new WritePlan
            {
                Action = "modify_guild",
                Sentence = $"change the server settings of {UntrustedText.Inline(g.Name)}: {string.Join("; ", changes)}.",
                Target = UntrustedText.Inline(g.Name),
                Changes = changes,
                GuildId = g.Id.Value,
                ChannelId = null,
                BotPermissions = DiscordPermissions.ManageGuild,
                Undo = "run discord_modify_guild again with the previous values (the \"from\" side of each change)",
                References = references,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var updated = await DiscordReadService.CallAsync(() => discord.Client.ModifyGuildAsync(guildId, _request!, _reason, cancellationToken), "change the server settings");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Changed the server settings of {UntrustedText.Inline(updated.Name)}: {string.Join("; ", plan.Changes)}.", ("guild_id", updated.Id.ToString()));
        }

        private static int? Level(string? value, string argument, string[] names)
        {
            if (value is null)
                return null;
            var key = value.Trim().Replace(' ', '_').Replace('-', '_').ToLowerInvariant();
            var index = Array.IndexOf(names, key);
            return index >= 0
                ? index
                : throw DiscordServiceException.Invalid(argument, $"{argument} must be one of {string.Join(", ", names)}, got \"{UntrustedText.Inline(value.Length > 32 ? value[..32] + "…" : value)}\".");
        }

        /// <summary>Absent: not given; a null value: "none" (clear it).</summary>
        private static Optional<DiscordChannel?> Channel(DiscordReadService.GuildContext ctx, string? value, string argument, ChannelType type, string what)
        {
            if (value is null)
                return default;
            if (value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
                return new Optional<DiscordChannel?>(null);
            var channel = DiscordReadService.ResolveChannel(ctx, value, argument);
            if (channel.Type != type)
                throw DiscordServiceException.Invalid(argument, $"{argument}: {WriteText.Channel(channel)} is a {DiscordReadService.TypeName(channel.Type)} channel; it must be {what}.");
            return channel;
        }

        private static string ChannelName(DiscordReadService.GuildContext ctx, Snowflake? id) =>
            id is { } cid && ctx.Channels.FirstOrDefault(c => c.Id == cid) is { } c ? WriteText.Channel(c) : "none";

        private static string LevelName(int? level, string[] names) => level is { } l && l >= 0 && l < names.Length ? names[l] : names[0];

        private static string Minutes(int? seconds) => seconds is { } s
            ? (s % 60 == 0 ? (s / 60).ToString(CultureInfo.InvariantCulture) + " min" : s.ToString(CultureInfo.InvariantCulture) + " s")
            : "default";

        private static string Quoted(string? text) => string.IsNullOrEmpty(text) ? "(none)" : "\"" + UntrustedText.Inline(text) + "\"";
    }
}
