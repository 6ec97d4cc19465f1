using System.Text.Json;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Sandbox.State;
using Xunit.Abstractions;

namespace DiscordMcp.Integration.Tests.Gateway;

/// <summary>Our gateway client, with the real WebSocket transport, against the sandbox's gateway.</summary>
public sealed class GatewayClientSandboxTests(ITestOutputHelper output)
{
    private const GatewayIntents WithContent = GatewayIntentSets.Default | GatewayIntents.MessageContent;

    [Fact]
    public async Task Client_logs_in_and_receives_READY_and_the_demo_guild()
    {
        await using var h = await GatewayHarness.StartAsync(output: output);

        var ready = await h.NextAsync("READY");
        var guildCreate = await h.NextAsync("GUILD_CREATE");

        using (var doc = ready.ParseData())
        {
            var sessionId = doc.RootElement.GetProperty("session_id").GetString();
            Assert.False(string.IsNullOrEmpty(sessionId));
            Assert.Equal(sessionId, h.Client.SessionId);
            Assert.Equal(DemoGuild.BotUserId, doc.RootElement.GetProperty("application").GetProperty("id").GetString());
        }
        Assert.Equal(GatewayState.Ready, h.Client.State);
        Assert.Equal(Snowflake.Parse(DemoGuild.BotUserId), h.Client.ApplicationId);
        Assert.Equal(Snowflake.Parse(DemoGuild.BotUserId), h.Client.CurrentUserId);
        Assert.Equal(1, ready.Sequence);

        using var guild = guildCreate.ParseData();
        var root = guild.RootElement;
        Assert.Equal(DemoGuild.GuildId, root.GetProperty("id").GetString());
        Assert.Equal(DemoGuild.Name, root.GetProperty("name").GetString());
        var channelIds = root.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(DemoGuild.GeneralChannelId, channelIds);
        Assert.Contains(DemoGuild.SupportChannelId, channelIds);
        var roleIds = root.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains(DemoGuild.AdminRoleId, roleIds);
        Assert.Contains(DemoGuild.EveryoneRoleId, roleIds);
        var memberIds = root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetProperty("id").GetString()).ToList();
        Assert.Contains(DemoGuild.BotUserId, memberIds);
        Assert.True(h.Client.Sequence >= 2);
    }

    [Fact]
    public async Task Message_posted_by_a_user_arrives_as_MESSAGE_CREATE_with_content_when_the_intent_is_set()
    {
        await using var h = await GatewayHarness.StartAsync(WithContent, output: output);
        await h.NextAsync("GUILD_CREATE");

        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "hello from luis");
        var created = await h.NextAsync("MESSAGE_CREATE");

        using var doc = created.ParseData();
        Assert.Equal("hello from luis", doc.RootElement.GetProperty("content").GetString());
        Assert.Equal(DemoGuild.LuisUserId, doc.RootElement.GetProperty("author").GetProperty("id").GetString());
        Assert.Equal(DemoGuild.GeneralChannelId, doc.RootElement.GetProperty("channel_id").GetString());
    }

    [Fact]
    public async Task Message_content_is_blanked_without_MESSAGE_CONTENT_unless_the_bot_is_mentioned()
    {
        await using var h = await GatewayHarness.StartAsync(GatewayIntentSets.Default, output: output);
        await h.NextAsync("GUILD_CREATE");

        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "secret plans");
        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> help me");
        var plain = await h.NextAsync("MESSAGE_CREATE");
        var mention = await h.NextAsync("MESSAGE_CREATE");

        using (var doc = plain.ParseData())
            Assert.Equal("", doc.RootElement.GetProperty("content").GetString());
        using (var doc = mention.ParseData())
            Assert.Equal($"<@{DemoGuild.BotUserId}> help me", doc.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Channel_created_through_our_REST_client_arrives_as_CHANNEL_CREATE()
    {
        await using var h = await GatewayHarness.StartAsync(output: output);
        await h.NextAsync("GUILD_CREATE");

        var channel = await h.Rest.CreateGuildChannelAsync(Snowflake.Parse(DemoGuild.GuildId), new CreateChannelRequest { Name = "gateway-test" });
        var created = await h.NextAsync("CHANNEL_CREATE");

        using var doc = created.ParseData();
        Assert.Equal(channel.Id.ToString(), doc.RootElement.GetProperty("id").GetString());
        Assert.Equal("gateway-test", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(DemoGuild.GuildId, doc.RootElement.GetProperty("guild_id").GetString());
    }

    [Fact]
    public async Task Dropped_socket_is_resumed_and_messages_posted_while_disconnected_arrive_once_in_order()
    {
        await using var h = await GatewayHarness.StartAsync(WithContent, output: output);
        await h.NextAsync("GUILD_CREATE");
        var session = h.Client.SessionId;
        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "before");
        var before = await h.NextAsync("MESSAGE_CREATE");
        var reconnect = h.HoldAttempt(2);

        h.Sandbox.Faults.GatewayDropSocket();
        await h.WaitForAttemptAsync(2);
        for (var i = 0; i < 5; i++)
            h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"while away {i}");
        reconnect.SetResult();
        await h.NextAsync(d => d.EventName == "MESSAGE_CREATE" && Content(d) == "while away 4", "last message");
        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "after");
        await h.NextAsync(d => d.EventName == "MESSAGE_CREATE" && Content(d) == "after", "message after resume");

        Assert.Equal(session, h.Client.SessionId);
        Assert.Equal(2, h.Attempts);
        var afterDrop = h.Seen.SkipWhile(d => d != before).Skip(1).ToList();
        Assert.Equal(
            ["while away 0", "while away 1", "while away 2", "while away 3", "while away 4", "after"],
            afterDrop.Where(d => d.EventName == "MESSAGE_CREATE").Select(Content));
        Assert.Contains(afterDrop, d => d.EventName == "RESUMED");
        AssertSequenceContinuous(h.Seen);
    }

    [Fact]
    public async Task Reconnect_request_op7_is_answered_with_a_resume()
    {
        await using var h = await GatewayHarness.StartAsync(output: output);
        await h.NextAsync("GUILD_CREATE");
        var session = h.Client.SessionId;

        h.Sandbox.Faults.GatewayReconnect();
        await h.NextAsync("RESUMED");

        Assert.Equal(session, h.Client.SessionId);
        Assert.Equal(2, h.Attempts);
        Assert.DoesNotContain(h.Seen.Skip(2), d => d.EventName == "READY");
        AssertSequenceContinuous(h.Seen);
    }

    [Fact]
    public async Task Resumable_invalid_session_op9_true_is_answered_with_a_resume()
    {
        await using var h = await GatewayHarness.StartAsync(output: output);
        await h.NextAsync("GUILD_CREATE");
        var session = h.Client.SessionId;

        h.Sandbox.Faults.GatewayInvalidSession(resumable: true);
        await h.NextAsync("RESUMED");

        Assert.Equal(session, h.Client.SessionId);
        AssertSequenceContinuous(h.Seen);
    }

    [Fact]
    public async Task Invalid_session_op9_false_starts_a_new_session_with_IDENTIFY()
    {
        await using var h = await GatewayHarness.StartAsync(output: output);
        await h.NextAsync("GUILD_CREATE");
        var first = h.Client.SessionId;

        h.Sandbox.Faults.GatewayInvalidSession(resumable: false);
        var ready = await h.NextAsync("READY");
        await h.NextAsync("GUILD_CREATE");

        Assert.NotNull(h.Client.SessionId);
        Assert.NotEqual(first, h.Client.SessionId);
        Assert.Equal(1, ready.Sequence);
        Assert.Equal(GatewayState.Ready, h.Client.State);
    }

    [Fact]
    public async Task Zombie_connection_without_heartbeat_ACKs_is_replaced_and_resumed()
    {
        await using var h = await GatewayHarness.StartAsync(WithContent, o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(250), output: output);
        await h.NextAsync("GUILD_CREATE");
        var session = h.Client.SessionId;
        // The new connection must be ACKed again, or it would be a zombie too.
        h.OnAttempt = attempt =>
        {
            if (attempt == 2)
                h.Sandbox.Faults.GatewayZombie = false;
        };

        h.Sandbox.Faults.GatewayZombie = true;
        await h.NextAsync("RESUMED");
        h.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "after zombie");
        await h.NextAsync(d => d.EventName == "MESSAGE_CREATE" && Content(d) == "after zombie", "message after resume");

        Assert.Equal(session, h.Client.SessionId);
        Assert.Equal(2, h.Attempts);
        AssertSequenceContinuous(h.Seen);
    }

    [Fact]
    public async Task Disallowed_privileged_intent_4014_stops_the_client_naming_the_intent()
    {
        await using var h = await GatewayHarness.StartAsync(WithContent, o => o.AllowedPrivilegedIntents = 0, output: output);

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(GatewayHarness.Patience));

        Assert.Equal(GatewayCloseCodes.DisallowedIntents, stopped.CloseCode);
        Assert.Contains("MessageContent", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(GatewayState.Stopped, h.Client.State);
        Assert.Equal(1, h.Attempts);
        await Assert.ThrowsAsync<GatewayStoppedException>(async () => await h.Client.Dispatches.Completion);
    }

    [Fact]
    public async Task Rejected_token_4004_stops_the_client_without_showing_the_token()
    {
        const string WrongToken = "wrong.gateway-token.value";
        await using var h = await GatewayHarness.StartAsync(gatewayToken: WrongToken, output: output);

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(GatewayHarness.Patience));

        Assert.Equal(GatewayCloseCodes.AuthenticationFailed, stopped.CloseCode);
        Assert.Contains("token", stopped.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WrongToken, stopped.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Attempts);
    }

    [Fact]
    public async Task Token_rejected_by_gateway_bot_stops_the_client_instead_of_retrying_forever()
    {
        const string WrongToken = "wrong.rest-token.value";
        await using var h = await GatewayHarness.StartAsync(gatewayToken: WrongToken, restToken: WrongToken, output: output);

        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => h.Client.Completion.WaitAsync(GatewayHarness.Patience));

        Assert.Contains("token", stopped.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WrongToken, stopped.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Attempts);
    }

    [Fact]
    public async Task Request_guild_members_op8_is_answered_with_GUILD_MEMBERS_CHUNK()
    {
        await using var h = await GatewayHarness.StartAsync(GatewayIntentSets.Default | GatewayIntents.GuildMembers, output: output);
        await h.NextAsync("GUILD_CREATE");

        await h.Client.RequestGuildMembersAsync(Snowflake.Parse(DemoGuild.GuildId), query: "", limit: 0, nonce: "n-1");
        var chunk = await h.NextAsync("GUILD_MEMBERS_CHUNK");
        await h.Client.RequestGuildMembersAsync(Snowflake.Parse(DemoGuild.GuildId), query: null,
            userIds: [Snowflake.Parse(DemoGuild.LuisUserId), Snowflake.Parse("1999999999999999999")], nonce: "n-2");
        var byId = await h.NextAsync("GUILD_MEMBERS_CHUNK");

        using (var doc = chunk.ParseData())
        {
            var root = doc.RootElement;
            Assert.Equal(DemoGuild.GuildId, root.GetProperty("guild_id").GetString());
            Assert.Equal("n-1", root.GetProperty("nonce").GetString());
            var ids = root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetProperty("id").GetString()).ToList();
            Assert.Contains(DemoGuild.LuisUserId, ids);
            Assert.Contains(DemoGuild.AdminUserId, ids);
            Assert.Contains(DemoGuild.BotUserId, ids);
        }
        using (var doc = byId.ParseData())
        {
            var root = doc.RootElement;
            Assert.Equal("n-2", root.GetProperty("nonce").GetString());
            Assert.Equal([DemoGuild.LuisUserId], root.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetProperty("id").GetString()));
            Assert.Equal(["1999999999999999999"], root.GetProperty("not_found").EnumerateArray().Select(e => e.GetString()));
        }
    }

    private static string? Content(GatewayDispatch dispatch)
    {
        using var doc = dispatch.ParseData();
        return doc.RootElement.TryGetProperty("content", out var content) ? content.GetString() : null;
    }

    /// <summary>Within each session (READY restarts at 1), sequence numbers rise by exactly one.</summary>
    private static void AssertSequenceContinuous(List<GatewayDispatch> seen)
    {
        for (var i = 1; i < seen.Count; i++)
        {
            if (seen[i].EventName == "READY")
                continue;
            Assert.True(seen[i].Sequence == seen[i - 1].Sequence + 1,
                $"sequence jumped from {seen[i - 1].Sequence} to {seen[i].Sequence} at {seen[i]}; read: {string.Join(", ", seen)}");
        }
    }
}
