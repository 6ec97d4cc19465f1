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
        if (context.Request.Credential is DiscordUserCredential member && BoundGuild(member, context.Request) is { } denial)
        {
            return denial;
        }

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

    /// <summary>
    /// A Discord member acts through the agent only in the guild they spoke in: a credential bound to no guild, a call on
    /// another guild and a guild-less call of a toolset tool (the guild list, platform tools) are denied. Guild-less calls
    /// of the pending-action tools (no toolset) pass: they touch only the member's own pending actions, and what a
    /// confirmation runs is authorised again under its own tool and guild.
    /// </summary>
    private PolicyDecision? BoundGuild(DiscordUserCredential member, PolicyRequest request)
    {
        if (member.GuildId is not { } bound)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.AgentGuildMismatch,
                "The agent acts for a Discord member only in the server they asked in, and this call is bound to no server, so nothing was done.");
        }

        if (request.GuildId is { } guildId)
        {
            return guildId == bound ? null : PolicyDecision.Deny(Layer, ReasonCodes.AgentGuildMismatch,
                $"You asked in server {bound}; the agent acts for you only there, not in guild {guildId}.");
        }

        return request.Tool.Toolset.Length == 0 ? null : PolicyDecision.Deny(Layer, ReasonCodes.AgentGuildMismatch,
            $"The agent acts for you only in server {bound}; {request.Tool.Name} is not tied to that server (pass guild_id {bound}).");
    }
}
