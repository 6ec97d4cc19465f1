using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Testing;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Tests;

/// <summary>Collects every log line (message and exception text) so tests can assert what was and was not logged.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            owner._lines.Enqueue(line);
            SecretScan.Record("Host.Tests LogCapture", line);
        }
    }
}

internal static class TestHosts
{
    /// <summary>Settings for an in-process host on a free loopback port, independent of the machine's environment and appsettings.</summary>
    /// <param name="noAuth">Most host tests are about transport and health, not authentication: they run with <c>--no-auth</c> (loopback).</param>
    public static HostSettings Settings(bool sandbox, IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyDictionary<string, string?>? overrides = null, bool noAuth = true) => new()
    {
        Sandbox = sandbox,
        NoAuth = noAuth,
        Console = TextWriter.Null,
        Urls = "http://127.0.0.1:0",
        Environment = environment ?? new Dictionary<string, string?>(),
        Overrides = WithDataDirectory(overrides),
        UseAppSettingsFile = false,
    };

    /// <summary>A fresh temporary directory per host, so every host gets its own SQLite database.</summary>
    /// <remarks>Under the secret scan's folder when the scan is on, so its audit rows are scanned after the run.</remarks>
    public static string NewDataDirectory() => SecretScan.NewDataDirectory();

    private static Dictionary<string, string?> WithDataDirectory(IReadOnlyDictionary<string, string?>? overrides)
    {
        var values = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        values.TryAdd("Storage:DataDirectory", NewDataDirectory());
        return values;
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Overrides that point the Discord client at a closed port, failing fast (no retries).</summary>
    public static Dictionary<string, string?> UnreachableDiscord(string token = "test-token") => new()
    {
        ["Discord:Token"] = token,
        ["Discord:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/api/v10/",
        ["Discord:MaxRetries"] = "0",
        ["Discord:RetryBaseDelay"] = "00:00:00",
    };
}

/// <summary>Runs the built <c>discord-mcp.dll</c> as a child process with a controlled environment.</summary>
internal static class HostProcess
{
    /// <summary>The executable's dll: beside the tests (copied from the project reference), else the Host project's output.</summary>
    public static string DllPath { get; } = Locate();

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A folder without a .env file, so a developer's .env cannot change the outcome.
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var variable in DocumentedEnvironment.Variables)
            info.Environment.Remove(variable.Name);
        foreach (var key in info.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        info.Environment["Storage__DataDirectory"] = TestHosts.NewDataDirectory();
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[key] = value;
        return info;
    }

    private static string Locate()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "discord-mcp.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "discord-mcp.runtimeconfig.json")))
            return beside;
        // bin/<Configuration>/<tfm>/ of the test project → same configuration and tfm of the Host project.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var built = Path.Combine(RepositoryPaths.Root, "src", "DiscordMcp.Host", "bin", configuration, tfm, "discord-mcp.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("Build the Host project first; discord-mcp.dll not found.", built);
    }
}

/// <summary>Stops a child server the way a service manager does: SIGTERM, then up to <paramref name="limit"/> for it to
/// exit; whatever still runs then is killed with its process tree.</summary>
internal static class ChildProcess
{
    public static async Task TerminateAsync(System.Diagnostics.Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            if (!process.HasExited)
            {
                using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
            }
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
