using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Telemetry;

/// <summary>
/// One connection attempt to the OTLP collector in the background after start: when it fails, one warning says that
/// telemetry is being dropped (the exporter's batch processor drops what it cannot send; tool calls never wait for it).
/// </summary>
internal sealed partial class OtlpReachabilityCheck(IOptions<TelemetryOptions> options, TimeProvider time, ILogger<OtlpReachabilityCheck> logger) : BackgroundService
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.EndpointUri is not { } endpoint)
            return;
        using var timeout = new CancellationTokenSource(ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(endpoint.Host, endpoint.Port, linked.Token);
            LogExporting(logger, endpoint.Scheme, endpoint.Host, endpoint.Port, options.Value.EffectiveProtocol);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Any failure to connect means the same thing here: warn once, keep running.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogUnreachable(logger, endpoint.Scheme, endpoint.Host, endpoint.Port, ex is OperationCanceledException ? "no answer within 3 s" : ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Exporting traces and metrics by OTLP ({Protocol}) to {Scheme}://{Host}:{Port}")]
    private static partial void LogExporting(ILogger logger, string scheme, string host, int port, string protocol);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "The OTLP collector at {Scheme}://{Host}:{Port} cannot be reached ({Reason}); traces and metrics are dropped until it can. Tool calls are not affected. Check OTEL_EXPORTER_OTLP_ENDPOINT")]
    private static partial void LogUnreachable(ILogger logger, string scheme, string host, int port, string reason);
}
