using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>Reconnects, slow agents, guilds joined later.</summary>
public sealed class GatewayResilienceTests : IAsyncLifetime
{
    private GatewayTestHost _h = null!;

    public async Task InitializeAsync() => _h = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Mentions_posted_while_the_gateway_reconnects_all_reach_the_agent_once()
    {
        await _h.AllowChatAsync(DemoGuild.GeneralChannelId);
        var before = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> before");
        Assert.Equal(before, (await _h.Agent.NextMentionAsync()).MessageId);
        var client = await _h.Service.Client;
        var session = client.SessionId;
        var hold = _h.Transports.HoldNextConnect();

        _h.SandboxHost.Faults.GatewayDropSocket();
        await _h.Transports.ConnectStarted(2).WaitAsync(GatewayTestHost.Timeout);
        var whileAway = Enumerable.Range(0, 3).Select(i => _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> while away {i}")).ToList();
        hold.SetResult();
        var after = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> after");

        var received = new List<ulong>();
        for (var i = 0; i < 4; i++)
            received.Add((await _h.Agent.NextMentionAsync()).MessageId);
        Assert.Equal([.. whileAway, after], received.Order());
        Assert.Equal(session, client.SessionId); // resumed, not a new session
        Assert.True(await _h.MentionHandled(after));
        Assert.False(_h.Agent.TryTakeMention(out _));
    }

    [Fact]
    public async Task A_slow_agent_delays_neither_heartbeats_nor_slash_commands()
    {
        await _h.AllowChatAsync(DemoGuild.GeneralChannelId);
        _h.Agent.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // More held conversations than there are mention workers, so the mention queue is backed up too.
        for (var i = 0; i < 20; i++)
            _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> slow {i}");
        await _h.Agent.NextMentionAsync();
        var acks = _h.Transports.Acks;

        _h.SandboxHost.Faults.GatewayRequestHeartbeat();
        await _h.Transports.AcksReached(acks + 1).WaitAsync(GatewayTestHost.Timeout);
        var status = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "chat-status");

        GatewayRoutingTests.AssertEphemeral(status, $"<#{DemoGuild.GeneralChannelId}>");
        Assert.Equal(GatewayState.Ready, (await _h.Service.Client).State);
        Assert.NotNull((await _h.Service.Client).HeartbeatLatency);
        _h.Agent.Gate.SetResult();
    }

    [Fact]
    public async Task Commands_are_registered_in_a_guild_installed_and_joined_later_when_its_GUILD_CREATE_arrives()
    {
        var guildId = _h.Sandbox.AddGuild("Later Guild", DemoGuild.AdminUserId, withBot: true);
        var id = GatewayTestHost.Id(guildId);
        await _h.Store.InstallGuildAsync(new Policy.Model.GuildInstallation(id, "default", DateTimeOffset.UtcNow), CancellationToken.None);
        var registered = _h.CommandsRegisteredIn(id);
        Assert.DoesNotContain(id, _h.Service.RegisteredGuilds);

        // The sandbox sends GUILD_CREATEs at identify: a non-resumable invalid session makes the client identify again.
        _h.SandboxHost.Faults.GatewayInvalidSession(resumable: false);
        await registered;

        var commands = await _h.Rest.GetCommandsAsync(new Snowflake(GatewayTestHost.BotId), new Snowflake(id));
        Assert.Equal(3, commands.Count);
    }

    [Fact]
    public async Task A_mention_in_a_guild_not_installed_in_any_workspace_is_not_routed()
    {
        var guildId = _h.Sandbox.AddGuild("Stranger Guild", DemoGuild.AdminUserId, withBot: true);
        var channel = _h.Sandbox.AddChannel(guildId, "talk");

        var message = _h.Post(channel, DemoGuild.AdminUserId, $"<@{DemoGuild.BotUserId}> hi");

        Assert.False(await _h.MentionHandled(message));
        Assert.False(_h.Agent.TryTakeMention(out _));
    }
}
