using DiscordMcp.Conformance.Tests.Fixtures;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>The real HTTP host (<c>discord-mcp serve --sandbox</c> composition) on 127.0.0.1, a free port.</summary>
internal static class McpHosts
{
    /// <param name="noAuth">The conformance suite does not authenticate: its composition runs with <c>--no-auth</c> (loopback).</param>
    public static HostSettings Settings(bool noAuth = true) => new()
    {
        Sandbox = true,
        NoAuth = noAuth,
        Console = TextWriter.Null,
        Urls = "http://127.0.0.1:0",
        Environment = new Dictionary<string, string?>(), // independent of the machine's DISCORD_* variables
        UseAppSettingsFile = false,                      // built-in defaults: loopback AllowedHosts, body limit
        Overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
    };

    /// <summary>The product host plus the conformance fixtures, added only through the host's two hooks.</summary>
    public static Task<RunningHost> StartWithConformanceFixturesAsync() =>
        StartAsync(Settings(), ConformanceComposition.ConfigureMcp, ConformanceComposition.ConfigureServices);

    /// <summary>The product host exactly as <c>serve --sandbox</c> composes it (API key required; see <see cref="RunningHost.ApiKey"/>).</summary>
    public static Task<RunningHost> StartProductAsync() => StartAsync(Settings(noAuth: false), null, null);

    private static async Task<RunningHost> StartAsync(HostSettings settings, Action<IMcpServerBuilder>? configureMcp, Action<IServiceCollection>? configureServices)
    {
        if (SecretScan.Directory is not null)
        {
            // A kept database under the scan folder (instead of the sandbox's throwaway one), so its audit rows get scanned.
            var overrides = new Dictionary<string, string?>(settings.Overrides ?? new Dictionary<string, string?>()) { ["Storage:DataDirectory"] = SecretScan.NewDataDirectory() };
            settings = settings with { Overrides = overrides };
        }
        var app = await DiscordMcpHttpHost.BuildAsync(settings, configureMcp, services =>
        {
            configureServices?.Invoke(services);
            services.AddSecretScanCapture("Conformance.Tests host");
        });
        try
        {
            await app.StartAsync();
            return new RunningHost(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}

internal sealed class RunningHost(WebApplication app) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    /// <summary>e.g. <c>http://127.0.0.1:41234/mcp</c>.</summary>
    public Uri McpUrl { get; } = new(app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath);

    /// <summary>The admin key <c>serve --sandbox</c> issued at start (null with --no-auth).</summary>
    public string? ApiKey => DiscordMcpHttpHost.SandboxApiKey(App.Services);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
