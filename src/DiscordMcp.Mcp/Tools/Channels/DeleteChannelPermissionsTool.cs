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
internal sealed class DeleteChannelPermissionsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_channel_permissions", Title = "Remove a channel permission overwrite", ReadOnly = false, Destructive = true,
        Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Removes the permission overwrite of one role or member in a channel, so it inherits the server and category permissions again. " +
        "Refused when that role or member has no overwrite there. Dry run by default: returns the plan and a confirmation_id.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The channel: #name, name, <#id> or id.")] string channel,
        [Description("The role or member: a role name, @member, role:Name, user:Name, <@&id>, <@id>, an id, or @everyone.")] string target,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, target, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string target, string? reason) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private PermissionTarget? _target;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var c = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            var who = await ChannelOverwrites.ResolveTargetAsync(discord, ctx, target, "target", cancellationToken);
            var label = WriteText.Channel(c);
            if (ChannelOverwrites.Find(c, who.Id) is not { } existing)
                throw new DiscordServiceException(DiscordErrorKind.NotFound,
                    $"target: {who.Label} has no permission overwrite in {label}; there is nothing to remove.", "target");

            _channel = c;
            _target = who;
            _label = label;
            return new WritePlan
            {
                Action = "delete_channel_permissions",
                Sentence = $"remove the permission overwrite for {who.Label} in {label} ({ChannelOverwrites.Describe(existing)}).",
                Target = $"{who.Label} in {label} ({UntrustedText.Inline(ctx.Guild.Name)})",
                Changes = [$"Overwrite for {who.Label}: {ChannelOverwrites.Describe(existing)} → {ChannelOverwrites.Describe(null)}"],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = $"set it again with discord_set_channel_permissions (allow: {ChannelOverwrites.Names(existing.Allow)}; deny: {ChannelOverwrites.Names(existing.Deny)})",
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.DeleteChannelPermissionAsync(_channel!.Id, _target!.Id, _reason, cancellationToken),
                $"remove the permissions of {_target!.Label} in {_label}");
            discord.InvalidateGuild(new Snowflake(plan.GuildId));
            return WriteOutcome.Of($"Removed the permission overwrite for {_target.Phrase} in {_label}; it now inherits the server and category permissions.",
                ("channel_id", _channel!.Id.ToString()), ("overwrite_id", _target.Id.ToString()));
        }
    }
}
