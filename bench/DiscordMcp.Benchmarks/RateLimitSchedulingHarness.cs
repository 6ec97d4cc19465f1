using System.Diagnostics;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Rate-limit scheduling against the in-process sandbox with enforced limits: N message writes on one bucket
/// (<c>POST /channels/{channel_id}/messages</c>, one channel), all issued at once so the client has to queue them.
/// The best any client can do is <c>Limit</c> writes per window: N writes need at least (⌈N/Limit⌉ − 1) windows after
/// the first request. Efficiency = that minimum ÷ the measured time; the sandbox counts every 429 it sends.
/// </summary>
internal static class RateLimitSchedulingHarness
{
    public const double TargetEfficiency = 0.95;
    private const string RouteKey = "POST /channels/{channel_id}/messages";

    public static async Task<int> RunAsync(bool quick)
    {
        const int Limit = 10;
        var window = TimeSpan.FromSeconds(2);
        var writes = quick ? 30 : 100;
        var options = new SandboxOptions();
        options.RateLimits.Routes[RouteKey] = new SandboxRouteLimit(Limit, window);
        options.RateLimits.GlobalPerSecond = 50;
        await using var sandbox = await SandboxHost.StartAsync(options);
        using var http = new HttpClient();
        var transport = new DiscordRestTransport(http, new DiscordClientOptions
        {
            BaseUrl = sandbox.ApiBaseUrl,
            Token = sandbox.BotToken,
            MaxRateLimitWait = TimeSpan.FromMinutes(5),
        });
        var client = new DiscordRestClient(transport);
        var channel = Snowflake.Parse(DemoGuild.DeploymentsChannelId);

        var clock = Stopwatch.StartNew();
        var first = await client.CreateMessageAsync(channel, "write 0");
        var firstDone = clock.Elapsed;
        var rest = Enumerable.Range(1, writes - 1).Select(i => client.CreateMessageAsync(channel, $"write {i}")).ToArray();
        var sent = await Task.WhenAll(rest);
        clock.Stop();

        var minimum = window * (Math.Ceiling(writes / (double)Limit) - 1);
        // Measured from the first request's answer (which opened the sandbox's window) to the last answer.
        var measured = clock.Elapsed - firstDone;
        var efficiency = minimum / measured;
        // The first window's writes go at once; every later write waited for a window: those pace the bucket.
        var throughput = (writes - Limit) / measured.TotalSeconds;
        var theoretical = Limit / window.TotalSeconds;
        var diagnostics = transport.Diagnostics;
        var ordered = sent.Prepend(first).Select(m => m.Content).Distinct(StringComparer.Ordinal).Count() == writes;
        Console.WriteLine($"Rate-limit scheduling: {writes} writes on one bucket ({Limit} per {window.TotalSeconds:0.#} s, global {options.RateLimits.GlobalPerSecond}/s).");
        Console.WriteLine($"  measured {measured.TotalSeconds:0.000} s after the first answer; minimum possible {minimum.TotalSeconds:0.000} s");
        Console.WriteLine($"  paced throughput {throughput:0.00} writes/s (writes after the first window ÷ measured time) vs bucket maximum {theoretical:0.00} writes/s; efficiency {efficiency:P1} (target ≥ {TargetEfficiency:P0})");
        Console.WriteLine($"  429 responses: {diagnostics.RateLimitResponses} (bucket {diagnostics.BucketRateLimitResponses}, global {diagnostics.GlobalRateLimitResponses}, shared {diagnostics.SharedRateLimitResponses}); target 0");
        Console.WriteLine($"  requests sent {diagnostics.RequestsSent}, pre-emptive waits {diagnostics.PreemptiveWaits}, all {writes} messages distinct: {ordered}");
        var pass = efficiency >= TargetEfficiency && diagnostics.RateLimitResponses == 0 && ordered;
        Console.WriteLine($"Rate-limit scheduling: {(pass ? "PASS" : "FAIL")}");
        return pass ? 0 : 1;
    }
}
