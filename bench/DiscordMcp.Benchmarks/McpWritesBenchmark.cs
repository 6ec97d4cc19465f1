using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// A write end to end over Streamable HTTP: <c>discord-mcp serve</c> (child process, SQLite, in-memory limits, API key) in
/// front of a sandbox that runs in this process (so the benchmark can also call the sandbox's REST API directly).
/// (a) <c>discord_create_channel</c> dry runs (plan with member/role resolution, every policy layer, a stored pending action,
/// a durable audit event): latency percentiles. (b) confirmations: the latency of <c>discord_confirm_action</c> against
/// the latency of the same Discord request sent directly to the sandbox; the difference is what confirmation adds.
/// </summary>
internal static class McpWritesBenchmark
{
    public const double TargetDryRunP50Ms = 5, TargetConfirmOverheadP50Ms = 3;
    private const string Budget = "1000000/1000000";

    public static async Task<int> RunAsync(bool quick)
    {
        var dryRuns = quick ? 100 : 1_000;
        // Each confirmed action and each bare request creates a channel, deleted again (untimed) before the next one, so
        // every timed call sees the demo guild as the dry runs do: the cost of a confirmation's fresh read grows with
        // the guild's channel list (docs/benchmarks.md §7).
        var confirms = quick ? 40 : 300;
        var confirmWarmup = quick ? 10 : 30;
        var warmup = quick ? 30 : 200;
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            RateLimits = { Enabled = false, GlobalPerSecond = 1_000_000, DefaultLimit = 1_000_000 },
        });
        var dataDirectory = Directory.CreateTempSubdirectory("mcpwritebench-").FullName;
        var port = McpServerProcess.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var environment = new Dictionary<string, string>
        {
            ["DISCORD_BOT_TOKEN"] = sandbox.BotToken,
            ["Discord__BaseUrl"] = sandbox.ApiBaseUrl.ToString(),
            ["Discord__GlobalRequestsPerSecond"] = "1000000",
            ["ALLOWED_GUILD_IDS"] = DemoGuild.GuildId,
            ["Storage__DataDirectory"] = dataDirectory,
        };
        var storage = McpServerProcess.UseStorage(environment);
        Process? server = null;
        try
        {
            await CliAsync(environment, "guilds", "install", DemoGuild.GuildId, "--workspace", "default");
            await CliAsync(environment, "workspaces", "limits", "default", "--reads", Budget, "--guild-reads", Budget, "--writes", Budget, "--guild-writes", Budget);
            using var issued = JsonDocument.Parse(await CliAsync(environment, "keys", "issue", "--workspace", "default", "--role", "admin", "--name", "bench", "--json"));
            var key = issued.RootElement.GetProperty("key").GetString()!;
            server = Process.Start(McpServerProcess.StartInfo(environment, "serve", "--urls", baseUrl.ToString().TrimEnd('/')))
                ?? throw new InvalidOperationException("Could not start discord-mcp");
            server.OutputDataReceived += (_, _) => { };
            server.ErrorDataReceived += (_, _) => { };
            server.BeginOutputReadLine();
            server.BeginErrorReadLine();
            await WaitForHealthAsync(baseUrl, server);

            await using var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(baseUrl, "mcp"),
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
            });
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
            Console.WriteLine($"MCP writes over HTTP: discord-mcp serve (child process {server.Id}, {storage}) with the sandbox in the benchmark process; load average {McpServerProcess.LoadAverage()}");

            using var http = new HttpClient { BaseAddress = sandbox.ApiBaseUrl };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", sandbox.BotToken);
            // A larger guild on request (BENCH_GUILD_CHANNELS=N text channels in all): a plan reads the guild's channel list.
            if (int.TryParse(Environment.GetEnvironmentVariable("BENCH_GUILD_CHANNELS"), out var wanted))
            {
                for (var k = await CountChannelsAsync(http); k < wanted; k++)
                {
                    using var pad = new StringContent($$"""{"name":"bench-pad-{{k}}","type":0}""", Encoding.UTF8, "application/json");
                    using var padded = await http.PostAsync(new Uri($"guilds/{DemoGuild.GuildId}/channels", UriKind.Relative), pad);
                    padded.EnsureSuccessStatusCode();
                }
            }

            // (a) dry runs of the product's example: a private channel for @Luis and the Support role.
            var plan = new Dictionary<string, object?>
            {
                ["guild_id"] = DemoGuild.GuildId, ["name"] = "bench-support", ["private"] = true, ["allowed"] = new[] { "@Luis", "Support" },
            };
            for (var i = 0; i < warmup; i++)
                await CallAsync(client, "discord_create_channel", plan);
            var dry = new double[dryRuns];
            for (var i = 0; i < dryRuns; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await CallAsync(client, "discord_create_channel", plan);
                dry[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(dry);
            var dryP50 = McpServerProcess.Percentile(dry, 50);
            var dryPass = dryP50 <= TargetDryRunP50Ms;
            Console.WriteLine($"  dry run discord_create_channel: {dryRuns} calls after {warmup} warm-up; p50 {dryP50:0.000} ms, p90 {McpServerProcess.Percentile(dry, 90):0.000} ms, p99 {McpServerProcess.Percentile(dry, 99):0.000} ms (target p50 ≤ {TargetDryRunP50Ms} ms): {(dryPass ? "pass" : "FAIL")}");

            // (b) confirmation vs the bare Discord request. Each confirm is planned first (untimed), with a fresh name; the
            // first confirmWarmup of each (confirmations, bare requests) warm their paths up and are not timed, as in (a).
            var channelsBefore = await CountChannelsAsync(http);
            var confirmLatencies = new double[confirms];
            for (var i = -confirmWarmup; i < confirms; i++)
            {
                var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["name"] = $"bench-confirm-{i + confirmWarmup}" };
                var id = (await CallAsync(client, "discord_create_channel", args)).GetProperty("confirmation_id").GetString()!;
                var start = Stopwatch.GetTimestamp();
                var done = await CallAsync(client, "discord_confirm_action", new Dictionary<string, object?> { ["confirmation_id"] = id });
                if (i >= 0)
                    confirmLatencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                await DeleteChannelAsync(http, done.GetProperty("ids").GetProperty("channel_id").GetString()!);
            }
            var raw = new double[confirms];
            for (var i = -confirmWarmup; i < confirms; i++)
            {
                using var body = new StringContent($$"""{"name":"bench-raw-{{i + confirmWarmup}}","type":0}""", Encoding.UTF8, "application/json");
                var start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(new Uri($"guilds/{DemoGuild.GuildId}/channels", UriKind.Relative), body);
                if (i >= 0)
                    raw[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                await DeleteChannelAsync(http, created.RootElement.GetProperty("id").GetString()!);
            }
            if (await CountChannelsAsync(http) != channelsBefore)
                throw new InvalidOperationException("The guild's channel count changed during the confirmations; every created channel should have been deleted.");
            Array.Sort(confirmLatencies);
            Array.Sort(raw);
            var confirmP50 = McpServerProcess.Percentile(confirmLatencies, 50);
            var rawP50 = McpServerProcess.Percentile(raw, 50);
            var overhead = confirmP50 - rawP50;
            var confirmPass = overhead <= TargetConfirmOverheadP50Ms;
            Console.WriteLine($"  confirmation: discord_confirm_action p50 {confirmP50:0.000} ms (p99 {McpServerProcess.Percentile(confirmLatencies, 99):0.000} ms) over {confirms} actions after {confirmWarmup} warm-up, the guild at {channelsBefore} channels; the bare Discord request p50 {rawP50:0.000} ms");
            Console.WriteLine($"    confirmation adds p50 {overhead:0.000} ms on top of the Discord call (target ≤ {TargetConfirmOverheadP50Ms} ms): {(confirmPass ? "pass" : "FAIL")}");
            Console.WriteLine($"  server RSS {McpServerProcess.ProcStatusMegabytes(server.Id, "VmRSS"):0} MB; load average {McpServerProcess.LoadAverage()}");
            var pass = dryPass && confirmPass;
            Console.WriteLine($"MCP writes over HTTP: {(pass ? "PASS" : "FAIL")}");
            return pass ? 0 : 1;
        }
        finally
        {
            if (server is not null)
                await McpServerProcess.StopAsync(server);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<int> CountChannelsAsync(HttpClient http)
    {
        using var channels = JsonDocument.Parse(await http.GetStringAsync(new Uri($"guilds/{DemoGuild.GuildId}/channels", UriKind.Relative)));
        return channels.RootElement.GetArrayLength();
    }

    private static async Task DeleteChannelAsync(HttpClient http, string channelId)
    {
        using var response = await http.DeleteAsync(new Uri($"channels/{channelId}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        if (result.IsError == true || result.StructuredContent is not { } structured)
            throw new InvalidOperationException($"{tool} failed: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text))}");
        return structured;
    }

    private static async Task<string> CliAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var cli = Process.Start(McpServerProcess.StartInfo(environment, arguments))
            ?? throw new InvalidOperationException("Could not start discord-mcp " + arguments[0]);
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0)
            throw new InvalidOperationException($"discord-mcp {string.Join(' ', arguments)} failed ({cli.ExitCode}): {await error}{await output}");
        return await output;
    }

    private static async Task WaitForHealthAsync(Uri baseUrl, Process process)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"discord-mcp exited with {process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "health/ready"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            // A benchmark polling a child process's start-up, not a test: a short real delay is the simplest wait.
            await Task.Delay(50);
        }
        throw new TimeoutException("discord-mcp did not become ready within 60 s");
    }
}
