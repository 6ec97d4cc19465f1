using DiscordMcp.Testing;
using System.Text;
using DiscordMcp.Discord.Client.Rest;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Discord.Client.Tests.Rest.Transport;

/// <summary>A transport wired to a scripted handler, observable fake time, a recording logger and seeded jitter.</summary>
public sealed class TransportHarness : IDisposable
{
    public const string Token = "MTIz.secret-bot-token.xyz";

    private readonly HttpClient _client;

    public TransportHarness(Action<DiscordClientOptions>? configure = null)
    {
        Options = new DiscordClientOptions
        {
            BaseUrl = new Uri("https://discord.test/api/v10/"),
            Token = Token,
            // No per-attempt time-out timers unless a test asks: every timer the tests observe is then a wait.
            RequestTimeout = Timeout.InfiniteTimeSpan,
        };
        configure?.Invoke(Options);
        _client = new HttpClient(Handler);
        Transport = new DiscordRestTransport(_client, Options, Time, Logger, new Random(1234));
    }

    public ScriptedHttpHandler Handler { get; } = new();

    public ObservableTimeProvider Time { get; } = new();

    public RecordingLogger Logger { get; } = new();

    public DiscordClientOptions Options { get; }

    public DiscordRestTransport Transport { get; }

    public Task<RestResponse> Send(RestRequest request, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(request, cancellationToken);

    public static RestRequest ChannelMessages(HttpMethod method, string channelId = "100", string? body = null) => new()
    {
        Method = method,
        Route = "/channels/{channel_id}/messages",
        Path = $"channels/{channelId}/messages",
        MajorParameter = channelId,
        JsonBody = body is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(body),
    };

    public static RestRequest Get(string channelId = "100") => ChannelMessages(HttpMethod.Get, channelId);

    public static RestRequest Post(string channelId = "100") => ChannelMessages(HttpMethod.Post, channelId, """{"content":"hi"}""");

    public void Dispose()
    {
        _client.Dispose();
        Handler.Dispose();
    }
}

/// <summary>Keeps every formatted log line so tests can check what is (and is never) logged.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_lock)
                return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception) + (exception is null ? "" : " " + exception);
        SecretScan.Record("Discord.Client.Tests log", $"{logLevel} DiscordRestTransport: {message}");
        lock (_lock)
            _entries.Add((logLevel, message));
    }
}

internal static class TaskTestExtensions
{
    /// <summary>Real-time safety net so a broken wait fails the test instead of hanging it; not a sleep.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(10));
}
