using System.Net;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord.Client.Tests.Rest.Transport;

public sealed class RateLimitTests
{
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);

    private static (string, string)[] Limited(string bucket, int remaining, string resetAfter) =>
        [("X-RateLimit-Bucket", bucket), ("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("X-RateLimit-Reset-After", resetAfter)];

    [Fact]
    public async Task Bucket_waits_until_reset_when_remaining_is_zero()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok(Limited("b1", 0, "2.5"))).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        var second = h.Send(TransportHarness.Get());

        Assert.Equal(TimeSpan.FromSeconds(2.5) + Margin, await h.Time.NextTimerAsync());
        Assert.False(second.IsCompleted);
        Assert.Single(h.Handler.Requests);

        h.Time.Advance(TimeSpan.FromSeconds(2.5) + Margin);
        await second.Within();
        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.Equal(1, h.Transport.Diagnostics.PreemptiveWaits);
    }

    [Fact]
    public async Task Preemptive_margin_is_configurable()
    {
        using var h = new TransportHarness(o => o.PreemptiveResetMargin = TimeSpan.FromMilliseconds(200));
        h.Handler.Then(() => Responses.Ok(Limited("b1", 0, "1"))).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        var second = h.Send(TransportHarness.Get());

        Assert.Equal(TimeSpan.FromMilliseconds(1200), await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromMilliseconds(1200));
        await second.Within();
    }

    [Fact]
    public async Task Remaining_above_zero_and_missing_headers_do_not_wait()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok(Limited("b1", 3, "9"))).Then(() => Responses.Ok()).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        await h.Send(TransportHarness.Get()).Within();
        await h.Send(TransportHarness.Get()).Within();

        Assert.True(h.Time.NoPendingTimers);
        Assert.Equal(0, h.Transport.Diagnostics.PreemptiveWaits);
    }

    [Fact]
    public async Task Negative_reset_after_is_clamped_to_zero()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok(Limited("b1", 0, "-3.5"))).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        await h.Send(TransportHarness.Get()).Within();

        Assert.True(h.Time.NoPendingTimers);
    }

    [Fact]
    public async Task Reset_after_is_preferred_over_the_absolute_reset_time()
    {
        using var h = new TransportHarness();
        var farReset = (h.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 + 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
        h.Handler.Then(() => Responses.Ok([.. Limited("b1", 0, "1"), ("X-RateLimit-Reset", farReset)])).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        var second = h.Send(TransportHarness.Get());

        Assert.Equal(TimeSpan.FromSeconds(1) + Margin, await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(1) + Margin);
        await second.Within();
    }

    [Fact]
    public async Task Absolute_reset_time_is_used_when_reset_after_is_missing()
    {
        using var h = new TransportHarness();
        var reset = (h.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 + 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
        h.Handler.Then(() => Responses.Ok(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset))).Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        var second = h.Send(TransportHarness.Get());

        Assert.Equal(TimeSpan.FromSeconds(3) + Margin, await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(3) + Margin);
        await second.Within();
    }

    [Fact]
    public async Task Major_parameters_are_isolated_so_two_channels_do_not_wait_for_each_other()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok(Limited("b1", 0, "5")));
        h.Handler.AlwaysRespond(() => Responses.Ok(Limited("b1", 4, "5")));

        await h.Send(TransportHarness.Get("111")).Within();
        await h.Send(TransportHarness.Get("222")).Within();
        Assert.True(h.Time.NoPendingTimers);

        var sameChannel = h.Send(TransportHarness.Get("111"));
        Assert.Equal(TimeSpan.FromSeconds(5) + Margin, await h.Time.NextTimerAsync());
        Assert.False(sameChannel.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(5) + Margin);
        await sameChannel.Within();
    }

    [Fact]
    public async Task Routes_learned_to_share_a_bucket_share_its_limit()
    {
        using var h = new TransportHarness();
        var edit = new RestRequest { Method = HttpMethod.Patch, Route = "/channels/{channel_id}/messages/{message_id}", Path = "channels/100/messages/5", MajorParameter = "100" };
        var delete = new RestRequest { Method = HttpMethod.Delete, Route = "/channels/{channel_id}/messages/{message_id}", Path = "channels/100/messages/6", MajorParameter = "100" };
        h.Handler
            .Then(() => Responses.Ok(Limited("shared-hash", 1, "4")))   // PATCH learns bucket "shared-hash"
            .Then(() => Responses.Ok(Limited("shared-hash", 0, "4")))   // DELETE learns the same bucket and empties it
            .Then(() => Responses.Ok());

        await h.Send(edit).Within();
        await h.Send(delete).Within();
        var editAgain = h.Send(edit);

        // The PATCH route was re-keyed onto the learned bucket, so the DELETE's empty bucket holds it back.
        Assert.Equal(TimeSpan.FromSeconds(4) + Margin, await h.Time.NextTimerAsync());
        Assert.False(editAgain.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(4) + Margin);
        await editAgain.Within();
    }

    [Fact]
    public async Task Unlearned_routes_use_their_own_provisional_bucket()
    {
        using var h = new TransportHarness();
        var other = new RestRequest { Method = HttpMethod.Get, Route = "/channels/{channel_id}/pins", Path = "channels/100/pins", MajorParameter = "100" };
        h.Handler.Then(() => Responses.Ok(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "4")));
        h.Handler.AlwaysRespond(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();
        await h.Send(other).Within(); // different route key, no bucket id learned: independent

        Assert.True(h.Time.NoPendingTimers);
    }

    [Fact]
    public async Task Global_limiter_paces_requests_at_the_configured_rate()
    {
        using var h = new TransportHarness(o => o.GlobalRequestsPerSecond = 2);
        h.Handler.AlwaysRespond(() => Responses.Ok());

        await h.Send(TransportHarness.Get("1")).Within();
        await h.Send(TransportHarness.Get("2")).Within();
        var third = h.Send(TransportHarness.Get("3"));

        Assert.Equal(TimeSpan.FromSeconds(0.5), await h.Time.NextTimerAsync());
        Assert.False(third.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(0.5));
        await third.Within();
        Assert.Equal(1, h.Transport.Diagnostics.GlobalWaits);
    }

    [Fact]
    public async Task Requests_exempt_from_the_global_limit_bypass_it()
    {
        using var h = new TransportHarness(o => o.GlobalRequestsPerSecond = 1);
        h.Handler.AlwaysRespond(() => Responses.Ok());
        var callback = new RestRequest
        {
            Method = HttpMethod.Post,
            Route = "/interactions/{interaction_id}/{interaction_token}/callback",
            Path = "interactions/9/tok/callback",
            Authenticated = false,
            ExemptFromGlobalLimit = true,
        };

        await h.Send(TransportHarness.Get("1")).Within();
        await h.Send(callback).Within();
        await h.Send(callback).Within();

        Assert.True(h.Time.NoPendingTimers);
        Assert.Equal(3, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task Rate_limit_429_waits_the_body_retry_after_in_preference_to_the_header()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(1.5, headers: ("Retry-After", "7"))).Then(() => Responses.Ok());

        var send = h.Send(TransportHarness.Post());

        Assert.Equal(TimeSpan.FromSeconds(1.5) + Margin, await h.Time.NextTimerAsync());
        Assert.False(send.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1.5) + Margin);
        var response = await send.Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.Equal(1, h.Transport.Diagnostics.BucketRateLimitResponses);
        Assert.Equal(1, h.Transport.Diagnostics.InvalidRequestsInWindow);
        Assert.Equal(0, h.Transport.Diagnostics.Retries); // 429s do not use the 5xx/network budget
    }

    [Fact]
    public async Task Rate_limit_429_falls_back_to_the_retry_after_header()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(null, headers: ("Retry-After", "2"))).Then(() => Responses.Ok());

        var send = h.Send(TransportHarness.Post());

        Assert.Equal(TimeSpan.FromSeconds(2) + Margin, await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(2) + Margin);
        await send.Within();
    }

    [Fact]
    public async Task Rate_limit_429s_do_not_consume_the_5xx_retry_budget()
    {
        using var h = new TransportHarness(o => o.MaxRetries = 0);
        h.Handler.Then(() => Responses.RateLimited(0)).Then(() => Responses.RateLimited(0)).Then(() => Responses.Ok());

        var response = await h.Send(TransportHarness.Post()).Within();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task Consecutive_429s_beyond_the_cap_fail_with_a_rate_limit_error()
    {
        using var h = new TransportHarness(o => o.MaxRateLimitRetries = 2);
        h.Handler.AlwaysRespond(() => Responses.RateLimited(0));

        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Equal(3, h.Handler.Requests.Count);
        Assert.Equal(RateLimitScope.Bucket, error.Scope);
    }

    [Fact]
    public async Task Global_429_locks_every_route()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(2, true, ("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")));
        h.Handler.AlwaysRespond(() => Responses.Ok());
        var otherRoute = new RestRequest { Method = HttpMethod.Get, Route = "/guilds/{guild_id}/roles", Path = "guilds/7/roles", MajorParameter = "7" };

        var first = h.Send(TransportHarness.Post("1"));
        Assert.Equal(TimeSpan.FromSeconds(2), await h.Time.NextTimerAsync());
        var second = h.Send(otherRoute);
        Assert.Equal(TimeSpan.FromSeconds(2), await h.Time.NextTimerAsync());

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        Assert.Single(h.Handler.Requests);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await first.Within();
        await second.Within();
        Assert.Equal(3, h.Handler.Requests.Count);
        Assert.Equal(1, h.Transport.Diagnostics.GlobalRateLimitResponses);
    }

    [Fact]
    public async Task Shared_scope_429_retries_without_poisoning_the_bucket_or_counting_as_invalid()
    {
        using var h = new TransportHarness();
        // Headers that would empty our bucket for 30 s if we believed them for a shared limit.
        h.Handler.Then(() => Responses.RateLimited(1, headers: [("X-RateLimit-Scope", "shared"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "30"), ("X-RateLimit-Bucket", "b1")]));
        h.Handler.AlwaysRespond(() => Responses.Ok());

        var first = h.Send(TransportHarness.Post());
        Assert.Equal(TimeSpan.FromSeconds(1), await h.Time.NextTimerAsync());

        // Same bucket, same channel: goes straight through while the first waits out the shared limit.
        await h.Send(TransportHarness.Post()).Within();
        Assert.False(first.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await first.Within();
        Assert.Equal(0, h.Transport.Diagnostics.InvalidRequestsInWindow);
        Assert.Equal(1, h.Transport.Diagnostics.SharedRateLimitResponses);
        Assert.Equal(0, h.Transport.Diagnostics.BucketRateLimitResponses);
    }

    [Fact]
    public async Task A_429_wait_above_the_cap_fails_at_once_naming_the_retry_after()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(30));

        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(RateLimitScope.Bucket, error.Scope);
        Assert.Equal("POST /channels/{channel_id}/messages", error.RouteKey);
        Assert.Contains("retry after 30 s", error.Message, StringComparison.Ordinal);
        Assert.True(h.Time.NoPendingTimers);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task A_global_429_above_the_cap_reports_the_global_scope()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.RateLimited(12, global: true));

        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Send(TransportHarness.Get()).Within());

        Assert.Equal(RateLimitScope.Global, error.Scope);
        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task A_preemptive_wait_above_the_cap_fails_without_sending()
    {
        using var h = new TransportHarness(o => o.MaxRateLimitWait = TimeSpan.FromSeconds(3));
        h.Handler.Then(() => Responses.Ok(Limited("b1", 0, "60")));

        await h.Send(TransportHarness.Get()).Within();
        var error = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Send(TransportHarness.Get()).Within());

        Assert.Equal(RateLimitScope.Bucket, error.Scope);
        Assert.True(error.RetryAfter >= TimeSpan.FromSeconds(60));
        Assert.Single(h.Handler.Requests);
        Assert.True(h.Time.NoPendingTimers);
    }

    [Fact]
    public async Task Webhook_tokens_in_paths_never_reach_the_log()
    {
        using var h = new TransportHarness();
        const string webhookToken = "whk-SECRET-token-abc";
        var execute = new RestRequest
        {
            Method = HttpMethod.Post,
            Route = "/webhooks/{webhook_id}/{webhook_token}",
            Path = $"webhooks/55/{webhookToken}",
            MajorParameter = $"55/{webhookToken}",
            Authenticated = false,
        };
        h.Handler.Then(() => Responses.RateLimited(0)).Then(() => Responses.Ok());

        await h.Send(execute).Within();

        Assert.NotEmpty(h.Logger.Entries);
        Assert.Contains(h.Logger.Entries, e => e.Message.Contains("POST /webhooks/{webhook_id}/{webhook_token}", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logger.Entries, e => e.Message.Contains(webhookToken, StringComparison.Ordinal));
        Assert.Null(h.Handler.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task Warns_when_invalid_requests_approach_discords_ban_threshold()
    {
        using var h = new TransportHarness(o => o.InvalidRequestWarningThreshold = 2);
        h.Handler.AlwaysRespond(() => Responses.Status(HttpStatusCode.Forbidden));

        await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get()).Within());
        Assert.DoesNotContain(h.Logger.Entries, e => e.Message.Contains("invalid requests", StringComparison.Ordinal));
        await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get()).Within());

        Assert.Contains(h.Logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("2 invalid requests", StringComparison.Ordinal));
        Assert.Equal(2, h.Transport.Diagnostics.InvalidRequestsInWindow);

        h.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(0, h.Transport.Diagnostics.InvalidRequestsInWindow);
    }

    [Fact]
    public async Task One_request_at_a_time_is_in_flight_per_bucket_and_major_parameter()
    {
        using var h = new TransportHarness();
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Handler.Then((_, _) => release.Task);
        h.Handler.AlwaysRespond(() => Responses.Ok());

        var first = h.Send(TransportHarness.Post("1"));
        await h.Handler.NextRequestAsync();
        // Sending runs synchronously up to the first real wait: had the gate been open, the handler would see this now.
        var second = h.Send(TransportHarness.Post("1"));
        var otherChannel = h.Send(TransportHarness.Post("2"));
        await otherChannel.Within();

        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.False(second.IsCompleted);
        release.SetResult(Responses.Ok());
        await first.Within();
        await second.Within();
        Assert.Equal(3, h.Handler.Requests.Count);
    }
}
