using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using DiscordMcp.Benchmarks;

// dotnet run -c Release --project bench/DiscordMcp.Benchmarks -- <rest|gateway|ratelimit|policy|audit|mcp-http|mcp-stdio|mcp-writes|agent|all> [--quick] [BenchmarkDotNet args, e.g. --filter *Send*]
// "all" runs the Discord client benchmarks (rest, gateway, ratelimit) and policy evaluation (a few seconds); audit
// (≈ 1.5 min per database) and the MCP server ones run by name.
var mode = args.Length > 0 && !args[0].StartsWith('-') ? args[0].ToLowerInvariant() : "all";
var rest = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
var quick = rest.Contains("--quick", StringComparer.Ordinal);
var bdnArgs = rest.Where(a => a != "--quick").ToArray();
if (!bdnArgs.Contains("--filter", StringComparer.Ordinal))
    bdnArgs = [.. bdnArgs, "--filter", "*"];

if (mode is not ("rest" or "gateway" or "ratelimit" or "policy" or "audit" or "mcp-http" or "mcp-stdio" or "mcp-writes" or "agent" or "all"))
{
    Console.Error.WriteLine($"Unknown mode '{mode}'. Use rest, gateway, ratelimit, policy, audit, mcp-http, mcp-stdio, mcp-writes, agent or all (plus --quick, plus BenchmarkDotNet arguments for rest).");
    return 2;
}

var exit = 0;
if (mode is "rest" or "all")
{
    var config = DefaultConfig.Instance;
    if (quick)
        config = config.AddJob(Job.ShortRun.WithId("Quick"));
    BenchmarkSwitcher.FromTypes([typeof(RestClientOverheadBenchmarks)]).Run(bdnArgs, config);
}
if (mode is "gateway" or "all")
    exit |= await GatewayDispatchBenchmark.RunAsync(quick);
if (mode is "ratelimit" or "all")
    exit |= await RateLimitSchedulingHarness.RunAsync(quick);
if (mode is "policy" or "all")
    exit |= await PolicyEvaluationBenchmark.RunAsync(quick);
if (mode is "audit")
    exit |= await AuditAppendBenchmark.RunAsync(quick);
if (mode is "mcp-http")
    exit |= await McpHttpBenchmark.RunAsync(quick, telemetry: rest.Contains("--telemetry", StringComparer.Ordinal), metricsOnly: rest.Contains("--telemetry-metrics", StringComparer.Ordinal));
if (mode is "mcp-stdio")
    exit |= await McpStdioBenchmark.RunAsync(quick);
if (mode is "mcp-writes")
    exit |= await McpWritesBenchmark.RunAsync(quick);
if (mode is "agent")
    exit |= await AgentBenchmark.RunAsync(quick);
return exit;
