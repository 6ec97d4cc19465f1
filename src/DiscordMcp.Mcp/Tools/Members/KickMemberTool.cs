using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members), WriteTool, BotPermissions(DiscordPermissions.KickMembers)]
internal sealed class KickMemberTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_kick_member", Title = "Kick a member", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Removes a member from the server (they can rejoin with an invite). Refuses the owner, the bot itself and members whose highest role " +
        "is at or above the bot's. Dry run by default; needs a person's approval by default.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, member, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string memberArg, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private string _label = "";
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var member = await MemberArguments.ModerateAsync(discord, ctx, memberArg, "member", "kick", selfAllowed: false, cancellationToken);
            _user = member.User!.Id;
            _label = MemberArguments.Label(member);
            return new WritePlan
            {
                Action = "kick_member",
                Sentence = $"kick {_label} from {UntrustedText.Inline(ctx.Guild.Name)}.",
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Membership of {_label}: member → removed (roles and nickname are lost)"],
                GuildId = ctx.Guild.Id.Value,
                BotPermissions = DiscordPermissions.KickMembers,
                Undo = null,
                TargetMemberIds = [_user.Value],
                Notes = [_reason is null ? "No reason will be recorded in Discord's audit log." : "The reason is recorded in Discord's audit log."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.KickMemberAsync(guildId, _user, _reason, cancellationToken), $"kick {_label}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Kicked {_label}.", ("user_id", _user.ToString()));
        }
    }
}
