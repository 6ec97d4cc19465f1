using System.Text.Json;
using DiscordMcp.Discord.Client.Gateway;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

public sealed class GatewayClientTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(41_250);

    [Fact]
    public async Task Hello_is_answered_with_identify_carrying_token_intents_shard_properties_and_large_threshold()
    {
        await using var h = new GatewayHarness(o =>
        {
            o.ShardId = 1;
            o.ShardCount = 3;
            o.LargeThreshold = 100;
            o.Intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages;
        });
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        Assert.Equal("wss://gateway.test/?v=10&encoding=json", connection.Uri!.ToString());

        connection.Hello();
        var identify = await connection.NextSentAsync(2);

        var d = identify.GetProperty("d");
        Assert.Equal(GatewayHarness.Token, d.GetProperty("token").GetString());
        Assert.Equal(513UL, d.GetProperty("intents").GetUInt64());
        Assert.Equal([1, 3], d.GetProperty("shard").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(100, d.GetProperty("large_threshold").GetInt32());
        Assert.Equal("DiscordMCP", d.GetProperty("properties").GetProperty("browser").GetString());
        Assert.False(string.IsNullOrEmpty(d.GetProperty("properties").GetProperty("os").GetString()));
        Assert.False(string.IsNullOrEmpty(d.GetProperty("properties").GetProperty("device").GetString()));
        Assert.Equal(GatewayState.Identifying, h.Client.State);
    }

    [Fact]
    public async Task Ready_stores_session_user_and_application_and_is_dispatched()
    {
        await using var h = new GatewayHarness();
        await h.StartReadyAsync();

        Assert.Equal(GatewayState.Ready, h.Client.State);
        Assert.Equal("session-1", h.Client.SessionId);
        Assert.Equal(1100000000000000001UL, h.Client.CurrentUserId!.Value.Value);
        Assert.Equal(1100000000000000002UL, h.Client.ApplicationId!.Value.Value);
        Assert.Equal(1L, h.Client.Sequence);
    }

    [Fact]
    public async Task First_heartbeat_waits_interval_times_jitter_then_every_interval_with_the_last_sequence()
    {
        await using var h = new GatewayHarness();
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();
        await connection.NextSentAsync(2);

        // Jitter comes from the injected Random(42): its first draw.
        await h.Time.FireNextTimerAsync(GatewayHarness.FirstHeartbeat(Interval, 0));
        var first = await connection.NextSentAsync(1);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("d").ValueKind);

        connection.Ack();
        connection.Ready(seq: 1);
        connection.Dispatch("MESSAGE_CREATE", 2);
        await h.ReadDispatchAsync();
        await h.ReadDispatchAsync();

        await h.Time.FireNextTimerAsync(Interval);
        var second = await connection.NextSentAsync(1);
        Assert.Equal(2, second.GetProperty("d").GetInt64());
        Assert.False(connection.WasClosedByClient);
    }

    [Fact]
    public async Task Heartbeat_ack_records_latency()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        await h.Time.FireNextTimerAsync(GatewayHarness.FirstHeartbeat(Interval, 0));
        await connection.NextSentAsync(1);

        h.Time.Advance(TimeSpan.FromMilliseconds(120));
        connection.Ack();
        // Frames are handled in order: once the client answers this request, the ACK before it was processed.
        connection.Send("""{"op":1,"d":null}""");
        await connection.NextSentAsync(1);

        Assert.Equal(TimeSpan.FromMilliseconds(120), h.Client.HeartbeatLatency);
    }

    [Fact]
    public async Task Server_heartbeat_request_is_answered_immediately()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.Send("""{"op":1,"d":null}""");
        var heartbeat = await connection.NextSentAsync(1);

        Assert.Equal(1, heartbeat.GetProperty("d").GetInt64());
    }

    [Fact]
    public async Task Missing_ack_closes_the_zombie_with_4000_and_resumes_on_the_resume_url_with_session_and_sequence()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        connection.Dispatch("MESSAGE_CREATE", 2);
        await h.ReadDispatchAsync();

        await h.Time.FireNextTimerAsync(GatewayHarness.FirstHeartbeat(Interval, 0));
        await connection.NextSentAsync(1);
        // No ACK: when the next heartbeat is due, the connection is a zombie.
        await h.Time.FireNextTimerAsync(Interval);

        Assert.Equal(4000, await connection.ClosedByClient);
        Assert.False(connection.HasUnreadSent);
        var resumed = await h.Server.NextConnectionAsync();
        Assert.Equal("wss://resume.test/?v=10&encoding=json", resumed.Uri!.ToString());
        resumed.Hello();
        var resume = await resumed.NextSentAsync(6);
        Assert.Equal(GatewayHarness.Token, resume.GetProperty("d").GetProperty("token").GetString());
        Assert.Equal("session-1", resume.GetProperty("d").GetProperty("session_id").GetString());
        Assert.Equal(2, resume.GetProperty("d").GetProperty("seq").GetInt64());
        Assert.Equal(GatewayState.Resuming, h.Client.State);

        resumed.Dispatch("RESUMED", 3);
        Assert.Equal("RESUMED", (await h.ReadDispatchAsync()).EventName);
        Assert.Equal(GatewayState.Ready, h.Client.State);
    }

    [Fact]
    public async Task Reconnect_op7_closes_with_a_resumable_code_and_resumes()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.Send("""{"op":7,"d":null}""");

        Assert.Equal(4000, await connection.ClosedByClient);
        var next = await h.Server.NextConnectionAsync();
        Assert.Equal("resume.test", next.Uri!.Host);
        next.Hello();
        var resume = await next.NextSentAsync(6);
        Assert.Equal(1, resume.GetProperty("d").GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Invalid_session_resumable_resumes()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.Send("""{"op":9,"d":true}""");

        Assert.NotEqual(1000, await connection.ClosedByClient);
        var next = await h.Server.NextConnectionAsync();
        Assert.Equal("resume.test", next.Uri!.Host);
        next.Hello();
        await next.NextSentAsync(6);
    }

    [Fact]
    public async Task Invalid_session_not_resumable_waits_one_to_five_seconds_then_identifies_on_the_gateway_url()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        // Consume the heartbeat's initial timer notification so the next one is the invalid-session wait.
        Assert.Equal(GatewayHarness.FirstHeartbeat(Interval, 0), await h.Time.NextTimerAsync());

        connection.Send("""{"op":9,"d":false}""");

        Assert.Equal(1000, await connection.ClosedByClient);
        var wait = await h.Time.NextTimerAsync();
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        Assert.Equal(GatewayHarness.Ms(1000 + 4000 * GatewayHarness.Jitter(1)), wait);
        Assert.False(h.Server.HasPendingConnection);
        Assert.Null(h.Client.SessionId);

        h.Time.Advance(wait);
        var next = await h.Server.NextConnectionAsync();
        Assert.Equal("gateway.test", next.Uri!.Host);
        next.Hello();
        // The identify limiter holds the second identify until 5 s after the first.
        await h.Time.FireTimerWithDueAsync(TimeSpan.FromSeconds(5) - wait);
        await next.NextSentAsync(2);
    }

    [Theory]
    [InlineData(4004, "token")]
    [InlineData(4010, "ShardId")]
    [InlineData(4011, "ShardCount")]
    [InlineData(4012, "version")]
    [InlineData(4013, "intents")]
    [InlineData(4014, "MessageContent")]
    public async Task Fatal_close_codes_stop_with_a_reason_that_says_how_to_fix_it(int code, string hint)
    {
        await using var h = new GatewayHarness(o => o.Intents = GatewayIntentSets.Default | GatewayIntents.MessageContent);
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();
        await connection.NextSentAsync(2);

        connection.ServerClose(code, "nope");

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(Scripted.Timeout));
        Assert.Equal(code, stopped.CloseCode);
        Assert.Contains(hint, stopped.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), stopped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.Token, stopped.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayState.Stopped, h.Client.State);
        Assert.Equal(1, h.Server.ConnectionCount);
        // Consumers see the stop too.
        await Assert.ThrowsAsync<GatewayStoppedException>(async () => await h.Client.Dispatches.Completion.WaitAsync(Scripted.Timeout));
        Assert.Contains(h.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains(hint, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(GatewayHarness.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disallowed_intents_message_names_the_privileged_intent_and_the_developer_portal()
    {
        await using var h = new GatewayHarness(o => o.Intents = GatewayIntents.Guilds | GatewayIntents.GuildMembers);
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();
        await connection.NextSentAsync(2);

        connection.ServerClose(4014);

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(Scripted.Timeout));
        Assert.Contains("GuildMembers", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("developer portal", stopped.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4003)]
    [InlineData(4005)]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task Session_ending_close_codes_identify_again_on_the_gateway_url(int code)
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.ServerClose(code);

        var next = await h.Server.NextConnectionAsync();
        Assert.Equal("gateway.test", next.Uri!.Host);
        next.Hello();
        await h.Time.FireTimerWithDueAsync(TimeSpan.FromSeconds(5));
        await next.NextSentAsync(2);
        Assert.Null(h.Client.SessionId);
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4001)]
    [InlineData(4002)]
    [InlineData(4008)]
    [InlineData(4999)]
    [InlineData(1006)]
    public async Task Resumable_close_codes_resume_the_session(int code)
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.ServerClose(code);

        var next = await h.Server.NextConnectionAsync();
        Assert.Equal("resume.test", next.Uri!.Host);
        next.Hello();
        var resume = await next.NextSentAsync(6);
        Assert.Equal("session-1", resume.GetProperty("d").GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task Dropped_connection_resumes_and_every_event_is_dispatched_exactly_once_in_order()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        connection.Dispatch("MESSAGE_CREATE", 2, """{"id":"2"}""");
        connection.Dispatch("MESSAGE_CREATE", 3, """{"id":"3"}""");
        connection.DropConnection();

        var next = await h.Server.NextConnectionAsync();
        next.Hello();
        var resume = await next.NextSentAsync(6);
        Assert.Equal(3, resume.GetProperty("d").GetProperty("seq").GetInt64());
        // The server replays from an overlapping point: 3 was already delivered and must not be repeated.
        next.Dispatch("MESSAGE_CREATE", 3, """{"id":"3"}""");
        next.Dispatch("MESSAGE_CREATE", 4, """{"id":"4"}""");
        next.Dispatch("MESSAGE_UPDATE", 5, """{"id":"4"}""");
        next.Dispatch("RESUMED", 6);
        next.Dispatch("MESSAGE_CREATE", 7, """{"id":"7"}""");

        var received = new List<(string, long)>();
        for (var i = 0; i < 6; i++)
        {
            var dispatch = await h.ReadDispatchAsync();
            received.Add((dispatch.EventName, dispatch.Sequence));
        }

        Assert.Equal(
            [("MESSAGE_CREATE", 2), ("MESSAGE_CREATE", 3), ("MESSAGE_CREATE", 4), ("MESSAGE_UPDATE", 5), ("RESUMED", 6), ("MESSAGE_CREATE", 7)],
            received);
        Assert.False(h.Client.Dispatches.TryPeek(out _));
    }

    [Fact]
    public async Task Dispatch_data_is_the_raw_d_json()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        connection.Dispatch("MESSAGE_CREATE", 2, """{"id":"123","content":"hi \"there\"","nested":{"a":[1,2]}}""");
        var dispatch = await h.ReadDispatchAsync();

        using var doc = dispatch.ParseData();
        Assert.Equal("hi \"there\"", doc.RootElement.GetProperty("content").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("nested").GetProperty("a").GetArrayLength());
    }

    [Fact]
    public async Task A_blocked_consumer_does_not_stop_heartbeats()
    {
        await using var h = new GatewayHarness(o => o.DispatchQueueCapacity = GatewayOptions.MinDispatchQueueCapacity);
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();
        await connection.NextSentAsync(2);

        // Nobody reads: the queue (16) fills up and the receive loop waits on it.
        const int Events = 20;
        for (var s = 1; s <= Events; s++)
            connection.Dispatch("MESSAGE_CREATE", s);
        // The receive loop is stuck once it holds the 17th event and finds the queue full. There is no frame to
        // observe that, so watch its sequence (a bounded spin, not a timed sleep).
        await WaitUntilAsync(() => h.Client.Sequence == 17);

        await h.Time.FireNextTimerAsync(GatewayHarness.FirstHeartbeat(Interval, 0));
        var heartbeat = await connection.NextSentAsync(1);
        // 16 queued plus the 17th received and waiting for room.
        Assert.Equal(17, heartbeat.GetProperty("d").GetInt64());

        for (var s = 1; s <= Events; s++)
            Assert.Equal(s, (await h.ReadDispatchAsync()).Sequence);
        Assert.False(connection.WasClosedByClient);
    }

    [Fact]
    public async Task Connection_failures_back_off_with_growing_bounded_jittered_delays()
    {
        await using var h = new GatewayHarness();
        h.Server.FailNextConnects(3);
        await h.Client.StartAsync();

        var first = await h.Time.NextTimerAsync();
        Assert.Equal(GatewayHarness.Ms(1000 * (0.5 + 0.5 * GatewayHarness.Jitter(0))), first);
        h.Time.Advance(first);
        var second = await h.Time.NextTimerAsync();
        Assert.Equal(GatewayHarness.Ms(2000 * (0.5 + 0.5 * GatewayHarness.Jitter(1))), second);
        h.Time.Advance(second);
        var third = await h.Time.NextTimerAsync();
        Assert.InRange(third, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal(0, h.Server.ConnectionCount);
        h.Time.Advance(third);

        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();
        await connection.NextSentAsync(2);
    }

    [Fact]
    public async Task Second_identify_of_the_same_rate_limit_key_waits_five_seconds()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        Assert.Equal(GatewayHarness.FirstHeartbeat(Interval, 0), await h.Time.NextTimerAsync());
        connection.ServerClose(4009);

        var next = await h.Server.NextConnectionAsync();
        next.Hello();
        // The new connection arms its heartbeat timer, then the identify limiter waits out the 5 s window.
        Assert.Equal(GatewayHarness.FirstHeartbeat(Interval, 1), await h.Time.NextTimerAsync());
        Assert.Equal(TimeSpan.FromSeconds(5), await h.Time.NextTimerAsync());
        Assert.False(next.HasUnreadSent);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await next.NextSentAsync(2);
    }

    [Fact]
    public async Task Identify_budget_exhausted_beyond_the_maximum_wait_stops_with_a_clear_reason()
    {
        await using var h = new GatewayHarness(remaining: 0);
        await h.Client.StartAsync();
        var connection = await h.Server.NextConnectionAsync();
        connection.Hello();

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(Scripted.Timeout));
        Assert.Contains("identify budget", stopped.Message, StringComparison.Ordinal);
        Assert.Null(stopped.CloseCode);
    }

    [Fact]
    public async Task Request_guild_members_sends_op8_with_guild_query_limit_and_nonce()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        await h.Client.RequestGuildMembersAsync(new Snowflake(1200000000000000001), query: "lu", limit: 10, nonce: "n1");

        var frame = await connection.NextSentAsync(8);
        var d = frame.GetProperty("d");
        Assert.Equal("1200000000000000001", d.GetProperty("guild_id").GetString());
        Assert.Equal("lu", d.GetProperty("query").GetString());
        Assert.Equal(10, d.GetProperty("limit").GetInt32());
        Assert.Equal("n1", d.GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task Request_guild_members_by_user_ids_omits_query()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        await h.Client.RequestGuildMembersAsync(new Snowflake(1200000000000000001), query: null, userIds: [new Snowflake(1300000000000000001)]);

        var d = (await connection.NextSentAsync(8)).GetProperty("d");
        Assert.False(d.TryGetProperty("query", out _));
        Assert.Equal("1300000000000000001", d.GetProperty("user_ids")[0].GetString());
    }

    [Fact]
    public async Task Request_guild_members_for_everyone_without_the_members_intent_is_refused_naming_the_field()
    {
        await using var h = new GatewayHarness();
        await h.StartReadyAsync();

        var error = await Assert.ThrowsAsync<DiscordValidationException>(() =>
            h.Client.RequestGuildMembersAsync(new Snowflake(1200000000000000001), query: "", limit: 0).AsTask());

        Assert.Equal("limit", error.Field);
        Assert.Contains("GuildMembers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_closes_with_1000_and_completes_the_dispatch_stream()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();

        await h.Client.StopAsync();

        Assert.Equal(1000, await connection.ClosedByClient);
        Assert.Equal(GatewayState.Stopped, h.Client.State);
        await h.Client.Completion.WaitAsync(Scripted.Timeout);
        await h.Client.Dispatches.Completion.WaitAsync(Scripted.Timeout);
        Assert.Equal(1, h.Server.ConnectionCount);
    }

    [Fact]
    public async Task The_token_never_appears_in_logs()
    {
        await using var h = new GatewayHarness();
        var connection = await h.StartReadyAsync();
        connection.Send("""{"op":7,"d":null}""");
        var next = await h.Server.NextConnectionAsync();
        next.Hello();
        await next.NextSentAsync(6);

        Assert.NotEmpty(h.Logs.Lines);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(GatewayHarness.Token, StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Scripted.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Yield();
        }
    }
}
