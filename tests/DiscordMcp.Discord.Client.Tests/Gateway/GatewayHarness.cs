using DiscordMcp.Testing;
using DiscordMcp.Discord.Client.Gateway;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

/// <summary>A gateway client wired to a scripted server, fake time and a seeded Random.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string Token = "MTEx.secret-test-token.XYZ";
    public const int Seed = 42;
    public static readonly Uri GatewayUrl = new("wss://gateway.test");

    public GatewayHarness(Action<GatewayOptions>? configure = null, int maxConcurrency = 1, int remaining = 1000, IGatewayIdentifyLimiter? limiter = null)
    {
        Options = new GatewayOptions { Token = Token };
        configure?.Invoke(Options);
        UrlSource = new FixedGatewayUrlSource(new GatewayBotInfo(GatewayUrl, 1,
            new SessionStartLimit(1000, remaining, TimeSpan.FromHours(1), maxConcurrency)));
        Client = new GatewayClient(Options, UrlSource, Server.CreateTransport, limiter ?? new InMemoryGatewayIdentifyLimiter(Time), Time,
            new Random(Seed), Logs.CreateLogger<GatewayClient>());
    }

    public GatewayOptions Options { get; }
    public ScriptedGatewayServer Server { get; } = new();
    public ObservableTimeProvider Time { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();
    public FixedGatewayUrlSource UrlSource { get; }
    public GatewayClient Client { get; }

    /// <summary>The jitter values the client will draw, in order (same seed).</summary>
    public static double Jitter(int index)
    {
        var random = new Random(Seed);
        var value = 0.0;
        for (var i = 0; i <= index; i++)
            value = random.NextDouble();
        return value;
    }

    /// <summary>The client arms timers in whole milliseconds.</summary>
    public static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(Math.Floor(milliseconds));

    /// <summary>The first heartbeat delay of the connection whose jitter is the client's <paramref name="draw"/>-th random draw.</summary>
    public static TimeSpan FirstHeartbeat(TimeSpan interval, int draw) => Ms(interval.TotalMilliseconds * Jitter(draw));

    /// <summary>Starts the client, answers HELLO, reads IDENTIFY, sends READY; returns the connection.</summary>
    public async Task<ScriptedConnection> StartReadyAsync(int intervalMs = 41_250)
    {
        await Client.StartAsync();
        var connection = await Server.NextConnectionAsync();
        connection.Hello(intervalMs);
        await connection.NextSentAsync(2);
        connection.Ready();
        var ready = await ReadDispatchAsync();
        Assert.Equal("READY", ready.EventName);
        return connection;
    }

    public async Task<GatewayDispatch> ReadDispatchAsync() =>
        await Client.Dispatches.ReadAsync().AsTask().WaitAsync(Scripted.Timeout);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Logs.Dispose();
    }
}

/// <summary>Collects formatted log lines (and exception text) to check what reaches the logs.</summary>
internal sealed class CapturingLoggerProvider : ILoggerFactory
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private void Add(string line)
    {
        SecretScan.Record("Discord.Client.Tests log", "GatewayClient: " + line);
        lock (_lines)
            _lines.Add(line);
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
