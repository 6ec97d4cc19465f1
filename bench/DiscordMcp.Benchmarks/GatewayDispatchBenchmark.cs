using System.Diagnostics;
using System.Globalization;
using System.Text;
using DiscordMcp.Discord.Client.Gateway;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Dispatch throughput of <see cref="GatewayClient"/>: a scripted in-memory <see cref="IGatewayTransport"/> hands out
/// pre-encoded MESSAGE_CREATE frames as fast as the client asks for them (every receive completes synchronously), and
/// one consumer reads <see cref="GatewayClient.Dispatches"/>. Measured: client start to the last MESSAGE_CREATE read (start-up included).
/// Not BenchmarkDotNet: one run is a whole client lifetime; a warm-up round precedes the measured rounds.
/// </summary>
internal static class GatewayDispatchBenchmark
{
    public const double TargetEventsPerSecond = 50_000;

    public static async Task<int> RunAsync(bool quick)
    {
        var events = quick ? 20_000 : 200_000;
        var rounds = quick ? 2 : 5;
        var frames = Encode(events);
        Console.WriteLine($"Gateway dispatch: {events:N0} MESSAGE_CREATE frames of {frames.AverageBytes:N0} bytes, {rounds} measured rounds after 1 warm-up; "
            + $"Environment.ProcessorCount = {Environment.ProcessorCount}.");
        await RunOnceAsync(frames);
        var results = new List<(double EventsPerSecond, double BytesPerEvent)>();
        for (var i = 0; i < rounds; i++)
        {
            var result = await RunOnceAsync(frames);
            results.Add(result);
            Console.WriteLine($"  round {i + 1}: {result.EventsPerSecond:N0} events/s, {result.BytesPerEvent:N0} bytes allocated per event");
        }
        var sorted = results.Select(r => r.EventsPerSecond).Order().ToList();
        var median = sorted[sorted.Count / 2];
        var pass = median >= TargetEventsPerSecond;
        Console.WriteLine($"Gateway dispatch median: {median:N0} events/s (min {sorted[0]:N0}, max {sorted[^1]:N0}); target ≥ {TargetEventsPerSecond:N0}: {(pass ? "PASS" : "FAIL")}");
        return pass ? 0 : 1;
    }

    private static async Task<(double EventsPerSecond, double BytesPerEvent)> RunOnceAsync(EncodedFrames frames)
    {
        var transport = new ScriptedTransport(frames);
        var info = new GatewayBotInfo(new Uri("wss://gateway.bench"), 1, new SessionStartLimit(1000, 1000, TimeSpan.FromDays(1), 1));
        await using var client = new GatewayClient(
            new GatewayOptions { Token = "bench.token", DispatchQueueCapacity = 65_536 },
            new FixedGatewayUrlSource(info),
            () => transport);
        // Timed from start, so the whole pipeline (receive loop, frame reader, queue, consumer) is inside the
        // measurement even when the queue could hold every frame; start-up (HELLO, IDENTIFY, READY) is included too.
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await client.StartAsync();
        var reader = client.Dispatches;
        var first = await reader.ReadAsync(); // READY
        if (first.EventName != "READY")
            throw new InvalidOperationException("Expected READY first, got " + first);
        long seen = 0;
        long bytes = 0;
        while (seen < frames.Count)
        {
            var dispatch = await reader.ReadAsync();
            bytes += dispatch.Data.Length;
            seen++;
        }
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (bytes == 0)
            throw new InvalidOperationException("No dispatch data read.");
        await client.StopAsync();
        return (frames.Count / clock.Elapsed.TotalSeconds, allocated / (double)frames.Count);
    }

    private static EncodedFrames Encode(int count)
    {
        var offsets = new int[count + 1];
        using var buffer = new MemoryStream(count * 700);
        for (var i = 0; i < count; i++)
        {
            offsets[i] = (int)buffer.Position;
            var seq = (i + 2).ToString(CultureInfo.InvariantCulture);
            var frame = "{\"op\":0,\"s\":" + seq + ",\"t\":\"MESSAGE_CREATE\",\"d\":"
                + CannedPayloads.Message(1300000000000000000 + i, "benchmark message " + seq).Replace("\"channel_id\"", "\"guild_id\":\"" + CannedPayloads.GuildId + "\",\"channel_id\"", StringComparison.Ordinal)
                + "}";
            buffer.Write(Encoding.UTF8.GetBytes(frame));
        }
        offsets[count] = (int)buffer.Position;
        return new EncodedFrames(buffer.ToArray(), offsets, count);
    }

    private sealed record EncodedFrames(byte[] Bytes, int[] Offsets, int Count)
    {
        public double AverageBytes => Bytes.Length / (double)Count;

        public ReadOnlyMemory<byte> Frame(int index) => Bytes.AsMemory(Offsets[index], Offsets[index + 1] - Offsets[index]);
    }

    /// <summary>HELLO, then READY once IDENTIFY was sent, then every frame; afterwards it waits until closed.</summary>
    private sealed class ScriptedTransport(EncodedFrames frames) : IGatewayTransport
    {
        private static readonly byte[] Hello = """{"op":10,"d":{"heartbeat_interval":3600000},"s":null,"t":null}"""u8.ToArray();
        private static readonly byte[] Ready =
            """{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1300000000000000001","username":"bench","discriminator":"0","bot":true},"guilds":[],"session_id":"bench-session","resume_gateway_url":"wss://gateway.bench","application":{"id":"1300000000000000001","flags":0}}}"""u8.ToArray();

        private readonly TaskCompletionSource _identified = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _step;

        public Task ConnectAsync(Uri uri, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
        {
            if (utf8Json.Span.IndexOf("\"op\":2"u8) >= 0)
                _identified.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
        {
            var step = _step++;
            if (step == 0)
                return ValueTask.FromResult(GatewayReceiveResult.FromMessage(Hello));
            if (step == 1)
                return ReadyAsync(cancellationToken);
            var index = step - 2;
            if (index < frames.Count)
                return ValueTask.FromResult(GatewayReceiveResult.FromMessage(frames.Frame(index)));
            return IdleAsync(cancellationToken);
        }

        public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private async ValueTask<GatewayReceiveResult> ReadyAsync(CancellationToken cancellationToken)
        {
            await _identified.Task.WaitAsync(cancellationToken);
            return GatewayReceiveResult.FromMessage(Ready);
        }

        private static async ValueTask<GatewayReceiveResult> IdleAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return GatewayReceiveResult.FromClose(1000, null);
        }
    }
}
