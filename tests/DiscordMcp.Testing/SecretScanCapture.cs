using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Testing;

/// <summary>Hooks a test host into the secret scan: its log lines (Debug and up) and every MCP message the server sends.</summary>
public static class SecretScanCapture
{
    // Minimal escaping, so a secret is recorded as the same bytes the scan searches for.
    private static readonly JsonSerializerOptions Unescaped = new(McpJsonUtilities.DefaultOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds the capture to a host's services; does nothing when the scan is off.</summary>
    public static IServiceCollection AddSecretScanCapture(this IServiceCollection services, string source)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (SecretScan.Directory is null)
            return services;
        services.AddLogging(b => b.AddProvider(new LogProvider(source)).AddFilter<LogProvider>(null, LogLevel.Debug));
        services.Configure<McpServerOptions>(o => o.Filters.Message.OutgoingFilters.Add(next => async (context, cancellationToken) =>
        {
            SecretScan.Record(source + " mcp-out", JsonSerializer.Serialize(context.JsonRpcMessage, Unescaped));
            await next(context, cancellationToken);
        }));
        return services;
    }

    private sealed class LogProvider(string source) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(source, categoryName);

        public void Dispose() { }
    }

    private sealed class Logger(string source, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            SecretScan.Record(source + " log", $"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
