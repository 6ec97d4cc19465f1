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
internal sealed class ReorderRolesTool(DiscordReadService discord)
{
    public const int MaxOrder = 50;

    [McpServerTool(Name = "discord_reorder_roles", Title = "Reorder roles", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Moves roles in the hierarchy, either one role to a new position (role + position; 1 is just above @everyone) or several roles into " +
        "an order (order, highest first; they swap among the positions they hold now). Refuses moves at or above the bot's highest role. " +
        "Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("The role to move: name, mention <@&id> or id (with position).")] string? role = null,
        [Description("Its new position: 1 (just above @everyone) up to just below the bot's highest role.")] int? position = null,
        [Description("Instead of role + position: 2–50 roles, highest first; they are rearranged among the positions they hold now.")] string[]? order = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, role, position, order, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string? roleArg, int? position, string[]? order, string? reason) : IWriteOperation
    {
        private List<RolePosition> _moves = [];
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if (order is not null && (roleArg is not null || position is not null))
                throw DiscordServiceException.Invalid("order", "Give either role and position, or order — not both.");
            if (order is null && (roleArg is null || position is null))
                throw DiscordServiceException.Invalid(roleArg is null ? "role" : "position", "Give role and position (move one role), or order (a list of roles, highest first).");
            if (order is not null && (order.Length < 2 || order.Length > MaxOrder))
                throw DiscordServiceException.Invalid("order", $"order must list 2–{MaxOrder} roles, got {order.Length}.");
            if (position is { } p0 && p0 < 1)
                throw DiscordServiceException.Invalid("position", $"position must be at least 1 (just above @everyone), got {p0}.");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var g = ctx.Guild;
            var botTop = RoleArguments.BotTopPosition(ctx);
            // The hierarchy as Discord shows it: highest first; equal positions go to the lower id.
            var current = g.Roles.Where(r => r.Id != g.Id).OrderByDescending(r => r.Position).ThenBy(r => r.Id.Value).ToList();
            var target = new Dictionary<Snowflake, int>();
            DiscordRole? moved = null;
            var listed = new List<DiscordRole>();
            if (order is null)
            {
                var role = DiscordReadService.ResolveRole(g, roleArg, "role");
                if (role.Id == g.Id)
                    throw DiscordServiceException.Invalid("role", "role: @everyone is always at the bottom and cannot be moved.");
                if (role.Position >= botTop)
                    throw DiscordServiceException.Invalid("role", $"role: {RoleArguments.Name(g, role)} is at or above the bot's highest role (position {botTop}); the bot can only move roles below it.");
                if (position >= botTop)
                    throw DiscordServiceException.Invalid("position", $"position must be below the bot's highest role: at most {botTop - 1}, got {position}.");
                // Lay the roles out bottom-up at 1..n with the moved role at its new place, then keep only real changes.
                moved = role;
                var bottomUp = current.AsEnumerable().Reverse().Where(r => r.Id != role.Id).ToList();
                var index = Math.Min(position!.Value - 1, bottomUp.Count);
                bottomUp.Insert(index, role);
                for (var i = 0; i < bottomUp.Count; i++)
                    target[bottomUp[i].Id] = i + 1;
            }
            else
            {
                var roles = listed;
                for (var i = 0; i < order.Length; i++)
                {
                    var field = $"order[{i}]";
                    var r = DiscordReadService.ResolveRole(g, order[i], field);
                    if (r.Id == g.Id)
                        throw DiscordServiceException.Invalid(field, $"{field}: @everyone is always at the bottom and cannot be moved.");
                    if (roles.Any(x => x.Id == r.Id))
                        throw DiscordServiceException.Invalid(field, $"{field}: {RoleArguments.Name(g, r)} is listed twice.");
                    if (r.Position >= botTop)
                        throw DiscordServiceException.Invalid(field, $"{field}: {RoleArguments.Name(g, r)} is at or above the bot's highest role (position {botTop}); the bot can only move roles below it.");
                    roles.Add(r);
                }
                var slots = roles.Select(r => r.Position).OrderByDescending(x => x).ToList();
                for (var i = 0; i < roles.Count; i++)
                    target[roles[i].Id] = slots[i];
            }

            var changed = current.Where(r => target.TryGetValue(r.Id, out var to) && to != r.Position).ToList();
            if (changed.Count == 0)
                throw DiscordServiceException.Invalid(order is null ? "position" : "order", "The roles are already in that order, so there is nothing to change.");
            var above = changed.FirstOrDefault(r => target[r.Id] >= botTop || r.Position >= botTop);
            if (above is not null)
                throw DiscordServiceException.Invalid(order is null ? "position" : "order",
                    $"This would move {RoleArguments.Name(g, above)} from position {above.Position} to {target[above.Id]}; the bot can only move roles below its highest role (position {botTop}).");

            _moves = [.. changed.Select(r => new RolePosition(r.Id, target[r.Id]))];
            var changes = changed.OrderByDescending(r => target[r.Id]).Select(r => $"{RoleArguments.Name(g, r)}: position {r.Position} → {target[r.Id]}").ToList();
            var undoList = string.Join(", ", changed.Select(r => $"{RoleArguments.Name(g, r)} to {r.Position}"));
            var sentence = order is null
                ? $"move the role {RoleArguments.Name(g, moved!)} to position {position}" +
                  (changed.Count > 1 ? $", shifting {changed.Count - 1} other role{(changed.Count == 2 ? "" : "s")}." : ".")
                : $"reorder the roles {WriteText.And([.. listed.Select(r => RoleArguments.Name(g, r))])} (highest first).";
            return new WritePlan
            {
                Action = "reorder_roles",
                Sentence = sentence,
                Target = $"the role hierarchy of {UntrustedText.Inline(g.Name)}",
                Changes = changes,
                GuildId = g.Id.Value,
                BotPermissions = DiscordPermissions.ManageRoles,
                Undo = $"move them back with discord_reorder_roles ({undoList})",
                TargetRoleIds = [.. changed.Select(r => r.Id.Value)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.ReorderRolesAsync(guildId, _moves, _reason, cancellationToken), "reorder the roles");
            discord.InvalidateGuild(guildId);
            return WriteOutcome.Of($"Reordered the roles: {string.Join("; ", plan.Changes)}.", ("role_ids", string.Join(",", _moves.Select(m => m.Id.ToString()))));
        }
    }
}
