using System.Net;
using DiscordMcp.Sandbox.Gateway;
using DiscordMcp.Sandbox.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Sandbox.Tests.Pipeline;

/// <summary>
/// A test-only web app wired like <see cref="SandboxHost"/> (WebSockets → routing → pipeline → endpoints → gateway)
/// with tiny REST endpoints of Discord's route shapes and a test double for the gateway's data.
/// </summary>
internal sealed class TestSandboxApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestSandboxApp(WebApplication app, SandboxOptions options, SandboxFaults faults, Uri baseUrl)
    {
        _app = app;
        Options = options;
        Faults = faults;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl, "api/v10/") };
    }

    public SandboxOptions Options { get; }
    public SandboxFaults Faults { get; }
    public Uri BaseUrl { get; }
    public HttpClient Http { get; }
    public Uri GatewayUrl(string query = "?v=10&encoding=json") => new(new UriBuilder(BaseUrl) { Scheme = "ws", Path = SandboxGatewayEndpoint.Path }.Uri + query);

    public static async Task<TestSandboxApp> StartAsync(SandboxOptions options, ISandboxGatewayData? data = null)
    {
        var faults = new SandboxFaults();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(faults);
        builder.Services.AddSingleton(data ?? new FakeGatewayData());
        builder.Services.AddRouting();
        var app = builder.Build();
        app.UseWebSockets();
        app.UseRouting();
        app.UseSandboxPipeline();
        var api = app.MapGroup("/api/v10");
        api.MapGet("/channels/{channel_id}/messages", (string channel_id) => Results.Json(new[] { channel_id }));
        api.MapPost("/channels/{channel_id}/messages", () => Results.Text("{\"id\":\"1\"}", "application/json"));
        api.MapGet("/guilds/{guild_id}", () => Results.Text("{}", "application/json"));
        api.MapPost("/webhooks/{webhook_id}/{webhook_token}", () => Results.NoContent());
        api.MapPost("/interactions/{interaction_id}/{interaction_token}/callback", () => Results.NoContent());
        api.MapGet("/gateway", () => Results.Text("{\"url\":\"ws://x\"}", "application/json"));
        api.MapGet("/invites/{invite_code}", () => Results.Text("{}", "application/json"));
        api.MapGet("/users/@me", () => Results.Text("{}", "application/json"));
        app.MapSandboxGateway();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestSandboxApp(app, options, faults, new Uri(address.TrimEnd('/') + "/"));
    }

    public HttpRequestMessage Request(HttpMethod method, string path, bool authorized = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (authorized)
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + Options.BotToken);
        if (method == HttpMethod.Post)
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, bool authorized = true) =>
        Http.SendAsync(Request(method, path, authorized));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
