using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Members;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles), WriteTool]
internal sealed class RemoveRoleTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_remove_role", Title = "Remove a role from a member", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Takes a role away from a member. Refuses a member who does not have the role, @everyone, managed roles, and (at the policy step) roles at or above the bot's highest role. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("The role: name, mention <@&id> or id.")] string role,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, new Operation(discord, guild_id, member, role, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string memberArg, string roleArg, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private Snowflake _role;
        private string _memberLabel = "";
        private string _roleName = "";
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var role = RoleArguments.Manageable(ctx, roleArg, "role", "removed");
            var member = await discord.ResolveMemberAsync(ctx.Guild.Id, memberArg, "member", cancellationToken);
            _memberLabel = MemberArguments.Label(member);
            _roleName = RoleArguments.Name(ctx.Guild, role);
            if (!member.Roles.Contains(role.Id))
                throw DiscordServiceException.Invalid("role", $"role: {_memberLabel} does not have the {_roleName} role, so there is nothing to change.");
            _user = member.User!.Id;
            _role = role.Id;
            return new WritePlan
            {
                Action = "remove_role",
                Sentence = $"remove the {_roleName} role from {_memberLabel}.",
                Target = $"{_memberLabel} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Roles of {_memberLabel}: remove {_roleName}"],
                GuildId = ctx.Guild.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = "assign it again with discord_assign_role",
                // Discord checks the role's place in the hierarchy, not the member's, for role assignment.
                TargetRoleIds = [role.Id.Value],
                References = [new ResourceReference(ResourceKind.Member, _user.Value)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.RemoveMemberRoleAsync(guildId, _user, _role, _reason, cancellationToken),
                $"remove the {_roleName} role from {_memberLabel}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Removed the {_roleName} role from {_memberLabel}.", ("user_id", _user.ToString()), ("role_id", _role.ToString()));
        }
    }
}
