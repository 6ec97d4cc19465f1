using System.ComponentModel;
using System.Text;
using DiscordMcp.Discord;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Resources;

/// <summary>Read-only resources: a guild's summary and its channel tree, as text.</summary>
[McpServerResourceType]
internal sealed class GuildResources(DiscordReadService discord)
{
    [McpServerResource(UriTemplate = "discord://guilds/{guild_id}/summary", Name = "guild_summary", Title = "Guild summary", MimeType = "text/plain")]
    [Description("A guild's name, owner, member count, roles and channel counts.")]
    public async Task<string> Summary(string guild_id, CancellationToken cancellationToken)
    {
        var g = await discord.GetGuildAsync(guild_id, cancellationToken);
        var roles = await discord.ListRolesAsync(guild_id, cancellationToken);
        return $"Guild {g.Name} (id {g.Id})\nOwner: {g.OwnerId}\nMembers: ~{g.ApproximateMemberCount}\nChannels: {g.ChannelCount}\n" +
               $"Roles (highest first): {string.Join(", ", roles.Roles.Select(r => r.Name))}\n" +
               (g.Description is null ? "" : UntrustedText.Fence("guild-description", g.Description) + "\n") + UntrustedText.Notice;
    }

    [McpServerResource(UriTemplate = "discord://guilds/{guild_id}/channels", Name = "guild_channels", Title = "Guild channel tree", MimeType = "text/plain")]
    [Description("A guild's channels grouped by category, marking those the bot cannot view.")]
    public async Task<string> Channels(string guild_id, CancellationToken cancellationToken)
    {
        var list = await discord.ListChannelsAsync(guild_id, cancellationToken);
        var sb = new StringBuilder();
        foreach (var group in list.Categories)
        {
            sb.Append(group.CategoryName).Append('\n');
            foreach (var c in group.Channels)
                sb.Append("  ").Append(c.Name).Append(" [").Append(c.Type).Append("] ").Append(c.Id).Append(c.BotCanView ? "" : " (not viewable by the bot)").Append('\n');
        }
        return sb.Append(UntrustedText.Notice).ToString();
    }
}
