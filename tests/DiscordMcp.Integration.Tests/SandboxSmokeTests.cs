using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;

namespace DiscordMcp.Integration.Tests;

/// <summary>Our own REST client against the in-process sandbox: the smallest end-to-end check.</summary>
public sealed class SandboxSmokeTests
{
    [Fact]
    public async Task Client_reads_the_demo_guild_from_the_sandbox()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        using var http = new HttpClient();
        var transport = new DiscordRestTransport(http, new DiscordClientOptions { BaseUrl = sandbox.ApiBaseUrl, Token = sandbox.BotToken }, logger: SecretScan.CreateLogger("Integration.Tests", "DiscordRestTransport"));
        var client = new DiscordRestClient(transport);

        var channels = await client.GetGuildChannelsAsync(Snowflake.Parse(DemoGuild.GuildId));

        Assert.Contains(channels, c => c.Name == "support");
        Assert.Contains(channels, c => c.Name == "Events");
    }
}
