using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Telemetry;

/// <summary>
/// Telemetry settings (section <c>Telemetry</c>; docs/observability.md): OTLP export of traces and metrics, the Prometheus
/// <c>/metrics</c> endpoint of the HTTP host, and the log format. Nothing is exported unless configured.
/// </summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";
    public const string DefaultServiceName = "discord-mcp";
    public const int MaxServiceNameLength = 100;

    /// <summary><c>OTEL_SDK_DISABLED</c>: true turns every export off (OTLP and <c>/metrics</c>).</summary>
    public bool Disabled { get; set; }

    /// <summary><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: the collector's base URL (http or https); set = OTLP export on.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: grpc (default) or http/protobuf.</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary><c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>key=value,…</c> sent with every export (e.g. an auth header). Secret.</summary>
    public string? OtlpHeaders { get; set; }

    /// <summary><c>OTEL_SERVICE_NAME</c> (default discord-mcp).</summary>
    public string? ServiceName { get; set; }

    /// <summary><c>METRICS_ENABLED</c>: the HTTP host serves <c>/metrics</c> (Prometheus text). Default true.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary><c>LOG_FORMAT</c>: text (default) or json (one JSON object per line; stderr for stdio).</summary>
    public string? LogFormat { get; set; }

    public bool OtlpConfigured => !Disabled && !string.IsNullOrWhiteSpace(OtlpEndpoint);

    public bool JsonLogs => string.Equals(LogFormat?.Trim(), "json", StringComparison.OrdinalIgnoreCase);

    public string EffectiveServiceName => string.IsNullOrWhiteSpace(ServiceName) ? DefaultServiceName : ServiceName.Trim();

    public string EffectiveProtocol => string.IsNullOrWhiteSpace(OtlpProtocol) ? Grpc : OtlpProtocol.Trim().ToLowerInvariant();

    /// <summary>Reads the section without the binder's exceptions: a value that does not parse is left for validation.</summary>
    public static TelemetryOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return new TelemetryOptions
        {
            Disabled = bool.TryParse(section[nameof(Disabled)], out var disabled) && disabled,
            OtlpEndpoint = section[nameof(OtlpEndpoint)],
            OtlpProtocol = section[nameof(OtlpProtocol)],
            OtlpHeaders = section[nameof(OtlpHeaders)],
            ServiceName = section[nameof(ServiceName)],
            PrometheusEnabled = !bool.TryParse(section[nameof(PrometheusEnabled)], out var prometheus) || prometheus,
            LogFormat = section[nameof(LogFormat)],
        };
    }

    /// <summary>The endpoint as a URI, when it is a valid one (validation reports the rest).</summary>
    public Uri? EndpointUri =>
        Uri.TryCreate(OtlpEndpoint?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    public override string ToString() =>
        $"Telemetry {{ Disabled = {Disabled}, OtlpEndpoint = {(string.IsNullOrWhiteSpace(OtlpEndpoint) ? "(not set)" : "(set)")}, OtlpProtocol = {EffectiveProtocol}, OtlpHeaders = {(string.IsNullOrEmpty(OtlpHeaders) ? "(not set)" : "(set, redacted)")}, ServiceName = {EffectiveServiceName}, PrometheusEnabled = {PrometheusEnabled}, LogFormat = {LogFormat ?? "text"} }}";
}

/// <summary>Checks the telemetry settings at start; each message names the variable and what is allowed.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) => Check(options) is { Count: > 0 } errors
        ? ValidateOptionsResult.Fail(errors)
        : ValidateOptionsResult.Success;

    public static List<string> Check(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            var endpoint = options.OtlpEndpoint.Trim();
            // The value may carry credentials in its user part: the message shows at most its scheme.
            if (options.EndpointUri is not { } uri)
            {
                var colon = endpoint.IndexOf(':', StringComparison.Ordinal);
                var scheme = colon > 0 && endpoint[..colon].All(char.IsAsciiLetter) ? $"with scheme '{endpoint[..colon]}'" : "that is not an absolute URL";
                errors.Add($"OTEL_EXPORTER_OTLP_ENDPOINT (Telemetry:OtlpEndpoint) must be an absolute http or https URL such as http://localhost:4317 (grpc) or http://localhost:4318 (http/protobuf); got a value {scheme}.");
            }
            else if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                errors.Add("OTEL_EXPORTER_OTLP_ENDPOINT (Telemetry:OtlpEndpoint) must not contain a user name or password; put credentials in OTEL_EXPORTER_OTLP_HEADERS (for example Authorization=Bearer …).");
            }
            else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                errors.Add("OTEL_EXPORTER_OTLP_ENDPOINT (Telemetry:OtlpEndpoint) must not have a query or fragment; give the collector's base URL such as http://localhost:4318.");
            }
        }
        if (options.EffectiveProtocol is not (TelemetryOptions.Grpc or TelemetryOptions.HttpProtobuf))
            errors.Add($"OTEL_EXPORTER_OTLP_PROTOCOL (Telemetry:OtlpProtocol) must be grpc or http/protobuf; got '{options.OtlpProtocol}'.");
        if (!string.IsNullOrEmpty(options.OtlpHeaders) && ParseHeaders(options.OtlpHeaders) is null)
            errors.Add("OTEL_EXPORTER_OTLP_HEADERS (Telemetry:OtlpHeaders) must be comma-separated key=value pairs (for example Authorization=Bearer%20abc,x-team=ops); the value was not shown because it may hold a secret.");
        if (options.ServiceName is { } service && (service.Length > TelemetryOptions.MaxServiceNameLength || service.Any(char.IsControl)))
            errors.Add($"OTEL_SERVICE_NAME (Telemetry:ServiceName) must be at most {TelemetryOptions.MaxServiceNameLength} characters without control characters.");
        if (!string.IsNullOrWhiteSpace(options.LogFormat) && options.LogFormat.Trim().ToUpperInvariant() is not ("TEXT" or "JSON"))
            errors.Add($"LOG_FORMAT (Telemetry:LogFormat) must be text or json; got '{options.LogFormat}'.");
        return errors;
    }

    /// <summary><c>a=b,c=d</c> → pairs (values URL-decoded, as the OTLP specification says), or null when malformed.</summary>
    public static List<KeyValuePair<string, string>>? ParseHeaders(string headers)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in headers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return null;
            var key = item[..equals].Trim();
            if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return null;
            pairs.Add(new(key, Uri.UnescapeDataString(item[(equals + 1)..].Trim())));
        }
        return pairs;
    }
}
