using System.ComponentModel;
using System.Text;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Models;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Invites;

[McpServerToolType, Toolset(Toolsets.Invites)]
internal sealed class ListInvitesTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_invites", Title = "List invites", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(InviteList))]
    [Description("Lists the server's active invites (needs Manage Server), or those of one channel (needs Manage Channels there): code, link, channel, " +
        "inviter, uses and expiry.")]
    public async Task<CallToolResult> Run(
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Only this channel's invites: #name, name, <#id> or id.")] string? channel = null,
        CancellationToken cancellationToken = default)
    {
        var ctx = await discord.LoadGuildAsync(guild_id, cancellationToken);
        DiscordChannel? c = null;
        IReadOnlyList<DiscordInvite> invites;
        if (channel is not null)
        {
            c = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            invites = await DiscordReadService.CallAsync(() => discord.Client.GetChannelInvitesAsync(c.Id, cancellationToken), "list the channel's invites");
        }
        else
        {
            invites = await DiscordReadService.CallAsync(() => discord.Client.GetGuildInvitesAsync(ctx.Guild.Id, cancellationToken), "list the server's invites");
        }
        var views = invites.Where(i => i.Guild is null || i.Guild.Id == ctx.Guild.Id).Select(InviteText.View).ToList();
        var list = new InviteList(ctx.Guild.Id.ToString(), c?.Id.ToString(), views, UntrustedText.Notice);
        var sb = new StringBuilder();
        sb.Append(views.Count).Append(views.Count == 1 ? " invite" : " invites").Append(c is null ? "" : " to " + Writes.WriteText.Channel(c)).Append('\n');
        foreach (var v in views)
            sb.Append("  ").Append(InviteText.Line(v)).Append('\n');
        sb.Append(UntrustedText.Notice);
        return ToolResults.Ok(list, sb.ToString());
    }
}
