using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 3: the guild is installed in the caller's workspace and the bot is in it. A guild of another workspace gets the
/// same answer as an unknown guild, so a caller cannot learn which guilds other tenants have.
/// </summary>
internal sealed class GuildInstallationLayer(IPlatformStore store, IBotPermissionProbe probe) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.GuildInstallation;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        if (context.Request.GuildId is not { } guildId)
        {
            // A call naming a channel or other ids must say which guild authorises them.
            return context.Request.ChannelId is not null || context.Request.References.Count > 0
                || context.Request.TargetRoleIds.Count > 0 || context.Request.TargetMemberIds.Count > 0
                ? PolicyDecision.Deny(Layer, ReasonCodes.GuildRequired, "This call names Discord channels, roles or members but no guild; pass guild_id.")
                : null;
        }

        var installation = await store.GetInstallationAsync(guildId, cancellationToken);
        if (installation is null || !string.Equals(installation.WorkspaceId, context.WorkspaceId, StringComparison.Ordinal))
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.GuildNotInstalled,
                $"Guild {guildId} is not installed in workspace '{context.WorkspaceId}'. An admin can install it with 'discord-mcp guilds install {guildId} --workspace {context.WorkspaceId}' (or list it in ALLOWED_GUILD_IDS).");
        }

        if (!await probe.IsBotInGuildAsync(guildId, cancellationToken))
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.BotNotInGuild,
                $"The bot is not a member of guild {guildId}. Invite it with the bot's OAuth2 install link, then retry.");
        }

        return null;
    }
}
