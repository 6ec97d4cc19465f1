using System.Globalization;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Mcp.Tools.Events;

/// <summary>
/// Times and wording of the scheduled-event tools: times are given as ISO-8601 with an explicit offset and rendered back
/// in that same offset ("Time: 14:00 GMT-3"), so the person reads the time they asked for, not UTC.
/// </summary>
internal static partial class EventText
{
    public static readonly IReadOnlyDictionary<string, ScheduledEventEntityType> Types = new Dictionary<string, ScheduledEventEntityType>(StringComparer.OrdinalIgnoreCase)
    {
        ["stage"] = ScheduledEventEntityType.StageInstance,
        ["voice"] = ScheduledEventEntityType.Voice,
        ["external"] = ScheduledEventEntityType.External,
    };

    /// <summary>An ISO-8601 date and time WITH an offset (<c>2026-11-30T14:00:00-03:00</c>, <c>…Z</c>), or an error naming the field.</summary>
    public static DateTimeOffset Parse(string? value, string argument)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid(argument, $"{argument} is required: an ISO-8601 date and time with an offset, e.g. 2026-11-30T14:00:00-03:00.");
        if (!WithOffset().IsMatch(text))
            throw DiscordServiceException.Invalid(argument,
                $"{argument} needs an offset (Z or ±hh:mm), e.g. 2026-11-30T14:00:00-03:00 for 14:00 GMT-3; got \"{UntrustedText.Inline(text)}\".");
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            throw DiscordServiceException.Invalid(argument, $"{argument} is not a valid ISO-8601 date and time: \"{UntrustedText.Inline(text)}\".");
        return parsed;
    }

    /// <summary>"GMT-3", "GMT+5:30", "GMT+0".</summary>
    public static string Zone(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return "GMT" + sign + abs.Hours.ToString(CultureInfo.InvariantCulture) + (abs.Minutes != 0 ? ":" + abs.Minutes.ToString("00", CultureInfo.InvariantCulture) : "");
    }

    /// <summary>"Monday 2026-11-30".</summary>
    public static string Date(DateTimeOffset at) => at.ToString("dddd yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"14:00 GMT-3".</summary>
    public static string Clock(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture) + " " + Zone(at.Offset);

    /// <summary>"Monday 2026-11-30 at 14:00 GMT-3".</summary>
    public static string When(DateTimeOffset at) => Date(at) + " at " + Clock(at);

    /// <summary>UTC ISO form for ids and structured output.</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string TypeName(ScheduledEventEntityType type) => type switch
    {
        ScheduledEventEntityType.StageInstance => "stage",
        ScheduledEventEntityType.Voice => "voice",
        ScheduledEventEntityType.External => "external",
        _ => ((int)type).ToString(CultureInfo.InvariantCulture),
    };

    public static string StatusName(ScheduledEventStatus status) => status switch
    {
        ScheduledEventStatus.Scheduled => "scheduled",
        ScheduledEventStatus.Active => "active",
        ScheduledEventStatus.Completed => "completed",
        ScheduledEventStatus.Canceled => "canceled",
        _ => ((int)status).ToString(CultureInfo.InvariantCulture),
    };

    public static string Name(GuildScheduledEvent ev) => "\"" + UntrustedText.Inline(ev.Name) + "\"";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex WithOffset();
}

/// <summary>Finds a guild's scheduled event by id or exact name (fresh from Discord, so drift is seen).</summary>
internal static class EventLookup
{
    public static async Task<GuildScheduledEvent> FindAsync(DiscordReadService discord, Snowflake guildId, string? @event, CancellationToken cancellationToken)
    {
        var text = (@event ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid("event", "event is required: the event's id or exact name.");
        var events = await DiscordReadService.CallAsync(() => discord.Client.GetScheduledEventsAsync(guildId, cancellationToken: cancellationToken), "list the guild's scheduled events");
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return events.FirstOrDefault(e => e.Id.Value == id)
                ?? throw new DiscordServiceException(DiscordErrorKind.NotFound, $"event: no scheduled event with id {id} in this guild.", "event");
        }
        var matches = events.Where(e => string.Equals(e.Name, text, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new DiscordServiceException(DiscordErrorKind.NotFound,
                $"event: no scheduled event named \"{UntrustedText.Inline(text)}\" in this guild; list them with discord_list_scheduled_events.", "event"),
            _ => throw new DiscordServiceException(DiscordErrorKind.Ambiguous,
                $"event: {matches.Count} events are named \"{UntrustedText.Inline(text)}\"; give the id ({string.Join(", ", matches.Select(m => m.Id.ToString()))}).", "event"),
        };
    }
}
