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
            Limit,
            host?.ApiKey is { } key ? new Dictionary<string, string> { ["DISCORDMCP_API_KEY"] = key } : null);
        output.WriteLine($"{transport}: node run {run.Elapsed.TotalSeconds:0.0} s");
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
        var tools = Strings(result["tools"]);
        Assert.Equal(DiscordMcp.Mcp.DiscordMcpRegistration.Catalog().Select(t => t.Name).Order(StringComparer.Ordinal), tools.Order(StringComparer.Ordinal));
        Assert.Equal(tools, Strings(result["toolsWithAllAnnotations"]));
        Assert.True(result["hasInstructions"]!.GetValue<bool>());

        // discord_list_channels on the demo guild: every channel, grouped by category, with structured output.
        var channels = result["calls"]!["discord_list_channels"]!;
        Assert.False(channels["isError"]!.GetValue<bool>(), channels.ToJsonString());
        var channelText = channels["text"]!.GetValue<string>();
        foreach (var name in new[] { "#general", "#random", "#support", "#deployments", "#incidents", "#staff-private", "#ideas" })
            Assert.Contains(name, channelText, StringComparison.Ordinal);
        Assert.Contains("Text Channels", channelText, StringComparison.Ordinal);
        var tree = channels["structuredContent"]!;
        Assert.Equal(DemoGuild.GuildId, tree["guild_id"]!.GetValue<string>());
        var structuredChannels = tree["categories"]!.AsArray().SelectMany(c => c!["channels"]!.AsArray()).ToList();
        Assert.Contains(structuredChannels, c => c!["id"]!.GetValue<string>() == DemoGuild.SupportChannelId && c["name"]!.GetValue<string>() == "support");

        // discord_list_messages for #support: the transcript is fenced as untrusted data, message ids as in the sandbox.
        var messages = result["calls"]!["discord_list_messages"]!;
        Assert.False(messages["isError"]!.GetValue<bool>(), messages.ToJsonString());
        var transcript = messages["text"]!.GetValue<string>();
        var open = transcript.IndexOf("<untrusted-data", StringComparison.Ordinal);
        var close = transcript.IndexOf("</untrusted-data>", StringComparison.Ordinal);
        Assert.True(open >= 0 && close > open, "the transcript is not fenced: " + transcript);
        var fenced = transcript[open..close];
        var listed = messages["structuredContent"]!;
        Assert.Equal(DemoGuild.SupportChannelId, listed["channel_id"]!.GetValue<string>());
        var items = listed["messages"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.Contains(items, m => m!["id"]!.GetValue<string>() == DemoGuild.SolvedReportMessageId);
        Assert.Contains(items, m => m!["id"]!.GetValue<string>() == DemoGuild.UnresolvedMessageId);
        Assert.All(items, m =>
        {
            Assert.Contains($"msg {m!["id"]!.GetValue<string>()}", fenced, StringComparison.Ordinal);
            Assert.Contains(m["content"]!.GetValue<string>(), fenced, StringComparison.Ordinal); // user text only inside the fence
        });

        // The workflow prompts and the guild resources are offered and usable.
        Assert.Contains("summarize_channel", Strings(result["prompts"]));
        Assert.Contains("#support", result["prompt"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"discord://guilds/{DemoGuild.GuildId}/channels", result["resource"]!["uri"]!.GetValue<string>());
        Assert.Contains(DemoGuild.SupportChannelId, result["resource"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(t => t!.GetValue<string>()).ToList();
}
