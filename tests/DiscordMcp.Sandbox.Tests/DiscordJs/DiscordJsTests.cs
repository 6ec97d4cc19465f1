using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Pipeline;
using DiscordMcp.Testing;

namespace DiscordMcp.Sandbox.Tests.DiscordJs;

/// <summary>
/// A real third-party client: discord.js 14 (tools/node) logs in to the sandbox over the gateway, sees READY and
/// GUILD_CREATE, lists channels over REST, and sends a message through an injected 429 storm.
/// </summary>
public sealed class DiscordJsTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Discord_js_logs_in_lists_channels_and_sends_a_message_through_a_429()
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "js", "discordjs-smoke.mjs");
        var discordJs = Path.Combine(RepositoryPaths.NodeTools, "node_modules", "discord.js", "package.json");
        Assert.True(File.Exists(discordJs), "discord.js is not installed in tools/node (run scripts/test.sh or npm ci in tools/node)");

        await using var sandbox = await SandboxHost.StartAsync();
        // discord.js must read Retry-After and try again: the first send answers 429 (user scope, 1 s).
        sandbox.Faults.Inject429Storm(1, SandboxRateLimitScope.User, retryAfterSeconds: 1.0, routeKey: "POST /channels/{channel_id}/messages");

        var (exitCode, stdout, stderr) = await RunNodeAsync(script, sandbox.BaseUrl.AbsoluteUri, sandbox.BotToken, "general");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(line is not null, $"no JSON result from node (exit {exitCode}); stderr: {stderr}");
        var result = JsonNode.Parse(line)!.AsObject();
        Assert.True(exitCode == 0 && result["ok"]!.GetValue<bool>(), $"discord.js smoke failed (exit {exitCode}): {line}\nstderr: {stderr}");

        Assert.True(result["ready"]!.GetValue<bool>());
        Assert.Equal(sandbox.State.BotUser()["id"]!.GetValue<string>(), result["user"]!["id"]!.GetValue<string>());
        Assert.True(result["user"]!["bot"]!.GetValue<bool>());
        Assert.Equal(sandbox.State.ApplicationId, result["applicationId"]!.GetValue<string>());
        Assert.Equal("DiscordMCP Demo", result["guild"]!["name"]!.GetValue<string>());
        var gatewayChannels = result["gatewayChannels"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var restChannels = result["restChannels"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        foreach (var name in new[] { "general", "random", "support", "deployments", "incidents", "staff-private", "ideas" })
        {
            Assert.Contains(name, gatewayChannels);
            Assert.Contains(name, restChannels);
        }

        Assert.True(result["sentMatches"]!.GetValue<bool>(), line);
        Assert.Equal(result["user"]!["id"]!.GetValue<string>(), result["sent"]!["authorId"]!.GetValue<string>());
        Assert.True(result["responses429"]!.GetValue<int>() >= 1, "discord.js never saw the injected 429: " + line);
        Assert.Equal("1", result["retryAfterHeader"]!.GetValue<string>());
        Assert.True(result["sendMillis"]!.GetValue<double>() >= 900, "discord.js did not wait Retry-After before retrying: " + line);
        Assert.Equal(0, sandbox.Faults.PendingHttpFaults);

        // The message really landed in the sandbox: read it back over plain REST.
        using var http = new HttpClient { BaseAddress = sandbox.ApiBaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"channels/{result["channelId"]!.GetValue<string>()}/messages?limit=5");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", sandbox.BotToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var messages = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Contains(messages, m => m!["id"]!.GetValue<string>() == result["sent"]!["id"]!.GetValue<string>());
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.NodeTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add(((int)(NodeTimeout.TotalMilliseconds - 5000)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["NODE_PATH"] = Path.Combine(RepositoryPaths.NodeTools, "node_modules");
        start.Environment["DISCORDMCP_NODE_TOOLS"] = RepositoryPaths.NodeTools;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(NodeTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
