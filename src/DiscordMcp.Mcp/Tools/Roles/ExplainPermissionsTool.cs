using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Roles;

[McpServerToolType, Toolset(Toolsets.Roles)]
internal sealed class ExplainPermissionsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_explain_permissions", Title = "Explain permissions", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(PermissionExplanation))]
    [Description("Explains why the bot (or a given member) can or cannot use a permission in a channel, layer by layer: server roles, @everyone overwrite, role overwrites, member overwrite, implicit rules (no VIEW_CHANNEL, time-out), and the role hierarchy note for moderation permissions. Use it to diagnose 'Missing Permissions' errors.")]
    public async Task<CallToolResult> Run(
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Permission name (VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, …) or an action word: read, send, pin, react, kick, ban, timeout.")] string permission,
        [Description("Member to check: @name, name, <@id> or user id. Omit to check the bot itself.")] string? member = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var e = await discord.ExplainPermissionsAsync(guild_id, channel, permission, member, cancellationToken);
        var text = e.Summary + "\n" + string.Join("\n", e.Layers.Select((l, i) => $"{i + 1}. {l.Layer} [{l.Effect}]: {l.Detail}"));
        return ToolResults.Ok(e, text);
    }
}
