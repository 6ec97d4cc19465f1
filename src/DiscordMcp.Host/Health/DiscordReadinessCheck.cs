using System.Net.Sockets;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Host.Health;

/// <summary>
/// Discord is ready when <c>GET /users/@me</c> answers with the bot. The answer (either way) is cached for
/// <see cref="CacheFor"/> so a busy load balancer probing <c>/health/ready</c> does not spend the bot's rate limit.
/// </summary>
internal sealed class DiscordReadinessCheck(DiscordRestClient client, TimeProvider time) : IReadinessCheck, IDisposable
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one probe, so a hanging Discord makes the endpoint say "not ready" rather than hang.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ReadinessResult Result, DateTimeOffset At)? _last;

    public string Name => "discord";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
            return cached;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed it while we waited.
            if (Fresh() is { } refreshed)
                return refreshed;
            var result = await ProbeAsync(cancellationToken);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private ReadinessResult? Fresh() =>
        _last is { } last && time.GetUtcNow() - last.At < CacheFor ? last.Result : null;

    private async Task<ReadinessResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var me = await client.GetCurrentUserAsync(timeout.Token);
            return ReadinessResult.Ok($"connected as {me.Username} ({me.Id})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ReadinessResult.Failed($"Discord did not answer within {ProbeTimeout.TotalSeconds:0} seconds");
        }
        // The messages below are built by us or by the client, which keeps tokens out of them.
        catch (DiscordHttpException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            return ReadinessResult.Failed("Discord rejected the bot token (401); set a valid DISCORD_BOT_TOKEN");
        }
        catch (DiscordHttpException ex)
        {
            return ReadinessResult.Failed($"Discord answered {(int)ex.StatusCode} (code {ex.Code})");
        }
        catch (DiscordRateLimitedException ex)
        {
            return ReadinessResult.Failed($"rate limited by Discord for {ex.RetryAfter.TotalSeconds:0.#} s");
        }
        catch (DiscordException ex)
        {
            return ReadinessResult.Failed(ex.Message);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException socket)
        {
            return ReadinessResult.Failed($"cannot reach Discord: {socket.SocketErrorCode}");
        }
        catch (HttpRequestException ex)
        {
            return ReadinessResult.Failed($"cannot reach Discord: {ex.HttpRequestError}");
        }
    }
}
