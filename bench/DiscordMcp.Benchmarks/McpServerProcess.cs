using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// The built <c>discord-mcp.dll</c> (Release) as a child process: where it is, how it is started (a clean environment:
/// no inherited bot token or <c>.env</c> file), and what the kernel says about its memory.
/// </summary>
internal static class McpServerProcess
{
    /// <summary>Documented variables cleared in the child so a developer's real bot token or settings cannot leak in.</summary>
    private static readonly string[] Cleared =
    [
        "DISCORD_BOT_TOKEN", "DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET", "ALLOWED_GUILD_IDS", "ENABLE_GATEWAY",
        "DATABASE_URL", "REDIS_URL", "MCP_TRANSPORT", "AGENT_ENABLED", "AGENT_API_KEY",
        "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS",
    ];

    /// <summary><c>src/DiscordMcp.Host/bin/Release/net10.0/discord-mcp.dll</c> of this repository (built with the bench project,
    /// see the csproj), or the path in <c>DISCORD_MCP_DLL</c>.</summary>
    public static string DllPath()
    {
        if (Environment.GetEnvironmentVariable("DISCORD_MCP_DLL") is { Length: > 0 } overridden)
            return File.Exists(overridden) ? overridden : throw new FileNotFoundException($"DISCORD_MCP_DLL points to a missing file: {overridden}");
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiscordMcp.slnx")))
            dir = dir.Parent;
        if (dir is null)
            throw new InvalidOperationException("Cannot find the repository root (DiscordMcp.slnx) above " + AppContext.BaseDirectory);
        var dll = Path.Combine(dir.FullName, "src", "DiscordMcp.Host", "bin", "Release", "net10.0", "discord-mcp.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build the host first: dotnet build -c Release src/DiscordMcp.Host (missing {dll})");
    }

    /// <summary>
    /// Shared state for the server and its admin CLI: <c>BENCH_DATABASE_URL</c> (a PostgreSQL URL) and <c>BENCH_REDIS_URL</c>
    /// (a Redis URL), when set, become the child's <c>DATABASE_URL</c> and <c>REDIS_URL</c>; otherwise the default SQLite file
    /// and in-memory state. Returns a short description for the report. <c>bench/shared-state.sh</c> sets both.
    /// </summary>
    public static string UseStorage(Dictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var database = Environment.GetEnvironmentVariable("BENCH_DATABASE_URL");
        var redis = Environment.GetEnvironmentVariable("BENCH_REDIS_URL");
        if (database is { Length: > 0 })
            environment["DATABASE_URL"] = database;
        if (redis is { Length: > 0 })
            environment["REDIS_URL"] = redis;
        return (database is { Length: > 0 } ? "PostgreSQL" : "SQLite") + ", " + (redis is { Length: > 0 } ? "Redis" : "in-memory limits");
    }

    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No .env file there, and appsettings.json is read from the application folder anyway.
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(DllPath());
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var name in Cleared)
            info.Environment.Remove(name);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
                info.Environment[key] = value;
        }
        return info;
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound and released; a race with another process is possible but unlikely).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A <c>/proc/&lt;pid&gt;/status</c> field in MB (VmRSS: resident now; VmHWM: peak resident), or NaN off Linux.</summary>
    /// <summary>
    /// CPU time the process has used so far (user + system, from <c>/proc/&lt;pid&gt;/stat</c>, in milliseconds at the
    /// kernel's 10 ms tick). Unlike wall-clock latency it hardly depends on what else the machine runs, so it compares
    /// builds fairly on a busy machine.
    /// </summary>
    public static double ProcCpuMilliseconds(int pid)
    {
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path))
            return double.NaN;
        var text = File.ReadAllText(path);
        // The command name (field 2) may contain spaces; fields after it start behind its closing parenthesis.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
        return ticks * 10.0;
    }

    public static double ProcStatusMegabytes(int pid, string field)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
            return double.NaN;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        return double.NaN;
    }

    /// <summary>Kills the child (by its own id) if it is still running and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
