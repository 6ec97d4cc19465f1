using System.Diagnostics;
using System.Globalization;
using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Win32.SafeHandles;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// The audit log the server uses (<c>EfAuditLog</c>, hash-chained, group commit) on SQLite (temp file, WAL) and on
/// PostgreSQL (<c>ConnectionStrings__Postgres</c>): (a) sustained events/s of read-call events
/// (<see cref="AuditDurability.Committed"/>) with N concurrent appenders; (b) the latency of a write's write-ahead event
/// (<see cref="AuditDurability.Durable"/>), appended one after another; (c) what one disk sync costs on this machine.
/// </summary>
internal static class AuditAppendBenchmark
{
    public const double TargetEventsPerSecond = 5_000;
    public const double TargetDurableP50Milliseconds = 2;
    private static readonly int[] Concurrencies = [1, 4, 16, 64];

    public static async Task<int> RunAsync(bool quick)
    {
        var duration = TimeSpan.FromSeconds(quick ? 2 : 10);
        var durableCount = quick ? 100 : 1_000;
        var exit = 0;

        await using (var sqlite = await PlatformStorage.SqliteAsync())
        {
            var sync = MeasureDiskSync(sqlite.TempDirectory!, quick ? 50 : 200, overwrite: false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Disk sync on this machine ({sqlite.TempDirectory}): 4 KiB appended + fsync (as dd oflag=dsync), p50 {sync.P50:0.00} ms, p99 {sync.P99:0.00} ms, mean {sync.Mean:0.00} ms over {sync.Count} syncs; load {PlatformStorage.LoadAverage()}"));
            var rewrite = MeasureDiskSync(sqlite.TempDirectory!, quick ? 50 : 200, overwrite: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  4 KiB rewritten in place + fsync (as a reused WAL): p50 {rewrite.P50:0.00} ms, p99 {rewrite.P99:0.00} ms, mean {rewrite.Mean:0.00} ms"));
            exit |= await RunProviderAsync(sqlite, duration, durableCount, isSqlite: true, sync.P50);
        }

        var postgres = await PlatformStorage.PostgresAsync();
        if (postgres is null)
        {
            Console.WriteLine("PostgreSQL: skipped (ConnectionStrings__Postgres is not set).");
            return exit;
        }
        await using (postgres)
        {
            Console.WriteLine($"PostgreSQL settings: {await postgres.PostgresSettingsAsync()}");
            exit |= await RunProviderAsync(postgres, duration, durableCount, isSqlite: false, diskSyncP50: null);
        }
        return exit;
    }

    private static async Task<int> RunProviderAsync(PlatformStorage storage, TimeSpan duration, int durableCount, bool isSqlite, double? diskSyncP50)
    {
        var log = storage.Services.GetRequiredService<IAuditLog>();
        var name = isSqlite ? "SQLite" : "PostgreSQL";
        Console.WriteLine($"Audit on {storage.Label}");

        // Warm-up: EF Core's model, query and insert pipeline, the connection pool.
        for (var i = 0; i < 200; i++)
            await log.AppendAsync(ReadEvent(i), AuditDurability.Committed, CancellationToken.None);

        var throughputPass = true;
        foreach (var concurrency in Concurrencies)
        {
            var result = await SustainedAsync(log, concurrency, duration);
            // The target is for batched appends: the levels where calls overlap enough to share a commit.
            var judged = concurrency >= 16;
            var ok = result.EventsPerSecond >= TargetEventsPerSecond;
            if (judged && isSqlite)
                throughputPass &= ok;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  read events (Committed), {concurrency,2} appenders × {duration.TotalSeconds:0} s: {result.EventsPerSecond,8:N0} events/s ({result.Events:N0} events), append p50 {result.P50:0.00} ms, p99 {result.P99:0.00} ms, process CPU {result.CpuMicrosecondsPerEvent:0} µs/event; load {PlatformStorage.LoadAverage()}"));
        }

        var durable = await DurableSequentialAsync(log, durableCount);
        var durablePass = durable.P50 <= TargetDurableP50Milliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  write-ahead events (Durable), sequential × {durableCount:N0}: p50 {durable.P50:0.00} ms, p99 {durable.P99:0.00} ms, mean {durable.Mean:0.00} ms; load {PlatformStorage.LoadAverage()}"));

        var (valid, verified) = await VerifyChainAsync(log);
        Console.WriteLine($"  chain verified after the run: {valid} ({verified:N0} events, sequences 1…{verified:N0} without a gap)");

        var exit = 0;
        if (isSqlite)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Audit throughput {name} (reads, batched: 16 and 64 appenders) target ≥ {TargetEventsPerSecond:N0} events/s: {(throughputPass && valid ? "PASS" : "FAIL")}"));
            exit |= throughputPass && valid ? 0 : 1;
        }
        else
        {
            Console.WriteLine($"Audit throughput {name}: reported, no target (chain valid: {valid})");
            exit |= valid ? 0 : 1;
        }
        var note = diskSyncP50 is { } sync && sync > TargetDurableP50Milliseconds
            ? string.Create(CultureInfo.InvariantCulture, $" (one disk sync alone is {sync:0.00} ms here)")
            : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Audit write-ahead {name} p50 {durable.P50:0.00} ms (target ≤ {TargetDurableP50Milliseconds:0} ms){note}: {(durablePass ? "PASS" : "FAIL")}"));
        exit |= durablePass ? 0 : 1;
        return exit;
    }

    /// <summary>Every stored event re-hashed in sequence order (what <c>audit verify</c> does), page by page.</summary>
    private static async Task<(bool Valid, long Count)> VerifyChainAsync(IAuditLog log)
    {
        var prev = AuditChain.GenesisHash;
        long after = 0;
        while (true)
        {
            var page = await log.ReadAsync(new AuditQuery(AfterSequence: after, Limit: 5_000, NewestFirst: false), CancellationToken.None);
            if (page.Count == 0)
                return (true, after);
            if (page[0].Sequence != after + 1 || !AuditChain.Verify(page, prev).IsValid)
                return (false, after);
            prev = page[^1].Hash;
            after = page[^1].Sequence;
        }
    }

    private sealed record Throughput(long Events, double EventsPerSecond, double P50, double P99, double CpuMicrosecondsPerEvent);

    private static async Task<Throughput> SustainedAsync(IAuditLog log, int concurrency, TimeSpan duration)
    {
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var latencies = new List<double>(4096);
            var n = 0;
            while (Stopwatch.GetTimestamp() < stop)
            {
                var start = Stopwatch.GetTimestamp();
                await log.AppendAsync(ReadEvent((w * 1_000_000) + n++), AuditDurability.Committed, CancellationToken.None);
                latencies.Add(PlatformStorage.Micros(Stopwatch.GetTimestamp() - start) / 1000);
            }
            return latencies;
        })).ToArray();
        var all = (await Task.WhenAll(workers)).SelectMany(l => l).ToArray();
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Array.Sort(all);
        return new Throughput(all.Length, all.Length / clock.Elapsed.TotalSeconds, PlatformStorage.Percentile(all, 50), PlatformStorage.Percentile(all, 99),
            cpu.TotalMicroseconds / Math.Max(1, all.Length));
    }

    private sealed record Distribution(int Count, double P50, double P99, double Mean);

    private static async Task<Distribution> DurableSequentialAsync(IAuditLog log, int count)
    {
        for (var i = 0; i < 20; i++)
            await log.AppendAsync(WriteAheadEvent(i), AuditDurability.Durable, CancellationToken.None);
        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await log.AppendAsync(WriteAheadEvent(i), AuditDurability.Durable, CancellationToken.None);
            latencies[i] = PlatformStorage.Micros(Stopwatch.GetTimestamp() - start) / 1000;
        }
        var mean = latencies.Average();
        Array.Sort(latencies);
        return new Distribution(count, PlatformStorage.Percentile(latencies, 50), PlatformStorage.Percentile(latencies, 99), mean);
    }

    /// <summary>What <c>dd if=/dev/zero of=f bs=4k count=N oflag=dsync</c> measures: a 4 KiB write made durable, N times.</summary>
    /// <remarks>With <paramref name="overwrite"/>, the same already-allocated block is rewritten each time (no size change to journal).</remarks>
    private static Distribution MeasureDiskSync(string directory, int count, bool overwrite)
    {
        var path = Path.Combine(directory, "sync-probe.bin");
        var block = new byte[4096];
        var latencies = new double[count];
        using (SafeFileHandle handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            if (overwrite)
            {
                RandomAccess.Write(handle, block, 0);
                RandomAccess.FlushToDisk(handle);
            }
            for (var i = 0; i < count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                RandomAccess.Write(handle, block, overwrite ? 0 : (long)i * block.Length);
                RandomAccess.FlushToDisk(handle);
                latencies[i] = PlatformStorage.Micros(Stopwatch.GetTimestamp() - start) / 1000;
            }
        }
        File.Delete(path);
        var mean = latencies.Average();
        Array.Sort(latencies);
        return new Distribution(count, PlatformStorage.Percentile(latencies, 50), PlatformStorage.Percentile(latencies, 99), mean);
    }

    private static readonly ulong GuildId = ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture);
    private static readonly ulong ChannelId = ulong.Parse(DemoGuild.GeneralChannelId, CultureInfo.InvariantCulture);
    private const string ReadArguments = "{\"channel\":\"1213109486223491072\",\"guild_id\":\"1213093380096131072\",\"limit\":20}";
    private const string WriteArguments = "{\"channel\":\"1213109486223491072\",\"content\":\"deploy finished\",\"guild_id\":\"1213093380096131072\"}";

    /// <summary>The event the pipeline appends after an allowed read executed (same shape and sizes).</summary>
    private static AuditEvent ReadEvent(int n) => new(
        NewId(), NewId(), DateTimeOffset.UtcNow, "key:0123456789ab", "default", GuildId, ChannelId, "discord_list_messages",
        ReadArguments, AuditDecision.Allowed, null, null, null, 350 + (n % 100), AuditOutcome.Executed);

    /// <summary>The <c>executing</c> event appended before a write runs.</summary>
    private static AuditEvent WriteAheadEvent(int n) => new(
        NewId(), NewId(), DateTimeOffset.UtcNow, "key:0123456789ab", "default", GuildId, ChannelId, "discord_send_message",
        WriteArguments, AuditDecision.Allowed, null, null, null, 400 + (n % 100), AuditOutcome.Executing);

    private static string NewId() => Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
}
