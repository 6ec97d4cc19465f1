using DiscordMcp.Sandbox.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>
/// The gateway WebSocket endpoint (<c>/ws?v=10&amp;encoding=json</c>): HELLO, heartbeat/ACK, IDENTIFY → READY and one
/// GUILD_CREATE per guild, live dispatches filtered by intents, RESUME with replay, Request Guild Members, close
/// codes as Discord documents them, and injected faults from <see cref="SandboxFaults"/>. Needs
/// <see cref="SandboxOptions"/>, <see cref="ISandboxGatewayData"/> and <see cref="SandboxFaults"/> in the services and
/// <c>UseWebSockets()</c> in the pipeline.
/// </summary>
public static class SandboxGatewayEndpoint
{
    public const string Path = "/ws";

    public static IEndpointRouteBuilder MapSandboxGateway(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ServiceProvider;
        var server = new SandboxGatewayServer(
            services.GetRequiredService<SandboxOptions>(),
            services.GetRequiredService<ISandboxGatewayData>(),
            services.GetRequiredService<SandboxFaults>());
        services.GetService<SandboxGatewayMonitor>()?.Attach(server);
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            // Upgraded sockets would hold a graceful shutdown open; drop them when the host stops.
            lifetime.ApplicationStopping.Register(server.AbortAll);
            lifetime.ApplicationStopped.Register(server.Dispose);
        }
        app.Map(Path, server.HandleAsync);
        return app;
    }
}

/// <summary>What the gateway endpoint can tell a test about its connections (registered by <see cref="SandboxHost"/>).</summary>
public sealed class SandboxGatewayMonitor
{
    private SandboxGatewayServer? _server;

    /// <summary>Gateway sessions with a live connection now (0 before the endpoint is mapped).</summary>
    public int ConnectedSessions => _server?.ConnectedSessions ?? 0;

    internal void Attach(SandboxGatewayServer server) => _server = server;
}
