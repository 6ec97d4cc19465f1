using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members)]
internal sealed class SearchMembersTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_search_members", Title = "Search members", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(MemberPage))]
    [Description("Finds members whose username, display name or nickname contains a fragment (case-insensitive) and returns their ids, for use in other tools.")]
    public async Task<CallToolResult> Run(
        [Description("Name fragment, 1 to 100 characters.")] string query,
        [Description("Most results, 1 to 1000 (default 25).")][Range(1, 1000)] int? limit = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var page = await discord.SearchMembersAsync(guild_id, query, limit, cancellationToken);
        var text = page.Members.Count == 0 ? "No member matches."
            : string.Join("\n", page.Members.Select(m => $"@{m.DisplayName} ({m.Username}) id {m.UserId}"));
        return ToolResults.Ok(page, text);
    }
}
