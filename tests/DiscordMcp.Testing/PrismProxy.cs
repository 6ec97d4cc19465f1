using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DiscordMcp.Testing;

/// <summary>
/// Prism 5.16 in proxy mode with <c>--errors</c> in front of an upstream (the sandbox), validating every request
/// and every response against Discord's official OpenAPI spec (<c>shared/discord-api/openapi-prism.json</c>).
/// A request that breaks the spec gets 422; a response that breaks it gets 500; both carry <c>sl-violations</c>.
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private PrismProxy(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>Where to point the client: <c>http://127.0.0.1:PORT/</c> (no <c>/api/v10</c>: the Prism file has root paths).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Everything Prism printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return string.Join('\n', _output);
        }
    }

    public static string Executable => Path.Combine(RepositoryPaths.NodeTools, "node_modules", ".bin", "prism");

    public static string SpecPath => Path.Combine(RepositoryPaths.Shared, "discord-api", "openapi-prism.json");

    /// <summary>Starts Prism and waits (by reading its log, not by sleeping) until it listens.</summary>
    public static async Task<PrismProxy> StartAsync(Uri upstreamApiBase, TimeSpan startTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upstreamApiBase);
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"Prism is not installed at {Executable}. Run 'bash scripts/test.sh' (it runs 'npm ci' in tools/node).");
        if (!File.Exists(SpecPath))
            throw new InvalidOperationException($"Discord's OpenAPI spec is missing at {SpecPath}; the shared folder must sit beside the repository.");

        var port = FreeTcpPort();
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.NodeTools,
        };
        foreach (var arg in new[] { "proxy", "--errors", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), SpecPath, upstreamApiBase.AbsoluteUri.TrimEnd('/') })
            psi.ArgumentList.Add(arg);

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start Prism.");
        var proxy = new PrismProxy(process, new Uri($"http://127.0.0.1:{port}/"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
                return;
            lock (proxy._output)
                proxy._output.Add(e.Data);
            if (e.Data.Contains("Prism is listening", StringComparison.Ordinal))
                listening.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("Prism exited before listening:\n" + proxy.Output));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await listening.Task.WaitAsync(startTimeout, cancellationToken);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound then released).</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
