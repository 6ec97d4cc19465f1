using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Mcp.Writes;

/// <summary>Lists of permission names in tool arguments (role permissions, channel overwrites): one parser, one set of errors.</summary>
internal static class PermissionList
{
    /// <summary>At most this many names per list (Discord defines about 50 permissions).</summary>
    public const int MaxNames = 64;

    private static readonly DiscordPermissions[] Flags =
        [.. Enum.GetValues<DiscordPermissions>().Where(f => f != DiscordPermissions.None && System.Numerics.BitOperations.PopCount((ulong)f) == 1)];

    /// <summary>
    /// Parses a list of permission names (<c>VIEW_CHANNEL</c>, <c>View Channel</c>, <c>view-channel</c>, <c>ViewChannel</c>, or an action word such as
    /// <c>send</c>); an unknown name is an error naming the entry and listing close matches.
    /// </summary>
    public static DiscordPermissions Parse(IReadOnlyList<string>? names, string argument)
    {
        if (names is null)
            return DiscordPermissions.None;
        if (names.Count > MaxNames)
            throw DiscordServiceException.Invalid(argument, $"{argument} takes at most {MaxNames} permission names, got {names.Count}.");
        var result = DiscordPermissions.None;
        for (var i = 0; i < names.Count; i++)
        {
            var field = $"{argument}[{i}]";
            var text = (names[i] ?? "").Trim();
            if (text.Length == 0)
                throw DiscordServiceException.Invalid(field, $"{field} is empty: give a permission name such as VIEW_CHANNEL or \"Send Messages\".");
            if (text.Length > 64)
                throw DiscordServiceException.Invalid(field, $"{field} must be a permission name of at most 64 characters, got {text.Length}.");
            if (!PermissionExplainer.TryParse(text, out var flag) || flag == DiscordPermissions.None)
                throw DiscordServiceException.Invalid(field, $"{field}: \"{UntrustedText.Inline(text)}\" is not a Discord permission. {Suggest(text)}");
            if ((result & flag) != 0)
                throw DiscordServiceException.Invalid(field, $"{field}: {DiscordPermissionSet.Name(flag)} is listed twice in {argument}.");
            result |= flag;
        }
        return result;
    }

    private static string Suggest(string text)
    {
        var key = text.Replace(' ', '_').Replace('-', '_').ToUpperInvariant();
        var close = Flags.Select(DiscordPermissionSet.Name)
            .Select(n => (Name: n, Distance: n.Contains(key, StringComparison.Ordinal) ? 0 : NameMatcher.Distance(key, n)))
            .Where(c => c.Distance <= Math.Max(3, key.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(5).Select(c => c.Name).ToList();
        return close.Count > 0
            ? $"Close matches: {string.Join(", ", close)}."
            : "Use Discord names such as VIEW_CHANNEL, SEND_MESSAGES, READ_MESSAGE_HISTORY, MANAGE_MESSAGES, CONNECT, SPEAK (or \"View Channel\").";
    }

    /// <summary>One role or member (<see cref="PermissionTargets"/> forms), reported under the argument's own name.</summary>
}
