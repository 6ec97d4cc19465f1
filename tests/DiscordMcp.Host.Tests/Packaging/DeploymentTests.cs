using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Tests.Admin;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;
using ModelContextProtocol.Client;
using YamlDotNet.RepresentationModel;

namespace DiscordMcp.Host.Tests.Packaging;

/// <summary>
/// The host published once for this class (<c>dotnet publish --no-build</c>: Release, framework-dependent, from the build
/// the tests already made, into a temporary folder that stands for the image's /app).
/// </summary>
public sealed class PublishedHostFixture : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("dmcp-publish-").FullName;

    public async Task InitializeAsync() =>
        await DotnetCli.RunAsync(Folder, null, "publish", DotnetCli.HostProject, "-c", DotnetCli.Configuration, "--no-build", "--no-self-contained", "-o", Folder);

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The container path cannot run here (no container engine), so the same configuration does: the published build
/// started as the Dockerfile's ENTRYPOINT + CMD with the Dockerfile's ENV and docker-compose.yml's server environment,
/// its service hosts (postgres, redis) mapped to the PostgreSQL and Redis <c>scripts/test.sh</c> started, on a free
/// loopback port; then /health, /health/ready, the Dockerfile's HEALTHCHECK command as written, and MCP with an API key.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class DeploymentTests(PublishedHostFixture published) : IClassFixture<PublishedHostFixture>
{
    private const string Server = "discord-mcp";
    private const int RedisDatabase = 14; // reserved for this class (flushed by it)

    private static readonly DockerfileRuntime Docker = DockerfileRuntime.Load();
    private static readonly ComposeFile Compose = ComposeFile.Load();

    [Fact]
    public void Dockerfile_runs_as_a_non_root_user_and_exposes_the_port_compose_publishes_and_the_server_listens_on()
    {
        Assert.False(string.IsNullOrWhiteSpace(Docker.User), "The runtime stage must set USER.");
        var user = Docker.User!.Split(':')[0];
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);

        var exposed = Assert.Single(Docker.ExposedPorts);
        Assert.Equal(exposed, ListenPort(Docker.Environment["DISCORD_MCP_URLS"]));
        Assert.Equal(exposed, ListenPort(Compose.Environment(Server)["DISCORD_MCP_URLS"]));
        var published = Assert.Single(Compose.Ports(Server));
        Assert.Equal(exposed, int.Parse(published.Split(':')[^1], CultureInfo.InvariantCulture));
        // Only on the host's loopback: a TLS proxy is in front (docs/deployment.md).
        Assert.StartsWith("127.0.0.1:", published, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_writes_only_to_the_data_volume_and_checks_health_with_the_server_itself()
    {
        Assert.Equal(["/data"], Docker.Volumes);
        Assert.Equal("/data", Docker.Environment["Storage__DataDirectory"]);
        Assert.Equal([.. Docker.Entrypoint, "healthcheck"], Docker.Healthcheck);
        Assert.Equal(["serve"], Docker.Command);
        var service = Compose.Service(Server);
        Assert.Equal("true", ((YamlScalarNode)ComposeFile.Child(service, "read_only")!).Value);
        Assert.Contains("/tmp", ((YamlSequenceNode)ComposeFile.Child(service, "tmpfs")!).Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void Compose_publishes_no_port_of_postgres_or_redis_and_starts_the_server_after_both_are_healthy()
    {
        Assert.Equal(new[] { Server, "postgres", "redis" }.Order(), Compose.ServiceNames.Order());
        foreach (var dependency in new[] { "postgres", "redis" })
        {
            var service = Compose.Service(dependency);
            Assert.Empty(Compose.Ports(dependency));
            Assert.Null(ComposeFile.Child(service, "network_mode"));
            Assert.NotNull(ComposeFile.Child(service, "healthcheck"));
            var dependsOn = (YamlMappingNode)ComposeFile.Child(Compose.Service(Server), "depends_on")!;
            var condition = (YamlMappingNode)ComposeFile.Child(dependsOn, dependency)!;
            Assert.Equal("service_healthy", ((YamlScalarNode)ComposeFile.Child(condition, "condition")!).Value);
        }
        Assert.Contains("postgres-data:/var/lib/postgresql/data",
            ((YamlSequenceNode)ComposeFile.Child(Compose.Service("postgres"), "volumes")!).Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void Compose_takes_every_secret_from_the_environment_and_sets_only_known_variables()
    {
        var secrets = DocumentedEnvironment.Variables.Where(v => v.Secret).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var documented = DocumentedEnvironment.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in Compose.Environment(Server))
        {
            Assert.True(documented.Contains(name) || name.Contains("__", StringComparison.Ordinal) || name == "AllowedHosts",
                $"{name} in docker-compose.yml is neither a documented variable nor a configuration key.");
            if (secrets.Contains(name))
                Assert.Contains("${", value, StringComparison.Ordinal);
        }
        Assert.Contains("${POSTGRES_PASSWORD", Compose.Environment("postgres")["POSTGRES_PASSWORD"], StringComparison.Ordinal);
        Assert.Contains("${REDIS_PASSWORD", Compose.Environment("redis")["REDIS_PASSWORD"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_build_with_the_compose_environment_is_healthy_ready_and_serves_tools_list_with_an_api_key()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        await using var admin = new AdminFixture("postgres");
        var issued = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "operator", "--name", "deployment", "--json");
        Assert.True(issued.Exit == 0, issued.Error);
        string key;
        using (var json = JsonDocument.Parse(issued.Out))
            key = json.RootElement.GetProperty("key").GetString()!;
        var port = DotnetCli.FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("dmcp-data-").FullName;
        try
        {
            var environment = await ServerEnvironmentAsync(sandbox, admin, port, dataDirectory);
            await using var server = await PublishedServer.StartAsync(StartInfo([.. Docker.Entrypoint, .. Docker.Command], environment));
            var baseUrl = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = baseUrl };

            using (var live = await http.GetAsync(new Uri("/health", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                using var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync());
                Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
            }
            using (var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative)))
            {
                var text = await ready.Content.ReadAsStringAsync();
                Assert.True(ready.StatusCode == HttpStatusCode.OK, text);
                using var body = JsonDocument.Parse(text);
                var checks = body.RootElement.GetProperty("checks");
                Assert.Equal("ok", checks.GetProperty("database").GetProperty("status").GetString());
                Assert.Equal("ok", checks.GetProperty("cache").GetProperty("status").GetString());
            }

            var healthcheck = await DotnetCli.RunToEndAsync(StartInfo(Docker.Healthcheck, environment));
            Assert.True(healthcheck.Exit == 0, healthcheck.Output);

            // The same command fails when nothing answers on the configured address.
            var nobody = new Dictionary<string, string?>(environment) { ["DISCORD_MCP_URLS"] = $"http://0.0.0.0:{DotnetCli.FreePort()}" };
            var failing = await DotnetCli.RunToEndAsync(StartInfo(Docker.Healthcheck, nobody));
            Assert.Equal(1, failing.Exit);

            using (var anonymous = await http.PostAsync(new Uri("/mcp", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json")))
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            await using var client = await ServerProcess.ConnectAsync(new Uri(baseUrl, "/mcp"), key);
            var tools = await client.ListToolsAsync();
            Assert.Contains(tools, t => t.Name == "discord_list_guilds");
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The server's environment in the container: the Dockerfile's ENV, then compose's (interpolated as compose would, with
    /// test values for the required secrets); the compose service hosts become the local PostgreSQL and Redis, the listen
    /// address a free loopback port, /data a temporary folder; the bot talks to the sandbox.
    /// </summary>
    private static async Task<Dictionary<string, string?>> ServerEnvironmentAsync(SandboxHost sandbox, AdminFixture admin, int port, string dataDirectory)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DISCORD_BOT_TOKEN"] = sandbox.BotToken,
            ["POSTGRES_PASSWORD"] = "unused-by-the-local-server",
            ["REDIS_PASSWORD"] = "unused-by-the-local-redis",
        };
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in Docker.Environment)
            environment[name] = value;
        foreach (var (name, value) in Compose.Environment(Server))
            environment[name] = ComposeFile.Interpolate(value, variables);

        Assert.Equal("postgres", new Uri(environment["DATABASE_URL"]!).Host);
        environment["DATABASE_URL"] = SharedServices.PostgresUrl(admin.PostgresDatabase!);
        Assert.Equal("redis", new Uri(environment["REDIS_URL"]!).Host);
        environment["REDIS_URL"] = await SharedServices.FreshRedisUrlAsync(RedisDatabase);
        Assert.Equal("0.0.0.0", new Uri(environment["DISCORD_MCP_URLS"]!).Host);
        environment["DISCORD_MCP_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        Assert.Equal("/data", environment["Storage__DataDirectory"]);
        environment["Storage__DataDirectory"] = dataDirectory;
        environment["Discord__BaseUrl"] = sandbox.ApiBaseUrl.ToString();
        return environment;
    }

    /// <summary>An exec-form command of the Dockerfile, with the image's /app as the published folder, in WORKDIR.</summary>
    private ProcessStartInfo StartInfo(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environment)
    {
        var app = Docker.WorkDir.TrimEnd('/') + "/";
        string Map(string argument) => argument.StartsWith(app, StringComparison.Ordinal) ? Path.Combine(published.Folder, argument[app.Length..]) : argument;
        var info = new ProcessStartInfo(Map(command[0]))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = published.Folder,
        };
        foreach (var argument in command.Skip(1))
            info.ArgumentList.Add(Map(argument));
        // Only what the container would have: none of this machine's DiscordMCP variables.
        foreach (var variable in DocumentedEnvironment.Variables)
            info.Environment.Remove(variable.Name);
        foreach (var name in info.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        return info;
    }

    private static int ListenPort(string urls) => new Uri(urls.Split(';')[0]).Port;
}

/// <summary>The published server as a child process; ready once its log says the application started; SIGTERM on dispose.</summary>
internal sealed class PublishedServer : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private Task<string>? _error;
    private Task? _drain;

    private PublishedServer(Process process) => _process = process;

    public static async Task<PublishedServer> StartAsync(ProcessStartInfo info)
    {
        var server = new PublishedServer(Process.Start(info)!);
        try
        {
            using var timeout = new CancellationTokenSource(Limit);
            server._error = server._process.StandardError.ReadToEndAsync(CancellationToken.None);
            while (await server._process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                server._output.AppendLine(line);
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    server._drain = server.DrainAsync();
                    return server;
                }
            }
            await server._process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException($"The published server exited with {server._process.ExitCode} before it started:\n{server._output}\n{await server._error}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task DrainAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_output)
                _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ChildProcess.TerminateAsync(_process, Limit);
        }
        finally
        {
            if (_drain is not null)
                await _drain;
            var error = _error is null ? "" : await _error;
            SecretScan.Record("Host.Tests DeploymentTests published serve", _output + "\n" + error);
            _process.Dispose();
        }
    }
}
