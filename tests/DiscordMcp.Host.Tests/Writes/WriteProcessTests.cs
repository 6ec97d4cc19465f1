using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Host.Tests.Admin;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// Writes across real <c>discord-mcp serve</c> processes: a server killed between the write-ahead <c>executing</c> event and
/// the outcome leaves an <c>outcome_unknown</c> event after restart; and two servers on PostgreSQL + Redis consume one
/// confirmation exactly once however many confirmations race through both.
/// </summary>
public sealed class WriteProcessTests : IAsyncLifetime
{
    private const string CreateRoute = "POST /guilds/{guild_id}/channels";
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_server_killed_while_a_write_is_at_Discord_is_reported_as_outcome_unknown_after_restart()
    {
        await using var admin = new AdminFixture("sqlite");
        var key = await PrepareAsync(admin);
        var environment = Environment(admin, redisUrl: null);

        string id;
        await using (var first = await ServerProcess.StartAsync(environment))
        {
            await using var client = await ConnectAsync(first.McpUrl, key);
            id = ConfirmationId(await client.CallToolAsync("discord_create_channel", Args("crash-room")));

            // Hold the create request at the sandbox, and kill the server the moment it arrives there.
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _sandbox.Faults.HttpFaultApplied += route => { if (route == CreateRoute) arrived.TrySetResult(); };
            _sandbox.Faults.InjectSlowResponses(1, TimeSpan.FromHours(1), CreateRoute);
            var confirm = client.CallToolAsync("discord_confirm_action", new Dictionary<string, object?> { ["confirmation_id"] = id }).AsTask();
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await first.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => confirm); // the connection died with the server
        }

        // A new server on the same database: start-up finds the executing event without an outcome.
        await using (var second = await ServerProcess.StartAsync(environment))
        {
            var list = await admin.RunAsync("audit", "list", "--tool", "discord_create_channel", "--limit", "100", "--json");
            Assert.True(list.Exit == 0, list.Error);
            var outcomes = Events(list.Out).Select(e => e.GetProperty("outcome").GetString()).ToList();
            Assert.Contains("executing", outcomes);
            Assert.Contains("outcome_unknown", outcomes);
            Assert.DoesNotContain("executed", outcomes);
            var verify = await admin.RunAsync("audit", "verify");
            Assert.True(verify.Exit == 0, verify.Out + verify.Error);
        }
        Assert.DoesNotContain(JsonNode.Parse(_sandbox.State.Snapshot())!["channels"]!.AsArray(), c => (string?)c!["channel"]!["name"] == "crash-room");
    }

    [Fact]
    public async Task Two_servers_on_postgres_and_redis_run_one_confirmation_exactly_once()
    {
        var redisUrl = await SharedServices.FreshRedisUrlAsync(SharedServices.ProcessTestsRedisDatabase);
        _ = SharedServices.Postgres;
        await using var admin = new AdminFixture("postgres");
        var key = await PrepareAsync(admin);
        var environment = Environment(admin, redisUrl);
        await using var a = await ServerProcess.StartAsync(environment);
        await using var b = await ServerProcess.StartAsync(environment);
        await using var clientA = await ConnectAsync(a.McpUrl, key);
        await using var clientB = await ConnectAsync(b.McpUrl, key);

        var id = ConfirmationId(await clientA.CallToolAsync("discord_create_channel", Args("race-room")));
        var confirm = new Dictionary<string, object?> { ["confirmation_id"] = id };
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? clientA : clientB).CallToolAsync("discord_confirm_action", confirm).AsTask()));

        Assert.Single(results, r => r.IsError != true);
        Assert.All(results.Where(r => r.IsError == true), r => Assert.Contains("confirmation_invalid", Text(r), StringComparison.Ordinal));
        Assert.Single(JsonNode.Parse(_sandbox.State.Snapshot())!["channels"]!.AsArray(), c => (string?)c!["channel"]!["name"] == "race-room");
        var list = await admin.RunAsync("audit", "list", "--tool", "discord_create_channel", "--limit", "100", "--json");
        Assert.Single(Events(list.Out), e => e.GetProperty("outcome").GetString() == "executed");
        var verify = await admin.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Out + verify.Error);
    }

    private static Dictionary<string, object?> Args(string name) => new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = name };

    private static async Task<string> PrepareAsync(AdminFixture admin)
    {
        var install = await admin.RunAsync("guilds", "install", DemoGuild.GuildId, "--workspace", "default");
        Assert.True(install.Exit == 0, install.Error);
        var issued = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "admin", "--name", "writes", "--json");
        Assert.True(issued.Exit == 0, issued.Error);
        using var json = JsonDocument.Parse(issued.Out);
        return json.RootElement.GetProperty("key").GetString()!;
    }

    private Dictionary<string, string?> Environment(AdminFixture admin, string? redisUrl) => ServerProcess.Environment(admin, _sandbox, redisUrl);

    private static Task<McpClient> ConnectAsync(Uri mcpUrl, string key) => ServerProcess.ConnectAsync(mcpUrl, key);

    private static List<JsonElement> Events(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return [.. (root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("events")).EnumerateArray().Select(e => e.Clone())];
    }
}
