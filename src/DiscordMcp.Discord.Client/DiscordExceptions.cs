using System.Net;

namespace DiscordMcp.Discord.Client;

/// <summary>Base of every error the Discord client raises. Messages never contain the bot token or webhook tokens.</summary>
public abstract class DiscordException : Exception
{
    protected DiscordException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>One leaf of Discord's nested <c>errors</c> object (code 50035), flattened: <c>permission_overwrites.0.allow</c>.</summary>
public sealed record DiscordFieldError(string Path, string Code, string Message);

/// <summary>Discord answered with a JSON error (4xx other than 429, or 5xx after retries).</summary>
public sealed class DiscordHttpException : DiscordException
{
    public DiscordHttpException(HttpStatusCode status, int code, string discordMessage, IReadOnlyList<DiscordFieldError> fieldErrors, string routeKey)
        : base(Format(status, code, discordMessage, fieldErrors, routeKey))
    {
        StatusCode = status;
        Code = code;
        DiscordMessage = discordMessage;
        FieldErrors = fieldErrors;
        RouteKey = routeKey;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code (e.g. 50013 Missing Permissions); 0 when the body carried none.</summary>
    public int Code { get; }

    public string DiscordMessage { get; }

    public IReadOnlyList<DiscordFieldError> FieldErrors { get; }

    /// <summary>Method and route template; contains no ids or tokens.</summary>
    public string RouteKey { get; }

    private static string Format(HttpStatusCode status, int code, string message, IReadOnlyList<DiscordFieldError> errors, string routeKey)
    {
        var head = $"Discord returned {(int)status} {status} for {routeKey}: {message}" + (code != 0 ? $" (code {code})" : "");
        return errors.Count == 0 ? head : head + ": " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"));
    }
}

/// <summary>Which limit a 429 or a pre-emptive wait came from.</summary>
public enum RateLimitScope
{
    /// <summary>Our own per-route bucket.</summary>
    Bucket,
    /// <summary>The bot-wide global limit.</summary>
    Global,
    /// <summary>A per-resource limit shared with others; does not count against our invalid-request budget.</summary>
    Shared,
}

/// <summary>The wait needed exceeds the configured maximum: the caller gets this instead of stalling.</summary>
public sealed class DiscordRateLimitedException : DiscordException
{
    public DiscordRateLimitedException(TimeSpan retryAfter, RateLimitScope scope, string routeKey)
        : base($"Rate limited by Discord ({scope.ToString().ToLowerInvariant()} limit on {routeKey}); retry after {retryAfter.TotalSeconds:0.###} s.")
    {
        RetryAfter = retryAfter;
        Scope = scope;
        RouteKey = routeKey;
    }

    public TimeSpan RetryAfter { get; }

    public RateLimitScope Scope { get; }

    public string RouteKey { get; }
}

/// <summary>Discord (or something in between) returned a body we could not understand, or the connection failed after retries.</summary>
public sealed class DiscordProtocolException : DiscordException
{
    public DiscordProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A request was refused before it was sent, because an argument breaks a documented Discord limit.</summary>
public sealed class DiscordValidationException : DiscordException
{
    public DiscordValidationException(string field, string message) : base(message) => Field = field;

    /// <summary>The request field at fault, e.g. <c>content</c> or <c>embeds[0].title</c>.</summary>
    public string Field { get; }
}
