using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Models;
using ModelContextProtocol.Server;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp.Tools.Invites;

[McpServerToolType, Toolset(Toolsets.Invites)]
internal sealed class GetInviteTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_get_invite", Title = "Get an invite", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(InviteView))]
    [Description("Shows one invite of this server by code or link: its channel, inviter and expiry. Invites to other servers are refused without details.")]
    public async Task<CallToolResult> Run(
        [Description("Invite code (abc123) or link (https://discord.gg/abc123).")] string code,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var inviteCode = InviteText.Code(code, "code");
        var ctx = await discord.LoadGuildAsync(guild_id, cancellationToken);
        var view = InviteText.View(await InGuildAsync(discord, ctx, inviteCode, cancellationToken));
        return ToolResults.Ok(view, $"Invite {InviteText.Line(view)}. {UntrustedText.Notice}");
    }

    /// <summary>
    /// The invite with <paramref name="code"/> when it belongs to the authorised guild. An invite to any other server is reported exactly like a
    /// missing one, so nothing about other servers is shown.
    /// </summary>
    internal static async Task<DiscordInvite> InGuildAsync(DiscordReadService discord, DiscordReadService.GuildContext ctx, string code, CancellationToken ct)
    {
        DiscordInvite? invite;
        try
        {
            invite = await DiscordReadService.CallAsync(() => discord.Client.GetInviteAsync(code, false, ct), $"read the invite {code}");
        }
        catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
        {
            invite = null;
        }
        if (invite?.Guild?.Id != ctx.Guild.Id)
            throw new DiscordServiceException(DiscordErrorKind.NotFound,
                $"code: there is no invite {code} to {UntrustedText.Inline(ctx.Guild.Name)} (it does not exist, expired, or belongs to another server).", "code");
        return invite!;
    }
}
