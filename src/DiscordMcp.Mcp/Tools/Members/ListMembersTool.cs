using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members)]
internal sealed class ListMembersTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_members", Title = "List members", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(MemberPage))]
    [Description("Lists guild members in user-id order, one page at a time. Pass next_after from the previous page as 'after' to continue; next_after is null on the last page.")]
    public async Task<CallToolResult> Run(
        [Description("Page size, 1 to 1000 (default 100).")][Range(1, 1000)] int? limit = null,
        [Description("Cursor: the user id after which to continue (next_after of the previous page).")] string? after = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var page = await discord.ListMembersAsync(guild_id, limit, after, cancellationToken);
        var text = string.Join("\n", page.Members.Select(m => $"@{m.DisplayName} ({m.Username}, id {m.UserId}){(m.Bot ? " [bot]" : "")}: {string.Join(", ", m.RoleNames)}"))
            + (page.NextAfter is null ? "\n(last page)" : $"\nMore: call again with after={page.NextAfter}");
        return ToolResults.Ok(page, text);
    }
}
