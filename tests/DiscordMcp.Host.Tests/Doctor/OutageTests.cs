using System.Diagnostics;
using System.Globalization;
using System.Net;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Npgsql;

namespace DiscordMcp.Host.Tests.Doctor;

/// <summary>
/// PostgreSQL or Redis unreachable at start (one line, exit 1, no stack trace, no password) and lost mid-run (readiness
/// reports it; writes and reads fail closed with a clear tool error; nothing runs unaudited). The mid-run Redis is a
/// redis-server this test starts on its own port and kills by its process; the mid-run database is a fresh PostgreSQL
/// database on the test server (<c>ConnectionStrings__Postgres</c>) that the test drops.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private static async Task<(int Exit, string Error)> RunServeAsync(Dictionary<string, string?> environment)
    {
        using var process = Process.Start(HostProcess.StartInfo(environment, "serve", "--urls", "http://127.0.0.1:0"))!;
        using var timeout = new CancellationTokenSource(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static Dictionary<string, string?> ServeEnvironment() => new()
    {
        ["DISCORD_BOT_TOKEN"] = "outage-test-token",
        ["Discord__BaseUrl"] = $"http://127.0.0.1:{TestHosts.ClosedPort()}/api/v10/",
    };

    [Fact]
    public async Task Unreachable_postgres_at_start_is_one_line_and_exit_1_without_the_password()
    {
        var environment = ServeEnvironment();
        environment["DATABASE_URL"] = $"postgres://dmcp:start-secret-pw@127.0.0.1:{TestHosts.ClosedPort()}/dmcp";

        var (exit, output) = await RunServeAsync(environment);

        Assert.Equal(1, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("cannot start", StringComparison.Ordinal));
        Assert.Contains("discord-mcp serve: cannot start: The platform's storage could not be prepared (NpgsqlException: Failed to connect to 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains("discord-mcp doctor", line, StringComparison.Ordinal);
        Assert.DoesNotContain("start-secret-pw", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Hosting failed to start", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_redis_at_start_is_one_line_and_exit_1_without_the_password()
    {
        var environment = ServeEnvironment();
        var port = TestHosts.ClosedPort();
        environment["REDIS_URL"] = $"redis://:redis-start-secret@127.0.0.1:{port}";

        var (exit, output) = await RunServeAsync(environment);

        Assert.Equal(1, exit);
        Assert.Contains($"discord-mcp serve: cannot start: Redis at 127.0.0.1:{port} is unreachable (RedisConnectionException). Start Redis or fix REDIS_URL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("redis-start-secret", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_lost_mid_run_shows_in_readiness_and_calls_fail_closed_with_their_denial_audited()
    {
        var port = TestHosts.ClosedPort();
        using var redis = StartRedis(port);
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            environment: new Dictionary<string, string?> { ["REDIS_URL"] = $"redis://127.0.0.1:{port}" }));
        await app.StartAsync();
        try
        {
            await using var client = await ClientAsync(app);
            var before = await client.CallToolAsync("discord_send_message", SendArguments("before the outage", dryRun: true));
            Assert.True(before.IsError != true, Text(before));
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url(app, "/health/ready"))).StatusCode);

            redis.Kill();
            await redis.WaitForExitAsync();

            var ready = await http.GetAsync(Url(app, "/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("redis: Redis", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var write = await client.CallToolAsync("discord_send_message", SendArguments("during the outage", dryRun: false));
            var read = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

            Assert.True(write.IsError, Text(write));
            Assert.Contains("could not be completed", Text(write), StringComparison.Ordinal);
            Assert.True(read.IsError, Text(read));
            // The database still works: each refusal is in the audit log, and nothing was executed.
            var audited = await app.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: "discord_send_message"), CancellationToken.None);
            Assert.Contains(audited, e => e.Decision == AuditDecision.Denied && e.ReasonCode == "policy_error" && e.Layer == "rate_limit");
            Assert.DoesNotContain(audited, e => e.Outcome is AuditOutcome.Executing or AuditOutcome.Executed);
            Assert.Contains(await app.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: "discord_list_channels"), CancellationToken.None),
                e => e.Decision == AuditDecision.Denied && e.ReasonCode == "policy_error");
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Database_lost_mid_run_shows_in_readiness_and_nothing_runs_unaudited()
    {
        var server = SharedServices.Postgres; // fails with the scripts/test.sh hint when unset
        var database = "dmcp_outage_" + Guid.NewGuid().ToString("N");
        var builder = new NpgsqlConnectionStringBuilder(server);
        var credentials = Uri.EscapeDataString(builder.Username ?? "postgres") + (builder.Password is { Length: > 0 } p ? ":" + Uri.EscapeDataString(p) : "");
        var url = string.Create(CultureInfo.InvariantCulture, $"postgres://{credentials}@{builder.Host}:{builder.Port}/{database}");
        var logs = new LogCapture();
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            environment: new Dictionary<string, string?> { ["DATABASE_URL"] = url }),
            configureServices: services => services.AddLogging(b => b.AddProvider(logs)));
        await app.StartAsync();
        try
        {
            await using var client = await ClientAsync(app);
            var before = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });
            Assert.True(before.IsError != true, Text(before));

            await DropDatabaseAsync(server, database);

            using var http = new HttpClient();
            var ready = await http.GetAsync(Url(app, "/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("postgresql:", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var write = await client.CallToolAsync("discord_send_message", SendArguments("while the database is gone", dryRun: false));
            var read = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

            Assert.True(write.IsError, Text(write));
            Assert.Matches("audit log is unavailable|could not be completed", Text(write));
            Assert.True(read.IsError, Text(read)); // a read whose audit cannot be recorded returns no data
            Assert.DoesNotContain("#general", Text(read), StringComparison.Ordinal);
            // Neither refusal could be stored; both are in the server log instead of vanishing.
            Assert.Contains("Audit event not stored", logs.Text, StringComparison.Ordinal);
            Assert.Contains("tool discord_send_message", logs.Text, StringComparison.Ordinal);
            Assert.Contains("tool discord_list_channels", logs.Text, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
            await DropDatabaseAsync(server, database);
        }
    }

    private static async Task DropDatabaseAsync(string server, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static Process StartRedis(int port)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        // Ready when it says so on stdout.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
                return process;
        }
        throw new InvalidOperationException("redis-server did not start.");
    }

    private static Uri Url(WebApplication app, string path) => new(app.Urls.Single().TrimEnd('/') + path);

    private static async Task<McpClient> ClientAsync(WebApplication app) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Url(app, DiscordMcpHttpHost.McpPath) }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });

    private static Dictionary<string, object?> SendArguments(string content, bool dryRun) => new()
    {
        ["guild_id"] = DemoGuild.GuildId,
        ["channel"] = DemoGuild.GeneralChannelId,
        ["content"] = content,
        ["dry_run"] = dryRun,
    };

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
