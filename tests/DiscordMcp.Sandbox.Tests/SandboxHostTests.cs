using DiscordMcp.Sandbox;

namespace DiscordMcp.Sandbox.Tests;

public sealed class SandboxHostTests
{
    [Fact]
    public async Task Starts_on_a_free_loopback_port_and_stops()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        Assert.Equal("127.0.0.1", sandbox.BaseUrl.Host);
        Assert.NotEqual(0, sandbox.BaseUrl.Port);
        Assert.EndsWith("/api/v10/", sandbox.ApiBaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("ws", sandbox.GatewayUrl.Scheme);
    }
}
