using DiscordMcp.Host.Agent;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Telemetry;
using DiscordMcp.Mcp;
using DiscordMcp.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

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
        // A client waits for the first answer, so the sandbox starts on another thread while the host is composed and
        // the MCP server (tool schemas) is built; its address joins the configuration before the host starts.
        var slot = settings.Sandbox ? new SandboxSlot(HostConfiguration.SandboxOptions(settings)) : null;
        var starting = slot is null ? null : Task.Run(() => SandboxHost.StartAsync(slot.Options, cancellationToken: cancellationToken), cancellationToken);
        IHost? host = null;
        var sandboxOwnedByHost = false;
        try
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                // Our own configuration sources replace the defaults (AddDiscordMcpSources); keep the defaults from
                // starting file watchers on the way.
                Args = [HostConfiguration.NoReloadOnChangeArgument],
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = HostConfiguration.EnvironmentName(settings),
            });
            builder.Configuration.AddDiscordMcpSources(settings, slot, builder.Environment.EnvironmentName);
            HostLogging.Configure(builder.Logging, builder.Configuration, stdio: true);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

            SandboxDataDirectory.Apply(builder.Configuration, builder.Services, settings.Sandbox);
            builder.Services.AddDiscordMcpHost(builder.Configuration, settings, slot);
            builder.Services.AddDiscordMcpAgent(builder.Configuration); // after the caller identity: it wraps it
            var mcp = builder.Services
                .AddMcpServer(HostServiceCollectionExtensions.ConfigureServer)
                .WithStdioServerTransport()
                .AddDiscordMcpTools();
            configureMcp?.Invoke(mcp);
            // OTLP only: stdout is the JSON-RPC channel, so nothing telemetry-related is ever written there.
            builder.Services.AddDiscordMcpTelemetry(builder.Configuration, http: false);
            configureServices?.Invoke(builder.Services);
            // Last: every log provider, the tests' and extensions' included, writes only redacted text.
            HostLogging.Redact(builder.Logging);

            host = builder.Build();
            host.Services.GetService<SandboxDataDirectory>();
            // The server options hold every tool with its schema: build them now, concurrently with the sandbox start.
            _ = host.Services.GetRequiredService<IOptions<McpServerOptions>>().Value;
            if (starting is not null)
            {
                slot!.Fill(await starting);
                host.Services.GetRequiredService<SandboxHost>(); // resolve now so the container owns (and disposes) it
                sandboxOwnedByHost = true;
            }
            return host;
        }
        catch
        {
            if (host is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
            if (starting is not null && !sandboxOwnedByHost)
            {
                try
                {
                    await (await starting).DisposeAsync();
                }
#pragma warning disable CA1031 // The sandbox failed to start (or was never needed); the original exception is the one to report.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
            throw;
        }
    }
}
