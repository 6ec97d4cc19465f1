using System.ComponentModel;
using DiscordMcp.Discord;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Guilds;

[McpServerToolType, Toolset(Toolsets.Guilds)]
internal sealed class GetGuildTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_guild", Title = "Get guild", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(GuildDetails))]
    [Description("Shows one guild: name, description, owner, approximate member count, number of roles and channels, features.")]
    public async Task<CallToolResult> Run([Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null, CancellationToken cancellationToken = default)
    {
        var g = await discord.GetGuildAsync(guild_id, cancellationToken);
        var text = $"{g.Name} (id {g.Id}): ~{g.ApproximateMemberCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} members, {g.RoleCount} roles, {g.ChannelCount} channels, owner {g.OwnerId}."
            + (g.Description is null ? "" : "\n" + UntrustedText.Fence("guild-description", g.Description));
        return ToolResults.Ok(g, text);
    }
}
