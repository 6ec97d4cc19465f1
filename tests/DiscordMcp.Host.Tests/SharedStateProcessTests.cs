using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Tests.Admin;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// The PostgreSQL and Redis that <c>scripts/test.sh</c> starts. Tests that need them fail (never skip) without them.
/// </summary>
internal static class SharedServices
{
    private const string Hint = "is not set: run the tests with `bash scripts/test.sh`, which starts PostgreSQL and Redis and sets it.";

    /// <summary>Redis logical databases reserved for this assembly's tests (flushed by them; nothing else uses them).</summary>
    public const int ProcessTestsRedisDatabase = 11;

    public const int PolicyMatrixRedisDatabase = 12;

    public static string Postgres => Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } v
        ? v : throw new InvalidOperationException("ConnectionStrings__Postgres " + Hint);

    public static string Redis => Environment.GetEnvironmentVariable("ConnectionStrings__Redis") is { Length: > 0 } v
        ? v : throw new InvalidOperationException("ConnectionStrings__Redis " + Hint);

    /// <summary>A <c>REDIS_URL</c> (redis://host:port/db) on the test Redis, on logical database <paramref name="database"/>, emptied first.</summary>
    public static async Task<string> FreshRedisUrlAsync(int database)
    {
        var options = ConfigurationOptions.Parse(Redis);
        options.AllowAdmin = true;
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(options))
            await admin.GetServers().Single().FlushDatabaseAsync(database);
        var endpoint = options.EndPoints.Single();
        var (host, port) = endpoint switch
        {
            System.Net.DnsEndPoint dns => (dns.Host, dns.Port),
            System.Net.IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException("ConnectionStrings__Redis names an endpoint of an unexpected kind."),
        };
        return string.Create(CultureInfo.InvariantCulture, $"redis://{host}:{port}/{database}");
    }

    /// <summary>A <c>DATABASE_URL</c> (postgres://user[:password]@host:port/name) for database <paramref name="name"/> on the test server.</summary>
    public static string PostgresUrl(string name)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Postgres);
        var user = Uri.EscapeDataString(builder.Username ?? "postgres");
        var password = builder.Password is { Length: > 0 } p ? ":" + Uri.EscapeDataString(p) : "";
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{password}@{builder.Host}:{builder.Port}/{name}");
    }
}

/// <summary>
/// Two real <c>discord-mcp serve</c> processes against one sandbox: on PostgreSQL + Redis they enforce ONE rate limit
/// between them; on SQLite with in-memory limits (the control) each process has a budget of its own.
/// </summary>
/// <remarks>
/// The tests of this class run one after another (xunit runs a class's tests sequentially), so they may flush their
/// reserved Redis database. Confirmations consumed across processes: <see cref="Writes.WriteProcessTests"/>.
/// </remarks>
public sealed class SharedStateProcessTests : IAsyncLifetime
{
    private const string Tool = "discord_list_roles";
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Two_servers_on_postgres_and_redis_enforce_one_shared_read_budget()
    {
        var redisUrl = await SharedServices.FreshRedisUrlAsync(SharedServices.ProcessTestsRedisDatabase);
        _ = SharedServices.Postgres; // fails with the scripts/test.sh hint when unset
        await using var admin = new AdminFixture("postgres");
        var key = await PrepareAsync(admin);

        await using var a = await ServerProcess.StartAsync(Environment(admin, redisUrl));
        await using var b = await ServerProcess.StartAsync(Environment(admin, redisUrl));
        var outcomes = await CallAlternatelyAsync(key, [a, b], calls: 7);

        // Burst 5, refill one token per 1000 s: five calls in all, whichever server took them; then both deny.
        Assert.Equal(["ok", "ok", "ok", "ok", "ok", "rate_limited", "rate_limited"], outcomes);
        await AssertAuditAsync(admin, allowed: 5, denied: 2);
    }

    [Fact]
    public async Task Control_two_servers_with_in_memory_limits_each_spend_a_budget_of_their_own()
    {
        // In-memory limits live in one process: two servers (here even sharing one SQLite file) grant twice the budget.
        await using var admin = new AdminFixture("sqlite");
        var key = await PrepareAsync(admin);

        await using var a = await ServerProcess.StartAsync(Environment(admin, redisUrl: null));
        await using var b = await ServerProcess.StartAsync(Environment(admin, redisUrl: null));
        var outcomes = await CallAlternatelyAsync(key, [a, b], calls: 12);

        Assert.Equal(Enumerable.Repeat("ok", 10).Concat(["rate_limited", "rate_limited"]), outcomes);
        await AssertAuditAsync(admin, allowed: 10, denied: 2);
    }

    /// <summary>With the admin CLI on the servers' database: the demo guild in 'default', a read budget of 5, an admin key.</summary>
    private static async Task<string> PrepareAsync(AdminFixture admin)
    {
        var install = await admin.RunAsync("guilds", "install", DemoGuild.GuildId, "--workspace", "default");
        Assert.True(install.Exit == 0, install.Error);
        var limits = await admin.RunAsync("workspaces", "limits", "default", "--reads", "5/0.001");
        Assert.True(limits.Exit == 0, limits.Error);
        var issued = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "admin", "--name", "two-servers", "--json");
        Assert.True(issued.Exit == 0, issued.Error);
        using var json = JsonDocument.Parse(issued.Out);
        return json.RootElement.GetProperty("key").GetString()!;
    }

    private Dictionary<string, string?> Environment(AdminFixture admin, string? redisUrl) => ServerProcess.Environment(admin, _sandbox, redisUrl);

    /// <summary>Calls the read tool through the servers in turn (a, b, a, …); each outcome is "ok" or the denial's reason code.</summary>
    private static async Task<List<string>> CallAlternatelyAsync(string key, ServerProcess[] servers, int calls)
    {
        var clients = new List<McpClient>();
        try
        {
            foreach (var server in servers)
                clients.Add(await ConnectAsync(server.McpUrl, key));
            var outcomes = new List<string>();
            for (var i = 0; i < calls; i++)
            {
                var result = await clients[i % clients.Count].CallToolAsync(Tool, new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });
                var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
                outcomes.Add(result.IsError != true ? "ok"
                    : text.Contains("(rate_limited)", StringComparison.Ordinal) ? "rate_limited"
                    : $"error on server {i % clients.Count}: {text}");
            }
            return outcomes;
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    private static Task<McpClient> ConnectAsync(Uri mcpUrl, string key) => ServerProcess.ConnectAsync(mcpUrl, key);

    /// <summary>Both processes appended to one audit log; its hash chain still verifies.</summary>
    private static async Task AssertAuditAsync(AdminFixture admin, int allowed, int denied)
    {
        var listAllowed = await admin.RunAsync("audit", "list", "--tool", Tool, "--decision", "allowed", "--limit", "100", "--json");
        var listDenied = await admin.RunAsync("audit", "list", "--tool", Tool, "--decision", "denied", "--limit", "100", "--json");
        Assert.Equal(allowed, CountEvents(listAllowed.Out));
        Assert.Equal(denied, CountEvents(listDenied.Out));
        var verify = await admin.RunAsync("audit", "verify");
        Assert.True(verify.Exit == 0, verify.Out + verify.Error);
    }

    private static int CountEvents(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("events")).GetArrayLength();
    }
}

/// <summary>A <c>discord-mcp serve</c> child process on a free loopback port; stopped with SIGTERM on dispose.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private Task? _drainOut;
    private Task? _drainError;

    private ServerProcess(Process process) => _process = process;

    public Uri McpUrl { get; private set; } = null!;

    /// <summary>Whether the server's log (stdout so far) has a line containing <paramref name="text"/>.</summary>
    public bool LogContains(string text)
    {
        lock (_output)
            return _output.ToString().Contains(text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The environment of a server process on <paramref name="admin"/>'s database (and <paramref name="redisUrl"/>, if any)
    /// against <paramref name="sandbox"/>. The host accepts DATABASE_URL only as a URL (the admin CLI in-process also takes
    /// the Npgsql form AdminFixture uses).
    /// </summary>
    public static Dictionary<string, string?> Environment(AdminFixture admin, SandboxHost sandbox, string? redisUrl) => new(admin.Environment)
    {
        ["DATABASE_URL"] = admin.PostgresDatabase is { } name ? SharedServices.PostgresUrl(name) : admin.Environment["DATABASE_URL"],
        ["REDIS_URL"] = redisUrl,
        ["DISCORD_BOT_TOKEN"] = sandbox.BotToken,
        ["Discord__BaseUrl"] = sandbox.ApiBaseUrl.ToString(),
        ["ALLOWED_GUILD_IDS"] = DemoGuild.GuildId,
    };

    /// <summary>An MCP client (2025-11-25, one session) of the server at <paramref name="mcpUrl"/> with API key <paramref name="key"/>.</summary>
    public static async Task<McpClient> ConnectAsync(Uri mcpUrl, string key)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mcpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var server = new ServerProcess(Process.Start(HostProcess.StartInfo(environment, "serve", "--urls", "http://127.0.0.1:0"))!);
        try
        {
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the log on stdout up to Kestrel's "Application started", taking the port from "Now listening on".</summary>
    private async Task WaitUntilListeningAsync()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var error = _process.StandardError.ReadToEndAsync(timeout.Token);
        _drainError = error;
        string? url = null;
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lock (_output)
                _output.AppendLine(line);
            const string Listening = "Now listening on: ";
            if (line.IndexOf(Listening, StringComparison.Ordinal) is >= 0 and var at)
                url = line[(at + Listening.Length)..].Trim();
            if (line.Contains("Application started", StringComparison.Ordinal) && url is not null)
            {
                McpUrl = new Uri(url.TrimEnd('/') + "/mcp");
                _drainOut = DrainAsync();
                return;
            }
        }
        await _process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"discord-mcp serve exited with {_process.ExitCode} before listening:\n{await error}\n{_output}");
    }

    private async Task DrainAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_output)
                _output.AppendLine(line);
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ChildProcess.TerminateAsync(_process, Limit);
        }
        finally
        {
            if (_drainOut is not null)
                await _drainOut;
            var error = _drainError is null ? "" : await (Task<string>)_drainError;
            SecretScan.Record("Host.Tests SharedStateProcessTests serve", _output + "\n" + error);
            _process.Dispose();
        }
    }
}
