using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members), WriteTool, BotPermissions(DiscordPermissions.BanMembers)]
internal sealed class BanMemberTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_ban_member", Title = "Ban a member", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Bans a member of the server and optionally deletes their recent messages. Refuses users already banned, the " +
        "owner, the bot itself and members whose highest role is at or above the bot's. Dry run by default; needs a person's approval by default.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Delete the user's messages from this many seconds back (0–604800, i.e. up to 7 days; default 0).")] int? delete_message_seconds = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, member, delete_message_seconds, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string memberArg, int? deleteSeconds, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private string _label = "";
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            WriteText.Range(deleteSeconds, "delete_message_seconds", 0, DiscordLimits.BanDeleteMessageSecondsMax, "seconds");
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var guildId = ctx.Guild.Id;

            // A member of the server: the policy's cross-guild check treats the argument as a member reference, so a user
            // who is not in the server cannot be banned here. A banned user has left, so an id that is no member is looked up
            // in the ban list to say "already banned" rather than "not found".
            GuildMember member;
            try
            {
                member = await MemberArguments.ModerateAsync(discord, ctx, memberArg, "member", "ban", selfAllowed: false, cancellationToken);
            }
            catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound && BareId(memberArg) is { } id)
            {
                if (await BannedAsync(guildId, id, cancellationToken) is { } banned)
                    throw DiscordServiceException.Invalid("member", $"member: @{UntrustedText.Inline(banned.GlobalName ?? banned.Username)} is already banned from this server, so there is nothing to do.");
                throw;
            }
            _user = member.User!.Id;
            _label = MemberArguments.Label(member);
            if (await BannedAsync(guildId, _user, cancellationToken) is not null)
                throw DiscordServiceException.Invalid("member", $"member: {_label} is already banned from this server, so there is nothing to do.");

            var seconds = deleteSeconds ?? 0;
            var changes = new List<string> { $"Ban list: {_label} not banned → banned (removed from the server)" };
            if (seconds > 0)
                changes.Add($"Messages of {_label} from the last {Span(seconds)} → deleted");
            return new WritePlan
            {
                Action = "ban_member",
                Sentence = $"ban {_label} from {UntrustedText.Inline(ctx.Guild.Name)}" + (seconds > 0 ? $" and delete their messages from the last {Span(seconds)}." : "."),
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = guildId.Value,
                BotPermissions = DiscordPermissions.BanMembers,
                Undo = seconds > 0 ? null : "lift the ban with discord_unban_member (they must rejoin with an invite)",
                TargetMemberIds = [_user.Value],
                Notes = seconds > 0 ? ["Deleted messages cannot be restored, even if the ban is lifted."] : [],
            };
        }

        private static Snowflake? BareId(string? text)
        {
            var t = (text ?? "").Trim();
            if (t.StartsWith("<@", StringComparison.Ordinal) && t.EndsWith('>') && !t.StartsWith("<@&", StringComparison.Ordinal))
                t = t[2..^1].TrimStart('!');
            return Snowflake.TryParse(t.TrimStart('@'), out var id) ? id : null;
        }

        private async Task<DiscordUser?> BannedAsync(Snowflake guildId, Snowflake userId, CancellationToken cancellationToken)
        {
            try
            {
                return (await DiscordReadService.CallAsync(() => discord.Client.GetBanAsync(guildId, userId, cancellationToken), "check the ban list")).User;
            }
            catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
            {
                return null; // not banned: the expected case
            }
        }

        private static string Span(int seconds) => seconds switch
        {
            _ when seconds % 86400 == 0 => $"{seconds / 86400} day{(seconds == 86400 ? "" : "s")}",
            _ when seconds % 3600 == 0 => $"{seconds / 3600} hour{(seconds == 3600 ? "" : "s")}",
            _ => $"{seconds} seconds",
        };

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.BanMemberAsync(guildId, _user, deleteSeconds, _reason, cancellationToken), $"ban {_label}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Banned {_label}.", ("user_id", _user.ToString()));
        }
    }
}
