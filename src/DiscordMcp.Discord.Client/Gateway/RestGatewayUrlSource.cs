using DiscordMcp.Discord.Client.Rest;
using RestGatewayBotInfo = DiscordMcp.Discord.Client.Models.GatewayBotInfo;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// Supplies the gateway URL and identify budget from <c>GET /gateway/bot</c> through our REST client, so the gateway
/// shares the REST client's rate limits, retries and error translation.
/// </summary>
public sealed class RestGatewayUrlSource(DiscordRestClient client) : IGatewayUrlSource
{
    private readonly DiscordRestClient _client = client ?? throw new ArgumentNullException(nameof(client));

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var info = await _client.GetGatewayBotAsync(cancellationToken);
        return ToGatewayInfo(info);
    }

    /// <summary>Maps the REST answer; a missing or non-WebSocket URL is a protocol error, not something to connect to.</summary>
    internal static GatewayBotInfo ToGatewayInfo(RestGatewayBotInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!Uri.TryCreate(info.Url, UriKind.Absolute, out var url) || (url.Scheme != "wss" && url.Scheme != "ws"))
            throw new DiscordProtocolException($"GET /gateway/bot returned no usable gateway URL (expected an absolute ws/wss URL, got \"{info.Url}\").");
        var limit = info.SessionStartLimit;
        return new GatewayBotInfo(
            url,
            info.Shards,
            new SessionStartLimit(limit.Total, limit.Remaining, TimeSpan.FromMilliseconds(Math.Max(0, limit.ResetAfter)), Math.Max(1, limit.MaxConcurrency)));
    }
}
