using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Host.Tests.Admin;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// Scale-out (docs/scaling.md): two real <c>discord-mcp serve</c> processes on one PostgreSQL and one Redis, against one
/// sandbox. Confirmations race through both and each runs once; an MCP session moves between them; the gateway shard is
/// held by one of them and moves to the other when its holder is killed, with every event handled once. The shared read
/// budget across both: <see cref="SharedStateProcessTests"/>.
/// </summary>
public sealed class ScaleOutProcessTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int LeaseSeconds = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private SandboxHost _sandbox = null!;

    // Discord's per-route limits are not what these tests are about (each process keeps its own view of them; see
    // docs/scaling.md): raised far out of the way (the REST client paces itself by the bucket headers the sandbox sends).
    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        RateLimits = { GlobalPerSecond = 100_000, DefaultLimit = 100_000 },
    });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_confirmations_of_one_hundred_actions_through_two_servers_run_each_action_exactly_once()
    {
        const int Actions = 100;
        await using var cluster = await ClusterAsync(gateway: false);
        var (a, b, key) = (cluster.A, cluster.B, cluster.Key);
        await using var clientA = await ServerProcess.ConnectAsync(a.McpUrl, key);
        await using var clientB = await ServerProcess.ConnectAsync(b.McpUrl, key);

        var phase = Stopwatch.StartNew();
        // 100 dry runs, half through each server.
        var plans = await Task.WhenAll(Enumerable.Range(0, Actions).Select(i => (i % 2 == 0 ? clientA : clientB)
            .CallToolAsync("discord_create_channel", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["name"] = $"scale-{i:D3}" }).AsTask()));
        var ids = plans.Select(ConfirmationId).ToList();
        Assert.Equal(Actions, ids.Distinct(StringComparer.Ordinal).Count());

        output.WriteLine($"100 dry runs: {phase.Elapsed}");
        phase.Restart();
        // Every id confirmed twice, once through each server: all 200 at once.
        var confirmations = ids.SelectMany(id => new[] { (clientA, id), (clientB, id) })
            .Select(c => c.Item1.CallToolAsync("discord_confirm_action", new Dictionary<string, object?> { ["confirmation_id"] = c.id }).AsTask());
        var results = await Task.WhenAll(confirmations);

        output.WriteLine($"200 confirmations: {phase.Elapsed}");
        Assert.Equal(Actions, results.Count(r => r.IsError != true));
        var refused = results.Where(r => r.IsError == true).ToList();
        Assert.Equal(Actions, refused.Count);
        Assert.All(refused, r => Assert.Contains("confirmation_invalid", Text(r), StringComparison.Ordinal));
        // Discord saw each channel created once.
        var created = JsonNode.Parse(_sandbox.State.Snapshot())!["channels"]!.AsArray()
            .Select(c => (string?)c!["channel"]!["name"]).Where(n => n is not null && n.StartsWith("scale-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Actions, created.Count);
        Assert.Equal(Actions, created.Distinct(StringComparer.Ordinal).Count());
        // The audit log has one executed event per action, and its hash chain verifies after both servers appended to it.
        var list = await cluster.Admin.RunAsync("audit", "list", "--tool", "discord_create_channel", "--limit", "1000", "--json");
        Assert.True(list.Exit == 0, list.Error);
        Assert.Equal(Actions, Events(list.Out).Count(e => e.GetProperty("outcome").GetString() == "executed"));
        var verify = await cluster.Admin.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Out + verify.Error);
    }

    [Fact]
    public async Task A_session_initialised_on_one_server_continues_on_the_other_for_its_own_user_only()
    {
        await using var cluster = await ClusterAsync(gateway: false);
        var otherKey = await IssueKeyAsync(cluster.Admin, "other-user");
        using var http = new HttpClient();
        var sessionId = await InitializeAsync(http, cluster.A.McpUrl, cluster.Key);

        // Another user presenting the session id on B: B does not take the session over.
        using (var stolen = await ToolsCallAsync(http, cluster.B.McpUrl, otherKey, sessionId))
            Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);

        // Its own user: B restores the session and runs the call in it.
        using var moved = await ToolsCallAsync(http, cluster.B.McpUrl, cluster.Key, sessionId);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await moved.Content.ReadAsStringAsync();
        Assert.Contains("\"result\"", body, StringComparison.Ordinal);
        Assert.Contains(DemoGuild.Name, body, StringComparison.Ordinal);
        // And it still works on A.
        using var back = await ToolsCallAsync(http, cluster.A.McpUrl, cluster.Key, sessionId);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task Killing_the_shard_holder_moves_the_gateway_to_the_other_server_within_the_lease_and_each_event_is_handled_once()
    {
        await using var cluster = await ClusterAsync(gateway: true);
        var lease = TimeSpan.FromSeconds(LeaseSeconds);

        // Exactly one of the two connects the shard; the other stands by.
        await WaitUntilAsync(() => _sandbox.ConnectedGatewaySessions == 1 && (Holds(cluster.A) || Holds(cluster.B)), "one gateway session");
        var (holder, standby) = Holds(cluster.A) ? (cluster.A, cluster.B) : (cluster.B, cluster.A);
        Assert.False(Holds(standby));
        Assert.Equal(1, _sandbox.ConnectedGatewaySessions);

        var before = _sandbox.State.SimulateSlashCommand(DemoGuild.GuildId, DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "chat-status");
        await WaitUntilAsync(() => Answered(before.Id), "the first /chat-status answered");

        var clock = Stopwatch.StartNew();
        await holder.KillAsync();
        await WaitUntilAsync(() => Holds(standby) && _sandbox.ConnectedGatewaySessions == 1, "the standby connected");
        var moved = clock.Elapsed;
        output.WriteLine($"shard moved {moved} after the holder was killed (lease {lease})");
        // The standby cannot take the shard before the holder's last lease expires (renewed every lease/3, so at least
        // 2/3 of the lease after the kill), and takes it soon after: poll every lease/10, then connect.
        Assert.True(moved >= lease * 2 / 3 - TimeSpan.FromMilliseconds(100), $"moved after {moved}, before the lease could expire");
        Assert.True(moved <= lease + TimeSpan.FromSeconds(2), $"moved after {moved}; lease {lease}");

        var after = _sandbox.State.SimulateSlashCommand(DemoGuild.GuildId, DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "chat-status");
        await WaitUntilAsync(() => Answered(after.Id), "the second /chat-status answered");
        Assert.Equal(1, CallbackAttempts(before.Id));
        Assert.Equal(1, CallbackAttempts(after.Id));
        Assert.Equal(1, _sandbox.ConnectedGatewaySessions);
    }

    private static bool Holds(ServerProcess server) => server.LogContains("this process holds shard 0");

    private bool Answered(string interactionId) => (bool)_sandbox.State.GetInteractionRecord(interactionId)["acknowledged"]!;

    private int CallbackAttempts(string interactionId) => (int)_sandbox.State.GetInteractionRecord(interactionId)["callback_attempts"]!;

    /// <summary>Waits for a state of other processes, checking every 50 ms, failing after <see cref="Deadline"/>.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
                Assert.Fail($"Timed out after {Deadline} waiting for {what}.");
            await Task.Delay(50);
        }
    }

    private async Task<Cluster> ClusterAsync(bool gateway)
    {
        var redisUrl = await SharedServices.FreshRedisUrlAsync(SharedServices.ProcessTestsRedisDatabase);
        _ = SharedServices.Postgres; // fails with the scripts/test.sh hint when unset
        var admin = new AdminFixture("postgres");
        try
        {
            var install = await admin.RunAsync("guilds", "install", DemoGuild.GuildId, "--workspace", "default");
            Assert.True(install.Exit == 0, install.Error);
            var limits = await admin.RunAsync("workspaces", "limits", "default", "--writes", "1000/1000", "--guild-writes", "1000/1000");
            Assert.True(limits.Exit == 0, limits.Error);
            var key = await IssueKeyAsync(admin, "scale-out");
            var environment = ServerProcess.Environment(admin, _sandbox, redisUrl);
            if (gateway)
            {
                environment["ENABLE_GATEWAY"] = "true";
                environment["GATEWAY_LEASE_SECONDS"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var servers = await Task.WhenAll(ServerProcess.StartAsync(environment), ServerProcess.StartAsync(environment));
            return new Cluster(admin, servers[0], servers[1], key);
        }
        catch
        {
            await admin.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> IssueKeyAsync(AdminFixture admin, string name)
    {
        var issued = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "admin", "--name", name, "--json");
        Assert.True(issued.Exit == 0, issued.Error);
        using var json = JsonDocument.Parse(issued.Out);
        return json.RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>An initialize handshake (2025-11-25) over plain HTTP; returns the Mcp-Session-Id the server issued.</summary>
    private static async Task<string> InitializeAsync(HttpClient http, Uri url, string key)
    {
        using var response = await PostAsync(http, url, key, null, """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"scale-test","version":"1.0"}}}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessionId = response.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await PostAsync(http, url, key, sessionId, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);
        return sessionId;
    }

    private static Task<HttpResponseMessage> ToolsCallAsync(HttpClient http, Uri url, string key, string sessionId) =>
        PostAsync(http, url, key, sessionId, $$$$"""
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"discord_get_guild","arguments":{"guild_id":"{{{{DemoGuild.GuildId}}}}"}}}
            """);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, string key, string? sessionId, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }
        return await http.SendAsync(request);
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static string ConfirmationId(CallToolResult result)
    {
        Assert.True(result.IsError != true, Text(result));
        var structured = result.StructuredContent ?? throw new InvalidOperationException("no structured content: " + Text(result));
        return structured.GetProperty("confirmation_id").GetString()!;
    }

    private static List<JsonElement> Events(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return [.. (root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("events")).EnumerateArray().Select(e => e.Clone())];
    }

    private sealed record Cluster(AdminFixture Admin, ServerProcess A, ServerProcess B, string Key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Admin.DisposeAsync();
        }
    }
}
