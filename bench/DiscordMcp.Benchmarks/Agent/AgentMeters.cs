using System.Collections.Concurrent;
using System.Diagnostics;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.AI;

namespace DiscordMcp.Benchmarks.Agent;

/// <summary>
/// Process-wide clocks: time spent inside the model client and inside Discord HTTP requests. Read as deltas around a turn
/// when turns run one at a time (the sequential part of the benchmark), where nothing else calls either.
/// </summary>
internal static class AgentClocks
{
    private static long _modelTicks, _modelCalls, _discordTicks, _discordCalls;

    public static long ModelTicks => Interlocked.Read(ref _modelTicks);

    public static long ModelCalls => Interlocked.Read(ref _modelCalls);

    public static long DiscordTicks => Interlocked.Read(ref _discordTicks);

    public static long DiscordCalls => Interlocked.Read(ref _discordCalls);

    public static void AddModel(long stopwatchTicks)
    {
        Interlocked.Add(ref _modelTicks, stopwatchTicks);
        Interlocked.Increment(ref _modelCalls);
    }

    public static void AddDiscord(long stopwatchTicks)
    {
        Interlocked.Add(ref _discordTicks, stopwatchTicks);
        Interlocked.Increment(ref _discordCalls);
    }

    /// <summary>While true, every model call ('M'), Discord request ('D') and turn ('T') is also recorded with its start and end.</summary>
    public static volatile bool Tracing;

    public static ConcurrentQueue<(char Kind, long Start, long End)> Trace { get; } = new();

    public static void Record(char kind, long start, long end)
    {
        if (Tracing)
            Trace.Enqueue((kind, start, end));
    }

    public static double Milliseconds(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Wraps the agent's model client: the time of every <c>GetResponseAsync</c>, serialisation and HTTP included.</summary>
internal sealed class TimingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            var end = Stopwatch.GetTimestamp();
            AgentClocks.AddModel(end - start);
            AgentClocks.Record('M', start, end);
        }
    }
}

/// <summary>
/// On the Discord REST client's HttpClient, inside its send loop (after rate-limit scheduling): the time of one HTTP
/// exchange with the sandbox, body read included.
/// </summary>
internal sealed class TimingDiscordHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        finally
        {
            var end = Stopwatch.GetTimestamp();
            AgentClocks.AddDiscord(end - start);
            AgentClocks.Record('D', start, end);
        }
    }
}

/// <summary>Times the opening of the agent's in-process MCP session ('S' in the trace).</summary>
internal sealed class TimingToolSessions(IAgentToolSessions inner) : IAgentToolSessions
{
    public async Task<ModelContextProtocol.Client.McpClient> ConnectAsync(AgentPrincipal principal, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var client = await inner.ConnectAsync(principal, cancellationToken);
        AgentClocks.Record('S', start, Stopwatch.GetTimestamp());
        return client;
    }
}

/// <summary>Times every audit append ('A' in the trace): the durable write the pipeline makes for each tool call.</summary>
internal sealed class TimingAuditLog(IAuditLog inner) : IAuditLog
{
    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await inner.AppendAsync(auditEvent, cancellationToken);
        AgentClocks.Record('A', start, Stopwatch.GetTimestamp());
        return result;
    }

    public async ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await inner.AppendAsync(auditEvent, durability, cancellationToken);
        AgentClocks.Record('A', start, Stopwatch.GetTimestamp());
        return result;
    }

    public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
        inner.AppendBatchAsync(auditEvents, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => inner.ReadAsync(query, cancellationToken);

    public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);
}

/// <summary>One turn: wall time of <c>HandleMentionAsync</c> and the model and Discord time inside it (global deltas).</summary>
internal sealed record TurnSample(double TotalMs, double ModelMs, double DiscordMs, long ModelCalls, long DiscordCalls)
{
    public double OwnMs => TotalMs - ModelMs - DiscordMs;
}

/// <summary>Wraps the real <see cref="ChatAgent"/> as the gateway service sees it, timing every mention it handles.</summary>
internal sealed class TimingAgent(IChatAgent inner) : IChatAgent
{
    public ConcurrentQueue<TurnSample> Samples { get; } = new();

    public async Task HandleMentionAsync(MentionEvent mention, CancellationToken cancellationToken)
    {
        var model = AgentClocks.ModelTicks;
        var modelCalls = AgentClocks.ModelCalls;
        var discord = AgentClocks.DiscordTicks;
        var discordCalls = AgentClocks.DiscordCalls;
        var start = Stopwatch.GetTimestamp();
        await inner.HandleMentionAsync(mention, cancellationToken);
        var end = Stopwatch.GetTimestamp();
        var total = end - start;
        AgentClocks.Record('T', start, end);
        Samples.Enqueue(new TurnSample(
            AgentClocks.Milliseconds(total),
            AgentClocks.Milliseconds(AgentClocks.ModelTicks - model),
            AgentClocks.Milliseconds(AgentClocks.DiscordTicks - discord),
            AgentClocks.ModelCalls - modelCalls,
            AgentClocks.DiscordCalls - discordCalls));
    }

    public Task HandleButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken) => inner.HandleButtonAsync(interaction, cancellationToken);
}

/// <summary>
/// The gateway's real WebSocket transport, watched: every heartbeat the client sends (op 1) and every ACK (op 11) it
/// receives, with timestamps, the gap between timer-driven heartbeats, and server-requested heartbeats (op 1 from the
/// sandbox) timed from the request to the ACK. Counts connections (a second one = a reconnect, e.g. a zombie).
/// </summary>
internal sealed class HeartbeatWatch
{
    private readonly Lock _gate = new();
    private long _lastSend;
    private long _lastTimerSend;
    private long _requestedAt;
    private bool _requestAnswered;
    private TaskCompletionSource<double>? _request;
    private int _connects;

    /// <summary>Samples go to this phase's lists.</summary>
    public string Phase { get; set; } = "start";

    public int Connects => Volatile.Read(ref _connects);

    public ConcurrentDictionary<string, ConcurrentQueue<double>> AckLatencyMs { get; } = new();

    /// <summary>Gap between consecutive timer heartbeats minus the interval (how late a heartbeat went out).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<double>> LatenessMs { get; } = new();

    public ConcurrentDictionary<string, ConcurrentQueue<double>> RequestedToAckMs { get; } = new();

    public TimeSpan Interval { get; init; }

    public IGatewayTransport Create() => new Transport(this, new WebSocketGatewayTransport());

    /// <summary>Asks the sandbox for a heartbeat (op 1) and completes with the milliseconds until the client's answer was ACKed.</summary>
    public Task<double> RequestHeartbeatAsync(Action request)
    {
        var source = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _request = source;
            _requestedAt = Stopwatch.GetTimestamp();
            _requestAnswered = false;
        }
        request();
        return source.Task;
    }

    private static ConcurrentQueue<double> List(ConcurrentDictionary<string, ConcurrentQueue<double>> map, string phase) => map.GetOrAdd(phase, _ => new());

    private void Sent()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _lastSend = now;
            if (_request is not null && !_requestAnswered)
            {
                _requestAnswered = true; // this heartbeat answers the sandbox's request
                return;
            }
            if (_lastTimerSend != 0)
                List(LatenessMs, Phase).Enqueue(AgentClocks.Milliseconds(now - _lastTimerSend) - Interval.TotalMilliseconds);
            _lastTimerSend = now;
        }
    }

    private void Acked()
    {
        var now = Stopwatch.GetTimestamp();
        TaskCompletionSource<double>? answered = null;
        double requested = 0;
        lock (_gate)
        {
            if (_lastSend != 0)
                List(AckLatencyMs, Phase).Enqueue(AgentClocks.Milliseconds(now - _lastSend));
            if (_request is not null && _requestAnswered)
            {
                answered = _request;
                requested = AgentClocks.Milliseconds(now - _requestedAt);
                _request = null;
                List(RequestedToAckMs, Phase).Enqueue(requested);
            }
        }
        answered?.TrySetResult(requested);
    }

    private sealed class Transport(HeartbeatWatch owner, IGatewayTransport inner) : IGatewayTransport
    {
        public Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner._connects);
            return inner.ConnectAsync(uri, cancellationToken);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
        {
            if (utf8Json.Span.StartsWith("{\"op\":1,"u8))
                owner.Sent();
            return inner.SendAsync(utf8Json, cancellationToken);
        }

        public async ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
        {
            var result = await inner.ReceiveAsync(cancellationToken);
            if (!result.IsClose && result.Message.Span.StartsWith("{\"op\":11,"u8))
                owner.Acked();
            return result;
        }

        public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken) => inner.CloseAsync(closeCode, reason, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
