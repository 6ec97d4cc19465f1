using System.Text;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Sandbox.Tests.Gateway;

namespace DiscordMcp.Sandbox.Tests;

/// <summary>What the scale-out tests read from the sandbox: live gateway sessions and repeated interaction callbacks.</summary>
public sealed class ScaleOutAccessorTests
{
    [Fact]
    public async Task Connected_gateway_sessions_count_identified_connections_until_they_close()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        Assert.Equal(0, sandbox.ConnectedGatewaySessions);
        var (client, _) = await GatewayTestClient.IdentifyAsync(new Uri(sandbox.GatewayUrl + "?v=10&encoding=json"), sandbox.BotToken, 1);
        await using (client)
        {
            Assert.Equal(1, sandbox.ConnectedGatewaySessions);
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure);
            // The server forgets the connection on its own receive loop; wait for that with a deadline.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (sandbox.ConnectedGatewaySessions != 0)
                await Task.Delay(20, deadline.Token);
        }
        Assert.Equal(0, sandbox.ConnectedGatewaySessions);
    }

    [Fact]
    public async Task Interaction_record_counts_callback_attempts_including_refused_repeats()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        var handle = sandbox.State.SimulateSlashCommand(DemoGuild.GuildId, DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "chat-status");
        Assert.Equal(0, (int)sandbox.State.GetInteractionRecord(handle.Id)["callback_attempts"]!);
        using var http = new HttpClient();
        var statuses = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            using var content = new StringContent("""{"type":4,"data":{"content":"ok","flags":64}}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(sandbox.ApiBaseUrl, $"interactions/{handle.Id}/{handle.Token}/callback"), content);
            statuses.Add((int)response.StatusCode);
        }
        Assert.Equal([204, 400], statuses);
        Assert.Equal(2, (int)sandbox.State.GetInteractionRecord(handle.Id)["callback_attempts"]!);
    }
}
