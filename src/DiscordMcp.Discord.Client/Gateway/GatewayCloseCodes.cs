namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>What to do after the gateway closed with a given code.</summary>
public enum GatewayCloseAction
{
    /// <summary>Reconnect to <c>resume_gateway_url</c> and RESUME.</summary>
    Resume,
    /// <summary>Start a new session: connect to the gateway URL and IDENTIFY.</summary>
    Reidentify,
    /// <summary>Do not reconnect: configuration must change first.</summary>
    Fatal,
}

/// <summary>Discord's gateway close codes and how the client reacts to them.</summary>
public static class GatewayCloseCodes
{
    public const int UnknownError = 4000;
    public const int UnknownOpcode = 4001;
    public const int DecodeError = 4002;
    public const int NotAuthenticated = 4003;
    public const int AuthenticationFailed = 4004;
    public const int AlreadyAuthenticated = 4005;
    public const int InvalidSeq = 4007;
    public const int RateLimited = 4008;
    public const int SessionTimedOut = 4009;
    public const int InvalidShard = 4010;
    public const int ShardingRequired = 4011;
    public const int InvalidApiVersion = 4012;
    public const int InvalidIntents = 4013;
    public const int DisallowedIntents = 4014;

    /// <summary>The code the client closes with when it wants to resume (anything but 1000/1001 keeps the session).</summary>
    public const int ClientResume = UnknownError;

    public static GatewayCloseAction Classify(int code) => code switch
    {
        NotAuthenticated or AlreadyAuthenticated or InvalidSeq or SessionTimedOut => GatewayCloseAction.Reidentify,
        AuthenticationFailed or InvalidShard or ShardingRequired or InvalidApiVersion or InvalidIntents or DisallowedIntents => GatewayCloseAction.Fatal,
        // 1000/1001 from the server end the session: resuming would be refused, so identify again.
        1000 or 1001 => GatewayCloseAction.Reidentify,
        // 4000, 4001, 4002, 4008 and any unlisted code (incl. 1006 dropped connections).
        _ => GatewayCloseAction.Resume,
    };

    /// <summary>A sentence an operator can act on for a fatal code; null for codes that are not fatal.</summary>
    public static string? FixFor(int code, GatewayIntents intents) => code switch
    {
        AuthenticationFailed => "Discord rejected the bot token (4004 Authentication failed). Reset the token in the developer portal (Bot page) and update the configured token.",
        InvalidShard => "Discord rejected the shard (4010 Invalid shard). Set ShardId below ShardCount and use the shard count /gateway/bot recommends.",
        ShardingRequired => "Discord requires sharding for this bot (4011 Sharding required). Run more shards: set ShardCount to the count /gateway/bot recommends.",
        InvalidApiVersion => "Discord rejected the gateway API version (4012 Invalid API version). This client speaks v10; update DiscordMCP.",
        InvalidIntents => $"Discord rejected the intents value {(ulong)intents} (4013 Invalid intents). Use only the intents Discord defines.",
        DisallowedIntents => intents.IsPrivileged()
            ? $"Discord refused a privileged intent (4014 Disallowed intents): enable the privileged intent(s) {intents.PrivilegedPart()} for this application in the developer portal (Bot page, Privileged Gateway Intents), or remove them from the configured Intents."
            : "Discord refused an intent (4014 Disallowed intents): enable the needed privileged intents in the developer portal (Bot page) or remove them from the configured Intents.",
        _ => null,
    };
}

/// <summary>The gateway client stopped for good; the message says why and how to fix it. Never contains the token.</summary>
public sealed class GatewayStoppedException : DiscordException
{
    public GatewayStoppedException(int? closeCode, string message, Exception? inner = null) : base(message, inner) => CloseCode = closeCode;

    /// <summary>The close code that stopped the client; null when it stopped for another reason (e.g. identify budget exhausted).</summary>
    public int? CloseCode { get; }
}
