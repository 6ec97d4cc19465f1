using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles), WriteTool, BotPermissions(DiscordPermissions.ManageRoles)]
internal sealed class CreateRoleTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_role", Title = "Create a role", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Creates a role with a name, colour, display and mention settings and a list of permissions. The bot can only grant permissions it " +
        "has itself; others are refused in the plan. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Role name (1–100 characters).")] string name,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Colour: " + RoleArguments.ColorForms + ".")] string? color = null,
        [Description("Show members with this role separately in the member list.")] bool? hoist = null,
        [Description("Anyone can @mention this role.")] bool? mentionable = null,
        [Description("Permission names, e.g. [\"VIEW_CHANNEL\", \"SEND_MESSAGES\"] (at most 60). Omitted: no permissions.")] string[]? permissions = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, name, color, hoist, mentionable, permissions, reason), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string name, string? color, bool? hoist, bool? mentionable, string[]? permissions, string? reason) : IWriteOperation
    {
        private CreateRoleRequest? _request;
        private string? _reason;
        private string _name = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _name = WriteText.Required(name, "name", 1, DiscordLimits.RoleName);
            var rgb = RoleArguments.Color(color);
            var perms = RoleArguments.Permissions(permissions) ?? DiscordPermissions.None;
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            RoleArguments.RequireCanGrant(discord, ctx, perms);
            var notes = new List<string>();
            if (ctx.Guild.Roles.Any(r => string.Equals(r.Name, _name, StringComparison.OrdinalIgnoreCase)))
                notes.Add($"A role named {UntrustedText.Inline(_name)} already exists; Discord allows duplicates, but names will then be ambiguous, so use ids.");
            _request = new CreateRoleRequest { Name = _name, Color = rgb ?? 0, Hoist = hoist ?? false, Mentionable = mentionable ?? false, Permissions = perms };
            var label = UntrustedText.Inline(_name);
            return new WritePlan
            {
                Action = "create_role",
                Sentence = $"create the role {label} with permissions: {RoleArguments.PermissionText(perms)}.",
                Target = $"{label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes =
                [
                    $"Name: {label}",
                    $"Colour: {RoleArguments.ColorText(rgb ?? 0)}",
                    $"Shown separately: {((hoist ?? false) ? "yes" : "no")}",
                    $"Mentionable: {((mentionable ?? false) ? "yes" : "no")}",
                    $"Permissions: {RoleArguments.PermissionText(perms)}",
                ],
                GuildId = ctx.Guild.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = "delete the role with discord_delete_role",
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var created = await DiscordReadService.CallAsync(() => discord.Client.CreateRoleAsync(guildId, _request!, _reason, cancellationToken),
                $"create the role {UntrustedText.Inline(_name)}");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Created the role {UntrustedText.Inline(created.Name)}.", ("role_id", created.Id.ToString()));
        }
    }
}
