using System.Net;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord.Client.Tests.Rest.Transport;

public sealed class RetryTests
{
    public static TheoryData<string> IdempotentMethods => ["GET", "PUT", "DELETE"];

    public static TheoryData<string> NonIdempotentMethods => ["POST", "PATCH"];

    private static RestRequest Request(string method) => TransportHarness.ChannelMessages(new HttpMethod(method));

    /// <summary>Advances through each back-off as it is scheduled; returns the delays seen.</summary>
    private static async Task<List<TimeSpan>> DriveBackoffsAsync(TransportHarness h, int count)
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var due = await h.Time.NextTimerAsync();
            delays.Add(due);
            h.Time.Advance(due);
        }
        return delays;
    }

    [Theory]
    [MemberData(nameof(IdempotentMethods))]
    public async Task Server_errors_are_retried_a_bounded_number_of_times_for_idempotent_methods(string method)
    {
        using var h = new TransportHarness(o => { o.MaxRetries = 2; o.RetryBaseDelay = TimeSpan.FromSeconds(1); });
        h.Handler.AlwaysRespond(() => Responses.Status(HttpStatusCode.ServiceUnavailable));

        var send = h.Send(Request(method));
        var delays = await DriveBackoffsAsync(h, 2);
        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => send.Within());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, h.Handler.Requests.Count);
        Assert.Equal(2, h.Transport.Diagnostics.Retries);
        // Exponential with jitter in [half, full]: ~1 s, then ~2 s.
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task An_idempotent_request_succeeds_after_a_transient_server_error(HttpStatusCode status)
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Status(status)).Then(() => Responses.Json(HttpStatusCode.OK, """{"id":"1"}"""));

        var send = h.Send(TransportHarness.Get());
        await DriveBackoffsAsync(h, 1);
        var response = await send.Within();

        Assert.Equal("""{"id":"1"}""", System.Text.Encoding.UTF8.GetString(response.Body.Span));
    }

    [Theory]
    [MemberData(nameof(NonIdempotentMethods))]
    public async Task Server_errors_are_not_retried_for_non_idempotent_methods(string method)
    {
        using var h = new TransportHarness();
        h.Handler.AlwaysRespond(() => Responses.Status(HttpStatusCode.InternalServerError));

        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(Request(method)).Within());

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Single(h.Handler.Requests);
        Assert.True(h.Time.NoPendingTimers);
    }

    [Fact]
    public async Task A_post_marked_idempotent_is_retried()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Status(HttpStatusCode.BadGateway)).Then(() => Responses.Ok());
        var request = new RestRequest { Method = HttpMethod.Post, Route = "/channels/{channel_id}/typing", Path = "channels/1/typing", MajorParameter = "1", Idempotent = true };

        var send = h.Send(request);
        await DriveBackoffsAsync(h, 1);
        await send.Within();

        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_connection_reset_is_retried_for_an_idempotent_request()
    {
        using var h = new TransportHarness();
        h.Handler.ThenThrow(new HttpRequestException("Connection reset by peer")).Then(() => Responses.Ok());

        var send = h.Send(TransportHarness.Get());
        await DriveBackoffsAsync(h, 1);
        await send.Within();

        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_connection_reset_fails_a_non_idempotent_request_at_once()
    {
        using var h = new TransportHarness();
        h.Handler.ThenThrow(new HttpRequestException("Connection reset by peer"));

        var error = await Assert.ThrowsAsync<DiscordProtocolException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Contains("not idempotent", error.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Connection_failures_after_all_retries_become_a_protocol_error()
    {
        using var h = new TransportHarness(o => o.MaxRetries = 1);
        h.Handler.Fallback = (_, _) => throw new HttpRequestException("Connection refused");

        var send = h.Send(TransportHarness.Get());
        await DriveBackoffsAsync(h, 1);
        var error = await Assert.ThrowsAsync<DiscordProtocolException>(() => send.Within());

        Assert.Contains("after 1 retries", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.DoesNotContain(TransportHarness.Token, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried_when_idempotent()
    {
        using var h = new TransportHarness(o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        h.Handler.ThenHang().Then(() => Responses.Ok());

        var send = h.Send(TransportHarness.Get());
        Assert.Equal(TimeSpan.FromSeconds(5), await h.Time.NextTimerAsync()); // the attempt's time-out
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var backoff = await h.Time.NextTimerAsync();
        h.Time.Advance(backoff);
        await send.Within();

        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task A_request_that_times_out_fails_with_a_protocol_error_when_not_idempotent()
    {
        using var h = new TransportHarness(o => o.RequestTimeout = TimeSpan.FromSeconds(5));
        h.Handler.ThenHang();

        var send = h.Send(TransportHarness.Post());
        Assert.Equal(TimeSpan.FromSeconds(5), await h.Time.NextTimerAsync());
        Assert.False(send.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<DiscordProtocolException>(() => send.Within());

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_during_a_request_propagates_and_is_not_retried()
    {
        using var h = new TransportHarness();
        h.Handler.ThenHang();
        using var cts = new CancellationTokenSource();

        var send = h.Send(TransportHarness.Get(), cts.Token);
        await h.Handler.NextRequestAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.Within());
        Assert.Single(h.Handler.Requests);
        Assert.Equal(0, h.Transport.Diagnostics.Retries);
    }

    [Fact]
    public async Task Caller_cancellation_during_a_rate_limit_wait_propagates()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(3));
        using var cts = new CancellationTokenSource();

        var send = h.Send(TransportHarness.Get(), cts.Token);
        await h.Time.NextTimerAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.Within());
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task An_already_cancelled_token_sends_nothing()
    {
        using var h = new TransportHarness();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Send(TransportHarness.Get(), cts.Token).Within());
        Assert.Empty(h.Handler.Requests);
    }
}
