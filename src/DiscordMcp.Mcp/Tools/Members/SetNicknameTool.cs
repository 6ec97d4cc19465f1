using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members), WriteTool, BotPermissions(DiscordPermissions.ManageNicknames | DiscordPermissions.ChangeNickname)]
internal sealed class SetNicknameTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_set_nickname", Title = "Set a member's nickname", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Sets a member's server nickname (at most 32 characters), or resets it to their own name with an empty nickname. Refuses the owner " +
        "and members whose highest role is at or above the bot's. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("The new nickname (at most 32 characters); empty or omitted resets it to the member's own name.")] string? nickname = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, member, nickname, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string memberArg, string? nickname, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private string _label = "";
        private string? _nick;
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var nick = (nickname ?? "").Trim();
            if (nick.Length > DiscordLimits.Nickname)
                throw DiscordServiceException.Invalid("nickname", $"nickname must be at most {DiscordLimits.Nickname} characters, got {nick.Length}.");
            _nick = nick.Length == 0 ? null : nick;
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var member = await MemberArguments.ModerateAsync(discord, ctx, memberArg, "member", "rename", selfAllowed: true, cancellationToken);
            _user = member.User!.Id;
            _label = MemberArguments.Label(member);
            if (string.Equals(member.Nick, _nick, StringComparison.Ordinal))
                throw DiscordServiceException.Invalid("nickname", _nick is null
                    ? $"nickname: {_label} has no nickname, so there is nothing to reset."
                    : $"nickname: {_label} is already called \"{UntrustedText.Inline(_nick)}\", so there is nothing to change.");
            var self = MemberArguments.IsBot(ctx, member);
            var own = UntrustedText.Inline(member.User.GlobalName ?? member.User.Username);
            var from = member.Nick is null ? $"none (shown as {own})" : $"\"{UntrustedText.Inline(member.Nick)}\"";
            var to = _nick is null ? $"none (shown as {own})" : $"\"{UntrustedText.Inline(_nick)}\"";
            return new WritePlan
            {
                Action = "set_nickname",
                Sentence = _nick is null ? $"reset the nickname of {_label}." : $"set the nickname of {_label} to \"{UntrustedText.Inline(_nick)}\".",
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Nickname: {from} → {to}"],
                GuildId = ctx.Guild.Id.Value,
                // The bot renames itself with CHANGE_NICKNAME; others with MANAGE_NICKNAMES, subject to the role hierarchy.
                BotPermissions = self ? DiscordPermissions.ChangeNickname : DiscordPermissions.ManageNicknames,
                Undo = member.Nick is null ? "reset it with discord_set_nickname (empty nickname)" : $"set it back with discord_set_nickname (\"{UntrustedText.Inline(member.Nick)}\")",
                TargetMemberIds = self ? [] : [_user.Value],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var updated = await DiscordReadService.CallAsync(
                () => discord.Client.ModifyMemberAsync(guildId, _user, new ModifyMemberRequest { Nick = _nick }, _reason, cancellationToken), $"set the nickname of {_label}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of(_nick is null ? $"Reset the nickname of {_label}." : $"Set the nickname of {_label} to \"{UntrustedText.Inline(updated.Nick ?? _nick)}\".",
                ("user_id", _user.ToString()));
        }
    }
}
