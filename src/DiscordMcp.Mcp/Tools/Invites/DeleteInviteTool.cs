using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Invites;

[McpServerToolType, Toolset(Toolsets.Invites), WriteTool, BotPermissions(DiscordPermissions.ManageChannels)]
internal sealed class DeleteInviteTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_invite", Title = "Delete an invite", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Revokes an invite of this server by code or link; the link stops working and the same code cannot be created again. Dry run by default: " +
        "returns the plan and a confirmation_id; deletions usually need a person's approval.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Invite code (abc123) or link (https://discord.gg/abc123).")] string code,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, code, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string code, string? reason) : IWriteOperation
    {
        private string? _code;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var inviteCode = InviteText.Code(code, "code");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var invite = await GetInviteTool.InGuildAsync(discord, ctx, inviteCode, cancellationToken);
            var channel = invite.Channel is { } ic ? ctx.Channels.FirstOrDefault(c => c.Id == ic.Id) : null;
            var label = invite.Channel is { } ch ? WriteText.Channel(ch.Type, ch.Name) : "an unknown channel";
            // Discord accepts MANAGE_CHANNELS in the invite's channel or MANAGE_GUILD; plan with the one the bot holds (guild-wide first).
            var guildWide = channel is null || discord.BotGuildPermissions(ctx).HasFlag(DiscordPermissions.ManageGuild);
            _code = inviteCode;
            _label = label;
            return new WritePlan
            {
                Action = "delete_invite",
                Sentence = $"delete the invite {InviteText.Url(inviteCode)} to {label}. This cannot be undone.",
                Target = $"{InviteText.Url(inviteCode)} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Revoke the invite {inviteCode} to {label}" + (invite.Inviter is { } u ? $" (created by @{UntrustedText.Inline(u.GlobalName ?? u.Username)})" : "")],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = guildWide ? null : channel!.Id.Value,
                BotPermissions = guildWide ? DiscordPermissions.ManageGuild : DiscordPermissions.ManageChannels,
                Undo = null,
                Notes = ["A deleted invite code cannot be restored; create a new invite with discord_create_invite."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.DeleteInviteAsync(_code!, _reason, cancellationToken), $"delete the invite {_code}");
            return WriteOutcome.Of($"Deleted the invite {InviteText.Url(_code!)} to {_label}.", ("invite_code", _code!));
        }
    }
}
