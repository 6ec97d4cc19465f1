namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>The answer of <c>GET /gateway/bot</c>: where to connect and how many sessions may start.</summary>
/// <param name="Url">The gateway URL, e.g. <c>wss://gateway.discord.gg</c> (without query).</param>
/// <param name="Shards">Recommended shard count.</param>
/// <param name="SessionStartLimit">Identify budget.</param>
public sealed record GatewayBotInfo(Uri Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary><c>session_start_limit</c>: identifies left in the current window and the per-5-s concurrency.</summary>
/// <param name="Total">Identifies allowed per window (usually 1000 per 24 h).</param>
/// <param name="Remaining">Identifies left.</param>
/// <param name="ResetAfter">Time until <paramref name="Remaining"/> resets (Discord sends milliseconds).</param>
/// <param name="MaxConcurrency">Identifies allowed per 5 s (per rate-limit key <c>shard_id % max_concurrency</c>).</param>
public sealed record SessionStartLimit(int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);

/// <summary>Supplies <c>GET /gateway/bot</c>. The REST client implements it; tests and the sandbox supply fixed values.</summary>
public interface IGatewayUrlSource
{
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken);
}

/// <summary>A fixed answer (sandbox, tests, or a deployment that pins the URL).</summary>
public sealed class FixedGatewayUrlSource(GatewayBotInfo info) : IGatewayUrlSource
{
    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => Task.FromResult(info);
}
