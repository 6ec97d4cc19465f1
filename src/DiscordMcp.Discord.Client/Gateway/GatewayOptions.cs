using Microsoft.Extensions.Options;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>Settings of one gateway connection (one shard). ToString never shows the token.</summary>
public sealed class GatewayOptions
{
    public const int MinLargeThreshold = 50;
    public const int MaxLargeThreshold = 250;
    public const int MinDispatchQueueCapacity = 16;

    /// <summary>Bot token (without the <c>Bot </c> prefix). Never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>Intents sent in IDENTIFY. Defaults to <see cref="GatewayIntentSets.Default"/> (no privileged intents).</summary>
    public GatewayIntents Intents { get; set; } = GatewayIntentSets.Default;

    public int ShardId { get; set; }

    public int ShardCount { get; set; } = 1;

    /// <summary>Member count above which a guild is "large" and its offline members are not sent (50–250).</summary>
    public int LargeThreshold { get; set; } = MaxLargeThreshold;

    /// <summary>IDENTIFY <c>properties.os</c>.</summary>
    public string Os { get; set; } = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";

    /// <summary>IDENTIFY <c>properties.browser</c>.</summary>
    public string Browser { get; set; } = "DiscordMCP";

    /// <summary>IDENTIFY <c>properties.device</c>.</summary>
    public string Device { get; set; } = "DiscordMCP";

    /// <summary>Optional initial presence sent in IDENTIFY.</summary>
    public GatewayPresence? Presence { get; set; }

    /// <summary>Payload compression; only <c>false</c> is supported (the transport speaks plain JSON text).</summary>
    public bool Compress { get; set; }

    /// <summary>Dispatches buffered for consumers before the receive loop waits (back-pressure).</summary>
    public int DispatchQueueCapacity { get; set; } = 65_536;

    /// <summary>Longest wait for the identify budget (<c>session_start_limit.reset_after</c>) before giving up.</summary>
    public TimeSpan MaxSessionStartWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First delay of the reconnect back-off after a failed connection attempt.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the reconnect back-off.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Every problem with these options, each naming the option and the limit. Never contains the token.</summary>
    public IReadOnlyList<string> GetValidationErrors()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Token))
            errors.Add("Gateway option Token is required (the bot token from the developer portal).");
        else if (Token.Any(char.IsWhiteSpace))
            errors.Add("Gateway option Token must not contain whitespace (give the bare token, without the \"Bot \" prefix).");
        if (Intents.UnknownBits() != 0)
            errors.Add($"Gateway option Intents contains undefined bits 0x{(ulong)Intents.UnknownBits():X}; Discord would close with 4013.");
        if (ShardCount < 1)
            errors.Add($"Gateway option ShardCount must be at least 1 (was {ShardCount}).");
        if (ShardId < 0 || ShardId >= Math.Max(ShardCount, 1))
            errors.Add($"Gateway option ShardId must be in 0..ShardCount-1 ({Math.Max(ShardCount, 1) - 1}) (was {ShardId}).");
        if (LargeThreshold is < MinLargeThreshold or > MaxLargeThreshold)
            errors.Add($"Gateway option LargeThreshold must be between {MinLargeThreshold} and {MaxLargeThreshold} (was {LargeThreshold}).");
        if (string.IsNullOrWhiteSpace(Os) || string.IsNullOrWhiteSpace(Browser) || string.IsNullOrWhiteSpace(Device))
            errors.Add("Gateway options Os, Browser and Device must not be empty.");
        if (Compress)
            errors.Add("Gateway option Compress must be false: payload compression is not supported.");
        if (DispatchQueueCapacity < MinDispatchQueueCapacity)
            errors.Add($"Gateway option DispatchQueueCapacity must be at least {MinDispatchQueueCapacity} (was {DispatchQueueCapacity}).");
        if (MaxSessionStartWait < TimeSpan.Zero)
            errors.Add("Gateway option MaxSessionStartWait must not be negative.");
        if (ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
            errors.Add("Gateway options ReconnectBaseDelay must be positive and ReconnectMaxDelay at least ReconnectBaseDelay.");
        if (Presence is { Status: var status } && status is not ("online" or "dnd" or "idle" or "invisible" or "offline"))
            errors.Add($"Gateway option Presence.Status must be one of online, dnd, idle, invisible, offline (was \"{status}\").");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = GetValidationErrors();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join(" ", errors), nameof(GatewayOptions));
    }
}

/// <summary>Initial presence (IDENTIFY <c>presence</c>).</summary>
/// <param name="Status">online, dnd, idle, invisible or offline.</param>
/// <param name="ActivityName">Optional activity text.</param>
/// <param name="ActivityType">0 Playing, 1 Streaming, 2 Listening, 3 Watching, 4 Custom, 5 Competing.</param>
public sealed record GatewayPresence(string Status = "online", string? ActivityName = null, int ActivityType = 4);

/// <summary>Validates <see cref="GatewayOptions"/> at start when bound through the options system.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.GetValidationErrors();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
