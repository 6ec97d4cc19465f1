using System.IO.Pipelines;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// The real composition (AddDiscordRestClient + AddDiscordMcpCore + AddDiscordMcpTools), hosted the way the stdio
/// host does it (the SDK's DI path and its hosted service) but over in-memory pipes, with a real MCP client on the
/// other end and Discord played by the in-process sandbox. Every request the REST client sends is counted, so a
/// test can prove that bad input never reached Discord.
/// </summary>
internal sealed class McpTestServer : IAsyncDisposable
{
    private readonly SandboxHost? _sandbox;
    private readonly IHost _host;
    private readonly Pipe _toServer;
    private readonly Pipe _toClient;

    private McpTestServer(SandboxHost? sandbox, IHost host, Pipe toServer, Pipe toClient, RequestCounter counter)
    {
        _sandbox = sandbox;
        _host = host;
        _toServer = toServer;
        _toClient = toClient;
        Requests = counter;
    }

    public McpClient Client { get; private set; } = null!;

    /// <summary>Requests the Discord REST client sent (to the sandbox, or to nowhere when there is none).</summary>
    public RequestCounter Requests { get; }

    public IServiceProvider Services => _host.Services;

    public string? Instructions => Client.ServerInstructions;

    /// <param name="settings">Configuration as the host would read it (TOOLSETS, READ_ONLY, ALLOWED_GUILD_IDS...).</param>
    /// <param name="withSandbox">False: the client points at a closed port, so any Discord call fails loudly.</param>
    /// <param name="configure">Extra registrations, e.g. a fake tool or a replacement gate.</param>
    public static async Task<McpTestServer> StartAsync(
        Dictionary<string, string?>? settings = null,
        bool withSandbox = true,
        Action<IServiceCollection, IMcpServerBuilder>? configure = null,
        bool declareWithoutPlatform = true)
    {
        // Rate limits off: a class shares one server, and these tests are about the tools, not the send loop.
        var sandbox = withSandbox ? await SandboxHost.StartAsync(new SandboxOptions { RateLimits = { Enabled = false } }) : null;
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(settings ?? []);
            builder.Logging.ClearProviders();
            builder.Services.AddSecretScanCapture("Mcp.Tests"); // log lines and every MCP message (tool results) for the secret scan
            builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DemoGuild.ReferenceNow));

            var counter = new RequestCounter();
            builder.Services.AddDiscordRestClient(o =>
            {
                o.BaseUrl = sandbox?.ApiBaseUrl ?? new Uri("http://127.0.0.1:9/api/v10/");
                o.Token = sandbox?.BotToken ?? "not.a.real.token";
                o.MaxRetries = 0;
            }).AddHttpMessageHandler(() => new CountingHandler(counter));
            // The tools read "now" from the fake clock (the seed's reference time); the send loop keeps real time, so a
            // rate-limit wait can never park forever on a clock nobody advances.
            builder.Services.AddSingleton(sp => new DiscordRestTransport(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(DiscordClientServiceCollectionExtensions.HttpClientName),
                sp.GetRequiredService<IOptions<DiscordClientOptions>>(), TimeProvider.System, sp.GetRequiredService<ILogger<DiscordRestTransport>>()));
            builder.Services.AddDiscordMcpCore(builder.Configuration);
            if (declareWithoutPlatform)
                builder.Services.AddSingleton<WithoutPlatformForTests>(); // these tests cover the tools; the platform has its own

            var toServer = new Pipe();
            var toClient = new Pipe();
            var mcp = builder.Services
                .AddMcpServer(o => o.ServerInfo = new Implementation { Name = "discord-test", Version = "0.0.0" })
                .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
                .AddDiscordMcpTools();
            configure?.Invoke(builder.Services, mcp);

            var host = builder.Build();
            await host.StartAsync();
            var server = new McpTestServer(sandbox, host, toServer, toClient, counter);
            server.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
            return server;
        }
        catch
        {
            if (sandbox is not null)
                await sandbox.DisposeAsync();
            throw;
        }
    }

    public async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?>? args = null) =>
        await Client.CallToolAsync(tool, args ?? []);

    /// <summary>The raw <c>tools/list</c> answer, as a client sees it.</summary>
    public async Task<IReadOnlyList<Tool>> ListToolsAsync() =>
        [.. (await Client.ListToolsAsync()).Select(t => t.ProtocolTool)];

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        // Closing the server's input ends its session; then the host stops its hosted service.
        await _toServer.Writer.CompleteAsync();
        await _host.StopAsync();
        _host.Dispose();
        await _toClient.Reader.CompleteAsync();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
    }
}

/// <summary>Counts HTTP requests leaving the Discord REST client.</summary>
internal sealed class RequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

internal sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        counter.Increment();
        return base.SendAsync(request, cancellationToken);
    }
}

internal static class ResultExtensions
{
    public static string Text(this CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
