using System.Collections.Concurrent;
using System.Diagnostics;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Client;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// <c>discord_list_channels</c> over Streamable HTTP against the real host: <c>discord-mcp serve --sandbox</c> runs as a
/// child process of the built Release dll (its own GC and thread pool; the sandbox is in-process with the server, as in
/// <c>serve --sandbox</c>), logging at the default levels of its <c>appsettings.json</c>. The official C# SDK client
/// (<see cref="McpClient"/> over <see cref="HttpClientTransport"/>) calls the tool for the demo guild:
/// (a) sequentially → latency percentiles; (b) 16 calls in flight for a fixed time → calls/s.
/// Run once per protocol: 2025-11-25 (initialize, <c>Mcp-Session-Id</c>: today's clients) and 2026-07-28 (the C# client's
/// default: stateless, no session).
/// </summary>
internal static class McpHttpBenchmark
{
    public const double TargetP50Ms = 2, TargetP99Ms = 10, TargetCallsPerSecond = 2_000;
    private const string Tool = "discord_list_channels";
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(bool quick, bool telemetry = false, bool metricsOnly = false)
    {
        telemetry |= metricsOnly;
        var calls = quick ? 300 : 5_000;
        var warmup = quick ? 200 : 2_000;
        var duration = TimeSpan.FromSeconds(quick ? 3 : 15);
        var port = McpServerProcess.FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        // The sandbox's own 429s would measure the sandbox's limits, not the server: off, and its advertised limits (which
        // our client paces itself by, even when 429s are off) raised. The client's global pacing
        // (Discord's 50 requests/s) is raised for the same reason; see docs/benchmarks.md for what each call sends.
        var environment = new Dictionary<string, string>
        {
            ["Sandbox__RateLimits__Enabled"] = "false",
            ["Sandbox__RateLimits__GlobalPerSecond"] = "1000000",
            ["Sandbox__RateLimits__DefaultLimit"] = "1000000",
            ["Discord__GlobalRequestsPerSecond"] = "1000000",
        };
        // The platform's own per-principal and per-guild budgets (60/10 reads by default) would refuse a load test too:
        // the harness raises them for the default workspace in a database of its own, with the admin CLI, before start.
        var dataDirectory = Directory.CreateTempSubdirectory("mcpbench-").FullName;
        environment["Storage__DataDirectory"] = dataDirectory;
        var storage = McpServerProcess.UseStorage(environment);
        // Telemetry off (the baseline): no OTLP endpoint and no /metrics, so nothing listens to the sources and meters.
        // On (--telemetry): traces and metrics exported by OTLP/http to a local sink in this process (every span really
        // serialised and posted), and the Prometheus exporter registered (/metrics scraped once per second).
        // --telemetry-metrics: /metrics only (no OTLP endpoint, so no span is created).
        using var sink = telemetry && !metricsOnly ? new OtlpSink() : null;
        environment["METRICS_ENABLED"] = telemetry ? "true" : "false";
        if (sink is not null)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Url;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }
        await RaiseWorkspaceLimitsAsync(environment);
        using var process = Process.Start(McpServerProcess.StartInfo(environment, "serve", "--sandbox", "--urls", baseUrl.ToString().TrimEnd('/')))
            ?? throw new InvalidOperationException("Could not start discord-mcp");
        var logLines = 0L;
        var lastLines = new ConcurrentQueue<string>();
        // `serve --sandbox` prints an admin API key for the demo workspace once it listens; /mcp requires it.
        var apiKey = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Drain(string? line)
        {
            if (line is null)
                return;
            if (line.Trim() is { } trimmed && trimmed.StartsWith("dmcp_", StringComparison.Ordinal) && !trimmed.Contains(' ', StringComparison.Ordinal))
                apiKey.TrySetResult(trimmed);
            Interlocked.Increment(ref logLines);
            lastLines.Enqueue(line);
            while (lastLines.Count > 20)
                lastLines.TryDequeue(out _);
        }
        process.OutputDataReceived += (_, e) => Drain(e.Data);
        process.ErrorDataReceived += (_, e) => Drain(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForHealthAsync(baseUrl, process, lastLines);
            var key = await apiKey.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Console.WriteLine($"MCP over HTTP: discord-mcp serve --sandbox (child process {process.Id}, {storage}) at {baseUrl}; tool {Tool} for guild {DemoGuild.GuildId}; telemetry {(metricsOnly ? "metrics only (/metrics)" : telemetry ? "on (OTLP/http to a local sink + /metrics)" : "off")}; load average {McpServerProcess.LoadAverage()}");
            var pass = true;
            using var scrapes = new CancellationTokenSource();
            var scraping = telemetry ? ScrapeAsync(baseUrl, scrapes.Token) : Task.FromResult(0);
            foreach (var protocol in new[] { "2025-11-25", "2026-07-28" })
                pass &= await RunProtocolAsync(baseUrl, key, process.Id, protocol, calls, warmup, duration, () => Interlocked.Read(ref logLines));
            await scrapes.CancelAsync();
            var scraped = await scraping;
            if (telemetry)
            {
                // After the runs the counters must be there (a scrape during the client's connect may precede the first call).
                using var http = new HttpClient();
                var text = await http.GetStringAsync(new Uri(baseUrl, "metrics"));
                if (!text.Contains("discord_mcp_tool_calls_total{", StringComparison.Ordinal))
                    throw new InvalidOperationException("/metrics has no discord_mcp_tool_calls_total after the runs:\n" + text[..Math.Min(text.Length, 1500)]);
            }
            if (sink is not null)
                Console.WriteLine($"  telemetry: {scraped} /metrics scrapes; OTLP sink received {sink.Requests} exports ({sink.Bytes / 1024.0:0} KB)");
            Console.WriteLine($"  server RSS after the runs: {McpServerProcess.ProcStatusMegabytes(process.Id, "VmRSS"):0} MB (peak {McpServerProcess.ProcStatusMegabytes(process.Id, "VmHWM"):0} MB); load average {McpServerProcess.LoadAverage()}");
            if (quick)
                Console.WriteLine($"  last server log lines:\n    {string.Join("\n    ", lastLines)}");
            Console.WriteLine($"MCP over HTTP: {(pass ? "PASS" : "FAIL")}");
            return pass ? 0 : 1;
        }
        finally
        {
            await McpServerProcess.StopAsync(process);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RaiseWorkspaceLimitsAsync(IReadOnlyDictionary<string, string> environment)
    {
        const string Budget = "1000000/1000000";
        using var cli = Process.Start(McpServerProcess.StartInfo(environment, "workspaces", "limits", "default", "--reads", Budget, "--guild-reads", Budget))
            ?? throw new InvalidOperationException("Could not start discord-mcp workspaces limits");
        var output = cli.StandardOutput.ReadToEndAsync();
        var error = cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        if (cli.ExitCode != 0)
            throw new InvalidOperationException($"discord-mcp workspaces limits failed ({cli.ExitCode}): {await error}{await output}");
    }

    private static async Task<bool> RunProtocolAsync(Uri baseUrl, string apiKey, int serverPid, string protocol, int calls, int warmup, TimeSpan duration, Func<long> logLines)
    {
        await using var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(baseUrl, "mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocol });
        var arguments = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId };

        var expected = await CallAsync(client, arguments);
        for (var i = 0; i < warmup; i++)
            await CallAsync(client, arguments);

        // (a) concurrency 1
        var logsBefore = logLines();
        var cpuBefore = McpServerProcess.ProcCpuMilliseconds(serverPid);
        var latencies = new double[calls];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var text = await CallAsync(client, arguments);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!string.Equals(text, expected, StringComparison.Ordinal))
                throw new InvalidOperationException("The tool's answer changed during the run.");
        }
        total.Stop();
        var logsPerCall = (logLines() - logsBefore) / (double)calls;
        var serverCpuPerCall = (McpServerProcess.ProcCpuMilliseconds(serverPid) - cpuBefore) / calls;
        Array.Sort(latencies);
        var p50 = McpServerProcess.Percentile(latencies, 50);
        var p90 = McpServerProcess.Percentile(latencies, 90);
        var p99 = McpServerProcess.Percentile(latencies, 99);
        var sequentialPass = p50 <= TargetP50Ms && p99 <= TargetP99Ms;
        Console.WriteLine($"  [{protocol}] concurrency 1: {calls} calls after {warmup} warm-up calls, {calls / total.Elapsed.TotalSeconds:0} calls/s");
        Console.WriteLine($"    latency p50 {p50:0.000} ms, p90 {p90:0.000} ms, p99 {p99:0.000} ms, max {latencies[^1]:0.000} ms (target p50 ≤ {TargetP50Ms} ms, p99 ≤ {TargetP99Ms} ms): {(sequentialPass ? "pass" : "FAIL")}; server log lines per call {logsPerCall:0.##}; server CPU per call {serverCpuPerCall:0.000} ms");

        // (b) concurrency 16 for a fixed time, all on one client (one session for 2025-11-25); each worker records its latencies.
        var perWorker = new List<double>[Concurrency];
        var errors = 0;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(w => Task.Run(async () =>
        {
            var mine = perWorker[w] = new List<double>(capacity: 50_000);
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await CallAsync(client, arguments);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    if (Interlocked.Increment(ref errors) == 1)
                        Console.WriteLine($"    first error: {ex.GetType().Name}: {ex.Message}");
                }
            }
        })).ToArray();
        stop.CancelAfter(duration);
        await Task.WhenAll(workers);
        clock.Stop();
        var all = perWorker.SelectMany(l => l).ToArray();
        Array.Sort(all);
        var rate = all.Length / clock.Elapsed.TotalSeconds;
        var throughputPass = rate >= TargetCallsPerSecond && errors == 0;
        Console.WriteLine($"  [{protocol}] concurrency {Concurrency}: {all.Length} calls in {clock.Elapsed.TotalSeconds:0.00} s = {rate:0} calls/s (target ≥ {TargetCallsPerSecond:0}): {(throughputPass ? "pass" : "FAIL")}; errors {errors}");
        Console.WriteLine($"    latency under load p50 {McpServerProcess.Percentile(all, 50):0.00} ms, p99 {McpServerProcess.Percentile(all, 99):0.00} ms");
        return sequentialPass && throughputPass;
    }

    /// <summary>Scrapes <c>/metrics</c> once per second (a busy Prometheus) until cancelled; returns the number of scrapes.</summary>
    private static async Task<int> ScrapeAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var count = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await http.GetStringAsync(new Uri(baseUrl, "metrics"), cancellationToken);
                count++;
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return count;
    }

    /// <summary>An OTLP/http receiver that accepts every export (200, empty body) and counts them.</summary>
    private sealed class OtlpSink : IDisposable
    {
        private readonly System.Net.HttpListener _listener = new();
        private readonly Task _loop;
        private long _requests;
        private long _bytes;

        public OtlpSink()
        {
            Url = $"http://127.0.0.1:{McpServerProcess.FreePort()}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public long Requests => Interlocked.Read(ref _requests);

        public long Bytes => Interlocked.Read(ref _bytes);

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using (var body = new MemoryStream())
                {
                    await context.Request.InputStream.CopyToAsync(body);
                    Interlocked.Add(ref _bytes, body.Length);
                }
                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _ = _loop;
        }
    }

    private static async Task<string> CallAsync(McpClient client, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(Tool, arguments);
        if (result.IsError == true)
            throw new InvalidOperationException($"{Tool} failed: {string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text))}");
        return result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().FirstOrDefault()?.Text ?? "";
    }

    private static async Task WaitForHealthAsync(Uri baseUrl, Process process, ConcurrentQueue<string> lastLines)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"discord-mcp exited with {process.ExitCode}:\n{string.Join('\n', lastLines)}");
            try
            {
                using var response = await http.GetAsync(new Uri(baseUrl, "health"));
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
        throw new TimeoutException($"discord-mcp did not answer /health within 60 s:\n{string.Join('\n', lastLines)}");
    }
}
