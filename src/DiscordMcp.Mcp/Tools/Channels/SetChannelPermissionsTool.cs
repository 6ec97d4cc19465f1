using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Channels;

[McpServerToolType, Toolset(Toolsets.Channels), WriteTool, BotPermissions(DiscordPermissions.ManageRoles)]
internal sealed class SetChannelPermissionsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_set_channel_permissions", Title = "Set a channel permission overwrite", ReadOnly = false, Destructive = false, Idempotent = true,
        OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Sets the permission overwrite of one role or member in a channel: the permissions in allow are granted, those in deny are refused, all " +
        "others are inherited. This replaces the target's previous overwrite in that channel; the plan shows it before → after. Dry run by default: " +
        "returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The channel: #name, name, <#id> or id.")] string channel,
        [Description("The role or member: a role name, @member, role:Name, user:Name, <@&id>, <@id>, an id, or @everyone.")] string target,
        [Description("Permissions to grant, e.g. [\"VIEW_CHANNEL\", \"Send Messages\"] (Discord names or their words; at most 64).")] string[]? allow = null,
        [Description("Permissions to refuse (same forms as allow).")] string[]? deny = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, target, allow, deny, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string target, string[]? allow, string[]? deny, string? reason)
        : IWriteOperation
    {
        private DiscordChannel? _channel;
        private PermissionTarget? _target;
        private EditPermissionOverwriteRequest? _request;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if ((allow is null || allow.Length == 0) && (deny is null || deny.Length == 0))
                throw DiscordServiceException.Invalid("allow",
                    "allow and deny are both empty: list at least one permission to grant or refuse (to remove the overwrite, use discord_delete_channel_permissions).");
            var allowed = PermissionList.Parse(allow, "allow");
            var denied = PermissionList.Parse(deny, "deny");
            if ((allowed & denied) != 0)
                throw DiscordServiceException.Invalid("deny", $"deny: {ChannelOverwrites.Names(allowed & denied)} also in allow; a permission is either allowed or denied.");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var c = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            var who = await ChannelOverwrites.ResolveTargetAsync(discord, ctx, target, "target", cancellationToken);
            var label = WriteText.Channel(c);
            var before = ChannelOverwrites.Find(c, who.Id);
            var after = new PermissionOverwrite(who.Id, who.Type, allowed, denied);
            if (before is { } b && b.Allow == allowed && b.Deny == denied)
                throw DiscordServiceException.Invalid("target", $"target: {who.Label} already has exactly this overwrite in {label}; nothing would change.");

            var changes = new List<string>
            {
                $"Overwrite for {who.Label}: {ChannelOverwrites.Describe(before)} → {ChannelOverwrites.Describe(after)}",
            };
            if (before is { } old)
            {
                var lostAllow = old.Allow & ~allowed;
                var lostDeny = old.Deny & ~denied;
                if ((lostAllow | lostDeny) != 0)
                    changes.Add($"No longer set (inherited again): {ChannelOverwrites.Names(lostAllow | lostDeny)}");
            }
            var botId = ctx.Bot.User!.Id;
            var notes = new List<string>();
            if ((denied & (DiscordPermissions.ViewChannel | DiscordPermissions.ManageRoles)) != 0
                && (who.Id == botId || who.IsEveryone(ctx.Guild.Id) || ctx.Bot.Roles.Contains(who.Id)))
                notes.Add("This denies the bot itself VIEW_CHANNEL or MANAGE_ROLES here unless another overwrite grants it; it may lose access to this channel.");

            _channel = c;
            _target = who;
            _label = label;
            _request = new EditPermissionOverwriteRequest { Type = who.Type, Allow = allowed, Deny = denied };
            var parts = new List<string>();
            if (allowed != DiscordPermissions.None)
                parts.Add($"Allowed: {ChannelOverwrites.Names(allowed)}.");
            if (denied != DiscordPermissions.None)
                parts.Add($"Denied: {ChannelOverwrites.Names(denied)}.");
            return new WritePlan
            {
                Action = "set_channel_permissions",
                Sentence = $"{(before is null ? "add" : "replace")} the permission overwrite for {who.Label} in {label}: {string.Join(" ", parts)}",
                Target = $"{who.Label} in {label} ({UntrustedText.Inline(ctx.Guild.Name)})",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                // Discord lets the bot allow or deny only permissions it holds itself (architecture: BotPermissions = what Discord requires).
                BotPermissions = DiscordPermissions.ManageRoles | allowed | denied,
                Undo = before is { } prev
                    ? $"restore it with discord_set_channel_permissions (allow: {ChannelOverwrites.Names(prev.Allow)}; deny: {ChannelOverwrites.Names(prev.Deny)})"
                    : "remove it with discord_delete_channel_permissions",
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.EditChannelPermissionsAsync(_channel!.Id, _target!.Id, _request!, _reason, cancellationToken),
                $"set the permissions of {_target!.Label} in {_label}");
            discord.InvalidateGuild(new Snowflake(plan.GuildId));
            return WriteOutcome.Of($"Set the permission overwrite for {_target.Phrase} in {_label}: {ChannelOverwrites.Describe(new PermissionOverwrite(_target.Id, _target.Type, _request!.Allow ?? 0, _request.Deny ?? 0))}.",
                ("channel_id", _channel!.Id.ToString()), ("overwrite_id", _target.Id.ToString()));
        }
    }
}
