using System.Net;
using System.Text;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Health;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests;

public sealed class DiscordReadinessCheckTests
{
    private sealed class ScriptedTransport : IDiscordRestTransport
    {
        public int Calls { get; private set; }

        public Exception? Failure { get; set; }

        public Task<RestResponse> SendAsync(RestRequest request, CancellationToken cancellationToken = default)
        {
            Calls++;
            Assert.Equal("GET /users/@me", request.RouteKey);
            if (Failure is not null)
                return Task.FromException<RestResponse>(Failure);
            var body = Encoding.UTF8.GetBytes("""{"id":"1300000000000000001","username":"DiscordMCP","discriminator":"0","bot":true}""");
            return Task.FromResult(new RestResponse(HttpStatusCode.OK, body));
        }
    }

    [Fact]
    public async Task Answer_is_cached_for_a_few_seconds_then_probed_again()
    {
        var transport = new ScriptedTransport();
        var time = new FakeTimeProvider();
        using var check = new DiscordReadinessCheck(new DiscordRestClient(transport, time), time);

        var first = await check.CheckAsync(CancellationToken.None);
        time.Advance(DiscordReadinessCheck.CacheFor - TimeSpan.FromMilliseconds(1));
        await check.CheckAsync(CancellationToken.None);
        Assert.Equal(1, transport.Calls);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await check.CheckAsync(CancellationToken.None);

        Assert.Equal(2, transport.Calls);
        Assert.True(first.Ready);
        Assert.Contains("DiscordMCP", first.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_token_is_not_ready_and_says_which_variable_to_fix()
    {
        var transport = new ScriptedTransport { Failure = new DiscordHttpException(HttpStatusCode.Unauthorized, 0, "401: Unauthorized", [], "GET /users/@me") };
        var time = new FakeTimeProvider();
        using var check = new DiscordReadinessCheck(new DiscordRestClient(transport, time), time);

        var result = await check.CheckAsync(CancellationToken.None);

        Assert.False(result.Ready);
        Assert.Contains("DISCORD_BOT_TOKEN", result.Detail, StringComparison.Ordinal);
    }
}
