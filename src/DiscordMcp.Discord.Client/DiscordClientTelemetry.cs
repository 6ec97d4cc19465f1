using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DiscordMcp.Discord.Client;

/// <summary>
/// Traces and metrics of the Discord client, with the BCL only (docs/observability.md). Spans are named by the route
/// template (<c>POST /webhooks/{webhook_id}/{webhook_token}</c>), never by the path: webhook routes carry the token
/// in the path, so no concrete path, URL, header or body is ever recorded.
/// </summary>
public static class DiscordClientTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string SourceName = "DiscordMcp.Discord";

    /// <summary>The meter name.</summary>
    public const string MeterName = "DiscordMcp.Discord";

    /// <summary>Discord REST spans.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The client's meter.</summary>
    public static readonly Meter Meter = new(MeterName);

    /// <summary><c>discord_mcp.discord.rate_limit.wait</c>: time spent waiting for a rate limit, by <c>scope</c>.</summary>
    public static readonly Histogram<double> RateLimitWait =
        Meter.CreateHistogram<double>("discord_mcp.discord.rate_limit.wait", "s", "Time a Discord REST call waited for a rate limit, by scope (bucket, global, shared).");

    /// <summary><c>discord_mcp.discord.rate_limited</c>: 429 responses by <c>scope</c> and <c>route</c> (template).</summary>
    public static readonly Counter<long> RateLimited =
        Meter.CreateCounter<long>("discord_mcp.discord.rate_limited", "{response}", "429 responses from Discord by scope and route template.");

    private static int _readyShards;

    /// <summary>
    /// <c>discord_mcp.gateway.connected</c>: gateway shards of this process with a ready connection (0 = disconnected).
    /// A gauge read at collection time, so a listener that starts late still sees the true state.
    /// </summary>
    public static readonly ObservableGauge<int> GatewayConnected =
        Meter.CreateObservableGauge("discord_mcp.gateway.connected", static () => Volatile.Read(ref _readyShards), "{shard}",
            "Gateway shards of this process whose connection is ready (identified or resumed); 0 when disconnected.");

    /// <summary><c>discord_mcp.gateway.heartbeat.latency</c>: time from a heartbeat to its ACK.</summary>
    public static readonly Histogram<double> HeartbeatLatency =
        Meter.CreateHistogram<double>("discord_mcp.gateway.heartbeat.latency", "s", "Gateway heartbeat round trip (heartbeat sent to ACK received).");

    internal static Activity? StartRest(string method, string route, string routeKey)
    {
        if (!Source.HasListeners())
            return null;
        var activity = Source.StartActivity(routeKey, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("url.template", route);
            activity.SetTag("server.address", "discord");
        }
        return activity;
    }

    internal static void RecordWait(TimeSpan wait, string scope)
    {
        if (RateLimitWait.Enabled)
            RateLimitWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("scope", scope));
    }

    internal static void Record429(string scope, string routeKey)
    {
        if (RateLimited.Enabled)
            RateLimited.Add(1, new KeyValuePair<string, object?>("scope", scope), new KeyValuePair<string, object?>("route", routeKey));
    }

    internal static void GatewayReadyChanged(bool ready) => Interlocked.Add(ref _readyShards, ready ? 1 : -1);

    internal static void Heartbeat(TimeSpan latency)
    {
        if (HeartbeatLatency.Enabled)
            HeartbeatLatency.Record(latency.TotalSeconds);
    }
}
