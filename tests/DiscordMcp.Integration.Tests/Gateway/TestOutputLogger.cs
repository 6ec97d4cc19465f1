using DiscordMcp.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace DiscordMcp.Integration.Tests.Gateway;

/// <summary>Writes the gateway client's log to the test output, so a failing run shows what the client did.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        SecretScan.Record("Integration.Tests log", $"{logLevel} {typeof(T).Name}: {formatter(state, exception)} {exception}");
        try
        {
            output.WriteLine($"{(DateTimeOffset.UtcNow - _start).TotalMilliseconds,8:0} ms {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " — " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; its output is closed.
        }
    }
}
