using System.Diagnostics;
using System.Text.Json;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Start-up and idle memory of <c>dotnet discord-mcp.dll stdio --sandbox</c> (built Release dll), the way desktop clients
/// start it. Per run: the clock starts just before <see cref="Process.Start()"/>; the harness writes <c>initialize</c>,
/// waits for its answer, sends <c>notifications/initialized</c> and <c>tools/list</c>, and stops the clock at the
/// <c>tools/list</c> answer. stdio prepares storage in the background, so idle starts when the server logs
/// "Platform storage ready" (that time is reported too: the first tool call cannot finish earlier); after one second
/// idle it reads VmRSS from <c>/proc/&lt;pid&gt;/status</c>. Then one <c>discord_list_channels</c> call and one more
/// second idle give the resident size after real work (reported, no target). Closing stdin ends the server.
/// One unmeasured run first (disk cache), then N measured runs; the median is the result.
/// Raw JSON-RPC lines rather than an SDK client, so no client start-up cost is in the number.
/// </summary>
internal static class McpStdioBenchmark
{
    public const double TargetStartMs = 600, TargetRssMb = 120;

    public static async Task<int> RunAsync(bool quick)
    {
        var runs = quick ? 3 : 10;
        Console.WriteLine($"MCP over stdio: dotnet {Path.GetFileName(McpServerProcess.DllPath())} stdio --sandbox, {runs} runs after 1 unmeasured; load average {McpServerProcess.LoadAverage()}");
        var environment = EnvironmentOverrides();
        if (environment.Count > 0)
            Console.WriteLine($"  extra environment: {string.Join(", ", environment.Select(kv => $"{kv.Key}={kv.Value}"))}");
        await RunOnceAsync(environment);
        var results = new List<RunResult>();
        for (var i = 0; i < runs; i++)
        {
            var r = await RunOnceAsync(environment);
            results.Add(r);
            Console.WriteLine($"  run {i + 1}: first tools/list answer after {r.StartMs:0} ms ({r.Tools} tools), storage ready after {r.ReadyMs:0} ms; " +
                $"idle VmRSS {r.RssMb:0.0} MB (VmHWM {r.PeakMb:0.0} MB); after one tool call {r.RssAfterCallMb:0.0} MB");
        }
        var start = results.Select(r => r.StartMs).Order().ToArray();
        var rss = results.Select(r => r.RssMb).Order().ToArray();
        var medianStart = Median(start);
        var medianRss = Median(rss);
        var pass = medianStart <= TargetStartMs && medianRss <= TargetRssMb;
        Console.WriteLine($"  start → first tools/list: median {medianStart:0} ms (min {start[0]:0}, max {start[^1]:0}); target ≤ {TargetStartMs:0} ms: {(medianStart <= TargetStartMs ? "pass" : "FAIL")}");
        Console.WriteLine($"  idle RSS: median {medianRss:0.0} MB (min {rss[0]:0.0}, max {rss[^1]:0.0}); target ≤ {TargetRssMb:0} MB: {(medianRss <= TargetRssMb ? "pass" : "FAIL")}");
        var ready = results.Select(r => r.ReadyMs).Order().ToArray();
        var afterCall = results.Select(r => r.RssAfterCallMb).Order().ToArray();
        Console.WriteLine($"  start → storage ready (first tool call possible): median {Median(ready):0} ms (min {ready[0]:0}, max {ready[^1]:0}); no target");
        Console.WriteLine($"  RSS after one tool call: median {Median(afterCall):0.0} MB (min {afterCall[0]:0.0}, max {afterCall[^1]:0.0}); no target");
        Console.WriteLine($"MCP over stdio: {(pass ? "PASS" : "FAIL")}; load average {McpServerProcess.LoadAverage()}");
        return pass ? 0 : 1;
    }

    /// <summary>Runtime knobs to compare (e.g. <c>DOTNET_TieredPGO=0</c>) pass through <c>MCPBENCH_ENV="K=V;K=V"</c>.</summary>
    private static Dictionary<string, string> EnvironmentOverrides()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (Environment.GetEnvironmentVariable("MCPBENCH_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                values[pair[..eq]] = pair[(eq + 1)..];
        }
        return values;
    }

    private sealed record RunResult(double StartMs, double ReadyMs, double RssMb, double PeakMb, double RssAfterCallMb, int Tools);

    private static async Task<RunResult> RunOnceAsync(Dictionary<string, string> environment)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var info = McpServerProcess.StartInfo(environment, "stdio", "--sandbox");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start discord-mcp");
        // Logs, drained so the pipe never fills; the line saying storage is ready ends start-up (stdio prepares storage
        // in the background, so "idle" is measured only after it).
        var storageReady = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Platform storage ready", StringComparison.Ordinal))
                    storageReady.TrySetResult(clock.Elapsed.TotalMilliseconds);
            }
            storageReady.TrySetException(new InvalidOperationException("discord-mcp closed stderr without reporting its storage ready"));
        }, timeout.Token);
        try
        {
            await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpbench","version":"1"}}}""");
            await process.StandardInput.FlushAsync();
            await ReadAnswerAsync(process, 1, timeout.Token);
            await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
            await process.StandardInput.FlushAsync();
            var listed = await ReadAnswerAsync(process, 2, timeout.Token);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            var tools = listed.GetProperty("result").GetProperty("tools").GetArrayLength();

            // Idle: start-up finished (storage ready), nothing asked for a second, then the kernel's view of resident memory.
            var readyMs = await storageReady.Task.WaitAsync(timeout.Token);
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
            var rss = McpServerProcess.ProcStatusMegabytes(process.Id, "VmRSS");
            var peak = McpServerProcess.ProcStatusMegabytes(process.Id, "VmHWM");

            // Not a target, reported so the idle number is not mistaken for the working size: one tool call through the
            // whole platform (policy, audit, Discord), a second idle, resident memory again.
            var call = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"discord_list_channels\",\"arguments\":{\"guild_id\":\"" + DemoGuild.GuildId + "\"}}}";
            await process.StandardInput.WriteLineAsync(call);
            await process.StandardInput.FlushAsync();
            var called = await ReadAnswerAsync(process, 3, timeout.Token);
            if (called.GetProperty("result").TryGetProperty("isError", out var isError) && isError.GetBoolean())
                throw new InvalidOperationException($"discord_list_channels failed: {called}");
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
            var rssAfterCall = McpServerProcess.ProcStatusMegabytes(process.Id, "VmRSS");

            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
            await stderr;
            return new RunResult(elapsed, readyMs, rss, peak, rssAfterCall, tools);
        }
        finally
        {
            await McpServerProcess.StopAsync(process);
        }
    }

    private static async Task<JsonElement> ReadAnswerAsync(Process process, int id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"discord-mcp closed stdout before answering request {id} (exit {(process.HasExited ? process.ExitCode : -1)})");
            using var document = JsonDocument.Parse(line);
            var message = document.RootElement;
            if (message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
            {
                if (message.TryGetProperty("error", out var error))
                    throw new InvalidOperationException($"request {id} failed: {error}");
                return message.Clone();
            }
        }
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
