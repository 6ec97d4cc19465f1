using System.Net;
using DiscordMcp.Sandbox.Control;
using DiscordMcp.Sandbox.Gateway;
using DiscordMcp.Sandbox.Pipeline;
using DiscordMcp.Sandbox.Rest;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Sandbox;

/// <summary>
/// A running sandbox: a local Discord (REST v10 under <c>/api/v10</c>, a gateway WebSocket and a control API)
/// on 127.0.0.1. Start one per test class (or per demo), dispose it to stop.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, SandboxOptions options, SandboxState state, SandboxFaults faults, Uri baseUrl)
    {
        _app = app;
        Options = options;
        State = state;
        Faults = faults;
        BaseUrl = baseUrl;
    }

    public SandboxOptions Options { get; }

    /// <summary>The emulated Discord's data; tests may read it and add guilds.</summary>
    public SandboxState State { get; }

    /// <summary>Switches for injected faults (429 storms, 5xx, slow responses, dropped connections, gateway faults).</summary>
    public SandboxFaults Faults { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c></summary>
    public Uri BaseUrl { get; }

    /// <summary>REST base, <c>http://127.0.0.1:PORT/api/v10/</c>; the client's base URL.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/v10/");

    /// <summary>Gateway URL as <c>GET /gateway/bot</c> returns it (clients append <c>?v=10&amp;encoding=json</c>).</summary>
    public Uri GatewayUrl => new UriBuilder(BaseUrl) { Scheme = "ws", Path = SandboxGatewayEndpoint.Path }.Uri;

    /// <summary>The control API base, <c>http://127.0.0.1:PORT/_sandbox/</c>: post as a user, click buttons, reset.</summary>
    public Uri ControlBaseUrl => new(BaseUrl, "_sandbox/");

    public string BotToken => Options.BotToken;

    /// <summary>Gateway sessions connected right now (a bot process holding a shard has one).</summary>
    public int ConnectedGatewaySessions => _app.Services.GetRequiredService<SandboxGatewayMonitor>().ConnectedSessions;

    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null, ILoggerProvider? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var state = new SandboxState(options);
        var faults = new SandboxFaults();
        options.InitialFaults?.Invoke(faults);

        // The empty builder: the sandbox reads no appsettings.json or environment (so it watches no files) and gets
        // plain HTTP/1.1 Kestrel without the HTTPS and QUIC transports it never uses; everything it needs is added here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        if (logger is not null)
            builder.Logging.AddProvider(logger);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton<ISandboxGatewayData>(state);
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton<SandboxGatewayMonitor>();
        builder.Services.AddRouting();
        // An embedded sandbox (tests, `serve --sandbox`) must not take over the process's Ctrl+C / SIGTERM handling:
        // the default console lifetime would swallow SIGTERM to stop only this web app, leaving the process running.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();

        var app = builder.Build();
        app.UseWebSockets();
        app.UseRouting();
        app.UseSandboxPipeline();
        app.MapSandboxRest();
        app.MapSandboxControl();
        app.MapSandboxGateway();

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxHost(app, options, state, faults, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves process signals to the process's owner.</summary>
internal sealed class EmbeddedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
