using System.Diagnostics;
using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Policy evaluation with warm caches: the real <see cref="PolicyPipeline"/> composed as the host composes it (EF Core
/// SQLite store behind the platform cache, the in-memory rate limiter, <see cref="DiscordBotPermissionProbe"/> over the
/// REST client against the in-process sandbox), evaluated with <see cref="PolicyPipeline.EvaluateAsync"/>: every layer,
/// no execution, no audit. One allowed read call with an API-key credential, timed call by call.
/// </summary>
internal static class PolicyEvaluationBenchmark
{
    public const double TargetP50Microseconds = 100;

    public static async Task<int> RunAsync(bool quick)
    {
        var warmup = quick ? 5_000 : 20_000;
        var measured = quick ? 20_000 : 200_000;

        var sandboxOptions = new SandboxOptions();
        sandboxOptions.RateLimits.Enabled = false;
        await using var sandbox = await SandboxHost.StartAsync(sandboxOptions);
        using var http = new HttpClient();
        var transport = new DiscordRestTransport(http, new DiscordClientOptions { BaseUrl = sandbox.ApiBaseUrl, Token = sandbox.BotToken });
        var probe = new DiscordBotPermissionProbe(new DiscordRestClient(transport), TimeProvider.System);

        var guildId = ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture);
        var channelId = ulong.Parse(DemoGuild.GeneralChannelId, CultureInfo.InvariantCulture);
        await using var storage = await PlatformStorage.SqliteAsync(new Dictionary<string, string?>
        {
            ["Discord:AllowedGuildIds"] = DemoGuild.GuildId,
        });
        var store = storage.Services.GetRequiredService<IPlatformStore>();
        var key = await SetUpCallerAsync(store, guildId);

        var pipeline = new PolicyPipeline(
            store,
            probe,
            storage.Services.GetRequiredService<IRateLimiter>(),
            storage.Services.GetRequiredService<IPendingActionStore>(),
            storage.Services.GetRequiredService<IAuditLog>(),
            TimeProvider.System,
            new PolicyOptions { Redactor = new Redactor([sandbox.BotToken]) });
        var request = new PolicyRequest
        {
            Credential = new ApiKeyCredential(key),
            Tool = new ToolDescriptor("discord_list_messages", "messages", ToolAccess.Read),
            GuildId = guildId,
            ChannelId = channelId,
            RequiredBotPermissions = (ulong)(DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory),
            CanonicalArguments = CanonicalJson.Canonicalize(System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string>
            {
                ["guild_id"] = DemoGuild.GuildId,
                ["channel"] = DemoGuild.GeneralChannelId,
                ["limit"] = "20",
            })),
        };

        Console.WriteLine($"Policy evaluation: PolicyPipeline.EvaluateAsync, allowed read (API key, guild {guildId}, channel {channelId}), {storage.Label}, platform cache {StorageServiceCollectionDefaults()} s, probe cache {DiscordBotPermissionProbe.CacheFor.TotalSeconds:0} s.");
        Console.WriteLine($"  load average before: {PlatformStorage.LoadAverage()}; warm-up {warmup:N0} calls, measured {measured:N0} sequential calls");

        for (var i = 0; i < warmup; i++)
            await EvaluateAllowedAsync(pipeline, request);

        var latencies = new double[measured];
        var allocations = new long[measured];
        var totalBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0Before = GC.CollectionCount(0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < measured; i++)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            await EvaluateAllowedAsync(pipeline, request);
            var end = Stopwatch.GetTimestamp();
            latencies[i] = PlatformStorage.Micros(end - start);
            // Exact when the call completed on this thread (a warm call does); a cache refresh may hop threads.
            allocations[i] = GC.GetAllocatedBytesForCurrentThread() - bytes;
        }
        clock.Stop();
        var totalAllocated = GC.GetTotalAllocatedBytes(precise: true) - totalBefore;
        var gen0 = GC.CollectionCount(0) - gen0Before;

        Array.Sort(latencies);
        Array.Sort(allocations);
        var p50 = PlatformStorage.Percentile(latencies, 50);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency per call: p50 {p50:0.0} µs, p90 {PlatformStorage.Percentile(latencies, 90):0.0} µs, p99 {PlatformStorage.Percentile(latencies, 99):0.0} µs, p99.9 {PlatformStorage.Percentile(latencies, 99.9):0.0} µs, max {latencies[^1]:0.0} µs; {measured / clock.Elapsed.TotalSeconds:N0} calls/s on one thread"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated per call: median {allocations[measured / 2]:N0} B (this thread), mean {totalAllocated / (double)measured:N0} B (whole process); {gen0} gen-0 GCs"));
        Console.WriteLine($"  load average after: {PlatformStorage.LoadAverage()}");
        var pass = p50 <= TargetP50Microseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Policy evaluation p50 {p50:0.0} µs (target ≤ {TargetP50Microseconds:0} µs): {(pass ? "PASS" : "FAIL")}"));
        return pass ? 0 : 1;
    }

    private static int StorageServiceCollectionDefaults() => Storage.StorageServiceCollectionExtensions.DefaultPlatformCacheSeconds;

    private static async ValueTask EvaluateAllowedAsync(PolicyPipeline pipeline, PolicyRequest request)
    {
        var (decision, _) = await pipeline.EvaluateAsync(request, CancellationToken.None);
        if (!decision.IsAllowed)
            throw new InvalidOperationException($"The benchmark call was not allowed: {decision.LayerName} {decision.ReasonCode}: {decision.Message}");
    }

    /// <summary>
    /// A viewer API key in the default workspace (which the initializer created and installed the demo guild into),
    /// a category read rule the channel layer has to resolve, and budgets so large that the limiter always says yes
    /// (its bookkeeping still runs on every call).
    /// </summary>
    private static async Task<string> SetUpCallerAsync(IPlatformStore store, ulong guildId)
    {
        var now = DateTimeOffset.UtcNow;
        var workspace = await store.GetWorkspaceAsync("default", CancellationToken.None)
            ?? throw new InvalidOperationException("The storage initializer did not create the default workspace.");
        const int Huge = 1_000_000_000;
        await store.UpdateWorkspaceAsync(workspace with { RateLimits = new RateLimitSettings(Huge, Huge, Huge, Huge, Huge, Huge, Huge, Huge) }, CancellationToken.None);
        var generated = ApiKeys.Generate();
        var principalId = "key:" + generated.LookupId;
        await store.UpsertPrincipalAsync(new Principal(principalId, PrincipalKind.ApiClient, "benchmark"), CancellationToken.None);
        await store.SetMembershipAsync(new WorkspaceMembership("default", principalId, PlatformRole.Viewer), CancellationToken.None);
        await store.CreateApiKeyAsync(new ApiKeyRecord(Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture), "default", principalId,
            PlatformRole.Viewer, generated.LookupId, generated.SecretHash, now, Description: "policy benchmark"), CancellationToken.None);
        await store.SetChannelPolicyAsync(new ChannelPolicy(guildId, ChannelPolicyScope.Category,
            ulong.Parse(DemoGuild.TextCategoryId, CultureInfo.InvariantCulture), Read: AccessRule.Allow), CancellationToken.None);
        return generated.Key;
    }
}
