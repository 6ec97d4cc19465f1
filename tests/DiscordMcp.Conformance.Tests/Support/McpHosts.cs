using DiscordMcp.Conformance.Tests.Fixtures;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>The real HTTP host (<c>discord-mcp serve --sandbox</c> composition) on 127.0.0.1, a free port.</summary>
internal static class McpHosts
{
    public static HostSettings Settings() => new()
    {
        Sandbox = true,
        Urls = "http://127.0.0.1:0",
        Environment = new Dictionary<string, string?>(), // independent of the machine's DISCORD_* variables
        UseAppSettingsFile = false,                      // built-in defaults: loopback AllowedHosts, body limit
        Overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
    };

    /// <summary>The product host plus the conformance fixtures, added only through the host's two hooks.</summary>
    public static Task<RunningHost> StartWithConformanceFixturesAsync() =>
        StartAsync(ConformanceComposition.ConfigureMcp, ConformanceComposition.ConfigureServices);

    /// <summary>The product host exactly as <c>serve --sandbox</c> composes it.</summary>
    public static Task<RunningHost> StartProductAsync() => StartAsync(null, null);

    private static async Task<RunningHost> StartAsync(Action<IMcpServerBuilder>? configureMcp, Action<IServiceCollection>? configureServices)
    {
        var app = await DiscordMcpHttpHost.BuildAsync(Settings(), configureMcp, configureServices);
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

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
