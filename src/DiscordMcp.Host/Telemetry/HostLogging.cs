using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Telemetry;

/// <summary>
/// The console log of both hosts: text (default) or, with <c>LOG_FORMAT=json</c>, the built-in JSON console formatter
/// (one object per line, UTC timestamps). stdio logs to stderr only (stdout is the JSON-RPC channel). Every provider is
/// wrapped by <see cref="RedactingLoggerProvider"/>, whatever the format.
/// </summary>
internal static class HostLogging
{
    public static void Configure(ILoggingBuilder logging, IConfiguration configuration, bool stdio)
    {
        ArgumentNullException.ThrowIfNull(logging);
        var options = TelemetryOptions.Read(configuration);
        if (stdio)
        {
            logging.ClearProviders();
            logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        if (options.JsonLogs)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.IncludeScopes = false;
            });
        }
    }

    /// <summary>Call last (after tests' and extensions' providers were added): wraps every provider with redaction.</summary>
    public static void Redact(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        RedactingLoggerProvider.WrapAll(logging.Services);
    }
}
