using System.Text.Json.Nodes;
using DiscordMcp.Conformance.Tests.Support;
using DiscordMcp.Sandbox.State;
using Xunit.Abstractions;

namespace DiscordMcp.Conformance.Tests;

/// <summary>
/// End to end with the official MCP TypeScript SDK client (1.32.2, tools/node) and <c>tests/js/mcp-client-e2e.mjs</c>:
/// over stdio it starts the built executable (<c>discord-mcp stdio --sandbox</c>); over Streamable HTTP it talks to the
/// real host this test starts with the sandbox.
/// </summary>
public sealed class TypeScriptClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("stdio")]
    [InlineData("http")]
    public async Task The_typescript_sdk_client_uses_the_real_host(string transport)
    {
        await using var host = transport == "http" ? await McpHosts.StartProductAsync() : null;
        var target = host?.McpUrl.AbsoluteUri ?? HostExecutable.DllPath;

        var run = await NodeTools.RunAsync(
            [NodeTools.Script("mcp-client-e2e.mjs"), transport, target, "--guild", DemoGuild.GuildId, "--timeout", ((int)(Limit.TotalMilliseconds - 5000)).ToString(System.Globalization.CultureInfo.InvariantCulture)],
            Limit);
        output.WriteLine(run.LastJsonLine ?? run.Describe());
        var line = run.LastJsonLine;
        Assert.True(line is not null, "no JSON result line: " + run.Describe());
        var result = JsonNode.Parse(line)!.AsObject();
        Assert.True(run.ExitCode == 0 && result["ok"]!.GetValue<bool>(), run.Describe());

        Assert.Equal(transport, result["transport"]!.GetValue<string>());
        Assert.Equal("1.32.2", result["sdkVersion"]!.GetValue<string>());
        Assert.Equal("discord-mcp", result["server"]!["name"]!.GetValue<string>());
        Assert.True(result["ping"]!.GetValue<bool>());
        if (transport == "http")
        {
            Assert.Equal("2025-11-25", result["protocolVersion"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(result["sessionId"]?.GetValue<string>()), "a 2025-11-25 client gets a stateful session");
        }
        var tools = result["tools"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Equal(DiscordMcp.Mcp.DiscordMcpRegistration.Catalog().Select(t => t.Name).Order(StringComparer.Ordinal), tools.Order(StringComparer.Ordinal));
    }
}
