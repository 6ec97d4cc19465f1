using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles), WriteTool, BotPermissions(DiscordPermissions.ManageRoles)]
internal sealed class AssignRoleTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_assign_role", Title = "Assign a role to a member", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Gives a member a role (e.g. member=\"@Luis\", role=\"Support\"). Refuses a member who already has the role, @everyone, managed roles, and (at the policy step) roles at or above the bot's highest role. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("The role: name, mention <@&id> or id.")] string role,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new MemberRoleChange(discord, assign: true, guild_id, member, role, reason), cancellationToken);
}
