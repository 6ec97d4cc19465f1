using System.Globalization;
using System.Net;
using DiscordMcp.Discord.Client;

namespace DiscordMcp.Discord;

/// <summary>
/// The single translation point from the client's typed errors to <see cref="DiscordServiceException"/>.
/// <paramref name="what"/> in <see cref="Translate"/> describes the operation in plain words ("read messages in #support").
/// </summary>
public static class DiscordErrors
{
    public static DiscordServiceException Translate(Exception exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            DiscordServiceException s => s,
            DiscordHttpException http => FromHttp(http, what),
            DiscordRateLimitedException rl => new DiscordServiceException(DiscordErrorKind.RateLimited,
                $"Discord rate limit reached while trying to {what}; retry after {Math.Ceiling(rl.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s.", inner: rl),
            DiscordValidationException v => new DiscordServiceException(DiscordErrorKind.InvalidArgument,
                $"Cannot {what}: {v.Message}", v.Field, v),
            DiscordProtocolException p => new DiscordServiceException(DiscordErrorKind.Unavailable,
                $"Discord could not be reached or answered unexpectedly while trying to {what}; try again later.", inner: p),
            HttpRequestException h => new DiscordServiceException(DiscordErrorKind.Unavailable,
                $"Discord could not be reached while trying to {what}; try again later.", inner: h),
            _ => throw new InvalidOperationException("Unexpected error type; only Discord errors are translated.", exception),
        };
    }

    /// <summary>True for the exceptions <see cref="Translate"/> knows.</summary>
    public static bool IsTranslatable(Exception exception) =>
        exception is DiscordServiceException or DiscordException or HttpRequestException;

    private static DiscordServiceException FromHttp(DiscordHttpException e, string what)
    {
        var (kind, text) = e.Code switch
        {
            10003 => (DiscordErrorKind.NotFound, "the channel does not exist (unknown channel)"),
            10004 => (DiscordErrorKind.NotFound, "the guild does not exist or the bot is not in it (unknown guild)"),
            10007 => (DiscordErrorKind.NotFound, "that user is not a member of the guild (unknown member)"),
            10008 => (DiscordErrorKind.NotFound, "the message does not exist (unknown message)"),
            10011 => (DiscordErrorKind.NotFound, "the role does not exist (unknown role)"),
            10013 => (DiscordErrorKind.NotFound, "the user does not exist (unknown user)"),
            10015 => (DiscordErrorKind.NotFound, "the webhook does not exist (unknown webhook)"),
            50001 => (DiscordErrorKind.Forbidden, "the bot has no access there (it cannot view the channel or guild)"),
            50007 => (DiscordErrorKind.Forbidden, "Discord does not let the bot message this user (code 50007: they share no server with the bot, or they do not accept direct messages)"),
            50013 => (DiscordErrorKind.Forbidden, "the bot lacks a required permission there; use discord_explain_permissions to see which"),
            50035 => (DiscordErrorKind.InvalidArgument, "Discord rejected the request as invalid" +
                (e.FieldErrors.Count > 0 ? ": " + string.Join("; ", e.FieldErrors.Select(f => $"{f.Path}: {f.Message}")) : "")),
            _ => e.StatusCode switch
            {
                HttpStatusCode.NotFound => (DiscordErrorKind.NotFound, "Discord says it does not exist"),
                HttpStatusCode.Forbidden => (DiscordErrorKind.Forbidden, "the bot is not allowed to do this"),
                HttpStatusCode.Unauthorized => (DiscordErrorKind.Unavailable, "the bot token was rejected by Discord; check DISCORD_BOT_TOKEN"),
                >= HttpStatusCode.InternalServerError => (DiscordErrorKind.Unavailable, "Discord had a server error; try again later"),
                _ => (DiscordErrorKind.InvalidArgument, $"Discord refused the request (HTTP {(int)e.StatusCode}, code {e.Code})"),
            },
        };
        return new DiscordServiceException(kind, $"Cannot {what}: {text}.", inner: e);
    }
}
