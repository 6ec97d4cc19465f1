using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles), WriteTool, BotPermissions(DiscordPermissions.ManageRoles)]
internal sealed class DeleteRoleTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_role", Title = "Delete a role", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes a role; every member loses it. Cannot be undone. Refuses @everyone, managed (bot/integration) roles and roles at or above " +
        "the bot's highest role. Dry run by default; needs a person's approval by default.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The role: name, mention <@&id> or id.")] string role,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, role, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string roleArg, string? reason) : IWriteOperation
    {
        private Snowflake _role;
        private string _label = "";
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var role = RoleArguments.Manageable(ctx, roleArg, "role", "deleted");
            _role = role.Id;
            _label = RoleArguments.Name(ctx.Guild, role);
            return new WritePlan
            {
                Action = "delete_role",
                Sentence = $"delete the role {_label}; every member who has it loses it.",
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Role {_label} (permissions: {RoleArguments.PermissionText(role.Permissions)}, colour {RoleArguments.ColorText(role.Color)}) → deleted"],
                GuildId = ctx.Guild.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = null,
                TargetRoleIds = [role.Id.Value],
                Notes = ["A new role with the same settings can be created, but it gets a new id and nobody has it."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.DeleteRoleAsync(guildId, _role, _reason, cancellationToken), $"delete the role {_label}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Deleted the role {_label}.", ("role_id", _role.ToString()));
        }
    }
}
