using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 6: every id belongs to the authorised guild (an id from another guild is denied, never trusted), the bot has the
/// needed permissions where it acts (Administrator implies all), and role hierarchy lets it manage the target roles and members.
/// </summary>
internal sealed class BotPermissionLayer(IBotPermissionProbe probe) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.BotPermission;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.GuildId is not { } guildId)
        {
            return null;
        }

        // 1. Cross-guild references.
        if (request.ChannelId is { } channelId)
        {
            var channel = await context.LoadChannelAsync(probe, cancellationToken);
            if (channel is null || channel.GuildId != guildId)
            {
                return CrossGuild($"Channel {channelId} is not a channel of guild {guildId}. Use a channel id from that server (list them with discord_list_channels).");
            }
        }

        foreach (var reference in request.References)
        {
            if (!await BelongsAsync(reference, guildId, cancellationToken))
            {
                // The same answer whether the id is unknown or another guild's: nothing about other tenants is revealed.
                return CrossGuild($"{KindName(reference.Kind)} {reference.Id} does not belong to guild {guildId}{(reference.ParentChannelId is { } p ? $" (looked up in channel {p})" : "")}. Use an id from that server.");
            }
        }

        // 2. Permissions.
        if (request.RequiredBotPermissions != 0)
        {
            var has = request.ChannelId is { } target
                ? await probe.GetChannelPermissionsAsync(guildId, target, cancellationToken)
                : await probe.GetGuildPermissionsAsync(guildId, cancellationToken);
            var missing = (has & PermissionNames.Administrator) != 0 ? 0 : request.RequiredBotPermissions & ~has;
            if (missing != 0)
            {
                var names = PermissionNames.Describe(missing);
                return PolicyDecision.Deny(Layer, ReasonCodes.BotMissingPermission, request.ChannelId is null
                    ? $"The bot lacks {names} in this server; grant it to the bot's role in Server Settings → Roles."
                    : $"The bot lacks {names} in {context.ChannelLabel}; grant it on the channel or the bot's role.");
            }
        }

        // 3. Role hierarchy.
        if (request.TargetRoleIds.Count == 0 && request.TargetMemberIds.Count == 0)
        {
            return null;
        }

        var botTop = await probe.GetBotTopRolePositionAsync(guildId, cancellationToken);
        foreach (var roleId in request.TargetRoleIds)
        {
            var position = await probe.GetRolePositionAsync(guildId, roleId, cancellationToken);
            if (position is null)
            {
                return CrossGuild($"Role {roleId} is not a role of guild {guildId}. Use a role id from that server.");
            }

            if (position >= botTop)
            {
                return Hierarchy($"Role {roleId} is at or above the bot's highest role; move the bot's role above it in Server Settings → Roles.");
            }
        }

        foreach (var userId in request.TargetMemberIds)
        {
            var rank = await probe.GetMemberRankAsync(guildId, userId, cancellationToken);
            if (rank is null)
            {
                return CrossGuild($"User {userId} is not a member of guild {guildId}.");
            }

            if (rank.Value.IsOwner)
            {
                return Hierarchy($"User {userId} owns the server; nobody, including the bot, can manage the owner.");
            }

            if (rank.Value.TopRolePosition >= botTop)
            {
                return Hierarchy($"User {userId}'s highest role is at or above the bot's highest role; move the bot's role above it in Server Settings → Roles.");
            }
        }

        return null;
    }

    /// <summary>
    /// Roles and members are asked of the authorised guild itself (does it have this role / member?); other kinds by
    /// their owning guild. A message must be looked up in its channel, and that channel must be the guild's too.
    /// </summary>
    private async ValueTask<bool> BelongsAsync(ResourceReference reference, ulong guildId, CancellationToken cancellationToken)
    {
        switch (reference.Kind)
        {
            case ResourceKind.Role:
                return await probe.GetRolePositionAsync(guildId, reference.Id, cancellationToken) is not null;
            case ResourceKind.Member:
                return await probe.GetMemberRankAsync(guildId, reference.Id, cancellationToken) is not null;
            case ResourceKind.Message:
                if (reference.ParentChannelId is not { } parent || (await probe.GetChannelAsync(parent, cancellationToken))?.GuildId != guildId)
                {
                    return false;
                }

                goto default;
            default:
                return await probe.GetOwningGuildAsync(reference.Kind, reference.Id, reference.ParentChannelId, cancellationToken) == guildId;
        }
    }

    private PolicyDecision CrossGuild(string message) => PolicyDecision.Deny(Layer, ReasonCodes.CrossGuildReference, message);

    private PolicyDecision Hierarchy(string message) => PolicyDecision.Deny(Layer, ReasonCodes.HierarchyDenied, message);

    private static string KindName(ResourceKind kind) => kind switch
    {
        ResourceKind.Channel => "Channel",
        ResourceKind.Thread => "Thread",
        ResourceKind.Message => "Message",
        ResourceKind.Webhook => "Webhook",
        ResourceKind.Role => "Role",
        ResourceKind.Member => "Member",
        _ => "Resource",
    };
}
