using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using DiscordMcp.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// The real HTTP host of <c>discord-mcp serve</c>: Streamable HTTP at <c>/mcp</c>, <c>/health</c>, <c>/health/ready</c>,
/// host-name and origin checks, the body limit. Tests and the conformance composition build it with extra registrations.
/// </summary>
public static class DiscordMcpHttpHost
{
    public const string McpPath = "/mcp";

    /// <summary>Builds (does not start) the host. With <see cref="HostSettings.Sandbox"/> the sandbox is started first and
    /// is stopped when the returned application is disposed.</summary>
    /// <param name="settings">Command-line settings and test seams.</param>
    /// <param name="configureMcp">Extra MCP registrations (fixture tools, filters) after the Discord tools.</param>
    /// <param name="configureServices">Extra services (test doubles, log capture) after everything else.</param>
    public static async Task<WebApplication> BuildAsync(
        HostSettings settings,
        Action<IMcpServerBuilder>? configureMcp = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sandbox = settings.Sandbox ? await SandboxHost.StartAsync(cancellationToken: cancellationToken) : null;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = HostConfiguration.EnvironmentName(settings),
            });
            builder.Configuration.AddDiscordMcpSources(settings, sandbox, builder.Environment.EnvironmentName);
            builder.WebHost.UseUrls(settings.Urls);

            SandboxDataDirectory.Apply(builder.Configuration, builder.Services, settings.Sandbox);
            builder.Services.AddDiscordMcpHost(builder.Configuration, settings, sandbox);
            var mcp = builder.Services
                .AddMcpServer(HostServiceCollectionExtensions.ConfigureServer)
                // Stateful for 2025-11-25 clients (elicitation works), stateless MRTR for 2026-07-28 clients.
                .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients)
                .AddDiscordMcpTools();
            configureMcp?.Invoke(mcp);
            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            if (sandbox is not null)
                app.Services.GetRequiredService<SandboxHost>(); // resolve now so the container owns (and disposes) it
            app.Services.GetService<SandboxDataDirectory>();
            app.UseMiddleware<RequestGuardMiddleware>();
            app.MapHealth();
            app.MapMcp(McpPath);
            return app;
        }
        catch
        {
            if (sandbox is not null)
                await sandbox.DisposeAsync();
            throw;
        }
    }
}
