using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord;

/// <summary>
/// Explains, layer by layer, whether a member holds one permission in a channel. The verdict always comes from
/// <see cref="PermissionCalculator"/>; the layers only narrate the same computation in plain words.
/// </summary>
public static class PermissionExplainer
{
    private static readonly Dictionary<string, DiscordPermissions> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VIEW"] = DiscordPermissions.ViewChannel, ["READ"] = DiscordPermissions.ViewChannel, ["SEE"] = DiscordPermissions.ViewChannel,
        ["READ_HISTORY"] = DiscordPermissions.ReadMessageHistory, ["HISTORY"] = DiscordPermissions.ReadMessageHistory,
        ["SEND"] = DiscordPermissions.SendMessages, ["WRITE"] = DiscordPermissions.SendMessages, ["POST"] = DiscordPermissions.SendMessages,
        ["REPLY"] = DiscordPermissions.SendMessages, ["DELETE_MESSAGES"] = DiscordPermissions.ManageMessages,
        ["PIN"] = DiscordPermissions.PinMessages, ["REACT"] = DiscordPermissions.AddReactions, ["KICK"] = DiscordPermissions.KickMembers,
        ["BAN"] = DiscordPermissions.BanMembers, ["TIMEOUT"] = DiscordPermissions.ModerateMembers, ["MUTE"] = DiscordPermissions.ModerateMembers,
        ["CREATE_THREAD"] = DiscordPermissions.CreatePublicThreads, ["CREATE_THREADS"] = DiscordPermissions.CreatePublicThreads,
        ["MANAGE_CHANNEL"] = DiscordPermissions.ManageChannels, ["WEBHOOKS"] = DiscordPermissions.ManageWebhooks,
        ["INVITE"] = DiscordPermissions.CreateInstantInvite, ["CREATE_INVITE"] = DiscordPermissions.CreateInstantInvite,
        ["AUDIT_LOG"] = DiscordPermissions.ViewAuditLog, ["ATTACH"] = DiscordPermissions.AttachFiles, ["EMBED"] = DiscordPermissions.EmbedLinks,
        ["MENTION_EVERYONE"] = DiscordPermissions.MentionEveryone, ["CONNECT"] = DiscordPermissions.Connect, ["SPEAK"] = DiscordPermissions.Speak,
        ["MANAGE_EVENTS"] = DiscordPermissions.ManageEvents,
    };

    /// <summary>Parses <c>SEND_MESSAGES</c>, <c>send messages</c>, <c>SendMessages</c> or an action word (<c>send</c>, <c>read</c>, <c>ban</c>).</summary>
    public static bool TryParse(string? value, out DiscordPermissions permission)
    {
        permission = DiscordPermissions.None;
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var key = value.Trim().Replace(' ', '_').Replace('-', '_');
        if (Aliases.TryGetValue(key, out permission))
            return true;
        foreach (var flag in Enum.GetValues<DiscordPermissions>())
        {
            if (flag == DiscordPermissions.None)
                continue;
            if (string.Equals(DiscordPermissionSet.Name(flag), key, StringComparison.OrdinalIgnoreCase)
                || string.Equals(flag.ToString(), key.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                permission = flag;
                return true;
            }
        }
        return false;
    }

    public static PermissionGuild ToPermissionGuild(DiscordGuild guild)
    {
        ArgumentNullException.ThrowIfNull(guild);
        return new PermissionGuild(guild.Id, guild.OwnerId, guild.Roles.ToDictionary(r => r.Id, r => new PermissionRole(r.Id, r.Position, r.Permissions)));
    }

    public static PermissionChannelKind KindOf(ChannelType type) => type switch
    {
        ChannelType.GuildVoice or ChannelType.GuildStageVoice => PermissionChannelKind.Voice,
        ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread => PermissionChannelKind.Thread,
        _ => PermissionChannelKind.Text,
    };

    /// <summary>Returns the verdict and the layers. <paramref name="roleNames"/> maps role ids to names for the narration.</summary>
    public static (bool Allowed, IReadOnlyList<PermissionStep> Layers, string Summary) Explain(
        DiscordGuild guild, PermissionMember member, string subject, IReadOnlyList<PermissionOverwrite> overwrites,
        PermissionChannelKind kind, DiscordPermissions permission, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(overwrites);
        var pg = ToPermissionGuild(guild);
        var name = DiscordPermissionSet.Name(permission);
        string RoleName(Snowflake id) => id == guild.Id ? "@everyone" : guild.Roles.FirstOrDefault(r => r.Id == id) is { } r ? "\"" + UntrustedText.Inline(r.Name) + "\"" : $"role {id}";
        var steps = new List<PermissionStep>();
        var final = PermissionCalculator.ComputeChannel(pg, member, overwrites, kind, now);
        var allowed = (final & permission) == permission;

        if (member.UserId == guild.OwnerId)
        {
            steps.Add(new("owner", "allow", $"{subject} owns the server, so every permission is granted everywhere."));
            return (allowed, steps, Summary(subject, name, allowed, steps));
        }

        // Base permissions from roles.
        var baseRaw = pg.Everyone.Permissions;
        var grantedBy = new List<string>();
        if ((pg.Everyone.Permissions & permission) != 0)
            grantedBy.Add("@everyone");
        var admin = (pg.Everyone.Permissions & DiscordPermissions.Administrator) != 0 ? "@everyone" : null;
        foreach (var id in member.RoleIds)
        {
            if (!pg.Roles.TryGetValue(id, out var role))
                continue;
            baseRaw |= role.Permissions;
            if ((role.Permissions & permission) != 0)
                grantedBy.Add(RoleName(id));
            if ((role.Permissions & DiscordPermissions.Administrator) != 0)
                admin ??= RoleName(id);
        }
        if (admin is not null)
        {
            steps.Add(new("base (roles)", "allow", $"Role {admin} has ADMINISTRATOR, which grants every permission and ignores channel overwrites."));
            if (PermissionCalculator.IsTimedOut(member, now))
                steps.Add(new("time-out", "note", "The member is timed out, but administrators are not limited by time-outs."));
            return (allowed, steps, Summary(subject, name, allowed, steps));
        }
        var current = baseRaw;
        steps.Add(grantedBy.Count > 0
            ? new("base (roles)", "allow", $"{name} is granted at server level by {string.Join(", ", grantedBy)}.")
            : new("base (roles)", "deny", $"None of {subject}'s roles (including @everyone) grants {name} at server level."));

        // Channel overwrites, in Discord's order.
        var everyoneOw = overwrites.FirstOrDefault(o => o.Type == OverwriteType.Role && o.Id == guild.Id);
        if (everyoneOw != default && ((everyoneOw.Allow | everyoneOw.Deny) & permission) != 0)
        {
            var allow = (everyoneOw.Allow & permission) != 0;
            current = (current & ~everyoneOw.Deny) | everyoneOw.Allow;
            steps.Add(new("@everyone overwrite", allow ? "allow" : "deny", $"The channel's @everyone overwrite {(allow ? "allows" : "denies")} {name}."));
        }
        else
        {
            steps.Add(new("@everyone overwrite", "none", $"The channel has no @everyone overwrite for {name}."));
        }

        var roleAllows = overwrites.Where(o => o.Type == OverwriteType.Role && o.Id != guild.Id && member.RoleIds.Contains(o.Id) && (o.Allow & permission) != 0).ToList();
        var roleDenies = overwrites.Where(o => o.Type == OverwriteType.Role && o.Id != guild.Id && member.RoleIds.Contains(o.Id) && (o.Deny & permission) != 0).ToList();
        if (roleAllows.Count > 0)
        {
            current |= permission;
            steps.Add(new("role overwrites", "allow", $"Overwrite(s) for {string.Join(", ", roleAllows.Select(o => RoleName(o.Id)))} allow {name}"
                + (roleDenies.Count > 0 ? $" (this beats the deny from {string.Join(", ", roleDenies.Select(o => RoleName(o.Id)))})." : ".")));
        }
        else if (roleDenies.Count > 0)
        {
            current &= ~permission;
            steps.Add(new("role overwrites", "deny", $"Overwrite(s) for {string.Join(", ", roleDenies.Select(o => RoleName(o.Id)))} deny {name}."));
        }
        else
        {
            steps.Add(new("role overwrites", "none", $"No overwrite for {subject}'s roles mentions {name}."));
        }

        var memberOw = overwrites.FirstOrDefault(o => o.Type == OverwriteType.Member && o.Id == member.UserId);
        if (memberOw != default && ((memberOw.Allow | memberOw.Deny) & permission) != 0)
        {
            var allow = (memberOw.Allow & permission) != 0;
            current = allow ? current | permission : current & ~permission;
            steps.Add(new("member overwrite", allow ? "allow" : "deny", $"An overwrite for {subject} personally {(allow ? "allows" : "denies")} {name}."));
        }
        else
        {
            steps.Add(new("member overwrite", "none", $"No overwrite for {subject} personally mentions {name}."));
        }

        // Everything the explicit layers granted but the final value lacks was removed implicitly.
        if ((current & permission) != 0 && !allowed)
        {
            var timedOut = PermissionCalculator.IsTimedOut(member, now);
            var noView = (PermissionCalculator.ComputeChannel(pg, member with { CommunicationDisabledUntil = null }, overwrites, kind, now) & DiscordPermissions.ViewChannel) == 0;
            string why = timedOut ? $"{subject} is timed out until {AuditLogFormatter.Iso(member.CommunicationDisabledUntil!.Value)}; while timed out only VIEW_CHANNEL and READ_MESSAGE_HISTORY remain."
                : noView ? $"{subject} cannot view the channel (no VIEW_CHANNEL), which removes every other permission there."
                : kind == PermissionChannelKind.Thread && permission == DiscordPermissions.SendMessages ? "In a thread, sending needs SEND_MESSAGES_IN_THREADS, which is missing."
                : (DiscordPermissionSet.DependOnSend & permission) != 0 ? $"{name} needs SEND_MESSAGES, which is missing here."
                : kind == PermissionChannelKind.Voice ? $"{name} is a voice permission and needs CONNECT, which is missing here."
                : $"{name} is removed implicitly in this channel.";
            steps.Add(new("implicit rules", "deny", why));
        }
        else if ((current & permission) == 0 && allowed)
        {
            steps.Add(new("implicit rules", "allow", kind == PermissionChannelKind.Thread
                ? "In a thread, SEND_MESSAGES_IN_THREADS stands in for SEND_MESSAGES." : $"{name} is granted implicitly here."));
        }
        else if (PermissionCalculator.IsTimedOut(member, now))
        {
            steps.Add(new("time-out", "note", $"{subject} is timed out until {AuditLogFormatter.Iso(member.CommunicationDisabledUntil!.Value)}."));
        }

        if (permission is DiscordPermissions.KickMembers or DiscordPermissions.BanMembers or DiscordPermissions.ModerateMembers
            or DiscordPermissions.ManageRoles or DiscordPermissions.ManageNicknames)
        {
            var top = PermissionCalculator.HighestRole(pg, member);
            steps.Add(new("hierarchy", "note",
                $"Even with {name}, {subject} can only act on members (or roles) below its highest role {RoleName(top.Id)} (position {top.Position}), and never on the owner."));
        }
        return (allowed, steps, Summary(subject, name, allowed, steps));
    }

    private static string Summary(string subject, string name, bool allowed, List<PermissionStep> steps)
    {
        var decisive = steps.LastOrDefault(s => s.Effect == (allowed ? "allow" : "deny"));
        return $"{subject} {(allowed ? "CAN" : "CANNOT")} use {name} here" + (decisive is null ? "." : $": {decisive.Detail}");
    }
}
