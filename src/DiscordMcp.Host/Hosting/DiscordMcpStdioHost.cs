using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using DiscordMcp.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// The host of <c>discord-mcp stdio</c>: MCP over stdin/stdout. stdout carries only JSON-RPC, so every log goes to
/// stderr. The host stops when stdin closes (the client went away) or on SIGTERM / Ctrl+C.
/// </summary>
public static class DiscordMcpStdioHost
{
    public static async Task<IHost> BuildAsync(
        HostSettings settings,
        Action<IMcpServerBuilder>? configureMcp = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sandbox = settings.Sandbox ? await SandboxHost.StartAsync(HostConfiguration.SandboxOptions(settings), cancellationToken: cancellationToken) : null;
        try
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = HostConfiguration.EnvironmentName(settings),
            });
            builder.Configuration.AddDiscordMcpSources(settings, sandbox, builder.Environment.EnvironmentName);
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

            SandboxDataDirectory.Apply(builder.Configuration, builder.Services, settings.Sandbox);
            builder.Services.AddDiscordMcpHost(builder.Configuration, settings, sandbox);
            var mcp = builder.Services
                .AddMcpServer(HostServiceCollectionExtensions.ConfigureServer)
                .WithStdioServerTransport()
                .AddDiscordMcpTools();
            configureMcp?.Invoke(mcp);
            configureServices?.Invoke(builder.Services);

            var host = builder.Build();
            if (sandbox is not null)
                host.Services.GetRequiredService<SandboxHost>();
            host.Services.GetService<SandboxDataDirectory>();
            return host;
        }
        catch
        {
            if (sandbox is not null)
                await sandbox.DisposeAsync();
            throw;
        }
    }
}
