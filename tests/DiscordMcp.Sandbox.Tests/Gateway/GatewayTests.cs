using System.Net.WebSockets;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Sandbox.Tests.Gateway;

public sealed class GatewayTests
{
    private const int Guilds = 1 << 0;
    private const int GuildMembers = 1 << 1;
    private const int GuildMessages = 1 << 9;
    private const int MessageContent = 1 << 15;
    private const string Token = SandboxOptions.DefaultBotToken;
    private static readonly DateTimeOffset Start = new(2026, 2, 23, 12, 0, 0, TimeSpan.Zero);

    private static Task<TestSandboxApp> StartAsync(FakeGatewayData data, FakeTimeProvider? time = null, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { TimeProvider = time ?? new FakeTimeProvider(Start), HeartbeatInterval = TimeSpan.FromSeconds(41.25) };
        configure?.Invoke(options);
        return TestSandboxApp.StartAsync(options, data);
    }

    private static JsonObject Dispatch(string name, int id) => new() { ["id"] = "13000000000000005" + id.ToString("00", System.Globalization.CultureInfo.InvariantCulture), ["name"] = name };

    [Fact]
    public async Task Hello_identify_ready_then_one_guild_create_per_guild()
    {
        var data = new FakeGatewayData();
        await using var app = await StartAsync(data);
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        var hello = await client.ReceiveAsync();
        Assert.Equal(10, hello["op"]!.GetValue<int>());
        Assert.Equal(41250, hello["d"]!["heartbeat_interval"]!.GetValue<int>());

        await client.SendAsync(GatewayTestClient.IdentifyPayload(Token, Guilds | GuildMessages));
        var ready = await client.ReceiveDispatchAsync("READY");
        var d = ready["d"]!.AsObject();
        Assert.Equal(1, ready["s"]!.GetValue<int>());
        Assert.Equal(10, d["v"]!.GetValue<int>());
        Assert.Equal(FakeGatewayData.BotId, d["user"]!["id"]!.GetValue<string>());
        Assert.Equal(FakeGatewayData.BotId, d["application"]!["id"]!.GetValue<string>());
        Assert.NotNull(d["application"]!["flags"]);
        Assert.Equal(32, d["session_id"]!.GetValue<string>().Length);
        Assert.Equal(app.GatewayUrl("").AbsoluteUri.TrimEnd('/'), d["resume_gateway_url"]!.GetValue<string>().TrimEnd('/'));
        var guild = Assert.Single(d["guilds"]!.AsArray())!;
        Assert.Equal(FakeGatewayData.GuildId, guild["id"]!.GetValue<string>());
        Assert.True(guild["unavailable"]!.GetValue<bool>());

        var guildCreate = await client.ReceiveDispatchAsync("GUILD_CREATE");
        Assert.Equal(2, guildCreate["s"]!.GetValue<int>());
        Assert.Equal(FakeGatewayData.GuildId, guildCreate["d"]!["id"]!.GetValue<string>());
        Assert.Equal("general", guildCreate["d"]!["channels"]![0]!["name"]!.GetValue<string>());
        Assert.False(guildCreate["d"]!["unavailable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Heartbeat_is_acknowledged_and_server_can_request_one()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });
        Assert.Equal(11, (await client.ReceiveAsync())["op"]!.GetValue<int>());

        app.Faults.GatewayRequestHeartbeat();
        Assert.Equal(1, (await client.ReceiveAsync())["op"]!.GetValue<int>());
    }

    [Fact]
    public async Task Zombie_fault_stops_heartbeat_acks()
    {
        var data = new FakeGatewayData();
        await using var app = await StartAsync(data);
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");

        app.Faults.GatewayZombie = true;
        await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = 2 });
        data.Publish("CHANNEL_CREATE", FakeGatewayData.GuildId, Dispatch("after-heartbeat", 1));
        // Frames are sent in order: had an ACK been sent it would precede this dispatch.
        var next = await client.ReceiveAsync();
        Assert.Equal(0, next["op"]!.GetValue<int>());
        Assert.Equal("CHANNEL_CREATE", next["t"]!.GetValue<string>());

        app.Faults.GatewayZombie = false;
        await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = 3 });
        Assert.Equal(11, (await client.ReceiveAsync())["op"]!.GetValue<int>());
    }

    [Fact]
    public async Task Reconnect_fault_sends_op_7()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        app.Faults.GatewayReconnect();
        Assert.Equal(7, (await client.ReceiveAsync())["op"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invalid_session_fault_sends_op_9_and_only_a_resumable_one_can_resume(bool resumable)
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, ready) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        app.Faults.GatewayInvalidSession(resumable);
        var op9 = await client.ReceiveAsync();
        Assert.Equal(9, op9["op"]!.GetValue<int>());
        Assert.Equal(resumable, op9["d"]!.GetValue<bool>());
        await client.CloseAsync((WebSocketCloseStatus)4000);
        await client.DisposeAsync();

        await using var second = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await second.ReceiveAsync();
        await second.SendAsync(Resume(ready["session_id"]!.GetValue<string>(), 2));
        var answer = await second.ReceiveAsync();
        if (resumable)
        {
            Assert.Equal("RESUMED", answer["t"]!.GetValue<string>());
            Assert.Equal(3, answer["s"]!.GetValue<int>());
        }
        else
        {
            Assert.Equal(9, answer["op"]!.GetValue<int>());
            Assert.False(answer["d"]!.GetValue<bool>());
        }
    }

    private static JsonObject Resume(string sessionId, long seq, string token = Token) => new()
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = token, ["session_id"] = sessionId, ["seq"] = seq },
    };

    [Fact]
    public async Task Resume_after_a_dropped_socket_replays_missed_events_in_order_with_continuous_sequence()
    {
        var data = new FakeGatewayData();
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(data, time);
        var (client, ready) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        data.Publish("CHANNEL_CREATE", FakeGatewayData.GuildId, Dispatch("seen", 1));
        Assert.Equal(3, (await client.ReceiveDispatchAsync("CHANNEL_CREATE"))["s"]!.GetValue<int>());

        app.Faults.GatewayDropSocket();
        await Assert.ThrowsAnyAsync<Exception>(client.ReceiveAsync);
        await client.DisposeAsync();
        data.Publish("CHANNEL_CREATE", FakeGatewayData.GuildId, Dispatch("missed-1", 2));
        data.Publish("CHANNEL_UPDATE", FakeGatewayData.GuildId, Dispatch("missed-2", 3));
        time.Advance(TimeSpan.FromMinutes(1));

        await using var resumed = await GatewayTestClient.ConnectAsync(new Uri(ready["resume_gateway_url"]!.GetValue<string>() + "?v=10&encoding=json"));
        await resumed.ReceiveAsync();
        await resumed.SendAsync(Resume(ready["session_id"]!.GetValue<string>(), 3));
        var first = await resumed.ReceiveDispatchAsync("CHANNEL_CREATE");
        var second = await resumed.ReceiveDispatchAsync("CHANNEL_UPDATE");
        var done = await resumed.ReceiveDispatchAsync("RESUMED");
        Assert.Equal(("missed-1", 4), (first["d"]!["name"]!.GetValue<string>(), first["s"]!.GetValue<int>()));
        Assert.Equal(("missed-2", 5), (second["d"]!["name"]!.GetValue<string>(), second["s"]!.GetValue<int>()));
        Assert.Equal(6, done["s"]!.GetValue<int>());

        data.Publish("CHANNEL_DELETE", FakeGatewayData.GuildId, Dispatch("live", 4));
        Assert.Equal(7, (await resumed.ReceiveDispatchAsync("CHANNEL_DELETE"))["s"]!.GetValue<int>());
    }

    [Fact]
    public async Task Resume_after_the_resume_window_gets_op_9_false()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(new FakeGatewayData(), time, o => o.GatewayResumeWindow = TimeSpan.FromMinutes(2));
        var (client, ready) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        await client.CloseAsync((WebSocketCloseStatus)4000);
        await client.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        await using var late = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await late.ReceiveAsync();
        await late.SendAsync(Resume(ready["session_id"]!.GetValue<string>(), 2));
        var answer = await late.ReceiveAsync();
        Assert.Equal(9, answer["op"]!.GetValue<int>());
        Assert.False(answer["d"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure, false)]
    [InlineData(WebSocketCloseStatus.EndpointUnavailable, false)]
    [InlineData((WebSocketCloseStatus)4000, true)]
    public async Task Closing_with_1000_or_1001_ends_the_session_other_codes_keep_it(WebSocketCloseStatus status, bool resumable)
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, ready) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        await client.CloseAsync(status);
        await client.DisposeAsync();

        await using var next = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await next.ReceiveAsync();
        await next.SendAsync(Resume(ready["session_id"]!.GetValue<string>(), 2));
        var answer = await next.ReceiveAsync();
        Assert.Equal(resumable ? 0 : 9, answer["op"]!.GetValue<int>());
    }

    [Fact]
    public async Task Resume_with_a_wrong_token_closes_4004()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendAsync(Resume("0123456789abcdef0123456789abcdef", 1, token: "nope"));
        Assert.Equal(4004, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("wrong-token", Guilds, null, 4004)]
    [InlineData(Token, 1 << 30, null, 4013)]
    [InlineData(Token, -1, null, 4013)]
    [InlineData(Token, Guilds, new[] { 1, 1 }, 4010)]
    [InlineData(Token, Guilds, new[] { -1, 2 }, 4010)]
    [InlineData(Token, Guilds, new[] { 0, 0 }, 4010)]
    public async Task Bad_identify_closes_with_the_fatal_code(string token, int intents, int[]? shard, int expected)
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendAsync(GatewayTestClient.IdentifyPayload(token, intents, shard));
        Assert.Equal(expected, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData(GuildMembers)]
    [InlineData(1 << 8)]
    [InlineData(MessageContent)]
    public async Task Privileged_intent_not_allowed_closes_4014(int intent)
    {
        await using var app = await StartAsync(new FakeGatewayData(), configure: o => o.AllowedPrivilegedIntents = 0);
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendAsync(GatewayTestClient.IdentifyPayload(Token, Guilds | intent));
        Assert.Equal(4014, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData("?v=9&encoding=json", 4012)]
    [InlineData("?encoding=json", 4012)]
    [InlineData("?v=10&encoding=etf", 4002)]
    public async Task Unsupported_version_or_encoding_closes(string query, int expected)
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl(query));
        Assert.Equal(expected, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Payload_over_4096_bytes_closes_4002()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendTextAsync("{\"op\":1,\"d\":null,\"x\":\"" + new string('a', 4100) + "\"}");
        Assert.Equal(4002, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Invalid_json_closes_4002()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendTextAsync("{not json");
        Assert.Equal(4002, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Second_identify_closes_4005()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        await client.SendAsync(GatewayTestClient.IdentifyPayload(Token, Guilds));
        Assert.Equal(4005, await client.ReceiveCloseAsync());
    }

    [Theory]
    [InlineData(8, 4003)]
    [InlineData(3, 4003)]
    [InlineData(99, 4001)]
    public async Task Payloads_before_identify_close_4003_and_unknown_opcodes_4001(int op, int expected)
    {
        await using var app = await StartAsync(new FakeGatewayData());
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        await client.SendAsync(new JsonObject { ["op"] = op, ["d"] = new JsonObject() });
        Assert.Equal(expected, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task More_than_120_client_events_in_60_seconds_closes_4008()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(new FakeGatewayData(), time);
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        for (var i = 0; i < 120; i++)
        {
            await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });
            Assert.Equal(11, (await client.ReceiveAsync())["op"]!.GetValue<int>());
        }
        await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });
        Assert.Equal(4008, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Client_event_window_restarts_after_60_seconds()
    {
        var time = new FakeTimeProvider(Start);
        await using var app = await StartAsync(new FakeGatewayData(), time);
        await using var client = await GatewayTestClient.ConnectAsync(app.GatewayUrl());
        await client.ReceiveAsync();
        for (var i = 0; i < 120; i++)
        {
            await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });
            await client.ReceiveAsync();
        }
        time.Advance(TimeSpan.FromSeconds(60));
        await client.SendAsync(new JsonObject { ["op"] = 1, ["d"] = null });
        Assert.Equal(11, (await client.ReceiveAsync())["op"]!.GetValue<int>());
    }

    [Fact]
    public async Task Close_fault_closes_with_the_given_code()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        app.Faults.GatewayClose(4009);
        Assert.Equal(4009, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Request_guild_members_answers_chunks_with_nonce_and_not_found()
    {
        await using var app = await StartAsync(new FakeGatewayData());
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds | GuildMembers);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");

        await client.SendAsync(new JsonObject
        {
            ["op"] = 8,
            ["d"] = new JsonObject { ["guild_id"] = FakeGatewayData.GuildId, ["query"] = "lu", ["limit"] = 0, ["nonce"] = "n-1" },
        });
        var byQuery = (await client.ReceiveDispatchAsync("GUILD_MEMBERS_CHUNK"))["d"]!;
        Assert.Equal(FakeGatewayData.GuildId, byQuery["guild_id"]!.GetValue<string>());
        Assert.Equal(["luis", "lucia"], byQuery["members"]!.AsArray().Select(m => m!["user"]!["username"]!.GetValue<string>()));
        Assert.Equal(0, byQuery["chunk_index"]!.GetValue<int>());
        Assert.Equal(1, byQuery["chunk_count"]!.GetValue<int>());
        Assert.Equal("n-1", byQuery["nonce"]!.GetValue<string>());

        await client.SendAsync(new JsonObject
        {
            ["op"] = 8,
            ["d"] = new JsonObject { ["guild_id"] = FakeGatewayData.GuildId, ["user_ids"] = new JsonArray("1300000000000000013", "1399999999999999999"), ["nonce"] = "n-2" },
        });
        var byIds = (await client.ReceiveDispatchAsync("GUILD_MEMBERS_CHUNK"))["d"]!;
        Assert.Equal("new-user", Assert.Single(byIds["members"]!.AsArray())!["user"]!["username"]!.GetValue<string>());
        Assert.Equal("1399999999999999999", Assert.Single(byIds["not_found"]!.AsArray())!.GetValue<string>());
        Assert.Equal("n-2", byIds["nonce"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_guild_members_splits_large_results_into_1000_member_chunks()
    {
        var data = new FakeGatewayData();
        for (var i = 0; i < 1500; i++)
        {
            data.Members.Add(new JsonObject
            {
                ["user"] = new JsonObject { ["id"] = (1400000000000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), ["username"] = "bulk" + i },
                ["roles"] = new JsonArray(),
            });
        }
        await using var app = await StartAsync(data);
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds | GuildMembers);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        await client.SendAsync(new JsonObject { ["op"] = 8, ["d"] = new JsonObject { ["guild_id"] = FakeGatewayData.GuildId, ["query"] = "", ["limit"] = 0 } });
        var first = (await client.ReceiveDispatchAsync("GUILD_MEMBERS_CHUNK"))["d"]!;
        var second = (await client.ReceiveDispatchAsync("GUILD_MEMBERS_CHUNK"))["d"]!;
        Assert.Equal((0, 2, 1000), (first["chunk_index"]!.GetValue<int>(), first["chunk_count"]!.GetValue<int>(), first["members"]!.AsArray().Count));
        Assert.Equal((1, 2, data.Members.Count - 1000), (second["chunk_index"]!.GetValue<int>(), second["chunk_count"]!.GetValue<int>(), second["members"]!.AsArray().Count));
    }

    [Fact]
    public async Task Events_are_filtered_by_intents_and_interactions_always_arrive()
    {
        var data = new FakeGatewayData();
        await using var app = await StartAsync(data);
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");

        data.Publish("MESSAGE_CREATE", FakeGatewayData.GuildId, FakeGatewayData.Message("1300000000000000601", "1300000000000000011", "hidden"));
        data.Publish("GUILD_MEMBER_ADD", FakeGatewayData.GuildId, new JsonObject { ["user"] = new JsonObject { ["id"] = "1300000000000000099" } });
        data.Publish("INTERACTION_CREATE", FakeGatewayData.GuildId, new JsonObject { ["id"] = "1300000000000000700", ["type"] = 3 });
        data.Publish("CHANNEL_CREATE", FakeGatewayData.GuildId, Dispatch("visible", 5));

        var interaction = await client.ReceiveDispatchAsync("INTERACTION_CREATE");
        Assert.Equal(3, interaction["s"]!.GetValue<int>());
        var channel = await client.ReceiveDispatchAsync("CHANNEL_CREATE");
        Assert.Equal(4, channel["s"]!.GetValue<int>());
    }

    [Fact]
    public async Task Message_content_is_blanked_without_the_intent_unless_the_bot_is_author_or_mentioned()
    {
        var data = new FakeGatewayData();
        await using var app = await StartAsync(data);
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds | GuildMessages);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");

        data.Publish("MESSAGE_CREATE", FakeGatewayData.GuildId, FakeGatewayData.Message("1300000000000000601", "1300000000000000011", "secret"));
        data.Publish("MESSAGE_CREATE", FakeGatewayData.GuildId, FakeGatewayData.Message("1300000000000000602", "1300000000000000011", "hey bot", FakeGatewayData.BotId));
        data.Publish("MESSAGE_CREATE", FakeGatewayData.GuildId, FakeGatewayData.Message("1300000000000000603", FakeGatewayData.BotId, "bot's own"));

        var blanked = (await client.ReceiveDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("", blanked["content"]!.GetValue<string>());
        Assert.Empty(blanked["embeds"]!.AsArray());
        Assert.Empty(blanked["attachments"]!.AsArray());
        Assert.Empty(blanked["components"]!.AsArray());
        Assert.Equal("1300000000000000601", blanked["id"]!.GetValue<string>());
        var mentioned = (await client.ReceiveDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("hey bot", mentioned["content"]!.GetValue<string>());
        Assert.Single(mentioned["embeds"]!.AsArray());
        var own = (await client.ReceiveDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("bot's own", own["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Message_content_is_kept_with_the_message_content_intent()
    {
        var data = new FakeGatewayData();
        await using var app = await StartAsync(data);
        var (client, _) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds | GuildMessages | MessageContent);
        await using var _c = client;
        await client.ReceiveDispatchAsync("GUILD_CREATE");
        data.Publish("MESSAGE_CREATE", FakeGatewayData.GuildId, FakeGatewayData.Message("1300000000000000601", "1300000000000000011", "secret"));
        var message = (await client.ReceiveDispatchAsync("MESSAGE_CREATE"))["d"]!;
        Assert.Equal("secret", message["content"]!.GetValue<string>());
        Assert.Single(message["attachments"]!.AsArray());
    }

    [Fact]
    public async Task Shard_receives_only_its_guilds()
    {
        var data = new FakeGatewayData();
        // (id >> 22) % 2 decides the shard; pick one guild per shard.
        var other = Enumerable.Range(1, 50).Select(i => 1300000000000000100UL + ((ulong)i << 22))
            .First(id => ((id >> 22) % 2) != ((ulong.Parse(FakeGatewayData.GuildId, System.Globalization.CultureInfo.InvariantCulture) >> 22) % 2))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        data.GuildIds.Add(other);
        var shardOfOther = (int)((ulong.Parse(other, System.Globalization.CultureInfo.InvariantCulture) >> 22) % 2);
        await using var app = await StartAsync(data);
        var (client, ready) = await GatewayTestClient.IdentifyAsync(app.GatewayUrl(), Token, Guilds, [shardOfOther, 2]);
        await using var _c = client;

        Assert.Equal(other, Assert.Single(ready["guilds"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal([shardOfOther, 2], ready["shard"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(other, (await client.ReceiveDispatchAsync("GUILD_CREATE"))["d"]!["id"]!.GetValue<string>());
        data.Publish("CHANNEL_CREATE", FakeGatewayData.GuildId, Dispatch("other-shard", 1));
        data.Publish("CHANNEL_CREATE", other, Dispatch("this-shard", 2));
        Assert.Equal("this-shard", (await client.ReceiveDispatchAsync("CHANNEL_CREATE"))["d"]!["name"]!.GetValue<string>());
    }
}
