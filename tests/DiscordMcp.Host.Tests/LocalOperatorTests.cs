using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests;

/// <summary>The local operator (stdio, <c>--no-auth</c>): a configured workspace that must exist, and a role that can narrow it.</summary>
public sealed class LocalOperatorTests
{
    [Fact]
    public void The_documented_variables_set_the_local_workspace_and_role()
    {
        var configuration = HostConfiguration.Load(new HostSettings
        {
            Environment = new Dictionary<string, string?> { ["DISCORD_MCP_WORKSPACE"] = "ops", ["DISCORD_MCP_ROLE"] = "viewer" },
            UseAppSettingsFile = false,
        });

        Assert.Equal("ops", configuration["Platform:LocalWorkspace"]);
        Assert.Equal("viewer", configuration["Platform:LocalRole"]);
    }

    [Theory]
    [InlineData("Bad Workspace", "admin", "DISCORD_MCP_WORKSPACE (Platform:LocalWorkspace)")]
    [InlineData("default", "owner", "DISCORD_MCP_ROLE (Platform:LocalRole) must be viewer, operator or admin")]
    public void An_invalid_local_workspace_or_role_is_refused_naming_the_setting(string workspace, string role, string expected)
    {
        var result = new HostOptionsValidator(false).Validate(null, new PlatformOptions { LocalWorkspace = workspace, LocalRole = role });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_local_operator_is_the_admin_of_the_default_workspace()
    {
        var options = new PlatformOptions();

        Assert.True(new HostOptionsValidator(false).Validate(null, options).Succeeded);
        Assert.Equal("default", options.LocalWorkspace);
        Assert.Equal(PlatformRole.Admin, options.Role);
    }

    [Fact]
    public async Task An_unknown_local_workspace_stops_the_start_with_a_message_naming_the_setting_and_the_fix()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            environment: new Dictionary<string, string?> { ["DISCORD_MCP_WORKSPACE"] = "missing-ws" }));

        var failure = await Assert.ThrowsAsync<PlatformStartupException>(() => app.StartAsync());

        Assert.Contains("DISCORD_MCP_WORKSPACE (Platform:LocalWorkspace)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'missing-ws'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("discord-mcp workspaces create", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_viewer_local_operator_reads_as_itself_in_the_configured_workspace()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            environment: new Dictionary<string, string?> { ["DISCORD_MCP_ROLE"] = "viewer", ["DISCORD_MCP_WORKSPACE"] = "default" }));
        await app.StartAsync();
        try
        {
            var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath) });
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });

            var read = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

            Assert.True(read.IsError != true, Text(read));
            var identity = app.Services.GetRequiredService<DiscordMcp.Mcp.IToolCallerIdentity>();
            var credential = Assert.IsType<LocalOperatorCredential>(identity.GetCredential(null!));
            Assert.Equal(new LocalOperatorCredential("default", PlatformRole.Viewer), credential);
            var audited = await app.Services.GetRequiredService<IAuditLog>().ReadAsync(
                new AuditQuery(Tool: "discord_list_channels", Decision: AuditDecision.Allowed), CancellationToken.None);
            Assert.Contains(audited, e => e.PrincipalId == "local:operator" && e.WorkspaceId == "default");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
