using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Members;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Mcp.Tools.Roles;

/// <summary>
/// Giving a member a role or taking it away (<c>discord_assign_role</c>, <c>discord_remove_role</c>): one plan and one
/// execution, mirrored by <paramref name="assign"/>.
/// </summary>
internal sealed class MemberRoleChange(DiscordReadService discord, bool assign, string? guild, string memberArg, string roleArg, string? reason) : IWriteOperation
{
    private Snowflake _user;
    private Snowflake _role;
    private string _memberLabel = "";
    private string _roleName = "";
    private string? _reason;

    private string Clause => assign ? $"assign the {_roleName} role to {_memberLabel}" : $"remove the {_roleName} role from {_memberLabel}";

    public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
    {
        _reason = WriteText.Reason(reason);
        var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
        var role = RoleArguments.Manageable(ctx, roleArg, "role", assign ? "assigned" : "removed");
        var member = await discord.ResolveMemberAsync(ctx.Guild.Id, memberArg, "member", cancellationToken);
        _memberLabel = MemberArguments.Label(member);
        _roleName = RoleArguments.Name(ctx.Guild, role);
        var has = member.Roles.Contains(role.Id);
        if (has == assign)
        {
            throw DiscordServiceException.Invalid("role", assign
                ? $"role: {_memberLabel} already has the {_roleName} role, so there is nothing to change."
                : $"role: {_memberLabel} does not have the {_roleName} role, so there is nothing to change.");
        }
        _user = member.User!.Id;
        _role = role.Id;
        return new WritePlan
        {
            Action = assign ? "assign_role" : "remove_role",
            Sentence = Clause + ".",
            Target = $"{_memberLabel} in {UntrustedText.Inline(ctx.Guild.Name)}",
            Changes = [$"Roles of {_memberLabel}: {(assign ? "assign" : "remove")} {_roleName}"],
            GuildId = ctx.Guild.Id.Value,
            BotPermissions = DiscordPermissions.ManageRoles,
            Undo = assign ? "remove it with discord_remove_role" : "assign it again with discord_assign_role",
            // Discord checks the role's place in the hierarchy, not the member's, for role changes.
            TargetRoleIds = [role.Id.Value],
            References = [new ResourceReference(ResourceKind.Member, _user.Value)],
        };
    }

    public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        var guildId = new Snowflake(plan.GuildId);
        await DiscordReadService.CallAsync(() => assign
            ? discord.Client.AddMemberRoleAsync(guildId, _user, _role, _reason, cancellationToken)
            : discord.Client.RemoveMemberRoleAsync(guildId, _user, _role, _reason, cancellationToken), Clause);
        discord.InvalidateGuild(guildId);
        var done = assign ? $"Assigned the {_roleName} role to {_memberLabel}." : $"Removed the {_roleName} role from {_memberLabel}.";
        return WriteOutcome.Of(done, ("user_id", _user.ToString()), ("role_id", _role.ToString()));
    }
}
