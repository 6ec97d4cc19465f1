using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members)]
internal sealed class GetMemberTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_member", Title = "Get member", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(MemberDetails))]
    [Description("Shows one member: names, roles (highest first), join date, time-out, and server-level permissions. Accepts @name, name (username, display name or nickname), <@id> or an id; an ambiguous name returns the candidates.")]
    public async Task<CallToolResult> Run(
        [Description("Member: @name, name, <@id> mention, or user id.")] string user,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var d = await discord.GetMemberAsync(guild_id, user, cancellationToken);
        var m = d.Member;
        var text = $"@{m.DisplayName} ({m.Username}, id {m.UserId}){(m.Bot ? " [bot]" : "")}{(d.IsOwner ? " [owner]" : "")}: roles {(m.RoleNames.Count == 0 ? "none" : string.Join(", ", m.RoleNames))}; highest {d.HighestRole}; joined {m.JoinedAt ?? "?"}"
            + (m.TimedOutUntil is null ? "" : $"; timed out until {m.TimedOutUntil}");
        return ToolResults.Ok(d, text);
    }
}
