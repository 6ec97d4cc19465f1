using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members), WriteTool, BotPermissions(DiscordPermissions.BanMembers)]
internal sealed class UnbanMemberTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_unban_member", Title = "Lift a ban", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Lifts the ban of a user (by user id) so they can rejoin with an invite. Refuses a user who is not banned. " +
        "Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The banned user's id (or mention <@id>); list bans in Discord's server settings.")] string banned_user_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, banned_user_id, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string userArg, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private string _label = "";
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _user = MemberArguments.UserId(userArg, "banned_user_id");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var guildId = ctx.Guild.Id;
            Discord.Client.Models.GuildBan ban;
            try
            {
                ban = await DiscordReadService.CallAsync(() => discord.Client.GetBanAsync(guildId, _user, cancellationToken), "check the ban list");
            }
            catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
            {
                throw DiscordServiceException.Invalid("banned_user_id", $"banned_user_id: user {_user} is not banned from this server, so there is nothing to lift.");
            }
            _label = "@" + UntrustedText.Inline(ban.User.GlobalName ?? ban.User.Username);
            return new WritePlan
            {
                Action = "unban_member",
                Sentence = $"lift the ban of {_label} in {UntrustedText.Inline(ctx.Guild.Name)}.",
                Target = $"{_label} (user {_user}) in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Ban list: {_label} banned" + (ban.Reason is { Length: > 0 } r ? $" (reason: \"{UntrustedText.Inline(r)}\")" : "") + " → not banned"],
                GuildId = guildId.Value,
                BotPermissions = DiscordPermissions.BanMembers,
                Undo = "ban them again with discord_ban_member",
                Notes = ["Lifting a ban does not bring the user back; they can rejoin with an invite."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.UnbanMemberAsync(guildId, _user, _reason, cancellationToken), $"lift the ban of {_label}");
            return WriteOutcome.Of($"Lifted the ban of {_label}.", ("user_id", _user.ToString()));
        }
    }
}
