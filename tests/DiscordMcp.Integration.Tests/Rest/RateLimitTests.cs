using System.Diagnostics;
using System.Net;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.Pipeline;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;

namespace DiscordMcp.Integration.Tests.Rest;

/// <summary>Real throughput under an enforced bucket. Runs alone (no parallel tests, no Prism burning CPU beside it).</summary>
[Trait("Category", "Integration")]
[Collection(TimingCollection.Name)]
public sealed class RateLimitThroughputTests
{
    private const string CreateMessageRoute = "POST /channels/{channel_id}/messages";
    private static readonly Snowflake General = Snowflake.Parse(DemoGuild.GeneralChannelId);

    [Fact]
    public async Task Two_hundred_writes_on_one_bucket_finish_without_429_within_110_percent_of_the_minimum()
    {
        const int writes = 200;
        const int limit = 50;
        // A 2 s window keeps the unavoidable cost of the last window's sequential requests (one in flight per bucket)
        // small against the 10% budget: 50 local round trips of a few ms each, plus the margin per window.
        var window = TimeSpan.FromSeconds(2);
        var options = new SandboxOptions();
        options.RateLimits.Routes[CreateMessageRoute] = new SandboxRouteLimit(limit, window);
        // The global limit must not be the binding one.
        options.RateLimits.GlobalPerSecond = 1000;
        await using var sandbox = await SandboxHost.StartAsync(options);

        using var http = new HttpClient();
        var transport = new DiscordRestTransport(http, new DiscordClientOptions
        {
            BaseUrl = sandbox.ApiBaseUrl,
            Token = sandbox.BotToken,
            // Paced at 1000/s the global limiter never delays these 200 requests (its burst alone covers them),
            // matching the sandbox's global limit above; at the default 50/s it would add a second and be the bottleneck.
            GlobalRequestsPerSecond = 1000,
            // The margin is added once per window: 3 windows × 20 ms = 60 ms, 1% of the 6 s minimum, well inside the 10%
            // budget. It stays above zero as in production (it absorbs clock granularity on the server's side).
            PreemptiveResetMargin = TimeSpan.FromMilliseconds(20),
            MaxRateLimitWait = TimeSpan.FromSeconds(5),
        }, logger: SecretScan.CreateLogger("Integration.Tests", "DiscordRestTransport"));
        var client = new DiscordRestClient(transport);

        // The bucket admits `limit` writes per window, and its window opens with the first write: the last write can
        // start no earlier than (ceil(writes / limit) - 1) windows after the first.
        var minimum = window * (Math.Ceiling(writes / (double)limit) - 1);
        var bound = minimum * 1.10;
        // Warm up connection and JIT on another channel (its own bucket) so the clock measures scheduling, not start-up.
        await client.CreateMessageAsync(Snowflake.Parse(DemoGuild.RandomChannelId), "warm-up");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < writes; i++)
            await client.CreateMessageAsync(General, $"load {i}");
        clock.Stop();

        var diagnostics = transport.Diagnostics;
        Assert.Equal(0, diagnostics.RateLimitResponses);
        Assert.Equal(writes + 1, diagnostics.RequestsSent);
        Assert.Equal(3, diagnostics.PreemptiveWaits);
        Assert.True(clock.Elapsed >= minimum, $"{writes} writes took {clock.Elapsed.TotalMilliseconds:0} ms, below the {minimum.TotalMilliseconds:0} ms the sandbox allows: is it enforcing?");
        Assert.True(clock.Elapsed <= bound, $"{writes} writes took {clock.Elapsed.TotalMilliseconds:0} ms; the bucket allows {minimum.TotalMilliseconds:0} ms, bound {bound.TotalMilliseconds:0} ms.");
        var stored = await client.GetMessagesAsync(General, new ListMessagesQuery { Limit = 100 });
        Assert.Equal($"load {writes - 1}", stored[0].Content);
    }
}

/// <summary>Tests whose assertions are about wall-clock time: xunit runs this collection after the others, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing (runs alone)";
}

/// <summary>
/// The send loop under the sandbox's enforced limits and injected faults. Only the throughput test uses real time
/// (it is about real throughput); the others drive the client's clock by hand, so every wait is asserted exactly and
/// no test sleeps. Rate-limit behaviour is about our client, not the spec, so these do not go through Prism.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RateLimitTests
{
    private const string CreateMessageRoute = "POST /channels/{channel_id}/messages";
    private const string GetChannelRoute = "GET /channels/{channel_id}";
    private static readonly Snowflake General = Snowflake.Parse(DemoGuild.GeneralChannelId);
    private static readonly Snowflake Random = Snowflake.Parse(DemoGuild.RandomChannelId);

    [Fact]
    public async Task Shared_429s_are_waited_out_without_poisoning_the_bucket_or_counting_as_invalid()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.Faults.Inject429Storm(2, SandboxRateLimitScope.Shared, retryAfterSeconds: 0.75, routeKey: GetChannelRoute);

        var call = h.Client.GetChannelAsync(General);
        Assert.Equal(TimeSpan.FromSeconds(0.75), await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(0.75));
        Assert.Equal(TimeSpan.FromSeconds(0.75), await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(0.75));
        Assert.Equal(General, (await call).Id);

        var d = h.Transport.Diagnostics;
        Assert.Equal(2, d.SharedRateLimitResponses);
        Assert.Equal(0, d.BucketRateLimitResponses);
        Assert.Equal(0, d.InvalidRequestsInWindow); // Discord does not count shared 429s towards the invalid-request ban
        // The bucket was not marked exhausted: the next call on the same bucket goes out at once.
        Assert.Equal(General, (await h.Client.GetChannelAsync(General)).Id);
        Assert.Equal(0, d.PreemptiveWaits);
        Assert.True(h.Time.NoPendingTimers);
    }

    [Fact]
    public async Task Global_429_waits_the_body_retry_after_and_holds_every_route()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.Faults.Inject429Storm(1, SandboxRateLimitScope.Global, retryAfterSeconds: 1.5, routeKey: GetChannelRoute);

        var first = h.Client.GetChannelAsync(General);
        Assert.Equal(TimeSpan.FromSeconds(1.5), await h.Time.NextTimerAsync()); // locked by the global 429
        // Another route, another bucket: still held by the global lock.
        var other = h.Client.GetRolesAsync(Snowflake.Parse(DemoGuild.GuildId));
        Assert.Equal(TimeSpan.FromSeconds(1.5), await h.Time.NextTimerAsync());
        Assert.False(other.IsCompleted);
        Assert.False(first.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal(General, (await first).Id);
        Assert.NotEmpty(await other);
        var d = h.Transport.Diagnostics;
        Assert.Equal(1, d.GlobalRateLimitResponses);
        Assert.True(d.GlobalWaits >= 2);
        Assert.Equal(1, d.InvalidRequestsInWindow);
        Assert.Equal(3, d.RequestsSent); // the 429, then one send each after the lock
    }

    [Fact]
    public async Task Bucket_429_marks_the_bucket_and_the_retry_waits_for_its_reset()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.Faults.Inject429Storm(1, SandboxRateLimitScope.User, retryAfterSeconds: 2, routeKey: GetChannelRoute);

        var call = h.Client.GetChannelAsync(General);
        Assert.Equal(TimeSpan.FromSeconds(2) + Harness.Margin, await h.Time.NextTimerAsync());
        h.Time.Advance(TimeSpan.FromSeconds(2) + Harness.Margin);
        Assert.Equal(General, (await call).Id);
        Assert.Equal(1, h.Transport.Diagnostics.BucketRateLimitResponses);
        Assert.Equal(1, h.Transport.Diagnostics.InvalidRequestsInWindow);
    }

    [Fact]
    public async Task A_rate_limit_wait_above_the_cap_fails_with_a_clear_error_naming_the_wait()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.Faults.Inject429Storm(1, SandboxRateLimitScope.User, retryAfterSeconds: 42, routeKey: CreateMessageRoute);

        var ex = await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Client.CreateMessageAsync(General, "hello"));

        Assert.Equal(TimeSpan.FromSeconds(42), ex.RetryAfter);
        Assert.Equal(RateLimitScope.Bucket, ex.Scope);
        Assert.Equal(CreateMessageRoute, ex.RouteKey);
        Assert.Contains("42", ex.Message, StringComparison.Ordinal);
        Assert.True(h.Time.NoPendingTimers); // it failed at once instead of waiting
        Assert.Equal(1, h.Transport.Diagnostics.RequestsSent);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Idempotent_calls_are_retried_after_5xx_and_succeed(int status)
    {
        await using var h = await Harness.StartAsync();
        var guild = Snowflake.Parse(DemoGuild.GuildId);
        var luis = Snowflake.Parse(DemoGuild.LuisUserId);
        var support = Snowflake.Parse(DemoGuild.SupportRoleId);

        h.Sandbox.Faults.InjectServerErrors(2, status, GetChannelRoute);
        Assert.Equal(General, (await h.Client.GetChannelAsync(General)).Id);

        h.Sandbox.Faults.InjectServerErrors(2, status, "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}");
        await h.Client.AddMemberRoleAsync(guild, luis, support);

        h.Sandbox.Faults.InjectServerErrors(2, status, "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}");
        await h.Client.RemoveMemberRoleAsync(guild, luis, support);

        Assert.Equal(6, h.Transport.Diagnostics.Retries);
        Assert.Equal(9, h.Transport.Diagnostics.RequestsSent);
        Assert.Equal(0, h.Sandbox.Faults.PendingHttpFaults);
        Assert.DoesNotContain(support, (await h.Client.GetMemberAsync(guild, luis)).Roles);
    }

    [Fact]
    public async Task Idempotent_call_gives_up_after_max_retries_with_the_typed_error()
    {
        await using var h = await Harness.StartAsync();
        h.Sandbox.Faults.InjectServerErrors(10, 503, GetChannelRoute);

        var ex = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Client.GetChannelAsync(General));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(Harness.MaxRetries, h.Transport.Diagnostics.Retries);
        Assert.Equal(Harness.MaxRetries + 1, h.Transport.Diagnostics.RequestsSent);
    }

    [Fact]
    public async Task Post_and_patch_are_not_retried_after_5xx_and_the_post_is_not_applied_twice()
    {
        await using var h = await Harness.StartAsync();
        var before = await h.Client.GetMessagesAsync(Random, new ListMessagesQuery { Limit = 100 });

        h.Sandbox.Faults.InjectServerErrors(1, 500, CreateMessageRoute);
        var post = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Client.CreateMessageAsync(Random, "exactly once?"));
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);

        var after = await h.Client.GetMessagesAsync(Random, new ListMessagesQuery { Limit = 100 });
        Assert.Equal(before.Count, after.Count);
        Assert.DoesNotContain(after, m => m.Content == "exactly once?");

        var message = await h.Client.CreateMessageAsync(Random, "edit me");
        h.Sandbox.Faults.InjectServerErrors(1, 502, "PATCH /channels/{channel_id}/messages/{message_id}");
        var patch = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Client.EditMessageAsync(Random, message.Id, new EditMessageRequest { Content = "edited" }));
        Assert.Equal(HttpStatusCode.BadGateway, patch.StatusCode);

        Assert.Equal(0, h.Transport.Diagnostics.Retries);
        Assert.Equal("edit me", (await h.Client.GetMessageAsync(Random, message.Id)).Content);
    }

    /// <summary>A sandbox (real clock) and a client whose clock the test drives: every client-side wait is a timer the test sees.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);
        public const int MaxRetries = 3;

        private readonly HttpClient _http;

        private Harness(SandboxHost sandbox, HttpClient http, ObservableTimeProvider time, DiscordRestTransport transport)
        {
            Sandbox = sandbox;
            _http = http;
            Time = time;
            Transport = transport;
            Client = new DiscordRestClient(transport, time);
        }

        public SandboxHost Sandbox { get; }

        public ObservableTimeProvider Time { get; }

        public DiscordRestTransport Transport { get; }

        public DiscordRestClient Client { get; }

        public static async Task<Harness> StartAsync()
        {
            var options = new SandboxOptions();
            // Enforced, but far from these few calls: only the injected faults limit them.
            options.RateLimits.DefaultLimit = 1000;
            options.RateLimits.GlobalPerSecond = 1000;
            var sandbox = await SandboxHost.StartAsync(options);
            var time = new ObservableTimeProvider(DemoGuild.ReferenceNow);
            var http = new HttpClient();
            var transport = new DiscordRestTransport(http, new DiscordClientOptions
            {
                BaseUrl = sandbox.ApiBaseUrl,
                Token = sandbox.BotToken,
                GlobalRequestsPerSecond = 1000,
                PreemptiveResetMargin = Margin,
                MaxRetries = MaxRetries,
                RetryBaseDelay = TimeSpan.Zero, // back-off timing is covered by the transport's unit tests
                RequestTimeout = Timeout.InfiniteTimeSpan, // no time-out timers among the waits the tests observe
                MaxRateLimitWait = TimeSpan.FromSeconds(10),
            }, time, SecretScan.CreateLogger("Integration.Tests", "DiscordRestTransport"));
            return new Harness(sandbox, http, time, transport);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Sandbox.DisposeAsync();
        }
    }
}
