using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace DiscordMcp.Testing;

/// <summary>Hooks a test host into the secret scan: its log lines (Debug and up) and every MCP message the server sends.</summary>
public static class SecretScanCapture
{
    /// <summary>Adds the capture to a host's services; does nothing when the scan is off.</summary>
    public static IServiceCollection AddSecretScanCapture(this IServiceCollection services, string source)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (SecretScan.Sink is not { } sink)
            return services;
        services.AddLogging(b => b.AddProvider(new SecretScanLoggerProvider(source, sink)).AddFilter<SecretScanLoggerProvider>(null, LogLevel.Debug));
        services.Configure<McpServerOptions>(o => o.Filters.Message.OutgoingFilters.Add(next => async (context, cancellationToken) =>
        {
            SecretScan.RecordJson(source + " mcp-out", context.JsonRpcMessage);
            await next(context, cancellationToken);
        }));
        return services;
    }
}
