using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Discord.Client.Rest;

/// <summary>Settings of the Discord REST client. The bot token is never shown by <see cref="ToString"/>.</summary>
public sealed class DiscordClientOptions
{
    /// <summary>Discord's own REST API, version 10.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://discord.com/api/v10/");

    /// <summary>Discord counts at most 10,000 invalid requests per 10 minutes before a temporary IP ban.</summary>
    public const int DiscordInvalidRequestLimit = 10_000;

    /// <summary>Absolute http(s) URL of the REST API, with or without a trailing slash (the sandbox serves <c>…/api/v10</c>).</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>Bot token, sent as <c>Authorization: Bot &lt;token&gt;</c>. A leading <c>Bot </c> is tolerated.</summary>
    public string? Token { get; set; }

    /// <summary>Discord requires the form <c>DiscordBot ($url, $version)</c>.</summary>
    public string UserAgent { get; set; } = "DiscordBot (https://github.com/discordmcp/discordmcp, 0.1.0)";

    /// <summary>Requests per second allowed by the bot-wide global limit (Discord: 50).</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Longest wait for a rate limit before the call fails with <see cref="DiscordRateLimitedException"/>.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 5xx, a time-out or a connection failure (idempotent requests only).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; it doubles on each retry and is jittered down to half.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time-out of one attempt (send and read the body); <see cref="Timeout.InfiniteTimeSpan"/> disables it.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra wait after a bucket's reset time, against clock granularity on Discord's side.</summary>
    public TimeSpan PreemptiveResetMargin { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Number of 401/403/429 responses within 10 minutes at which a warning is logged.</summary>
    public int InvalidRequestWarningThreshold { get; set; } = 8_000;

    /// <summary>Consecutive 429 responses one call tolerates before it gives up with <see cref="DiscordRateLimitedException"/>.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Every problem with these settings, each naming the option; empty when valid. Never contains the token.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(BaseUrl)} must be an absolute http or https URL.");
        else if (!string.IsNullOrEmpty(BaseUrl.Query) || !string.IsNullOrEmpty(BaseUrl.Fragment))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(BaseUrl)} must not have a query string or fragment.");
        if (Token is not null)
        {
            var bare = BareToken(Token);
            if (bare.Length == 0)
                errors.Add($"{nameof(DiscordClientOptions)}.{nameof(Token)} must not be empty when set.");
            else if (ContainsWhitespaceOrControl(bare))
                errors.Add($"{nameof(DiscordClientOptions)}.{nameof(Token)} must not contain spaces, line breaks or control characters.");
        }
        if (string.IsNullOrWhiteSpace(UserAgent) || !UserAgent.StartsWith("DiscordBot (", StringComparison.Ordinal) || !UserAgent.EndsWith(')')
            || UserAgent.Contains('\r', StringComparison.Ordinal) || UserAgent.Contains('\n', StringComparison.Ordinal))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(UserAgent)} must have the form 'DiscordBot (url, version)'.");
        if (GlobalRequestsPerSecond is < 1 or > 1_000_000)
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(GlobalRequestsPerSecond)} must be between 1 and 1000000.");
        if (MaxRateLimitWait < TimeSpan.Zero || MaxRateLimitWait > TimeSpan.FromHours(1))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(MaxRateLimitWait)} must be between 0 and 1 hour.");
        if (MaxRetries is < 0 or > 10)
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(MaxRetries)} must be between 0 and 10.");
        if (RetryBaseDelay < TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(RetryBaseDelay)} must be between 0 and 1 minute.");
        if (RequestTimeout != Timeout.InfiniteTimeSpan && (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10)))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(RequestTimeout)} must be above 0 and at most 10 minutes, or infinite.");
        if (PreemptiveResetMargin < TimeSpan.Zero || PreemptiveResetMargin > TimeSpan.FromSeconds(5))
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(PreemptiveResetMargin)} must be between 0 and 5 seconds.");
        if (InvalidRequestWarningThreshold is < 1 or > DiscordInvalidRequestLimit)
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(InvalidRequestWarningThreshold)} must be between 1 and {DiscordInvalidRequestLimit}.");
        if (MaxRateLimitRetries is < 0 or > 100)
            errors.Add($"{nameof(DiscordClientOptions)}.{nameof(MaxRateLimitRetries)} must be between 0 and 100.");
        return errors;
    }

    /// <summary>Settings for diagnostics; the token shows only whether it is set.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{nameof(DiscordClientOptions)} {{ {nameof(BaseUrl)} = {BaseUrl}, ");
        text.Append(CultureInfo.InvariantCulture, $"{nameof(Token)} = {(Token is null ? "(not set)" : "(set, redacted)")}, ");
        text.Append(CultureInfo.InvariantCulture, $"{nameof(UserAgent)} = {UserAgent}, {nameof(GlobalRequestsPerSecond)} = {GlobalRequestsPerSecond}, ");
        text.Append(CultureInfo.InvariantCulture, $"{nameof(MaxRateLimitWait)} = {MaxRateLimitWait}, {nameof(MaxRetries)} = {MaxRetries} }}");
        return text.ToString();
    }

    internal static string BareToken(string token)
    {
        var trimmed = token.Trim();
        return trimmed.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? trimmed[4..].Trim() : trimmed;
    }

    private static bool ContainsWhitespaceOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return true;
        }
        return false;
    }
}

/// <summary>Runs <see cref="DiscordClientOptions.Validate"/> when options are resolved from DI (with <c>ValidateOnStart</c>).</summary>
internal sealed class DiscordClientOptionsValidator : IValidateOptions<DiscordClientOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
