namespace DiscordMcp.Sandbox;

/// <summary>How a sandbox starts. Everything has a default so <c>new SandboxOptions()</c> is a working demo.</summary>
public sealed class SandboxOptions
{
    /// <summary>The fixed demo bot token. Not a secret: the sandbox only ever runs on loopback.</summary>
    public const string DefaultBotToken = "sandbox.bot-token.DiscordMCP-Demo";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The only bot token the REST API and the gateway accept; any other gets 401 / close 4004.</summary>
    public string BotToken { get; set; } = DefaultBotToken;

    /// <summary>Seed the "DiscordMCP Demo" guild at start.</summary>
    public bool SeedDemoGuild { get; set; } = true;

    /// <summary>Clock for rate limits, timestamps, snowflakes and time-outs; tests inject a fake.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed for everything random (ids, session ids, tokens) so runs are repeatable.</summary>
    public int RandomSeed { get; set; } = 20260223;

    /// <summary>Rate limits the sandbox enforces (per route bucket and global).</summary>
    public SandboxRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Gateway HELLO heartbeat interval.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(41.25);

    /// <summary>Privileged gateway intents the application may request (GUILD_MEMBERS 1 &lt;&lt; 1, GUILD_PRESENCES 1 &lt;&lt; 8,
    /// MESSAGE_CONTENT 1 &lt;&lt; 15); IDENTIFY with any other privileged intent is closed with 4014. Default: all three.</summary>
    public int AllowedPrivilegedIntents { get; set; } = (1 << 1) | (1 << 8) | (1 << 15);

    /// <summary>How long a gateway session stays resumable after its connection dropped (not closed with 1000/1001).</summary>
    public TimeSpan GatewayResumeWindow { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The environment variable that sets <see cref="IssuedTokensFile"/> by default (the test suite's secret scan).</summary>
    public const string IssuedTokensFileVariable = "DISCORD_SANDBOX_ISSUED_TOKENS_FILE";

    /// <summary>
    /// When set, every webhook and interaction token the sandbox issues is appended to this file, one a line, so a
    /// test run can afterwards prove that none of them reached logs, audit rows or tool output. Defaults to the
    /// <c>DISCORD_SANDBOX_ISSUED_TOKENS_FILE</c> environment variable; null (nothing written) when that is unset.
    /// </summary>
    public string? IssuedTokensFile { get; set; } = Environment.GetEnvironmentVariable(IssuedTokensFileVariable) is { Length: > 0 } path ? path : null;

    /// <summary>Faults armed before the sandbox accepts its first request (e.g. a 429 storm at start); null for none.</summary>
    public Action<Pipeline.SandboxFaults>? InitialFaults { get; set; }
}

/// <summary>Limits enforced with real 429s. Defaults are Discord-like and generous enough for demos.</summary>
public sealed class SandboxRateLimitOptions
{
    /// <summary>Turn enforcement off entirely (headers are still sent).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Global requests per second per bot token.</summary>
    public int GlobalPerSecond { get; set; } = 50;

    /// <summary>Default bucket: requests per window for any route without an override.</summary>
    public int DefaultLimit { get; set; } = 5;

    /// <summary>Default bucket window.</summary>
    public TimeSpan DefaultWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-route overrides keyed by route key, e.g. <c>POST /channels/{channel_id}/messages</c>.</summary>
    public Dictionary<string, SandboxRouteLimit> Routes { get; } = new(StringComparer.Ordinal);
}

/// <summary>One route's limit: <paramref name="Limit"/> requests per <paramref name="Window"/>, per major parameter.</summary>
public sealed record SandboxRouteLimit(int Limit, TimeSpan Window);
