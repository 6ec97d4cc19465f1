using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DiscordMcp.Host.Tests.Packaging;

/// <summary>
/// The publish and pack tests run one after another: both run <c>dotnet</c> on the Host project's build output (a pack
/// also writes its publish folder), and two at once would only compete for the CI machine's two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging";
}

/// <summary>Runs <c>dotnet</c> SDK commands for the packaging tests.</summary>
internal static class DotnetCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    /// <summary>The build configuration of this test assembly (bin/&lt;Configuration&gt;/&lt;tfm&gt;), which the Host project was built in too.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string HostProject => Path.Combine(DiscordMcp.Testing.RepositoryPaths.Root, "src", "DiscordMcp.Host", "DiscordMcp.Host.csproj");

    /// <summary>Runs <c>dotnet args…</c> in <paramref name="workingDirectory"/>; fails the test with its output when it does not exit 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    /// <summary>A loopback port free at this moment (the OS hands out another one to the next caller).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command to its end (a health check); returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunToEndAsync(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, new StringBuilder(await output).Append(await error).ToString());
    }
}
