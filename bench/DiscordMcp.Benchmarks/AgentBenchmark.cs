using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DiscordMcp.Agent;
using DiscordMcp.Benchmarks.Agent;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Agent;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// The agent inside Discord, in process: the HTTP host with its sandbox, gateway and real agent (as <c>serve --sandbox</c>
/// with <c>ENABLE_GATEWAY</c> and <c>AGENT_ENABLED</c>), a scripted OpenAI-compatible model over real HTTP
/// (<see cref="ScriptedModelServer"/>). Mentions are posted in the sandbox and arrive over the gateway's WebSocket.
/// (1) The agent's own time per turn, one turn at a time: wall time of <c>HandleMentionAsync</c> minus the time inside
/// the model client and inside Discord HTTP requests, for a summarize turn and a write (plan) turn.
/// (2) Heartbeats under load: 50 mentions at once in 50 chat-enabled channels with a model answering in 1–3 s (judged) and, as a stress run, in 100–300 ms (reported),
/// heartbeat interval 1 s (the gateway's event limit allows no shorter): ACK latency, lateness of the timer heartbeats and server-requested heartbeat → ACK, idle
/// against under load; no reconnect.
/// </summary>
internal static class AgentBenchmark
{
    public const double TargetOwnMs = 10;
    public const double TargetHeartbeatDelayMs = 25; // worst extra delay of a heartbeat (or its ACK) under load vs idle
    // The gateway allows a client 120 events per 60 s (Discord and the sandbox close with 4008 beyond that), heartbeats
    // included: a 1 s interval plus a server-requested heartbeat every 2.5 s stays under it for the whole run.
    private const int HeartbeatMs = 1000;
    private const int RequestEveryMs = 2500;
    private const int Conversations = 50;
    private const int Budget = 1_000_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(bool quick)
    {
        var turns = quick ? 60 : 300;
        // Own time falls by half over the first few hundred turns (JIT tiering of the whole host under a loaded machine;
        // this process also runs with dynamic PGO on, which the product disables): warm up long.
        var warmup = quick ? 60 : 400;
        var phase = TimeSpan.FromSeconds(quick ? 8 : 20); // idle, then the same time under load

        await using var model = await ScriptedModelServer.StartAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("agentbench-").FullName;
        var watch = new HeartbeatWatch { Interval = TimeSpan.FromMilliseconds(HeartbeatMs) };
        TimingAgent? timing = null;
        var settings = new HostSettings
        {
            Sandbox = true,
            NoAuth = true,
            Console = TextWriter.Null,
            Urls = "http://127.0.0.1:0",
            UseAppSettingsFile = false,
            Environment = new Dictionary<string, string?>
            {
                ["ENABLE_GATEWAY"] = "true",
                ["AGENT_ENABLED"] = "true",
                ["AGENT_PROVIDER"] = "openai-compatible",
                ["AGENT_MODEL"] = "scripted",
                ["AGENT_BASE_URL"] = model.BaseUrl.ToString(),
                ["AGENT_API_KEY"] = "bench-agent-key",
                ["AGENT_USER_COOLDOWN_SECONDS"] = "0",
                // No 429s, and limits so high in the advertised headers that the client never paces itself (it would
                // wait for a bucket's reset, up to 1 s, which is neither the agent's time nor Discord's answer time).
                ["Sandbox__RateLimits__Enabled"] = "false",
                ["Sandbox__RateLimits__GlobalPerSecond"] = "1000000",
                ["Sandbox__RateLimits__DefaultLimit"] = "1000000",
                ["Sandbox__HeartbeatIntervalMilliseconds"] = HeartbeatMs.ToString(CultureInfo.InvariantCulture),
                ["Discord__GlobalRequestsPerSecond"] = "1000000",
            },
            Overrides = new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = dataDirectory,
                ["Logging:LogLevel:Default"] = "Warning",
            },
        };
        var app = await DiscordMcpHttpHost.BuildAsync(settings, configureServices: services =>
        {
            services.AddSingleton(new GatewayTransportFactory(watch.Create));
            services.AddHttpClient(DiscordClientServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => new TimingDiscordHandler());
            services.AddKeyedSingleton<IChatClient>(AgentServiceCollectionExtensions.ChatClientKey,
                (sp, _) => new TimingChatClient(ChatClientFactory.Create(sp.GetRequiredService<AgentSettings>())));
            Decorate<IChatAgent>(services, inner => timing = new TimingAgent(inner));
            Decorate<IAgentToolSessions>(services, inner => new TimingToolSessions(inner));
            Decorate<IAuditLog>(services, inner => new TimingAuditLog(inner));
        });
        try
        {
            var service = app.Services.GetRequiredService<DiscordGatewayService>();
            var handled = new ConcurrentDictionary<ulong, TaskCompletionSource<bool>>();
            TaskCompletionSource<bool> Handled(ulong id) => handled.GetOrAdd(id, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
            service.MentionHandled += (m, routed) => Handled(m.MessageId).TrySetResult(routed);
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var guildId = ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture);
            service.CommandsRegistered += g => { if (g == guildId) registered.TrySetResult(); };
            await app.StartAsync();
            if (!service.RegisteredGuilds.Contains(guildId))
                await registered.Task.WaitAsync(Timeout);

            var sandbox = app.Services.GetRequiredService<SandboxHost>();
            var rest = app.Services.GetRequiredService<DiscordRestClient>();
            var store = app.Services.GetRequiredService<IPlatformStore>();
            async Task<string> ChatChannelAsync(string name)
            {
                var channel = await rest.CreateGuildChannelAsync(new Snowflake(guildId), new CreateChannelRequest { Name = name, Type = ChannelType.GuildText });
                await store.SetChannelPolicyAsync(new ChannelPolicy(guildId, ChannelPolicyScope.Channel, channel.Id.Value, AgentChat: AccessRule.Allow), CancellationToken.None);
                return channel.Id.Value.ToString(CultureInfo.InvariantCulture);
            }
            // Posts a mention; completes with the milliseconds until the gateway service finished handling it.
            async Task<double> AskAsync(string channelId, string userId, string text)
            {
                var start = Stopwatch.GetTimestamp();
                var id = ulong.Parse((string)sandbox.State.PostMessageAsUser(channelId, userId, $"<@{DemoGuild.BotUserId}> {text}")["id"]!, CultureInfo.InvariantCulture);
                if (!await Handled(id).Task.WaitAsync(Timeout))
                    throw new InvalidOperationException($"The mention in channel {channelId} was not routed to the agent (chat off?).");
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            // The platform's per-member budgets would throttle a benchmark that asks hundreds of questions a minute.
            foreach (var workspace in await store.ListWorkspacesAsync(CancellationToken.None))
            {
                await store.UpdateWorkspaceAsync(workspace with
                {
                    RateLimits = (workspace.RateLimits ?? RateLimitSettings.Default) with
                    {
                        PrincipalReadCapacity = Budget, PrincipalReadRefillPerSecond = Budget, PrincipalWriteCapacity = Budget, PrincipalWriteRefillPerSecond = Budget,
                        GuildReadCapacity = Budget, GuildReadRefillPerSecond = Budget, GuildWriteCapacity = Budget, GuildWriteRefillPerSecond = Budget,
                    },
                }, CancellationToken.None);
            }

            Console.WriteLine($"Agent in Discord (in process: host + sandbox + gateway + real agent, scripted OpenAI-compatible model over HTTP); load average {McpServerProcess.LoadAverage()}");

            // (1) One turn at a time.
            var read = await ChatChannelAsync("bench-read");
            var write = await ChatChannelAsync("bench-write");
            for (var i = 0; i < 20; i++)
                sandbox.State.PostMessageAsUser(read, DemoGuild.LuisUserId, $"Launch checklist item {i}: docs, changelog and the release notes still need a review before Friday.");
            var summarize = $"summarize the last discussion and tell me what still needs action bench:list:{read}";
            const string create = "create a channel called bench-room bench:create";
            for (var i = 0; i < warmup; i++)
            {
                await AskAsync(read, DemoGuild.LuisUserId, summarize);
                await AskAsync(write, DemoGuild.AdminUserId, create);
            }
            await CheckAnswersAsync(rest, read, write);
            var agent = timing ?? throw new InvalidOperationException("The agent was not resolved.");
            agent.Samples.Clear();
            var results = new Dictionary<string, List<(TurnSample Turn, double EndToEnd)>> { ["summarize"] = [], ["write (plan)"] = [] };
            for (var i = 0; i < turns; i++)
            {
                foreach (var (kind, channel, user, text) in new[] { ("summarize", read, DemoGuild.LuisUserId, summarize), ("write (plan)", write, DemoGuild.AdminUserId, create) })
                {
                    var e2e = await AskAsync(channel, user, text);
                    if (!agent.Samples.TryDequeue(out var sample))
                        throw new InvalidOperationException("A turn left no sample.");
                    results[kind].Add((sample, e2e));
                }
            }
            var ownPass = true;
            foreach (var (kind, samples) in results)
            {
                var own = Sorted(samples.Select(s => s.Turn.OwnMs));
                Console.WriteLine($"  {kind}: {samples.Count} turns after {warmup} warm-up; {samples.Average(s => s.Turn.ModelCalls):0.#} model calls and {samples.Average(s => s.Turn.DiscordCalls):0.#} Discord requests per turn");
                Console.WriteLine($"    total (HandleMentionAsync) {Stats(samples.Select(s => s.Turn.TotalMs))}");
                Console.WriteLine($"    model                      {Stats(samples.Select(s => s.Turn.ModelMs))}");
                Console.WriteLine($"    Discord                    {Stats(samples.Select(s => s.Turn.DiscordMs))}");
                Console.WriteLine($"    own = total − model − Discord {Stats(own)}");
                Console.WriteLine($"    mention posted → handled   {Stats(samples.Select(s => s.EndToEnd))}");
                var blocks = samples.Chunk(Math.Max(1, samples.Count / 3)).Select(b => McpServerProcess.Percentile(Sorted(b.Select(s => s.Turn.OwnMs)), 50));
                Console.WriteLine($"    own p50 by thirds of the run: {string.Join(" / ", blocks.Select(b => b.ToString("0.00", CultureInfo.InvariantCulture)))} ms");
                // Judged at p50, like every latency target of this project; p95 is printed beside it because a loaded
                // machine's tail (storage writes, descheduling) is worth seeing.
                var pass = McpServerProcess.Percentile(own, 50) <= TargetOwnMs;
                ownPass &= pass;
                Console.WriteLine($"    own time p50 ≤ {TargetOwnMs} ms: {(pass ? "pass" : "FAIL")} (p95 {McpServerProcess.Percentile(own, 95):0.00} ms{(McpServerProcess.Percentile(own, 95) <= TargetOwnMs ? "" : ", above the target")})");
            }
            await ProfileOneTurnAsync(agent, read, summarize, AskAsync, "summarize");
            await ProfileOneTurnAsync(agent, write, create, (c, _, t) => AskAsync(c, DemoGuild.AdminUserId, t), "write (plan)");

            // (2) Heartbeats idle, then under 50 conversations kept in flight (each channel asks again as soon as it is answered).
            var channels = new List<string>();
            for (var i = 0; i < Conversations; i++)
                channels.Add(await ChatChannelAsync($"bench-load-{i}"));
            watch.Phase = "idle";
            await RequestHeartbeatsAsync(watch, sandbox, phase);
            // Judged: a language model answers in seconds (1–3 s per call here). Reported only: a stress run with answers
            // in 100–300 ms, ten times the turn rate, which saturates this 2-core machine.
            var heartbeatPass = await LoadPhaseAsync("load", (1000, 3000));
            await LoadPhaseAsync("stress", (100, 300));

            async Task<bool> LoadPhaseAsync(string label, (int Low, int High) delay)
            {
                model.DelayMilliseconds = delay;
                model.ResetMaxInFlight();
                agent.Samples.Clear();
                var e2eLoad = new ConcurrentQueue<double>();
                watch.Phase = label;
                var loadStart = Stopwatch.GetTimestamp();
                using (var requestsStop = new CancellationTokenSource())
                {
                    var requesting = RequestHeartbeatsUntilAsync(watch, sandbox, requestsStop.Token);
                    await Task.WhenAll(channels.Select(async c =>
                    {
                        while (Stopwatch.GetElapsedTime(loadStart) < phase)
                            e2eLoad.Enqueue(await AskAsync(c, DemoGuild.LuisUserId, $"what happened here? bench:list:{c}"));
                    }));
                    await requestsStop.CancelAsync();
                    await requesting;
                }
                var loadSeconds = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
                watch.Phase = "after";
                var loadTurns = agent.Samples.ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{label}] {Conversations} conversations in {Conversations} channels kept in flight for {loadSeconds:0.0} s (model answers in {delay.Low}–{delay.High} ms): {e2eLoad.Count} turns, {e2eLoad.Count / loadSeconds:0.0} turns/s; at most {model.MaxInFlight} model requests in flight at once"));
                Console.WriteLine($"    mention posted → handled {Stats(Sorted(e2eLoad))}; HandleMentionAsync {Stats(Sorted(loadTurns.Select(t => t.TotalMs)))}");
                var pass = watch.Connects == 1;
                foreach (var (name, map) in new[] { ("heartbeat → ACK", watch.AckLatencyMs), ("timer heartbeat lateness", watch.LatenessMs), ("server-requested heartbeat → ACK", watch.RequestedToAckMs) })
                {
                    var idleValues = Sorted(map.GetValueOrDefault("idle") ?? []);
                    var loadValues = Sorted(map.GetValueOrDefault(label) ?? []);
                    Console.WriteLine($"    {name}: idle {Brief(idleValues)}; [{label}] {Brief(loadValues)}");
                    if (idleValues.Length == 0 || loadValues.Length == 0)
                    {
                        pass = false;
                        continue;
                    }
                    pass &= loadValues[^1] - idleValues[^1] <= TargetHeartbeatDelayMs || loadValues[^1] <= TargetHeartbeatDelayMs;
                }
                Console.WriteLine($"    gateway connections: {watch.Connects} (1 = no reconnect, no zombie); client HeartbeatLatency now {(await service.Client).HeartbeatLatency?.TotalMilliseconds:0.00} ms");
                Console.WriteLine($"    [{label}] heartbeats not delayed (no reconnect; worst value ≤ {TargetHeartbeatDelayMs} ms, or ≤ worst idle + {TargetHeartbeatDelayMs} ms): {(pass ? "pass" : "FAIL")}{(label == "stress" ? " (reported, not judged)" : "")}");
                return pass;
            }
            Console.WriteLine($"  load average {McpServerProcess.LoadAverage()}");
            var passAll = ownPass && heartbeatPass;
            Console.WriteLine($"Agent: {(passAll ? "PASS" : "FAIL")}");
            return passAll ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>Replaces the last registration of <typeparamref name="T"/> (a singleton) with <paramref name="wrap"/> around it.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var existing = services.Last(d => d.ServiceType == typeof(T) && !d.IsKeyedService);
        services.AddSingleton(sp => wrap(existing switch
        {
            { ImplementationInstance: T instance } => instance,
            { ImplementationFactory: { } factory } => (T)factory(sp),
            { ImplementationType: { } type } => (T)ActivatorUtilities.CreateInstance(sp, type),
            _ => throw new InvalidOperationException($"Cannot wrap {typeof(T).Name}."),
        }));
    }

    /// <summary>Both kinds of turn really happened: a summary reply in one channel, a plan with buttons in the other.</summary>
    private static async Task CheckAnswersAsync(DiscordRestClient rest, string read, string write)
    {
        var bot = ulong.Parse(DemoGuild.BotUserId, CultureInfo.InvariantCulture);
        var summaries = await rest.GetMessagesAsync(new Snowflake(ulong.Parse(read, CultureInfo.InvariantCulture)), new ListMessagesQuery { Limit = 5 });
        if (!summaries.Any(m => m.Author.Id.Value == bot && m.Content.StartsWith("Summary:", StringComparison.Ordinal)))
            throw new InvalidOperationException("The summarize turn did not reply with the summary: " + string.Join(" | ", summaries.Select(m => m.Content)));
        var plans = await rest.GetMessagesAsync(new Snowflake(ulong.Parse(write, CultureInfo.InvariantCulture)), new ListMessagesQuery { Limit = 5 });
        if (!plans.Any(m => m.Author.Id.Value == bot && (m.Components?.Count ?? 0) > 0 && m.Content.Contains("bench-room", StringComparison.Ordinal)))
            throw new InvalidOperationException("The write turn posted no plan with buttons: " + string.Join(" | ", plans.Select(m => m.Content)));
    }

    /// <summary>
    /// Where the own time goes in one kind of turn: the turn split at the model calls into before the first model call
    /// (reaction, typing, context read, MCP session, tool list), between the calls (the tool call through MCP and the
    /// policy pipeline) and after the last (plan message, reply, reaction removed); median wall and Discord time of each.
    /// </summary>
    private static async Task ProfileOneTurnAsync(TimingAgent agent, string channel, string text,
        Func<string, string, string, Task<double>> ask, string kind)
    {
        var segments = new List<double[]>();
        for (var i = 0; i < 40; i++)
        {
            AgentClocks.Trace.Clear();
            AgentClocks.Tracing = true;
            await ask(channel, DemoGuild.LuisUserId, text);
            AgentClocks.Tracing = false;
            agent.Samples.TryDequeue(out _);
            var events = AgentClocks.Trace.ToArray();
            var turn = events.SingleOrDefault(e => e.Kind == 'T');
            var models = events.Where(e => e.Kind == 'M').OrderBy(e => e.Start).ToArray();
            if (turn.Kind != 'T' || models.Length != 2)
                continue;
            (long From, long To)[] parts = [(turn.Start, models[0].Start), (models[0].End, models[1].Start), (models[1].End, turn.End)];
            var row = new double[8];
            for (var p = 0; p < 3; p++)
            {
                var (from, to) = parts[p];
                row[p * 2] = AgentClocks.Milliseconds(to - from);
                row[(p * 2) + 1] = AgentClocks.Milliseconds(events.Where(e => e.Kind == 'D' && e.Start >= from && e.End <= to).Sum(e => e.End - e.Start));
            }
            row[6] = AgentClocks.Milliseconds(events.Where(e => e.Kind == 'S').Sum(e => e.End - e.Start));
            row[7] = AgentClocks.Milliseconds(events.Where(e => e.Kind == 'A').Sum(e => e.End - e.Start));
            segments.Add(row);
        }
        if (segments.Count == 0)
            return;
        double Median(int column) => McpServerProcess.Percentile(Sorted(segments.Select(r => r[column])), 50);
        Console.WriteLine($"    {kind} profile ({segments.Count} turns, medians, wall / of it Discord): before the first model call {Median(0):0.00} / {Median(1):0.00} ms; between the model calls (tool round) {Median(2):0.00} / {Median(3):0.00} ms; after the last {Median(4):0.00} / {Median(5):0.00} ms; MCP session open {Median(6):0.00} ms, audit appends {Median(7):0.00} ms");
    }

    private static async Task RequestHeartbeatsAsync(HeartbeatWatch watch, SandboxHost sandbox, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        await RequestHeartbeatsUntilAsync(watch, sandbox, stop.Token);
    }

    /// <summary>Every <see cref="RequestEveryMs"/> the sandbox asks for a heartbeat (op 1); the client must answer at once.</summary>
    private static async Task RequestHeartbeatsUntilAsync(HeartbeatWatch watch, SandboxHost sandbox, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await watch.RequestHeartbeatAsync(sandbox.Faults.GatewayRequestHeartbeat).WaitAsync(Timeout, CancellationToken.None);
            try
            {
                // A benchmark pacing its probes, not a test waiting for something.
                await Task.Delay(RequestEveryMs, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static double[] Sorted(IEnumerable<double> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }

    private static string Stats(IEnumerable<double> values)
    {
        var sorted = values as double[] ?? Sorted(values);
        return string.Create(CultureInfo.InvariantCulture, $"p50 {McpServerProcess.Percentile(sorted, 50):0.00} ms, p95 {McpServerProcess.Percentile(sorted, 95):0.00} ms, max {sorted[^1]:0.00} ms");
    }

    private static string Brief(double[] sorted) => sorted.Length == 0
        ? "(no samples)"
        : string.Create(CultureInfo.InvariantCulture, $"n {sorted.Length}, p50 {McpServerProcess.Percentile(sorted, 50):0.00} ms, max {sorted[^1]:0.00} ms");
}
