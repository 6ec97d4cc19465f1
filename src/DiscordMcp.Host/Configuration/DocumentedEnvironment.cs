using System.Text.Json;

namespace DiscordMcp.Host.Configuration;

/// <summary>One documented environment variable and the configuration key it sets.</summary>
internal sealed record EnvironmentVariable(string Name, string ConfigurationKey, bool Secret, string Description);

/// <summary>A documented environment variable holds a value that cannot be used; the message says what to fix.</summary>
internal sealed class HostConfigurationException(string message) : Exception(message);

/// <summary>
/// Maps the documented variable names (<c>DISCORD_BOT_TOKEN</c>, <c>ALLOWED_GUILD_IDS</c>, …) onto configuration keys,
/// so they bind to the same options as <c>appsettings.json</c> (which uses the keys) and <c>Discord__Token</c>-style variables.
/// </summary>
internal static class DocumentedEnvironment
{
    public static IReadOnlyList<EnvironmentVariable> Variables { get; } =
    [
        new("DISCORD_BOT_TOKEN", "Discord:Token", true, "Bot token from the Discord developer portal (Bot → Reset Token)."),
        new("DISCORD_CLIENT_ID", "Discord:ClientId", false, "Application id, used for the invite URL and slash commands."),
        new("DISCORD_CLIENT_SECRET", "Discord:ClientSecret", true, "OAuth2 client secret (only for the platform's sign-in)."),
        new("ALLOWED_GUILD_IDS", "Discord:AllowedGuildIds", false, "Guild ids the server may act in: comma-separated or a JSON list; empty = every guild the bot is in."),
        new("ENABLE_GATEWAY", "Discord:EnableGateway", false, "Connect to the Discord gateway (events, the agent): true or false."),
        new("GATEWAY_SHARD_COUNT", "Discord:GatewayShardCount", false, "Gateway shards (1–1024, default 1). Several processes sharing Redis each connect the shards whose lease they hold (docs/scaling.md)."),
        new("GATEWAY_LEASE_SECONDS", "Discord:GatewayLeaseSeconds", false, "Lease of a gateway shard in seconds (2–300, default 15), renewed every third; a standby takes a dead holder's shard after it expires (docs/scaling.md)."),
        new("APPROVALS_CHANNEL_IDS", "Discord:ApprovalsChannelIds", false, "Discord approvals channels, comma-separated channel ids (one per guild): approve-mode actions are posted there with Approve / Reject buttons."),
        new("DATABASE_URL", "Storage:DatabaseUrl", true, "Database URL (sqlite:///path or postgres://…); may contain a password."),
        new("REDIS_URL", "Storage:RedisUrl", true, "Redis URL for the shared cache (redis://…); empty = in-memory."),
        new("MCP_TRANSPORT", "Server:Transport", false, "stdio or http: what `discord-mcp` runs when no command is given."),
        new("DISCORD_MCP_URLS", "Server:Urls", false, "Addresses `serve` listens on, semicolon-separated (default http://127.0.0.1:8000; --urls wins); `healthcheck` calls the first."),
        new("TOOLSETS", "Mcp:Toolsets", false, "Toolsets to offer, comma-separated (guilds, channels, messages, roles, members, audit, …); empty = all."),
        new("READ_ONLY", "Mcp:ReadOnly", false, "true hides and refuses every tool that changes Discord."),
        new("DISCORD_MCP_WORKSPACE", "Platform:LocalWorkspace", false, "Workspace of the local operator (stdio, and serve --no-auth); it must exist. Default: default."),
        new("DISCORD_MCP_ROLE", "Platform:LocalRole", false, "Role of the local operator: viewer, operator or admin (default)."),
        new("PENDING_ACTION_TTL_MINUTES", "Platform:PendingActionMinutes", false, "How long a write's confirmation id stays valid, in minutes (1–1440, default 10)."),
        new("AGENT_ENABLED", "Agent:Enabled", false, "Run the in-Discord conversational agent: true or false."),
        new("AGENT_API_KEY", "Agent:ApiKey", true, "API key of the agent's language model provider (may stay empty for a local openai-compatible server)."),
        new("AGENT_PROVIDER", "Agent:Provider", false, "The agent's model provider: openai (default), openai-compatible (Ollama, vLLM, LM Studio) or anthropic."),
        new("AGENT_MODEL", "Agent:Model", false, "The agent's model name (required when AGENT_ENABLED is true)."),
        new("AGENT_BASE_URL", "Agent:BaseUrl", false, "The provider's API base URL; required for openai-compatible (e.g. http://localhost:11434/v1)."),
        new("AGENT_MAX_TOOL_ROUNDS", "Agent:MaxToolRounds", false, "Model calls that may request tools in one turn (1–20, default 6)."),
        new("AGENT_MAX_TOKENS", "Agent:MaxTokens", false, "Output tokens per model call (64–32000, default 1024)."),
        new("AGENT_TIMEOUT_SECONDS", "Agent:TimeoutSeconds", false, "Time limit of one agent turn, in seconds (5–600, default 60)."),
        new("AGENT_USER_COOLDOWN_SECONDS", "Agent:UserCooldownSeconds", false, "Seconds a member waits between two questions (0–3600, default 5)."),
        new("AGENT_CHANNEL_CONCURRENCY", "Agent:ChannelConcurrency", false, "Questions answered at once per channel (1–20, default 2)."),
        new("AGENT_CONTEXT_MESSAGES", "Agent:ContextMessages", false, "Recent channel messages given to the model as context (0–100, default 30)."),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", "Telemetry:OtlpEndpoint", false, "OpenTelemetry collector base URL (http or https, e.g. http://localhost:4317); set = traces and metrics are exported by OTLP (docs/observability.md)."),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "Telemetry:OtlpProtocol", false, "OTLP protocol: grpc (default) or http/protobuf."),
        new("OTEL_EXPORTER_OTLP_HEADERS", "Telemetry:OtlpHeaders", true, "Headers sent with every OTLP export, key=value comma-separated (e.g. an Authorization header)."),
        new("OTEL_SERVICE_NAME", "Telemetry:ServiceName", false, "service.name of exported telemetry (default discord-mcp)."),
        new("OTEL_SDK_DISABLED", "Telemetry:Disabled", false, "true turns every telemetry export off (OTLP and /metrics)."),
        new("METRICS_ENABLED", "Telemetry:PrometheusEnabled", false, "Serve Prometheus metrics at /metrics on the HTTP host (default true; unauthenticated, no secrets or ids: docs/observability.md)."),
        new("LOG_FORMAT", "Telemetry:LogFormat", false, "Console log format: text (default) or json (one JSON object per line; stderr for stdio). Logs are redacted either way."),
    ];

    private static readonly HashSet<string> BooleanKeys = ["Discord:EnableGateway", "Agent:Enabled", "Mcp:ReadOnly", "Telemetry:Disabled", "Telemetry:PrometheusEnabled"];

    // Whole numbers: a value that is not one is reported with the variable's name (the binder would name only the key).
    private static readonly HashSet<string> IntegerKeys =
    [
        "Discord:GatewayShardCount", "Discord:GatewayLeaseSeconds",
        "Agent:MaxToolRounds", "Agent:MaxTokens", "Agent:TimeoutSeconds", "Agent:UserCooldownSeconds", "Agent:ChannelConcurrency", "Agent:ContextMessages",
    ];

    /// <summary>The configuration values set by the documented variables present in <paramref name="environment"/>.</summary>
    /// <exception cref="HostConfigurationException">A boolean variable is neither true nor false.</exception>
    public static Dictionary<string, string?> Map(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in Variables)
        {
            if (!environment.TryGetValue(variable.Name, out var raw) || raw is null)
                continue;
            var value = raw.Trim();
            if (variable.ConfigurationKey == "Discord:AllowedGuildIds")
            {
                var ids = ParseIdList(value);
                for (var i = 0; i < ids.Count; i++)
                    values[$"{variable.ConfigurationKey}:{i}"] = ids[i];
            }
            else if (BooleanKeys.Contains(variable.ConfigurationKey))
            {
                values[variable.ConfigurationKey] = ParseBoolean(variable.Name, value);
            }
            else if (IntegerKeys.Contains(variable.ConfigurationKey) && value.Length > 0
                && !int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                throw new HostConfigurationException($"{variable.Name} must be a whole number; got '{value}'.");
            }
            else if (value.Length > 0)
            {
                values[variable.ConfigurationKey] = value;
            }
        }
        return values;
    }

    /// <summary>Comma-separated (<c>1,2</c>) or a JSON list (<c>["1","2"]</c> or <c>[1,2]</c>). Items are validated later, as options.</summary>
    internal static List<string> ParseIdList(string value)
    {
        if (value.Length == 0)
            return [];
        if (!value.StartsWith('['))
            return [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new JsonException();
            // Raw text for numbers: a 19-digit id does not survive a round trip through double.
            return [.. document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()!.Trim() : e.GetRawText())];
        }
        catch (JsonException)
        {
            throw new HostConfigurationException(
                $"ALLOWED_GUILD_IDS is not a valid JSON list; write it as [\"1213093380096131072\", \"…\"] or comma-separated (1213093380096131072,…); got '{value}'.");
        }
    }

    private static string ParseBoolean(string name, string value) => value.ToUpperInvariant() switch
    {
        "" or "0" or "FALSE" or "NO" or "OFF" => "false",
        "1" or "TRUE" or "YES" or "ON" => "true",
        _ => throw new HostConfigurationException($"{name} must be true or false (1/0, yes/no and on/off also work); got '{value}'."),
    };
}
