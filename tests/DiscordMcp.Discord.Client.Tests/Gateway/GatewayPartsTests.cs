using DiscordMcp.Testing;
using System.Text;
using DiscordMcp.Discord.Client.Gateway;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

public sealed class GatewayOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_use_no_privileged_intent()
    {
        var options = new GatewayOptions { Token = "abc.def" };

        Assert.Empty(options.GetValidationErrors());
        Assert.False(options.Intents.IsPrivileged());
        Assert.Equal(GatewayIntentSets.Default, options.Intents);
        Assert.Equal((0, 1), (options.ShardId, options.ShardCount));
        Assert.False(options.Compress);
    }

    [Theory]
    [InlineData(49)]
    [InlineData(251)]
    public void Large_threshold_outside_50_to_250_is_rejected_naming_the_option_and_limits(int threshold)
    {
        var options = new GatewayOptions { Token = "abc", LargeThreshold = threshold };

        var error = Assert.Single(options.GetValidationErrors());
        Assert.Contains("LargeThreshold", error, StringComparison.Ordinal);
        Assert.Contains("50", error, StringComparison.Ordinal);
        Assert.Contains("250", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_id_must_be_below_shard_count()
    {
        var options = new GatewayOptions { Token = "abc", ShardId = 2, ShardCount = 2 };

        Assert.Contains(options.GetValidationErrors(), e => e.Contains("ShardId", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_token_is_rejected_and_a_bad_token_is_never_echoed()
    {
        Assert.Contains(new GatewayOptions().GetValidationErrors(), e => e.Contains("Token is required", StringComparison.Ordinal));

        var options = new GatewayOptions { Token = "Bot secret-value" };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_intent_bits_are_rejected()
    {
        var options = new GatewayOptions { Token = "abc", Intents = GatewayIntents.Guilds | (GatewayIntents)(1UL << 40) };

        Assert.Contains(options.GetValidationErrors(), e => e.Contains("Intents", StringComparison.Ordinal) && e.Contains("4013", StringComparison.Ordinal));
    }

    [Fact]
    public void Privileged_intents_are_exactly_members_presences_and_message_content()
    {
        Assert.True(GatewayIntents.GuildMembers.IsPrivileged());
        Assert.True(GatewayIntents.GuildPresences.IsPrivileged());
        Assert.True(GatewayIntents.MessageContent.IsPrivileged());
        Assert.False((GatewayIntentSets.All & ~GatewayIntentSets.Privileged).IsPrivileged());
        Assert.Equal(513UL, (ulong)(GatewayIntents.Guilds | GatewayIntents.GuildMessages));
    }

    [Fact]
    public void Client_refuses_invalid_options_at_construction()
    {
        var source = new FixedGatewayUrlSource(new GatewayBotInfo(new Uri("wss://g.test"), 1, new SessionStartLimit(1000, 1000, TimeSpan.Zero, 1)));

        var error = Assert.Throws<ArgumentException>(() => new GatewayClient(new GatewayOptions { Token = "abc", ShardCount = 0 }, source));

        Assert.Contains("ShardCount", error.Message, StringComparison.Ordinal);
    }
}

public sealed class GatewayCloseCodeTests
{
    [Theory]
    [InlineData(4000, GatewayCloseAction.Resume)]
    [InlineData(4001, GatewayCloseAction.Resume)]
    [InlineData(4002, GatewayCloseAction.Resume)]
    [InlineData(4008, GatewayCloseAction.Resume)]
    [InlineData(1006, GatewayCloseAction.Resume)]
    [InlineData(4003, GatewayCloseAction.Reidentify)]
    [InlineData(4005, GatewayCloseAction.Reidentify)]
    [InlineData(4007, GatewayCloseAction.Reidentify)]
    [InlineData(4009, GatewayCloseAction.Reidentify)]
    [InlineData(4004, GatewayCloseAction.Fatal)]
    [InlineData(4010, GatewayCloseAction.Fatal)]
    [InlineData(4011, GatewayCloseAction.Fatal)]
    [InlineData(4012, GatewayCloseAction.Fatal)]
    [InlineData(4013, GatewayCloseAction.Fatal)]
    [InlineData(4014, GatewayCloseAction.Fatal)]
    public void Close_codes_map_to_discords_documented_action(int code, GatewayCloseAction expected) =>
        Assert.Equal(expected, GatewayCloseCodes.Classify(code));
}

public sealed class IdentifyLimiterTests
{
    [Fact]
    public async Task Shards_with_the_same_key_identify_five_seconds_apart()
    {
        var time = new ObservableTimeProvider();
        var limiter = new InMemoryGatewayIdentifyLimiter(time);

        await limiter.WaitToIdentifyAsync(0, 1, CancellationToken.None);
        var second = limiter.WaitToIdentifyAsync(1, 1, CancellationToken.None).AsTask();

        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextTimerAsync());
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await second.WaitAsync(Scripted.Timeout);
    }

    [Fact]
    public async Task Shards_with_different_keys_identify_together_up_to_max_concurrency()
    {
        var time = new ObservableTimeProvider();
        var limiter = new InMemoryGatewayIdentifyLimiter(time);

        await limiter.WaitToIdentifyAsync(0, 2, CancellationToken.None);
        await limiter.WaitToIdentifyAsync(1, 2, CancellationToken.None);
        Assert.True(time.NoPendingTimers);
        // Shard 2 shares key 0 with shard 0.
        var third = limiter.WaitToIdentifyAsync(2, 2, CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromSeconds(5));
        await third.WaitAsync(Scripted.Timeout);
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_slot_back()
    {
        var time = new ObservableTimeProvider();
        var limiter = new InMemoryGatewayIdentifyLimiter(time);
        await limiter.WaitToIdentifyAsync(0, 1, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = limiter.WaitToIdentifyAsync(0, 1, cts.Token).AsTask();
        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextTimerAsync());

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var next = limiter.WaitToIdentifyAsync(0, 1, CancellationToken.None).AsTask();

        // The next caller gets the slot the cancelled one held (5 s after the first), not 10 s.
        Assert.Equal(TimeSpan.FromSeconds(5), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromSeconds(5));
        await next.WaitAsync(Scripted.Timeout);
    }

    [Fact]
    public async Task A_later_identify_after_the_window_does_not_wait()
    {
        var time = new ObservableTimeProvider();
        var limiter = new InMemoryGatewayIdentifyLimiter(time);
        await limiter.WaitToIdentifyAsync(0, 1, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(6));
        var next = limiter.WaitToIdentifyAsync(0, 1, CancellationToken.None);

        Assert.True(next.IsCompletedSuccessfully);
        Assert.True(time.NoPendingTimers);
    }
}

public sealed class ClientEventRateLimiterTests
{
    [Fact]
    public void Normal_sends_wait_once_the_window_is_full_minus_the_reserve_and_priority_sends_never_wait()
    {
        var time = new ObservableTimeProvider();
        var limiter = new ClientEventRateLimiter(time);
        var allowed = GatewayLimits.MaxClientEventsPerWindow - ClientEventRateLimiter.ReservedForPriority;
        for (var i = 0; i < allowed; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.DelayFor(priority: false));
            limiter.Record();
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // The oldest send leaves the 60 s window 60 s after it was made.
        Assert.Equal(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(100 * allowed), limiter.DelayFor(priority: false));
        Assert.Equal(TimeSpan.Zero, limiter.DelayFor(priority: true));

        time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(100 * allowed));
        Assert.Equal(TimeSpan.Zero, limiter.DelayFor(priority: false));
    }
}

public sealed class GatewayFrameReaderTests
{
    [Fact]
    public void Reads_op_sequence_name_and_locates_d_in_any_property_order()
    {
        var reader = new GatewayFrameReader();
        var json = Encoding.UTF8.GetBytes("""{"t":"MESSAGE_CREATE","s":42,"op":0,"d":{"content":"a}b","x":[1,{"y":2}]},"extra":true}""");

        var frame = reader.Read(json);

        Assert.Equal(0, frame.Op);
        Assert.Equal(42, frame.Sequence);
        Assert.Equal("MESSAGE_CREATE", frame.EventName);
        Assert.Equal("""{"content":"a}b","x":[1,{"y":2}]}""", Encoding.UTF8.GetString(json, frame.DataStart, frame.DataLength));
    }

    [Fact]
    public void Event_names_are_cached_so_steady_state_reuses_the_same_string()
    {
        var reader = new GatewayFrameReader();
        var json = Encoding.UTF8.GetBytes("""{"op":0,"s":1,"t":"GUILD_CREATE","d":{}}""");

        Assert.Same(reader.Read(json).EventName, reader.Read(json).EventName);
    }

    [Fact]
    public void Null_fields_and_scalar_d_are_handled()
    {
        var reader = new GatewayFrameReader();
        var json = Encoding.UTF8.GetBytes("""{"op":9,"d":false,"s":null,"t":null}""");

        var frame = reader.Read(json);

        Assert.Equal(9, frame.Op);
        Assert.Null(frame.Sequence);
        Assert.Null(frame.EventName);
        Assert.Equal("false", Encoding.UTF8.GetString(json, frame.DataStart, frame.DataLength));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"d":1}""")]
    public void Malformed_frames_become_protocol_errors(string json) =>
        Assert.Throws<DiscordProtocolException>(() => new GatewayFrameReader().Read(Encoding.UTF8.GetBytes(json)));
}
