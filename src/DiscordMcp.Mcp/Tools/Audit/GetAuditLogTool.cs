using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Audit;

[McpServerToolType, Toolset(Toolsets.Audit)]
internal sealed class GetAuditLogTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_audit_log", Title = "Get audit log", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(AuditLogResult))]
    [Description("Reads Discord's audit log (newest first) as readable lines such as '@Admin created role \"Support\"'. Filter by who acted (user), by action_type (e.g. role_update, member_ban_add) or by category: roles, channels, members, messages, webhooks, invites, events, threads, emojis, integrations, automation, server.")]
    public async Task<CallToolResult> Run(
        [Description("Only actions by this user: @name, name, <@id> or id.")] string? user = null,
        [Description("Only this action type: a name like role_create or Discord's number.")] string? action_type = null,
        [Description("Only this category: roles, channels, members, messages, webhooks, invites, events, threads, emojis, integrations, automation, server.")] string? category = null,
        [Description("How many entries, 1 to 100 (default 50).")][Range(1, 100)] int? limit = null,
        [Description("Only entries before this entry id or ISO-8601 time.")] string? before = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var log = await discord.GetAuditLogAsync(guild_id, user, action_type, category, limit, before, cancellationToken);
        var text = log.Entries.Count == 0 ? "No matching audit log entries."
            : string.Join("\n", log.Entries.Select(e => $"[{e.Time}] {e.Text}"));
        return ToolResults.Ok(log, text);
    }
}
