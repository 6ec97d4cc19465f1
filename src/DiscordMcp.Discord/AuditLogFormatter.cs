using System.Globalization;
using System.Text.Json;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord;

/// <summary>Turns audit log entries into lines a person reads: <c>@Admin created role "Support"</c>.</summary>
public static class AuditLogFormatter
{
    /// <summary>Category name → the action types it covers.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<AuditLogEvent>> Categories { get; } = new Dictionary<string, IReadOnlySet<AuditLogEvent>>(StringComparer.OrdinalIgnoreCase)
    {
        ["server"] = Set(AuditLogEvent.GuildUpdate),
        ["channels"] = Set(AuditLogEvent.ChannelCreate, AuditLogEvent.ChannelUpdate, AuditLogEvent.ChannelDelete,
            AuditLogEvent.ChannelOverwriteCreate, AuditLogEvent.ChannelOverwriteUpdate, AuditLogEvent.ChannelOverwriteDelete),
        ["members"] = Set(AuditLogEvent.MemberKick, AuditLogEvent.MemberPrune, AuditLogEvent.MemberBanAdd, AuditLogEvent.MemberBanRemove,
            AuditLogEvent.MemberUpdate, AuditLogEvent.MemberRoleUpdate, AuditLogEvent.MemberMove, AuditLogEvent.MemberDisconnect, AuditLogEvent.BotAdd),
        ["roles"] = Set(AuditLogEvent.RoleCreate, AuditLogEvent.RoleUpdate, AuditLogEvent.RoleDelete),
        ["invites"] = Set(AuditLogEvent.InviteCreate, AuditLogEvent.InviteUpdate, AuditLogEvent.InviteDelete),
        ["webhooks"] = Set(AuditLogEvent.WebhookCreate, AuditLogEvent.WebhookUpdate, AuditLogEvent.WebhookDelete),
        ["emojis"] = Set(AuditLogEvent.EmojiCreate, AuditLogEvent.EmojiUpdate, AuditLogEvent.EmojiDelete,
            AuditLogEvent.StickerCreate, AuditLogEvent.StickerUpdate, AuditLogEvent.StickerDelete),
        ["messages"] = Set(AuditLogEvent.MessageDelete, AuditLogEvent.MessageBulkDelete, AuditLogEvent.MessagePin, AuditLogEvent.MessageUnpin),
        ["integrations"] = Set(AuditLogEvent.IntegrationCreate, AuditLogEvent.IntegrationUpdate, AuditLogEvent.IntegrationDelete,
            AuditLogEvent.ApplicationCommandPermissionUpdate),
        ["events"] = Set(AuditLogEvent.GuildScheduledEventCreate, AuditLogEvent.GuildScheduledEventUpdate, AuditLogEvent.GuildScheduledEventDelete,
            AuditLogEvent.StageInstanceCreate, AuditLogEvent.StageInstanceUpdate, AuditLogEvent.StageInstanceDelete),
        ["threads"] = Set(AuditLogEvent.ThreadCreate, AuditLogEvent.ThreadUpdate, AuditLogEvent.ThreadDelete),
        ["automation"] = Set(AuditLogEvent.AutoModerationRuleCreate, AuditLogEvent.AutoModerationRuleUpdate, AuditLogEvent.AutoModerationRuleDelete,
            AuditLogEvent.AutoModerationBlockMessage, AuditLogEvent.AutoModerationFlagToChannel, AuditLogEvent.AutoModerationUserCommunicationDisabled),
    };

    private static HashSet<AuditLogEvent> Set(params AuditLogEvent[] events) => [.. events];

    public static string CategoryOf(AuditLogEvent action) =>
        Categories.FirstOrDefault(kv => kv.Value.Contains(action)).Key ?? "other";

    /// <summary>snake_case name of an action type, e.g. <c>role_create</c>.</summary>
    public static string ActionName(AuditLogEvent action)
    {
        var text = action.ToString();
        if (char.IsDigit(text[0]))
            return "action_" + text;
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(text[i]));
        }
        return sb.ToString();
    }

    public static bool TryParseAction(string value, out AuditLogEvent action)
    {
        action = default;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined((AuditLogEvent)n))
        {
            action = (AuditLogEvent)n;
            return true;
        }
        foreach (var a in Enum.GetValues<AuditLogEvent>())
        {
            if (string.Equals(ActionName(a), value.Trim(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(a.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                action = a;
                return true;
            }
        }
        return false;
    }

    /// <summary>Context for names: the log's own users, and the guild's roles and channels (may be empty).</summary>
    public sealed record Names(
        IReadOnlyDictionary<Snowflake, DiscordUser> Users,
        IReadOnlyDictionary<Snowflake, string> Roles,
        IReadOnlyDictionary<Snowflake, string> Channels);

    public static AuditLine Format(AuditLogEntry entry, Names names)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(names);
        var actor = entry.UserId is { } uid ? User(uid, names) : "someone";
        var target = entry.TargetId;
        var targetId = Snowflake.TryParse(target, out var parsed) ? parsed : default;
        var role = RoleName(entry, targetId, names);
        var channel = entry.Options?.ChannelId is { } oc ? ChannelName(oc, names) : ChannelName(targetId, names, entry);
        var member = User(targetId, names);
        var text = entry.ActionType switch
        {
            AuditLogEvent.GuildUpdate => $"updated the server settings{Changes(entry)}",
            AuditLogEvent.ChannelCreate => $"created channel {channel}",
            AuditLogEvent.ChannelUpdate => $"updated channel {channel}{Changes(entry)}",
            AuditLogEvent.ChannelDelete => $"deleted channel {channel}",
            AuditLogEvent.ChannelOverwriteCreate => $"added a permission overwrite for {OverwriteTarget(entry, names)} in {ChannelName(targetId, names, entry)}",
            AuditLogEvent.ChannelOverwriteUpdate => $"changed the permission overwrite for {OverwriteTarget(entry, names)} in {ChannelName(targetId, names, entry)}{Changes(entry)}",
            AuditLogEvent.ChannelOverwriteDelete => $"removed the permission overwrite for {OverwriteTarget(entry, names)} in {ChannelName(targetId, names, entry)}",
            AuditLogEvent.MemberKick => $"kicked {member}",
            AuditLogEvent.MemberPrune => $"pruned {entry.Options?.MembersRemoved ?? "some"} members inactive for {entry.Options?.DeleteMemberDays ?? "?"} days",
            AuditLogEvent.MemberBanAdd => $"banned {member}",
            AuditLogEvent.MemberBanRemove => $"unbanned {member}",
            AuditLogEvent.MemberUpdate => $"updated member {member}{Changes(entry)}",
            AuditLogEvent.MemberRoleUpdate => $"changed the roles of {member}{RoleChanges(entry)}",
            AuditLogEvent.MemberMove => $"moved {entry.Options?.Count ?? "some"} members to {channel}",
            AuditLogEvent.MemberDisconnect => $"disconnected {entry.Options?.Count ?? "some"} members from voice",
            AuditLogEvent.BotAdd => $"added the bot {member}",
            AuditLogEvent.RoleCreate => $"created role {role}",
            AuditLogEvent.RoleUpdate => $"updated role {role}{Changes(entry)}",
            AuditLogEvent.RoleDelete => $"deleted role {role}",
            AuditLogEvent.MessageDelete => $"deleted {entry.Options?.Count ?? "a"} message(s) by {member} in {channel}",
            AuditLogEvent.MessageBulkDelete => $"bulk-deleted {entry.Options?.Count ?? "several"} messages in {ChannelName(targetId, names, entry)}",
            AuditLogEvent.MessagePin => $"pinned a message by {member} in {channel}",
            AuditLogEvent.MessageUnpin => $"unpinned a message by {member} in {channel}",
            _ => $"{Verb(entry.ActionType)} {Noun(entry.ActionType)}" + (target is null ? "" : $" (target id {target})") + Changes(entry),
        };
        var line = $"{actor} {text}" + (string.IsNullOrWhiteSpace(entry.Reason) ? "" : $" — reason: \"{UntrustedText.Inline(entry.Reason)}\"");
        return new AuditLine(entry.Id.ToString(), Iso(entry.Id.CreatedAt), entry.UserId?.ToString(), actor, ActionName(entry.ActionType),
            CategoryOf(entry.ActionType), target, line, entry.Reason is null ? null : UntrustedText.Inline(entry.Reason));
    }

    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Verb(AuditLogEvent a)
    {
        var name = ActionName(a);
        return name.EndsWith("_create", StringComparison.Ordinal) ? "created"
            : name.EndsWith("_update", StringComparison.Ordinal) ? "updated"
            : name.EndsWith("_delete", StringComparison.Ordinal) ? "deleted"
            : "performed";
    }

    private static string Noun(AuditLogEvent a)
    {
        var name = ActionName(a);
        foreach (var suffix in (string[])["_create", "_update", "_delete"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
                return "a " + name[..^suffix.Length].Replace('_', ' ');
        }
        return name.Replace('_', ' ');
    }

    private static string User(Snowflake id, Names names) =>
        id.Value == 0 ? "someone"
        : names.Users.TryGetValue(id, out var u) ? "@" + UntrustedText.Inline(u.GlobalName ?? u.Username) : $"user {id}";

    private static string RoleName(AuditLogEntry entry, Snowflake id, Names names)
    {
        var changed = entry.Changes?.FirstOrDefault(c => c.Key == "name");
        var fromChange = changed is null ? null : Str(changed.NewValue) ?? Str(changed.OldValue);
        var name = fromChange ?? (names.Roles.TryGetValue(id, out var n) ? n : null);
        return name is null ? $"role {id}" : $"\"{UntrustedText.Inline(name)}\"";
    }

    private static string ChannelName(Snowflake id, Names names, AuditLogEntry? entry = null)
    {
        var changed = entry?.Changes?.FirstOrDefault(c => c.Key == "name");
        var fromChange = changed is null ? null : Str(changed.NewValue) ?? Str(changed.OldValue);
        var name = fromChange ?? (names.Channels.TryGetValue(id, out var n) ? n : null);
        return name is null ? $"channel {id}" : "#" + UntrustedText.Inline(name);
    }

    private static string OverwriteTarget(AuditLogEntry entry, Names names)
    {
        var id = entry.Options?.Id ?? default;
        return entry.Options?.Type == "1" ? User(id, names)
            : entry.Options?.RoleName is { } rn ? $"role \"{UntrustedText.Inline(rn)}\""
            : names.Roles.TryGetValue(id, out var r) ? $"role \"{UntrustedText.Inline(r)}\"" : $"role {id}";
    }

    private static string RoleChanges(AuditLogEntry entry)
    {
        var parts = new List<string>();
        foreach (var change in entry.Changes ?? [])
        {
            if (change.Key is not ("$add" or "$remove") || change.NewValue is not { ValueKind: JsonValueKind.Array } list)
                continue;
            var roles = list.EnumerateArray().Select(r => r.TryGetProperty("name", out var n) ? $"\"{UntrustedText.Inline(n.GetString())}\"" : "a role");
            parts.Add((change.Key == "$add" ? "added " : "removed ") + string.Join(", ", roles));
        }
        return parts.Count == 0 ? "" : ": " + string.Join("; ", parts);
    }

    private static string Changes(AuditLogEntry entry)
    {
        var parts = new List<string>();
        foreach (var change in entry.Changes ?? [])
        {
            if (change.Key == "permissions" || change.Key is "allow" or "deny")
            {
                var before = DiscordPermissionSet.TryParse(Str(change.OldValue), out var b) ? b : DiscordPermissions.None;
                var after = DiscordPermissionSet.TryParse(Str(change.NewValue), out var a) ? a : DiscordPermissions.None;
                var added = (after & ~before).ToNames().Select(n => "+" + n);
                var removed = (before & ~after).ToNames().Select(n => "-" + n);
                var diff = string.Join(" ", added.Concat(removed));
                parts.Add($"{change.Key}: {(diff.Length == 0 ? "unchanged" : diff)}");
            }
            else if (change.Key is not ("$add" or "$remove"))
            {
                parts.Add($"{change.Key}: {Show(change.OldValue)} → {Show(change.NewValue)}");
            }
        }
        return parts.Count == 0 ? "" : " (" + string.Join("; ", parts.Take(6)) + (parts.Count > 6 ? "; …" : "") + ")";
    }

    private static string? Str(JsonElement? value) => value is { ValueKind: JsonValueKind.String } v ? v.GetString()
        : value is { ValueKind: JsonValueKind.Number } n ? n.GetRawText() : null;

    private static string Show(JsonElement? value) => value switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "none",
        { ValueKind: JsonValueKind.String } s => $"\"{UntrustedText.Inline(s.GetString())}\"",
        { } v => UntrustedText.Inline(v.GetRawText().Length > 60 ? v.GetRawText()[..60] + "…" : v.GetRawText()),
    };
}
