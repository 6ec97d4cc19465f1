using System.Net;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Commands;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests;

/// <summary>The real HTTP host (Kestrel on 127.0.0.1, a free port) with the in-process sandbox, shared by the tests of this class.</summary>
public sealed class SandboxHttpHostFixture : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync()
    {
        App = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, overrides: new Dictionary<string, string?>
        {
            ["Server:MaxRequestBodyBytes"] = "4096",
            ["Logging:LogLevel:Default"] = "Warning",
        }), configureServices: services => services.AddSecretScanCapture("Host.Tests HttpHostTests"));
        await App.StartAsync();
        BaseUrl = new Uri(App.Urls.Single().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public sealed class HttpHostTests(SandboxHttpHostFixture host) : IClassFixture<SandboxHttpHostFixture>
{
    [Fact]
    public async Task Health_answers_ok_with_the_version()
    {
        using var response = await host.Http.GetAsync(new Uri(host.BaseUrl, "health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("discord-mcp", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(HostVersion.Current, json.RootElement.GetProperty("version").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", HostVersion.Current);
    }

    [Fact]
    public async Task Ready_is_200_with_every_dependency_ok_against_the_sandbox()
    {
        using var response = await host.Http.GetAsync(new Uri(host.BaseUrl, "health/ready"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ready", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("ok", checks.GetProperty("discord").GetProperty("status").GetString());
        Assert.Contains("DiscordMCP", checks.GetProperty("discord").GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal("ok", checks.GetProperty("cache").GetProperty("status").GetString());
        Assert.Equal("in-memory", checks.GetProperty("cache").GetProperty("detail").GetString());
        Assert.Equal("ok", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("sqlite", checks.GetProperty("database").GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null)]                         // the SDK client's own protocol (2026-07-28, stateless path)
    [InlineData("2025-11-25")]                 // today's clients (initialize, stateful session)
    public async Task Mcp_client_initializes_and_lists_tools_over_streamable_http(string? protocolVersion)
    {
        await using var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(host.BaseUrl, "mcp") });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = protocolVersion });

        var tools = await client.ListToolsAsync();

        Assert.Equal("discord-mcp", client.ServerInfo!.Name);
        Assert.Equal(HostVersion.Current, client.ServerInfo!.Version);
        Assert.Equal(DiscordMcp.Mcp.DiscordMcpRegistration.Catalog().Select(t => t.Name).Order(), tools.Select(t => t.Name).Order());
    }

    [Theory]
    [InlineData("health")]
    [InlineData("mcp")]
    public async Task A_foreign_Host_header_is_refused_with_400(string path)
    {
        using var request = new HttpRequestMessage(path == "mcp" ? HttpMethod.Post : HttpMethod.Get, new Uri(host.BaseUrl, path));
        request.Headers.Host = "rebinding.attacker.example";
        if (path == "mcp")
            request.Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json");

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Localhost_host_name_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseUrl, "health"));
        request.Headers.Host = $"localhost:{host.BaseUrl.Port}";

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("https://attacker.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost:6274", HttpStatusCode.OK)]   // e.g. the MCP Inspector on loopback
    public async Task Browser_origins_other_than_loopback_are_refused(string origin, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseUrl, "health"));
        request.Headers.Add("Origin", origin);

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]   // Content-Length declared: refused before the endpoint runs
    [InlineData(false)]  // chunked: cut off by Kestrel's limit while the endpoint reads
    public async Task A_body_over_the_limit_is_refused_with_413(bool declaredLength)
    {
        var json = """{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":""" + "\"" + new string('a', 8192) + "\"}}";
        using HttpContent content = declaredLength
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        if (!declaredLength)
            content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUrl, "mcp")) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.TransferEncodingChunked = !declaredLength;

        using var response = await host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("body_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>Hosts with a deliberately broken or invalid configuration (one per test).</summary>
public sealed class HttpHostFailureTests
{
    [Fact]
    public async Task Ready_is_503_naming_discord_when_Discord_is_unreachable()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: false, overrides: TestHosts.UnreachableDiscord()));
        await app.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(new Uri(app.Urls.Single()), "health/ready"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_ready", json.RootElement.GetProperty("status").GetString());
        var discord = json.RootElement.GetProperty("checks").GetProperty("discord");
        Assert.Equal("failed", discord.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(discord.GetProperty("detail").GetString()));
        Assert.Equal("ok", json.RootElement.GetProperty("checks").GetProperty("cache").GetProperty("status").GetString());
        await app.StopAsync();
    }

    [Fact]
    public async Task Invalid_options_stop_the_start_with_messages_that_say_what_to_fix()
    {
        var environment = new Dictionary<string, string?> { ["DISCORD_BOT_TOKEN"] = "t", ["ALLOWED_GUILD_IDS"] = "abc", ["MCP_TRANSPORT"] = "pigeon" };
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: false, environment));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        var all = string.Join('\n', HostCommand.ValidationFailures(ex) ?? throw ex);
        Assert.Contains("ALLOWED_GUILD_IDS (Discord:AllowedGuildIds) must be Discord ids", all, StringComparison.Ordinal);
        Assert.Contains("got 'abc'", all, StringComparison.Ordinal);
        Assert.Contains("MCP_TRANSPORT (Server:Transport) must be stdio or http; got 'pigeon'", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sandbox_a_missing_token_fails_validation()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: false));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("DISCORD_BOT_TOKEN", StringComparison.Ordinal) && f.Contains("--sandbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Secrets_never_reach_logs_or_responses()
    {
        const string Token = "tok-SECRET-1.abc";
        // DATABASE_URL is used now (start-up would connect to it); its password's redaction is covered by the storage tests.
        var secrets = new[] { Token, "cs-SECRET-2", "ak-SECRET-3" };
        var environment = new Dictionary<string, string?>
        {
            ["DISCORD_BOT_TOKEN"] = Token,
            ["DISCORD_CLIENT_SECRET"] = "cs-SECRET-2",
            ["AGENT_ENABLED"] = "true",
            ["AGENT_API_KEY"] = "ak-SECRET-3",
            ["AGENT_MODEL"] = "test-model",
        };
        var overrides = TestHosts.UnreachableDiscord(Token);
        overrides["Logging:LogLevel:Default"] = "Trace";
        var logs = new LogCapture();
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: false, environment, overrides),
            configureServices: services => services.AddLogging(b => b.AddProvider(logs)));
        await app.StartAsync();
        var baseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        using var http = new HttpClient();

        var responses = new StringBuilder();
        responses.Append(await http.GetStringAsync(new Uri(baseUrl, "health")));
        using (var ready = await http.GetAsync(new Uri(baseUrl, "health/ready")))
            responses.Append(await ready.Content.ReadAsStringAsync());
        await using (var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(baseUrl, "mcp") }))
        await using (var client = await McpClient.CreateAsync(transport))
            responses.Append(JsonSerializer.Serialize(await client.ListToolsAsync()));
        await app.StopAsync();

        Assert.Contains("The agent is on (provider openai, model test-model)", logs.Text, StringComparison.Ordinal); // logging did run
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, responses.ToString(), StringComparison.Ordinal);
        }
    }
}

public sealed class PlatformCompositionTests
{
    [Fact]
    public async Task Sandbox_host_migrates_its_own_database_and_installs_the_demo_guild_into_the_default_workspace()
    {
        var dataDirectory = TestHosts.NewDataDirectory();
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true,
            overrides: new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory }));
        await app.StartAsync();

        var store = app.Services.GetRequiredService<DiscordMcp.Policy.Ports.IPlatformStore>();
        var installation = await store.GetInstallationAsync(ulong.Parse(DiscordMcp.Sandbox.State.DemoGuild.GuildId, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        Assert.NotNull(installation);
        Assert.Equal("default", installation.WorkspaceId);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "discord-mcp.db")) || Directory.EnumerateFiles(dataDirectory, "*.db").Any(),
            "the SQLite file is created under the configured data directory");
        Assert.NotNull(app.Services.GetRequiredService<DiscordMcp.Policy.Pipeline.PolicyPipeline>());
        await app.StopAsync();
    }
}
