using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// Supplies the gateway URL and identify budget from <c>GET /gateway/bot</c> through our REST client, so the gateway
/// shares the REST client's rate limits, retries and error translation.
/// </summary>
public sealed class RestGatewayUrlSource(DiscordRestClient client) : IGatewayUrlSource
{
    private readonly DiscordRestClient _client = client ?? throw new ArgumentNullException(nameof(client));

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => _client.GetGatewayBotAsync(cancellationToken);
}
