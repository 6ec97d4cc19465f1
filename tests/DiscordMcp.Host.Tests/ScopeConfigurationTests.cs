using DiscordMcp.Host.Hosting;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// The documented variables reach the tool layer through the real host: a guild scope or toolset list that is
/// silently ignored would widen what a client can do, so these go end to end.
/// </summary>
public sealed class ScopeConfigurationTests
{
    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, McpClient Client)> StartAsync(Dictionary<string, string?> environment)
    {
        var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, environment: environment,
            overrides: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" }),
            configureServices: services => services.AddSecretScanCapture("Host.Tests ScopeConfigurationTests"));
        await app.StartAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.Single().TrimEnd('/') + "/mcp") });
        var client = await McpClient.CreateAsync(transport);
        return (app, client);
    }

    [Fact]
    public async Task ALLOWED_GUILD_IDS_limits_the_guilds_the_tools_can_use()
    {
        var (app, client) = await StartAsync(new() { ["ALLOWED_GUILD_IDS"] = "1213093380096131999" });
        try
        {
            var guilds = await client.CallToolAsync("discord_list_guilds");
            Assert.DoesNotContain(DemoGuild.GuildId, guilds.StructuredContent?.ToString() ?? "", StringComparison.Ordinal);

            var denied = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });
            Assert.True(denied.IsError);
        }
        finally
        {
            await client.DisposeAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_ALLOWED_GUILD_IDS_the_sandbox_demo_guild_is_usable()
    {
        var (app, client) = await StartAsync([]);
        try
        {
            var guilds = await client.CallToolAsync("discord_list_guilds");
            Assert.NotEqual(true, guilds.IsError);
            Assert.Contains(DemoGuild.GuildId, guilds.StructuredContent?.ToString() ?? "", StringComparison.Ordinal);
        }
        finally
        {
            await client.DisposeAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task TOOLSETS_limits_the_tools_offered()
    {
        var (app, client) = await StartAsync(new() { ["TOOLSETS"] = "guilds,audit" });
        try
        {
            var tools = await client.ListToolsAsync();
            Assert.Equal(["discord_get_audit_log", "discord_get_guild", "discord_list_guilds", "discord_modify_guild"], tools.Select(t => t.Name).Order());
        }
        finally
        {
            await client.DisposeAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unknown_toolset_stops_the_start_with_a_message_naming_it()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            environment: new Dictionary<string, string?> { ["TOOLSETS"] = "guilds,telepathy" }));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        var all = string.Join('\n', DiscordMcp.Host.Commands.HostCommand.ValidationFailures(ex) ?? throw ex);
        Assert.Contains("telepathy", all, StringComparison.Ordinal);
        Assert.Contains("allowed: all, guilds", all, StringComparison.Ordinal);
    }
}
