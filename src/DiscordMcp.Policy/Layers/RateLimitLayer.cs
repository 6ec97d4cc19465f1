using System.Globalization;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 7: token buckets per principal and per guild, with separate read and write budgets from the workspace's
/// settings (or the defaults). The principal bucket is taken first; a denial says when to retry.
/// </summary>
internal sealed class RateLimitLayer(IRateLimiter limiter, PolicyOptions options) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.RateLimit;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        var settings = context.Workspace?.RateLimits ?? options.DefaultRateLimits;
        var write = context.Request.Tool.IsWrite;
        var kind = write ? "w" : "r";

        var principal = await limiter.TryTakeAsync(
            string.Concat("rl:p:", context.PrincipalId, ":", kind),
            write ? settings.PrincipalWriteCapacity : settings.PrincipalReadCapacity,
            write ? settings.PrincipalWriteRefillPerSecond : settings.PrincipalReadRefillPerSecond,
            1,
            cancellationToken);
        if (!principal.Allowed)
        {
            return Limited(principal.RetryAfter, $"your {(write ? "write" : "read")} budget");
        }

        if (context.Request.GuildId is { } guildId)
        {
            var guild = await limiter.TryTakeAsync(
                string.Concat("rl:g:", guildId.ToString(CultureInfo.InvariantCulture), ":", kind),
                write ? settings.GuildWriteCapacity : settings.GuildReadCapacity,
                write ? settings.GuildWriteRefillPerSecond : settings.GuildReadRefillPerSecond,
                1,
                cancellationToken);
            if (!guild.Allowed)
            {
                return Limited(guild.RetryAfter, $"the {(write ? "write" : "read")} budget of guild {guildId}");
            }
        }

        return null;
    }

    private PolicyDecision Limited(TimeSpan retryAfter, string budget)
    {
        var seconds = Math.Max(0.001, retryAfter.TotalSeconds);
        return PolicyDecision.Deny(Layer, ReasonCodes.RateLimited,
            string.Create(CultureInfo.InvariantCulture, $"Rate limited: {budget} is used up. Retry after {seconds:0.###} s."))
            with { RetryAfter = retryAfter };
    }
}
