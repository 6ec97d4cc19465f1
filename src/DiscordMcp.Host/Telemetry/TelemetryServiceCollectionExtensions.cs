using DiscordMcp.Discord.Client;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DiscordMcp.Host.Telemetry;

/// <summary>
/// The OpenTelemetry SDK wiring (the only place that references it): the platform's and the Discord client's sources and
/// meters, exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and, on the HTTP host, scraped at
/// <c>/metrics</c>. Without any of these nothing listens, and the instrumentation costs one field read per call.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>Every activity source the host exports.</summary>
    public static readonly string[] Sources = [PlatformTelemetry.SourceName, DiscordClientTelemetry.SourceName];

    /// <summary>Every meter the host exports.</summary>
    public static readonly string[] Meters = [PlatformTelemetry.MeterName, DiscordClientTelemetry.MeterName];

    public static IServiceCollection AddDiscordMcpTelemetry(this IServiceCollection services, IConfiguration configuration, bool http)
    {
        services.AddOptions<TelemetryOptions>().Configure(o => Copy(TelemetryOptions.Read(configuration), o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        var options = TelemetryOptions.Read(configuration);
        // An invalid setting is reported by validation at start (exit code 2); never half-configure an exporter from it.
        if (options.Disabled || TelemetryOptionsValidator.Check(options).Count > 0)
            return services;
        var otlp = options.OtlpConfigured ? options.EndpointUri : null;
        var prometheus = http && options.PrometheusEnabled;
        if (otlp is null && !prometheus)
            return services;

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.EffectiveServiceName, serviceVersion: HostVersion.Current));
        builder.WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters);
            if (otlp is not null)
                metrics.AddOtlpExporter(o => Configure(o, options, otlp, "v1/metrics"));
            if (prometheus)
                metrics.AddPrometheusExporter();
        });
        if (otlp is not null)
        {
            // Traces only go somewhere with OTLP: without it, no span is even created.
            builder.WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddOtlpExporter(o => Configure(o, options, otlp, "v1/traces")));
            services.AddHostedService<OtlpReachabilityCheck>();
        }
        services.AddSingleton(new TelemetryEndpoints(prometheus));
        return services;
    }

    /// <summary>Maps <c>/metrics</c> when the Prometheus exporter is on (unauthenticated, like <c>/health</c>: see docs/observability.md).</summary>
    public static void MapDiscordMcpMetrics(this WebApplication app)
    {
        if (app.Services.GetService<TelemetryEndpoints>() is { Prometheus: true })
            app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        var protocol = options.EffectiveProtocol == TelemetryOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        exporter.Protocol = protocol;
        // http/protobuf posts each signal to its own path under the base URL; gRPC uses the base URL itself.
        exporter.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
        if (!string.IsNullOrEmpty(options.OtlpHeaders))
            exporter.Headers = options.OtlpHeaders;
        // Bounded: a collector that does not answer costs at most this per batch, on the exporter's thread, never a tool call's.
        exporter.TimeoutMilliseconds = 5_000;
    }

    private static void Copy(TelemetryOptions from, TelemetryOptions to)
    {
        to.Disabled = from.Disabled;
        to.OtlpEndpoint = from.OtlpEndpoint;
        to.OtlpProtocol = from.OtlpProtocol;
        to.OtlpHeaders = from.OtlpHeaders;
        to.ServiceName = from.ServiceName;
        to.PrometheusEnabled = from.PrometheusEnabled;
        to.LogFormat = from.LogFormat;
    }
}

/// <summary>What the telemetry composition turned on (for the HTTP pipeline).</summary>
internal sealed record TelemetryEndpoints(bool Prometheus);
