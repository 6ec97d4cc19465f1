using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Mcp.Writes;

namespace DiscordMcp.Mcp.Tools.Threads;

/// <summary>What the thread tools share: argument checks, loading a thread of the authorised guild, wording.</summary>
internal static class ThreadText
{
    /// <summary>The thread name (1–100 characters).</summary>
    public static string Name(string? name, string argument = "name") =>
        WriteText.Required(name, argument, DiscordLimits.ThreadNameMin, DiscordLimits.ThreadNameMax);

    /// <summary>An auto-archive duration in minutes, one of Discord's fixed values (<c>null</c> stays <c>null</c>).</summary>
    public static int? AutoArchive(int? minutes, string argument = "auto_archive_minutes")
    {
        if (minutes is { } m && !DiscordLimits.ThreadAutoArchiveDurations.Contains(m))
            throw DiscordServiceException.Invalid(argument,
                $"{argument} must be one of {string.Join(", ", DiscordLimits.ThreadAutoArchiveDurations)} minutes (1 hour, 1 day, 3 days, 1 week), got {m}.");
        return minutes;
    }

    /// <summary>"1 hour", "1 day", "3 days", "1 week".</summary>
    public static string Duration(int minutes) => minutes switch
    {
        60 => "1 hour",
        1440 => "1 day",
        4320 => "3 days",
        10080 => "1 week",
        _ => minutes.ToString(CultureInfo.InvariantCulture) + " minutes",
    };

    /// <summary>"\"Release 1.4\"" (sanitized).</summary>
    public static string Quoted(string? name) => "\"" + UntrustedText.Inline(name) + "\"";

    public static bool IsThread(ChannelType type) =>
        type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread;

    public static string KindWord(ChannelType type) => type switch
    {
        ChannelType.PrivateThread => "private thread",
        ChannelType.AnnouncementThread => "announcement thread",
        _ => "thread",
    };

    /// <summary>"public thread", "private thread" or "announcement thread".</summary>
    public static string Label(ChannelType type) => type == ChannelType.PublicThread ? "public thread" : KindWord(type);

    /// <summary>
    /// A thread given as an id or <c>&lt;#id&gt;</c>. Threads are not in the guild's channel list, so the thread is read by id
    /// and must belong to the authorised guild; anything else is "not found" (never a hint about another guild's thread).
    /// </summary>
    public static async Task<DiscordChannel> LoadAsync(DiscordReadService discord, DiscordReadService.GuildContext ctx, string? thread, string argument, CancellationToken cancellationToken)
    {
        var text = (thread ?? "").Trim();
        if (text.StartsWith("<#", StringComparison.Ordinal) && text.EndsWith('>'))
            text = text[2..^1];
        if (text.Length == 0 || !Snowflake.TryParse(text, out var id))
            throw DiscordServiceException.Invalid(argument,
                $"{argument} must be a thread id or a <#id> mention (threads are not looked up by name; discord_list_active_threads lists them), got \"{UntrustedText.Inline(text.Length > 32 ? text[..32] + "…" : text)}\".");
        DiscordChannel channel;
        try
        {
            channel = await DiscordReadService.CallAsync(() => discord.Client.GetChannelAsync(id, cancellationToken), $"read the thread {id}");
        }
        catch (DiscordServiceException e) when (e.Kind is DiscordErrorKind.NotFound or DiscordErrorKind.Forbidden)
        {
            throw NotFound(argument, id, e);
        }
        if (channel.GuildId != ctx.Guild.Id)
            throw NotFound(argument, id, null);
        if (!IsThread(channel.Type))
            throw DiscordServiceException.Invalid(argument,
                $"{argument}: {WriteText.Channel(channel)} is a {DiscordReadService.TypeName(channel.Type)} channel, not a thread (discord_edit_channel changes channels).");
        return channel;
    }

    private static DiscordServiceException NotFound(string argument, Snowflake id, Exception? inner) =>
        new(DiscordErrorKind.NotFound, $"{argument}: no thread with id {id} in this guild.", argument, inner);

    /// <summary>The parent channel's label, e.g. "#general" (or "channel 123" when the bot cannot see it).</summary>
    public static string Parent(DiscordReadService.GuildContext ctx, Snowflake? parentId) =>
        parentId is { } p && ctx.Channels.FirstOrDefault(c => c.Id == p) is { } parent ? WriteText.Channel(parent) : parentId is { } q ? $"channel {q}" : "(no parent)";
}
