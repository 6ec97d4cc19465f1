using System.Globalization;
using DiscordMcp.Discord.Client;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Configuration;

/// <summary>Discord settings of the host (section <c>Discord</c>; the REST client binds its own keys from the same section).</summary>
internal sealed class DiscordHostOptions
{
    public const string Section = "Discord";

    /// <summary><c>DISCORD_BOT_TOKEN</c>. Secret.</summary>
    public string? Token { get; set; }

    /// <summary><c>DISCORD_CLIENT_ID</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary><c>DISCORD_CLIENT_SECRET</c>. Secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary><c>ALLOWED_GUILD_IDS</c>; empty allows every guild the bot is in.</summary>
    public List<string> AllowedGuildIds { get; set; } = [];

    /// <summary><c>ENABLE_GATEWAY</c>.</summary>
    public bool EnableGateway { get; set; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"Discord {{ Token = {Redacted(Token)}, ClientId = {ClientId ?? "(not set)"}, ClientSecret = {Redacted(ClientSecret)}, AllowedGuildIds = [{string.Join(", ", AllowedGuildIds)}], EnableGateway = {EnableGateway} }}");

    internal static string Redacted(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "(set, redacted)";
}

/// <summary>Storage settings (section <c>Storage</c>). Used from the platform issue on; today only validated.</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>DATABASE_URL</c>. May hold a password: never shown.</summary>
    public string? DatabaseUrl { get; set; }

    /// <summary><c>REDIS_URL</c>. May hold a password: never shown.</summary>
    public string? RedisUrl { get; set; }

    public override string ToString() =>
        $"Storage {{ DatabaseUrl = {DiscordHostOptions.Redacted(DatabaseUrl)}, RedisUrl = {DiscordHostOptions.Redacted(RedisUrl)} }}";
}

/// <summary>The in-Discord agent (section <c>Agent</c>): provider, model, key and limits (validated at start).</summary>
internal sealed class AgentOptions
{
    public const string Section = "Agent";
    public const int MaxToolRoundsLimit = 20;
    public const int MinMaxTokens = 64;
    public const int MaxTokensLimit = 32_000;
    public const int MinTimeoutSeconds = 5;
    public const int MaxTimeoutSeconds = 600;
    public const int MaxCooldownSeconds = 3600;
    public const int MaxChannelConcurrency = 20;
    public const int MaxContextMessages = 100;

    /// <summary><c>AGENT_ENABLED</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>AGENT_PROVIDER</c>: openai (default), openai-compatible or anthropic.</summary>
    public string Provider { get; set; } = "openai";

    /// <summary><c>AGENT_MODEL</c>.</summary>
    public string? Model { get; set; }

    /// <summary><c>AGENT_BASE_URL</c>: the provider's API base URL (required for openai-compatible).</summary>
    public string? BaseUrl { get; set; }

    /// <summary><c>AGENT_API_KEY</c>. Secret.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>AGENT_MAX_TOOL_ROUNDS</c> (1–20, default 6).</summary>
    public int MaxToolRounds { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultMaxToolRounds;

    /// <summary><c>AGENT_MAX_TOKENS</c>: output tokens per model call (64–32000, default 1024).</summary>
    public int MaxTokens { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultMaxOutputTokens;

    /// <summary><c>AGENT_TIMEOUT_SECONDS</c>: time limit of a turn (5–600, default 60).</summary>
    public int TimeoutSeconds { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultTimeoutSeconds;

    /// <summary><c>AGENT_USER_COOLDOWN_SECONDS</c> (0–3600, default 5).</summary>
    public int UserCooldownSeconds { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultUserCooldownSeconds;

    /// <summary><c>AGENT_CHANNEL_CONCURRENCY</c> (1–20, default 2).</summary>
    public int ChannelConcurrency { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultChannelConcurrency;

    /// <summary><c>AGENT_CONTEXT_MESSAGES</c> (0–100, default 30).</summary>
    public int ContextMessages { get; set; } = DiscordMcp.Agent.AgentSettings.DefaultContextMessages;

    /// <summary>The parsed <see cref="Provider"/>, or null when it is not one of the names.</summary>
    internal static DiscordMcp.Agent.AgentProvider? ParseProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "OPENAI" => DiscordMcp.Agent.AgentProvider.OpenAI,
        "OPENAI-COMPATIBLE" => DiscordMcp.Agent.AgentProvider.OpenAICompatible,
        "ANTHROPIC" => DiscordMcp.Agent.AgentProvider.Anthropic,
        _ => null,
    };

    /// <summary>The agent's settings; call after validation.</summary>
    public DiscordMcp.Agent.AgentSettings ToSettings() => new()
    {
        Provider = ParseProvider(Provider) ?? throw new InvalidOperationException("Agent:Provider was not validated."),
        Model = Model?.Trim() ?? "",
        BaseUrl = string.IsNullOrWhiteSpace(BaseUrl) ? null : new Uri(BaseUrl.Trim()),
        ApiKey = ApiKey,
        MaxToolRounds = MaxToolRounds,
        MaxOutputTokens = MaxTokens,
        Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
        UserCooldown = TimeSpan.FromSeconds(UserCooldownSeconds),
        ChannelConcurrency = ChannelConcurrency,
        ContextMessages = ContextMessages,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Agent {{ Enabled = {Enabled}, Provider = {Provider}, Model = {Model ?? "(not set)"}, BaseUrl = {(string.IsNullOrWhiteSpace(BaseUrl) ? "(default)" : "(set)")}, ApiKey = {DiscordHostOptions.Redacted(ApiKey)}, MaxToolRounds = {MaxToolRounds}, MaxTokens = {MaxTokens}, TimeoutSeconds = {TimeoutSeconds}, UserCooldownSeconds = {UserCooldownSeconds}, ChannelConcurrency = {ChannelConcurrency}, ContextMessages = {ContextMessages} }}");
}

/// <summary>Transport and HTTP hardening (section <c>Server</c>).</summary>
internal sealed class ServerOptions
{
    public const string Section = "Server";
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;
    public const long MinRequestBodyBytes = 1024;
    public const long MaxRequestBodyBytesLimit = 100L * 1024 * 1024;

    /// <summary><c>MCP_TRANSPORT</c>: <c>stdio</c> or <c>http</c>, used when no command is given.</summary>
    public string? Transport { get; set; }

    /// <summary>Largest request body accepted on HTTP; bigger requests get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Browser origins allowed to call the server (<c>https://app.example</c>). Empty: loopback origins only.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>
/// The platform as the host configures it (section <c>Platform</c>): who the local operator is (stdio, and HTTP with
/// <c>--no-auth</c>). The workspace must exist when the host starts; the role can narrow the operator to viewer or operator.
/// </summary>
internal sealed class PlatformOptions
{
    public const string Section = "Platform";
    public const string DefaultWorkspace = "default";

    /// <summary><c>DISCORD_MCP_WORKSPACE</c>: the workspace the local operator acts in.</summary>
    public string LocalWorkspace { get; set; } = DefaultWorkspace;

    /// <summary><c>DISCORD_MCP_ROLE</c>: viewer, operator or admin (default).</summary>
    public string LocalRole { get; set; } = "admin";

    /// <summary><c>PENDING_ACTION_TTL_MINUTES</c>: how long a confirmation id stays valid (1–1440, default 10).</summary>
    public int PendingActionMinutes { get; set; } = 10;

    public const int MaxPendingActionMinutes = 1440;

    /// <summary>The parsed <see cref="LocalRole"/>; call after validation.</summary>
    public Policy.Model.PlatformRole Role => ParseRole(LocalRole) ?? throw new InvalidOperationException("Platform:LocalRole was not validated.");

    internal static Policy.Model.PlatformRole? ParseRole(string? value) => Hosting.PlatformRoleNames.Parse(value);
}

/// <summary>Checks every host option at start; each message names the variable (and key) and what to write instead.</summary>
internal sealed class HostOptionsValidator(bool requireToken) :
    IValidateOptions<DiscordHostOptions>, IValidateOptions<StorageOptions>, IValidateOptions<AgentOptions>, IValidateOptions<ServerOptions>,
    IValidateOptions<PlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, PlatformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Admin.AdminFormat.IsWorkspaceId(options.LocalWorkspace?.Trim()))
            errors.Add($"DISCORD_MCP_WORKSPACE (Platform:LocalWorkspace) must be a workspace id ({Admin.AdminFormat.WorkspaceIdRule}); got '{options.LocalWorkspace}'.");
        if (PlatformOptions.ParseRole(options.LocalRole) is null)
            errors.Add($"DISCORD_MCP_ROLE (Platform:LocalRole) must be viewer, operator or admin; got '{options.LocalRole}'.");
        if (options.PendingActionMinutes is < 1 or > PlatformOptions.MaxPendingActionMinutes)
            errors.Add($"PENDING_ACTION_TTL_MINUTES (Platform:PendingActionMinutes) must be between 1 and {PlatformOptions.MaxPendingActionMinutes} minutes; got {options.PendingActionMinutes}.");
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, DiscordHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (requireToken && string.IsNullOrWhiteSpace(options.Token))
            errors.Add(Messages.MissingToken);
        foreach (var id in options.AllowedGuildIds)
        {
            if (!Snowflake.TryParse(id, out _))
                errors.Add($"ALLOWED_GUILD_IDS (Discord:AllowedGuildIds) must be Discord ids (numbers such as 1213093380096131072), comma-separated or a JSON list; got '{id}'.");
        }
        if (!string.IsNullOrWhiteSpace(options.ClientId) && !Snowflake.TryParse(options.ClientId.Trim(), out _))
            errors.Add($"DISCORD_CLIENT_ID (Discord:ClientId) must be the application id from the developer portal (a number such as 1300000000000000001); got '{options.ClientId}'.");
        if (options.ClientSecret is { } secret && secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            errors.Add("DISCORD_CLIENT_SECRET (Discord:ClientSecret) must not contain spaces or line breaks; copy it again from the developer portal (OAuth2 → Client Secret).");
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        // The values may hold passwords, so the messages show at most the scheme.
        if (!string.IsNullOrWhiteSpace(options.DatabaseUrl) && !IsUrl(options.DatabaseUrl, ["sqlite", "postgres", "postgresql"], out var scheme))
            errors.Add($"DATABASE_URL (Storage:DatabaseUrl) must be a URL such as sqlite:///data/discord-mcp.db or postgres://user:password@host/db; got a value {Describe(scheme)}.");
        if (!string.IsNullOrWhiteSpace(options.RedisUrl) && !IsUrl(options.RedisUrl, ["redis", "rediss"], out scheme))
            errors.Add($"REDIS_URL (Storage:RedisUrl) must be a URL such as redis://localhost:6379; got a value {Describe(scheme)}.");
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var provider = AgentOptions.ParseProvider(options.Provider);
        if (provider is null)
            errors.Add($"AGENT_PROVIDER (Agent:Provider) must be openai, openai-compatible or anthropic; got '{options.Provider}'.");
        Range(errors, "AGENT_MAX_TOOL_ROUNDS (Agent:MaxToolRounds)", options.MaxToolRounds, 1, AgentOptions.MaxToolRoundsLimit, "");
        Range(errors, "AGENT_MAX_TOKENS (Agent:MaxTokens)", options.MaxTokens, AgentOptions.MinMaxTokens, AgentOptions.MaxTokensLimit, " tokens");
        Range(errors, "AGENT_TIMEOUT_SECONDS (Agent:TimeoutSeconds)", options.TimeoutSeconds, AgentOptions.MinTimeoutSeconds, AgentOptions.MaxTimeoutSeconds, " seconds");
        Range(errors, "AGENT_USER_COOLDOWN_SECONDS (Agent:UserCooldownSeconds)", options.UserCooldownSeconds, 0, AgentOptions.MaxCooldownSeconds, " seconds");
        Range(errors, "AGENT_CHANNEL_CONCURRENCY (Agent:ChannelConcurrency)", options.ChannelConcurrency, 1, AgentOptions.MaxChannelConcurrency, "");
        Range(errors, "AGENT_CONTEXT_MESSAGES (Agent:ContextMessages)", options.ContextMessages, 0, AgentOptions.MaxContextMessages, " messages");
        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            errors.Add("AGENT_BASE_URL (Agent:BaseUrl) must be an http or https URL such as http://localhost:11434/v1; got a value that is not one.");
        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.Model))
                errors.Add("AGENT_MODEL (Agent:Model) must be set when AGENT_ENABLED is true (for example gpt-4o-mini, claude-sonnet-4-5 or llama3.1).");
            if (provider == DiscordMcp.Agent.AgentProvider.OpenAICompatible && string.IsNullOrWhiteSpace(options.BaseUrl))
                errors.Add("AGENT_BASE_URL (Agent:BaseUrl) must be set when AGENT_PROVIDER is openai-compatible (for example http://localhost:11434/v1 for Ollama).");
            // A local OpenAI-compatible server (Ollama, LM Studio) usually takes no key.
            if (provider != DiscordMcp.Agent.AgentProvider.OpenAICompatible && string.IsNullOrWhiteSpace(options.ApiKey))
                errors.Add("AGENT_API_KEY (Agent:ApiKey) must be set when AGENT_ENABLED is true; set the key or AGENT_ENABLED=false.");
        }
        return Result(errors);
    }

    private static void Range(List<string> errors, string variable, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{variable} must be between {min} and {max}{unit}; got {value}."));
    }

    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Transport) && options.Transport.Trim().ToUpperInvariant() is not ("STDIO" or "HTTP"))
            errors.Add($"MCP_TRANSPORT (Server:Transport) must be stdio or http; got '{options.Transport}'.");
        if (options.MaxRequestBodyBytes is < ServerOptions.MinRequestBodyBytes or > ServerOptions.MaxRequestBodyBytesLimit)
            errors.Add($"Server:MaxRequestBodyBytes must be between {ServerOptions.MinRequestBodyBytes} and {ServerOptions.MaxRequestBodyBytesLimit}; got {options.MaxRequestBodyBytes}.");
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query))
                errors.Add($"Server:AllowedOrigins must hold origins such as https://app.example.com (scheme, host, optional port; no path); got '{origin}'.");
        }
        return Result(errors);
    }

    private static bool IsUrl(string value, string[] schemes, out string? scheme)
    {
        scheme = null;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && value[..colon].All(char.IsAsciiLetter))
            scheme = value[..colon];
        return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
    }

    private static string Describe(string? scheme) => scheme is null ? "that is not a URL" : $"with scheme '{scheme}'";

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}

/// <summary>Texts shown to the person starting the server.</summary>
internal static class Messages
{
    public const string MissingToken =
        "No Discord bot token is configured. To run against your own Discord server, create a bot in the Discord developer " +
        "portal (https://discord.com/developers/applications → your application → Bot → Reset Token), invite it to your server, " +
        "and set DISCORD_BOT_TOKEN in the environment or in a .env file (see .env.example), or set Discord:Token in appsettings.json. " +
        "To try discord-mcp without a bot or network access, add --sandbox (for example `discord-mcp serve --sandbox`): it starts a " +
        "local Discord emulator with a demo server.";
}
