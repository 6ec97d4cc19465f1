namespace DiscordMcp.Discord.Client.Permissions;

/// <summary>A role as the permission rules see it. @everyone has the guild's id and position 0.</summary>
public sealed record PermissionRole(Snowflake Id, int Position, DiscordPermissions Permissions);

/// <summary>Whom a channel permission overwrite targets.</summary>
public enum OverwriteType
{
    Role = 0,
    Member = 1,
}

/// <summary>A channel permission overwrite.</summary>
public readonly record struct PermissionOverwrite(Snowflake Id, OverwriteType Type, DiscordPermissions Allow, DiscordPermissions Deny);

/// <summary>The guild facts the rules need: its id (= the @everyone role id), owner, and roles by id.</summary>
public sealed record PermissionGuild(Snowflake Id, Snowflake OwnerId, IReadOnlyDictionary<Snowflake, PermissionRole> Roles)
{
    public PermissionRole Everyone =>
        Roles.TryGetValue(Id, out var everyone) ? everyone : new PermissionRole(Id, 0, DiscordPermissions.None);
}

/// <summary>A member: user id, role ids (without @everyone) and an optional time-out end.</summary>
public sealed record PermissionMember(Snowflake UserId, IReadOnlyList<Snowflake> RoleIds, DateTimeOffset? CommunicationDisabledUntil = null);

/// <summary>What kind of channel the overwrites belong to; changes which implicit rules apply.</summary>
public enum PermissionChannelKind
{
    /// <summary>Text, announcement, forum, media, category.</summary>
    Text,
    /// <summary>Voice and stage channels: without CONNECT, voice permissions are void.</summary>
    Voice,
    /// <summary>A thread: the parent's overwrites apply, and SEND_MESSAGES_IN_THREADS stands in for SEND_MESSAGES.</summary>
    Thread,
}

/// <summary>
/// Discord's permission rules as pure functions: base permissions, channel overwrites, implicit denials,
/// time-outs and the role hierarchy. No I/O; the same code backs the policy layer and the sandbox.
/// </summary>
public static class PermissionCalculator
{
    /// <summary>Guild-level permissions: owner and ADMINISTRATOR get everything; time-outs reduce the rest.</summary>
    public static DiscordPermissions ComputeBase(PermissionGuild guild, PermissionMember member, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(member);
        var raw = RawBase(guild, member, out var all);
        if (all)
            return DiscordPermissionSet.All;
        return IsTimedOut(member, now) ? raw & DiscordPermissionSet.KeptWhileTimedOut : raw;
    }

    /// <summary>
    /// Permissions of <paramref name="member"/> in a channel with <paramref name="overwrites"/>
    /// (for a thread, pass the parent's overwrites and <see cref="PermissionChannelKind.Thread"/>).
    /// </summary>
    public static DiscordPermissions ComputeChannel(
        PermissionGuild guild,
        PermissionMember member,
        IReadOnlyList<PermissionOverwrite> overwrites,
        PermissionChannelKind kind,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(overwrites);

        var permissions = RawBase(guild, member, out var all);
        if (all)
            return DiscordPermissionSet.All;

        // 1. @everyone overwrite.
        foreach (var o in overwrites)
        {
            if (o.Type == OverwriteType.Role && o.Id == guild.Id)
            {
                permissions = (permissions & ~o.Deny) | o.Allow;
                break;
            }
        }

        // 2. Role overwrites, combined: any role's allow beats another role's deny.
        var roleAllow = DiscordPermissions.None;
        var roleDeny = DiscordPermissions.None;
        foreach (var o in overwrites)
        {
            if (o.Type == OverwriteType.Role && o.Id != guild.Id && Contains(member.RoleIds, o.Id))
            {
                roleAllow |= o.Allow;
                roleDeny |= o.Deny;
            }
        }
        permissions = (permissions & ~roleDeny) | roleAllow;

        // 3. The member's own overwrite.
        foreach (var o in overwrites)
        {
            if (o.Type == OverwriteType.Member && o.Id == member.UserId)
            {
                permissions = (permissions & ~o.Deny) | o.Allow;
                break;
            }
        }

        return ApplyImplicit(permissions, kind, IsTimedOut(member, now));
    }

    /// <summary>Implicit denials that follow from missing VIEW_CHANNEL, SEND_MESSAGES or CONNECT, and time-outs.</summary>
    public static DiscordPermissions ApplyImplicit(DiscordPermissions permissions, PermissionChannelKind kind, bool timedOut)
    {
        if (timedOut)
            permissions &= DiscordPermissionSet.KeptWhileTimedOut;

        if ((permissions & DiscordPermissions.ViewChannel) == 0)
            return DiscordPermissions.None;

        if (kind == PermissionChannelKind.Thread)
        {
            // In a thread, sending is governed by SEND_MESSAGES_IN_THREADS, not the parent's SEND_MESSAGES.
            permissions = (permissions & DiscordPermissions.SendMessagesInThreads) != 0
                ? permissions | DiscordPermissions.SendMessages
                : permissions & ~DiscordPermissions.SendMessages;
        }

        if ((permissions & DiscordPermissions.SendMessages) == 0)
            permissions &= ~DiscordPermissionSet.DependOnSend;

        if (kind == PermissionChannelKind.Voice && (permissions & DiscordPermissions.Connect) == 0)
            permissions &= ~DiscordPermissionSet.VoiceOnly;

        return permissions;
    }

    /// <summary>True when a time-out is in force at <paramref name="now"/>.</summary>
    public static bool IsTimedOut(PermissionMember member, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.CommunicationDisabledUntil is { } until && until > now;
    }

    /// <summary>The member's highest role (@everyone when they have none); ties in position go to the lower id, as in Discord's client.</summary>
    public static PermissionRole HighestRole(PermissionGuild guild, PermissionMember member)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(member);
        var highest = guild.Everyone;
        foreach (var id in member.RoleIds)
        {
            if (guild.Roles.TryGetValue(id, out var role) && IsAbove(role, highest))
                highest = role;
        }
        return highest;
    }

    /// <summary>Whether role <paramref name="a"/> sits above role <paramref name="b"/> in the hierarchy.</summary>
    public static bool IsAbove(PermissionRole a, PermissionRole b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Position != b.Position ? a.Position > b.Position : a.Id < b.Id;
    }

    /// <summary>
    /// Can <paramref name="actor"/> edit, delete, assign or remove <paramref name="role"/>? Needs MANAGE_ROLES
    /// (or ADMINISTRATOR) and a highest role strictly above it; the owner always can. @everyone is never assigned.
    /// </summary>
    public static HierarchyDecision CanManageRole(PermissionGuild guild, PermissionMember actor, PermissionRole role, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(role);
        if (actor.UserId == guild.OwnerId)
            return HierarchyDecision.Allowed;
        var perms = ComputeBase(guild, actor, now);
        if ((perms & (DiscordPermissions.ManageRoles | DiscordPermissions.Administrator)) == 0)
            return HierarchyDecision.Deny(HierarchyDenial.MissingPermission, DiscordPermissions.ManageRoles);
        if (!IsAbove(HighestRole(guild, actor), role))
            return HierarchyDecision.Deny(HierarchyDenial.RoleNotBelowActor, DiscordPermissions.None);
        return HierarchyDecision.Allowed;
    }

    /// <summary>
    /// Can <paramref name="actor"/> grant <paramref name="requested"/> (in a role or an overwrite)?
    /// Only permissions the actor has; ADMINISTRATOR or ownership grants anything.
    /// </summary>
    public static DiscordPermissions MissingToGrant(PermissionGuild guild, PermissionMember actor, DiscordPermissions requested, DateTimeOffset now)
    {
        var perms = ComputeBase(guild, actor, now);
        return requested & ~perms;
    }

    /// <summary>
    /// Can <paramref name="actor"/> take <paramref name="action"/> against <paramref name="target"/>?
    /// Never against the owner or oneself (for kick, ban, time-out); needs the action's permission and a highest
    /// role strictly above the target's. Time-outs of administrators are refused, as Discord does.
    /// </summary>
    public static HierarchyDecision CanModerate(PermissionGuild guild, PermissionMember actor, PermissionMember target, ModerationAction action, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        var needed = action switch
        {
            ModerationAction.Kick => DiscordPermissions.KickMembers,
            ModerationAction.Ban => DiscordPermissions.BanMembers,
            ModerationAction.Timeout => DiscordPermissions.ModerateMembers,
            ModerationAction.ChangeNickname => DiscordPermissions.ManageNicknames,
            ModerationAction.ManageRoles => DiscordPermissions.ManageRoles,
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        if (target.UserId == guild.OwnerId)
            return HierarchyDecision.Deny(HierarchyDenial.TargetIsOwner, DiscordPermissions.None);
        if (action == ModerationAction.Timeout && (RawBase(guild, target, out _) & DiscordPermissions.Administrator) != 0)
            return HierarchyDecision.Deny(HierarchyDenial.TargetIsAdministrator, DiscordPermissions.None);
        if (actor.UserId == target.UserId && action is ModerationAction.Kick or ModerationAction.Ban or ModerationAction.Timeout)
            return HierarchyDecision.Deny(HierarchyDenial.TargetIsSelf, DiscordPermissions.None);
        if (actor.UserId == guild.OwnerId)
            return HierarchyDecision.Allowed;

        var perms = ComputeBase(guild, actor, now);
        if ((perms & needed) == 0)
            return HierarchyDecision.Deny(HierarchyDenial.MissingPermission, needed);
        if (!IsAbove(HighestRole(guild, actor), HighestRole(guild, target)))
            return HierarchyDecision.Deny(HierarchyDenial.TargetNotBelowActor, DiscordPermissions.None);
        return HierarchyDecision.Allowed;
    }

    private static DiscordPermissions RawBase(PermissionGuild guild, PermissionMember member, out bool all)
    {
        all = false;
        if (member.UserId == guild.OwnerId)
        {
            all = true;
            return DiscordPermissionSet.All;
        }
        var permissions = guild.Everyone.Permissions;
        foreach (var id in member.RoleIds)
        {
            if (guild.Roles.TryGetValue(id, out var role))
                permissions |= role.Permissions;
        }
        if ((permissions & DiscordPermissions.Administrator) != 0)
        {
            all = true;
            return DiscordPermissionSet.All;
        }
        return permissions;
    }

    private static bool Contains(IReadOnlyList<Snowflake> ids, Snowflake id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
                return true;
        }
        return false;
    }
}

/// <summary>Actions bound by the member hierarchy.</summary>
public enum ModerationAction
{
    Kick,
    Ban,
    Timeout,
    ChangeNickname,
    ManageRoles,
}

/// <summary>Why a hierarchy check failed.</summary>
public enum HierarchyDenial
{
    None,
    MissingPermission,
    RoleNotBelowActor,
    TargetNotBelowActor,
    TargetIsOwner,
    TargetIsAdministrator,
    TargetIsSelf,
}

/// <summary>The outcome of a hierarchy check, with the reason and, for a missing permission, which one.</summary>
public readonly record struct HierarchyDecision(bool IsAllowed, HierarchyDenial Reason, DiscordPermissions MissingPermission)
{
    public static HierarchyDecision Allowed => new(true, HierarchyDenial.None, DiscordPermissions.None);

    public static HierarchyDecision Deny(HierarchyDenial reason, DiscordPermissions missing) => new(false, reason, missing);
}
