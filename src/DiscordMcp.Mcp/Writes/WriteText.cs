using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Mcp.Writes;

/// <summary>Shared argument checks and wording for the write tools' plans, so every tool names fields and limits the same way.</summary>
internal static class WriteText
{
    /// <summary>A required, trimmed text of bounded length, or an error naming the field and the limit.</summary>
    public static string Required(string? value, string argument, int min, int max)
    {
        var text = (value ?? "").Trim();
        if (text.Length < min || text.Length > max)
            throw DiscordServiceException.Invalid(argument, $"{argument} must be {min}–{max} characters, got {text.Length}.");
        return text;
    }

    /// <summary>An optional text of bounded length (<c>null</c> stays <c>null</c>).</summary>
    public static string? Optional(string? value, string argument, int max)
    {
        if (value is null)
            return null;
        if (value.Length > max)
            throw DiscordServiceException.Invalid(argument, $"{argument} must be at most {max} characters, got {value.Length}.");
        return value;
    }

    /// <summary>An optional integer in a range.</summary>
    public static int? Range(int? value, string argument, int min, int max, string? unit = null)
    {
        if (value is { } v && (v < min || v > max))
            throw DiscordServiceException.Invalid(argument, $"{argument} must be between {min} and {max}{(unit is null ? "" : " " + unit)}, got {v}.");
        return value;
    }

    /// <summary>The audit-log reason shown in Discord's own audit log (at most 512 characters).</summary>
    public static string? Reason(string? reason) => Optional(reason, "reason", DiscordLimits.AuditLogReason);

    /// <summary>"#name" for channels people type in, the plain name for voice, stage and categories.</summary>
    public static string Channel(DiscordChannel channel) => Channel(channel.Type, channel.Name);

    public static string Channel(ChannelType type, string? name) =>
        type is ChannelType.GuildVoice or ChannelType.GuildStageVoice or ChannelType.GuildCategory
            ? UntrustedText.Inline(name)
            : "#" + UntrustedText.Inline(name);

    /// <summary>"a, b and c".</summary>
    public static string And(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    public static string Id(Snowflake id) => id.ToString();

    public static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
