using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Sandbox.Tests.Pipeline;

public sealed class PipelineTests
{
    private const string ChannelA = "1300000000000000201";
    private const string ChannelB = "1300000000000000202";
    private static readonly DateTimeOffset Start = new(2026, 2, 23, 12, 0, 0, TimeSpan.Zero);

    private static SandboxOptions Options(FakeTimeProvider time, int limit = 5, double windowSeconds = 1, int globalPerSecond = 50)
    {
        var options = new SandboxOptions { TimeProvider = time };
        options.RateLimits.DefaultLimit = limit;
        options.RateLimits.DefaultWindow = TimeSpan.FromSeconds(windowSeconds);
        options.RateLimits.GlobalPerSecond = globalPerSecond;
        return options;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException("missing header " + name);

    private static double Seconds(HttpResponseMessage response, string name) => double.Parse(Header(response, name), CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Theory]
    [InlineData(null)]
    [InlineData("Bot wrong-token")]
    [InlineData("Bearer sandbox.bot-token.DiscordMCP-Demo")]
    [InlineData("sandbox.bot-token.DiscordMCP-Demo")]
    public async Task Requests_without_the_bot_token_get_401_with_discord_body(string? authorization)
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var request = app.Request(HttpMethod.Get, "channels/" + ChannelA + "/messages", authorized: false);
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await Json(response);
        Assert.Equal("401: Unauthorized", body["message"]!.GetValue<string>());
        Assert.Equal(0, body["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Requests_with_the_bot_token_reach_the_endpoint()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var response = await app.SendAsync(HttpMethod.Get, "channels/" + ChannelA + "/messages");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(ChannelA, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "webhooks/1300000000000000300/webhook-token-abc")]
    [InlineData("POST", "interactions/1300000000000000400/interaction-token/callback")]
    [InlineData("GET", "gateway")]
    [InlineData("GET", "invites/abcdef")]
    public async Task Token_routes_callbacks_gateway_and_invites_need_no_authorization(string method, string path)
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var response = await app.SendAsync(new HttpMethod(method), path, authorized: false);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Control_fault_routes_need_no_authorization()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var response = await app.Http.DeleteAsync(new Uri(app.BaseUrl, "_sandbox/faults"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Every_response_carries_rate_limit_headers_with_exact_values()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await TestSandboxApp.StartAsync(Options(time, limit: 5, windowSeconds: 2.5));
        using var first = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        time.Advance(TimeSpan.FromMilliseconds(500));
        using var second = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");

        Assert.Equal("5", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("4", Header(first, "X-RateLimit-Remaining"));
        Assert.Equal(2.5, Seconds(first, "X-RateLimit-Reset-After"), 3);
        var expectedReset = (Start + TimeSpan.FromSeconds(2.5)).ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(expectedReset, Seconds(first, "X-RateLimit-Reset"), 3);
        Assert.Equal("3", Header(second, "X-RateLimit-Remaining"));
        Assert.Equal(2.0, Seconds(second, "X-RateLimit-Reset-After"), 3);
        Assert.Equal(expectedReset, Seconds(second, "X-RateLimit-Reset"), 3);
        Assert.Equal(Header(first, "X-RateLimit-Bucket"), Header(second, "X-RateLimit-Bucket"));
    }

    [Fact]
    public async Task Bucket_id_is_per_route_and_does_not_include_the_major_parameter()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var postA = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var postB = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelB + "/messages");
        using var getA = await app.SendAsync(HttpMethod.Get, "channels/" + ChannelA + "/messages");

        var bucket = Header(postA, "X-RateLimit-Bucket");
        Assert.Equal(bucket, Header(postB, "X-RateLimit-Bucket"));
        Assert.NotEqual(bucket, Header(getA, "X-RateLimit-Bucket"));
        Assert.DoesNotContain(ChannelA, bucket, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exceeding_a_bucket_gets_429_and_another_channel_stays_independent()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await TestSandboxApp.StartAsync(Options(time, limit: 3, windowSeconds: 2));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        time.Advance(TimeSpan.FromMilliseconds(750));
        using var limited = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var other = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelB + "/messages");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var body = await Json(limited);
        Assert.Equal("You are being rate limited.", body["message"]!.GetValue<string>());
        Assert.Equal(1.25, body["retry_after"]!.GetValue<double>(), 3);
        Assert.False(body["global"]!.GetValue<bool>());
        Assert.Equal("2", Header(limited, "Retry-After"));
        Assert.Equal("user", Header(limited, "X-RateLimit-Scope"));
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));
        Assert.False(limited.Headers.Contains("X-RateLimit-Global"));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("2", Header(other, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task Window_resets_exactly_at_the_advertised_reset_time()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await TestSandboxApp.StartAsync(Options(time, limit: 2, windowSeconds: 1));
        using var first = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var second = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        Assert.Equal("0", Header(second, "X-RateLimit-Remaining"));
        var resetAfter = TimeSpan.FromSeconds(Seconds(second, "X-RateLimit-Reset-After"));

        time.Advance(resetAfter - TimeSpan.FromMilliseconds(1));
        using var early = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(0.001, (await Json(early))["retry_after"]!.GetValue<double>(), 3);

        time.Advance(TimeSpan.FromMilliseconds(1));
        using var onTime = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        Assert.Equal(HttpStatusCode.OK, onTime.StatusCode);
        Assert.Equal("1", Header(onTime, "X-RateLimit-Remaining"));
        Assert.Equal(1.0, Seconds(onTime, "X-RateLimit-Reset-After"), 3);
    }

    [Fact]
    public async Task Per_route_override_sets_the_limit_and_window()
    {
        var time = new FakeTimeProvider(Start);
        var options = Options(time, limit: 5);
        options.RateLimits.Routes["POST /channels/{channel_id}/messages"] = new SandboxRouteLimit(1, TimeSpan.FromSeconds(10));
        await using var app = await TestSandboxApp.StartAsync(options);
        using var first = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var second = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var get = await app.SendAsync(HttpMethod.Get, "channels/" + ChannelA + "/messages");

        Assert.Equal("1", Header(first, "X-RateLimit-Limit"));
        Assert.Equal(10.0, Seconds(first, "X-RateLimit-Reset-After"), 3);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("10", Header(second, "Retry-After"));
        Assert.Equal("5", Header(get, "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Global_limit_answers_429_global_and_exempts_interaction_callbacks()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await TestSandboxApp.StartAsync(Options(time, limit: 100, globalPerSecond: 3));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        time.Advance(TimeSpan.FromMilliseconds(400));
        using var limited = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var callback = await app.SendAsync(HttpMethod.Post, "interactions/1300000000000000400/tok/callback", authorized: false);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var body = await Json(limited);
        Assert.True(body["global"]!.GetValue<bool>());
        Assert.Equal(0.6, body["retry_after"]!.GetValue<double>(), 3);
        Assert.Equal("true", Header(limited, "X-RateLimit-Global"));
        Assert.Equal("global", Header(limited, "X-RateLimit-Scope"));
        Assert.Equal("1", Header(limited, "Retry-After"));
        Assert.Equal(HttpStatusCode.NoContent, callback.StatusCode);

        time.Advance(TimeSpan.FromMilliseconds(600));
        using var after = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData(SandboxRateLimitScope.User, "user", false)]
    [InlineData(SandboxRateLimitScope.Global, "global", true)]
    [InlineData(SandboxRateLimitScope.Shared, "shared", false)]
    public async Task Injected_429_storm_uses_the_scope_and_lasts_exactly_N_requests(SandboxRateLimitScope scope, string header, bool global)
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start), limit: 100));
        app.Faults.Inject429Storm(2, scope, retryAfterSeconds: 2.5);
        using var first = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var second = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var third = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");

        foreach (var limited in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            var body = await Json(limited);
            Assert.Equal(2.5, body["retry_after"]!.GetValue<double>(), 3);
            Assert.Equal(global, body["global"]!.GetValue<bool>());
            Assert.Equal(header, Header(limited, "X-RateLimit-Scope"));
            Assert.Equal("3", Header(limited, "Retry-After"));
            Assert.Equal(global, limited.Headers.Contains("X-RateLimit-Global"));
        }
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Injected_faults_on_a_route_key_leave_other_routes_alone()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start), limit: 100));
        app.Faults.Inject429Storm(1, routeKey: "POST /channels/{channel_id}/messages");
        using var get = await app.SendAsync(HttpMethod.Get, "channels/" + ChannelA + "/messages");
        using var post = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelB + "/messages");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, post.StatusCode);
        Assert.Equal(0, app.Faults.PendingHttpFaults);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Injected_server_errors_answer_the_status_then_stop(int status)
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start), limit: 100));
        app.Faults.InjectServerErrors(1, status);
        using var failed = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        using var next = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");

        Assert.Equal(status, (int)failed.StatusCode);
        Assert.StartsWith(status.ToString(CultureInfo.InvariantCulture) + ": ", (await Json(failed))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Injected_slow_response_is_delayed_by_the_sandbox_clock()
    {
        // The real clock here: the delay is the behaviour under test, and only its lower bound is asserted.
        var options = new SandboxOptions();
        await using var app = await TestSandboxApp.StartAsync(options);
        app.Faults.InjectSlowResponses(1, TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        using var slow = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        var elapsed = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(290), "elapsed " + elapsed);
    }

    [Fact]
    public async Task Injected_connection_drop_aborts_without_a_response()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start), limit: 100));
        app.Faults.InjectConnectionDrops(1);
        await Assert.ThrowsAsync<HttpRequestException>(() => app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100"));
        using var next = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Fault_control_endpoint_injects_and_clears_faults()
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start), limit: 100));
        var faultsUrl = new Uri(app.BaseUrl, "_sandbox/faults");
        using (var content = new StringContent("""{"kind":"server_error","status":502,"count":3,"route":"GET /guilds/{guild_id}"}""", System.Text.Encoding.UTF8, "application/json"))
        using (var posted = await app.Http.PostAsync(faultsUrl, content))
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        using var failed = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);

        using (var deleted = await app.Http.DeleteAsync(faultsUrl))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var ok = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var shared = new StringContent("""{"kind":"rate_limit","scope":"shared","retry_after":0.5}""", System.Text.Encoding.UTF8, "application/json");
        using (var posted = await app.Http.PostAsync(faultsUrl, shared))
            Assert.Equal(HttpStatusCode.NoContent, posted.StatusCode);
        using var limited = await app.SendAsync(HttpMethod.Get, "guilds/1300000000000000100");
        Assert.Equal("shared", Header(limited, "X-RateLimit-Scope"));
        Assert.Equal(0.5, (await Json(limited))["retry_after"]!.GetValue<double>(), 3);
    }

    [Theory]
    [InlineData("""{"kind":"meteor"}""", "kind must be one of")]
    [InlineData("""{"kind":"server_error","status":418}""", "status must be 500, 502, 503 or 504")]
    [InlineData("""{"kind":"rate_limit","scope":"planet"}""", "scope must be user, global or shared")]
    [InlineData("""not json""", "not a valid fault JSON")]
    public async Task Fault_control_endpoint_rejects_bad_faults_naming_the_field(string json, string message)
    {
        await using var app = await TestSandboxApp.StartAsync(Options(new FakeTimeProvider(Start)));
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Http.PostAsync(new Uri(app.BaseUrl, "_sandbox/faults"), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await Json(response))["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_enforcement_still_sends_headers_but_never_429()
    {
        var time = new FakeTimeProvider(Start);
        var options = Options(time, limit: 1);
        options.RateLimits.Enabled = false;
        await using var app = await TestSandboxApp.StartAsync(options);
        using var first = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        using var second = await app.SendAsync(HttpMethod.Post, "channels/" + ChannelA + "/messages");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("1", Header(second, "X-RateLimit-Limit"));
    }
}
