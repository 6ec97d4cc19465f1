using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;
using Xunit.Abstractions;

namespace DiscordMcp.Integration.Tests.Gateway;

/// <summary>
/// Our <see cref="GatewayClient"/> over the real <see cref="WebSocketGatewayTransport"/> against an in-process sandbox,
/// with the gateway URL from <c>GET /gateway/bot</c> through <see cref="RestGatewayUrlSource"/>. Real sockets mean real
/// time: every wait is on an event (a dispatch, a connection attempt, the client's completion) with a generous
/// time-out as a safety net only.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    /// <summary>Safety net for one wait; a passing run needs a fraction of it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new();
    private readonly Lock _lock = new();
    private readonly List<TaskCompletionSource> _attemptWaiters = [];
    private readonly Dictionary<int, TaskCompletionSource> _gates = [];
    private int _attempts;

    private GatewayHarness(SandboxHost sandbox, GatewayIntents intents, string gatewayToken, string restToken, ITestOutputHelper? output)
    {
        Sandbox = sandbox;
        var transport = new DiscordRestTransport(_http, new DiscordClientOptions { BaseUrl = sandbox.ApiBaseUrl, Token = restToken, MaxRetries = 0 }, logger: SecretScan.CreateLogger("Integration.Tests", "DiscordRestTransport"));
        Rest = new DiscordRestClient(transport);
        Client = new GatewayClient(
            new GatewayOptions { Token = gatewayToken, Intents = intents, ReconnectBaseDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromSeconds(1) },
            new RestGatewayUrlSource(Rest),
            () => new ObservedTransport(this, new WebSocketGatewayTransport()),
            random: new Random(42),
            logger: output is null ? null : new TestOutputLogger<GatewayClient>(output));
    }

    public SandboxHost Sandbox { get; }
    public DiscordRestClient Rest { get; }
    public GatewayClient Client { get; }

    /// <summary>Every dispatch the test has read so far, in the order read.</summary>
    public List<GatewayDispatch> Seen { get; } = [];

    /// <summary>Connection attempts so far (one transport per attempt).</summary>
    public int Attempts
    {
        get
        {
            lock (_lock)
                return _attempts;
        }
    }

    /// <summary>Called with the attempt number when a connection attempt starts (before any gate).</summary>
    public Action<int>? OnAttempt { get; set; }

    public static async Task<GatewayHarness> StartAsync(
        GatewayIntents intents = GatewayIntentSets.Default,
        Action<SandboxOptions>? configure = null,
        string? gatewayToken = null,
        string? restToken = null,
        ITestOutputHelper? output = null,
        bool start = true)
    {
        var options = new SandboxOptions { HeartbeatInterval = TimeSpan.FromSeconds(1) };
        configure?.Invoke(options);
        var sandbox = await SandboxHost.StartAsync(options);
        var harness = new GatewayHarness(sandbox, intents, gatewayToken ?? sandbox.BotToken, restToken ?? sandbox.BotToken, output);
        if (start)
            await harness.Client.StartAsync();
        return harness;
    }

    /// <summary>Reads dispatches (recording each) until one matches; fails after <see cref="Patience"/>.</summary>
    public async Task<GatewayDispatch> NextAsync(Func<GatewayDispatch, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                var dispatch = await Client.Dispatches.ReadAsync(timeout.Token);
                Seen.Add(dispatch);
                if (match(dispatch))
                    return dispatch;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No {what} within {Patience.TotalSeconds} s; read: {string.Join(", ", Seen)}");
        }
    }

    public Task<GatewayDispatch> NextAsync(string eventName) => NextAsync(d => d.EventName == eventName, eventName);

    /// <summary>Holds connection attempt <paramref name="attempt"/> (1-based) before it connects, until the returned source completes.</summary>
    public TaskCompletionSource HoldAttempt(int attempt)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
            _gates[attempt] = gate;
        return gate;
    }

    /// <summary>Completes when at least <paramref name="attempt"/> connection attempts have started.</summary>
    public async Task WaitForAttemptAsync(int attempt)
    {
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_lock)
            {
                if (_attempts >= attempt)
                    return;
                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _attemptWaiters.Add(waiter);
            }
            await waiter.Task.WaitAsync(Patience);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var gate in _gates.Values)
                gate.TrySetResult();
        }
        await Client.DisposeAsync();
        await Sandbox.DisposeAsync();
        _http.Dispose();
    }

    private async Task BeforeConnectAsync(CancellationToken cancellationToken)
    {
        int attempt;
        TaskCompletionSource? gate;
        List<TaskCompletionSource> waiters;
        lock (_lock)
        {
            attempt = ++_attempts;
            _gates.Remove(attempt, out gate);
            waiters = [.. _attemptWaiters];
            _attemptWaiters.Clear();
        }
        OnAttempt?.Invoke(attempt);
        foreach (var waiter in waiters)
            waiter.TrySetResult();
        if (gate is not null)
            await gate.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The real WebSocket transport, with a hook before each connect.</summary>
    private sealed class ObservedTransport(GatewayHarness harness, WebSocketGatewayTransport inner) : IGatewayTransport
    {
        public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            await harness.BeforeConnectAsync(cancellationToken);
            await inner.ConnectAsync(uri, cancellationToken);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken) => inner.SendAsync(utf8Json, cancellationToken);

        public ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken) => inner.ReceiveAsync(cancellationToken);

        public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken) => inner.CloseAsync(closeCode, reason, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
