using System.IO.Pipelines;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// The real composition (AddDiscordMcpCore + AddDiscordMcpTools) served over an in-memory pipe to a real MCP client,
/// with Discord played by the in-process sandbox.
/// </summary>
internal sealed class McpTestServer : IAsyncDisposable
{
    private readonly SandboxHost? _sandbox;
    private readonly HttpClient _http;
    private readonly ServiceProvider _services;
    private readonly McpServer _server;
    private readonly Task _serverRun;
    private readonly CancellationTokenSource _stop;

    public McpClient Client { get; private set; } = null!;

    private McpTestServer(SandboxHost? sandbox, HttpClient http, ServiceProvider services, McpServer server, Task run, CancellationTokenSource stop)
    {
        _stop = stop;
        _sandbox = sandbox;
        _http = http;
        _services = services;
        _server = server;
        _serverRun = run;
    }

    public static async Task<McpTestServer> StartAsync(Dictionary<string, string?>? settings = null, bool withSandbox = true)
    {
        var sandbox = withSandbox ? await SandboxHost.StartAsync() : null;
        var http = new HttpClient();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DemoGuild.ReferenceNow));
        services.AddSingleton<IDiscordRestTransport>(new DiscordRestTransport(http, new DiscordClientOptions
        {
            BaseUrl = sandbox?.ApiBaseUrl ?? new Uri("http://127.0.0.1:9/api/v10/"),
            Token = sandbox?.BotToken ?? "not.a.real.token",
            MaxRetries = 0,
        }));
        services.AddDiscordMcpCore(configuration);
        services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "discord-test", Version = "0.0.0" }).AddDiscordMcpTools();
        var provider = services.BuildServiceProvider();

        var toServer = new Pipe();
        var toClient = new Pipe();
        var options = provider.GetRequiredService<IOptions<McpServerOptions>>().Value;
        var server = McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), options, NullLoggerFactory.Instance, provider);
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => server.RunAsync(stop.Token));
        var host = new McpTestServer(sandbox, http, provider, server, run, stop);
        host.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream(), NullLoggerFactory.Instance));
        return host;
    }

    public string? Instructions => Client.ServerInstructions;

    public async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?>? args = null) =>
        await Client.CallToolAsync(tool, args ?? []);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _serverRun;
        }
        catch (OperationCanceledException)
        {
        }
        await _server.DisposeAsync();
        await _services.DisposeAsync();
        _http.Dispose();
        _stop.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
    }
}

internal static class ResultExtensions
{
    public static string Text(this CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
