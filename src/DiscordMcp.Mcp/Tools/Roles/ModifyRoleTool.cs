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
internal sealed class ModifyRoleTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_modify_role", Title = "Modify a role", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Changes only the given fields of a role (name, colour, hoist, mentionable, permissions — the list replaces the role's permissions). " +
        "The plan shows each change from → to. Refuses roles at or above the bot's highest role and permissions the bot does not have. " +
        "Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The role: name, mention <@&id> or id.")] string role,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("New name (1–100 characters).")] string? name = null,
        [Description("New colour: " + RoleArguments.ColorForms + ".")] string? color = null,
        [Description("Show members with this role separately in the member list.")] bool? hoist = null,
        [Description("Anyone can @mention this role.")] bool? mentionable = null,
        [Description("The role's complete new permission list, e.g. [\"VIEW_CHANNEL\", \"SEND_MESSAGES\"] (at most 60); [] removes all.")] string[]? permissions = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, role, name, color, hoist, mentionable, permissions, reason), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string roleArg, string? name, string? color, bool? hoist, bool? mentionable, string[]? permissions, string? reason) : IWriteOperation
    {
        private ModifyRoleRequest? _request;
        private string? _reason;
        private Snowflake _role;
        private string _label = "";

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var newName = name is null ? null : WriteText.Required(name, "name", 1, DiscordLimits.RoleName);
            var rgb = RoleArguments.Color(color);
            var perms = RoleArguments.Permissions(permissions);
            _reason = WriteText.Reason(reason);
            if (newName is null && rgb is null && hoist is null && mentionable is null && perms is null)
                throw DiscordServiceException.Invalid("name", "Nothing to change: give at least one of name, color, hoist, mentionable or permissions.");

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var role = DiscordReadService.ResolveRole(ctx.Guild, roleArg, "role");
            var everyone = role.Id == ctx.Guild.Id;
            if (everyone && (newName is not null || rgb is not null || hoist is not null || mentionable is not null))
                throw DiscordServiceException.Invalid("role", "role: only the permissions of @everyone can be changed.");
            if (role.Managed && perms is not null)
                throw DiscordServiceException.Invalid("permissions", $"permissions: {UntrustedText.Inline(role.Name)} is managed by an integration or bot; its permissions cannot be changed here.");
            if (perms is { } p)
                RoleArguments.RequireCanGrant(discord, ctx, p & ~role.Permissions);

            _label = RoleArguments.Name(ctx.Guild, role);
            var changes = new List<string>();
            var undo = new List<string>();
            var request = new ModifyRoleRequest();
            if (newName is not null && newName != role.Name)
            {
                request = request with { Name = newName };
                changes.Add($"Name: {UntrustedText.Inline(role.Name)} → {UntrustedText.Inline(newName)}");
                undo.Add($"name \"{UntrustedText.Inline(role.Name)}\"");
            }
            if (rgb is { } c && c != role.Color)
            {
                request = request with { Color = c };
                changes.Add($"Colour: {RoleArguments.ColorText(role.Color)} → {RoleArguments.ColorText(c)}");
                undo.Add($"color {RoleArguments.ColorText(role.Color)}");
            }
            if (hoist is { } h && h != role.Hoist)
            {
                request = request with { Hoist = h };
                changes.Add($"Shown separately: {(role.Hoist ? "yes" : "no")} → {(h ? "yes" : "no")}");
                undo.Add($"hoist {(role.Hoist ? "true" : "false")}");
            }
            if (mentionable is { } m && m != role.Mentionable)
            {
                request = request with { Mentionable = m };
                changes.Add($"Mentionable: {(role.Mentionable ? "yes" : "no")} → {(m ? "yes" : "no")}");
                undo.Add($"mentionable {(role.Mentionable ? "true" : "false")}");
            }
            if (perms is { } np && np != role.Permissions)
            {
                request = request with { Permissions = np };
                var added = np & ~role.Permissions;
                var removed = role.Permissions & ~np;
                changes.Add($"Permissions: {RoleArguments.PermissionText(role.Permissions)} → {RoleArguments.PermissionText(np)}"
                    + (added != 0 ? $" (adds {RoleArguments.PermissionText(added)})" : "") + (removed != 0 ? $" (removes {RoleArguments.PermissionText(removed)})" : ""));
                undo.Add($"permissions [{RoleArguments.PermissionText(role.Permissions)}]");
            }
            if (changes.Count == 0)
                throw DiscordServiceException.Invalid("role", $"role: {_label} already has these settings, so there is nothing to change.");

            _request = request;
            _role = role.Id;
            var what = everyone ? "@everyone" : $"the role {_label}";
            return new WritePlan
            {
                Action = "modify_role",
                Sentence = $"change {what}: {string.Join("; ", changes)}.",
                Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = $"modify the role back with discord_modify_role ({string.Join(", ", undo)})",
                TargetRoleIds = [role.Id.Value],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var updated = await DiscordReadService.CallAsync(() => discord.Client.ModifyRoleAsync(guildId, _role, _request!, _reason, cancellationToken),
                $"modify the role {_label}");
            discord.InvalidateGuild(guildId);
            var label = updated.Id == guildId ? "@everyone" : "the role " + UntrustedText.Inline(updated.Name);
            return WriteOutcome.Of($"Updated {label}: {string.Join("; ", plan.Changes)}.", ("role_id", updated.Id.ToString()));
        }
    }
}
