using DiscordMcp.Host.Agent;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Telemetry;
using DiscordMcp.Mcp;
using DiscordMcp.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Authentication;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// The real HTTP host of <c>discord-mcp serve</c>: Streamable HTTP at <c>/mcp</c>, <c>/health</c>, <c>/health/ready</c>,
/// host-name and origin checks, the body limit. Tests and the conformance composition build it with extra registrations.
/// </summary>
public static class DiscordMcpHttpHost
{
    public const string McpPath = "/mcp";

    /// <summary>The admin key <c>serve --sandbox</c> issued at start, or null (no sandbox, <c>--no-auth</c>, not started yet).</summary>
    public static string? SandboxApiKey(IServiceProvider services) => services.GetService<SandboxAdminKey>()?.Key;

    /// <summary><c>--no-auth</c> is for local development: every address must be loopback (localhost, 127.0.0.0/8, [::1]).</summary>
    public static void EnsureLoopback(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "";
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
            if (!loopback)
                throw new HostConfigurationException($"--no-auth is for local development only and requires loopback addresses; '{url}' is not loopback. Remove --no-auth and use an API key (discord-mcp keys issue).");
        }
    }

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
        if (settings.NoAuth)
            EnsureLoopback(settings.Urls);
        var sandbox = settings.Sandbox ? new SandboxSlot(HostConfiguration.SandboxOptions(settings)) : null;
        if (sandbox is not null)
            sandbox.Fill(await SandboxHost.StartAsync(sandbox.Options, cancellationToken: cancellationToken));
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                // Our own configuration sources replace the defaults (AddDiscordMcpSources); keep the defaults from
                // starting file watchers on the way.
                Args = [HostConfiguration.NoReloadOnChangeArgument],
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = HostConfiguration.EnvironmentName(settings),
            });
            builder.Configuration.AddDiscordMcpSources(settings, sandbox, builder.Environment.EnvironmentName);
            builder.WebHost.UseUrls(settings.Urls);
            HostLogging.Configure(builder.Logging, builder.Configuration, stdio: false);

            SandboxDataDirectory.Apply(builder.Configuration, builder.Services, settings.Sandbox);
            builder.Services.AddDiscordMcpHost(builder.Configuration, settings, sandbox, http: true);
            builder.Services.AddHttpContextAccessor();
            if (!settings.NoAuth)
            {
                builder.Services.AddSingleton<IToolCallerIdentity, HttpCallerIdentity>();
                var jwt = JwtAuthOptions.Read(builder.Configuration);
                if (jwt.Validate() is { Count: > 0 } problems)
                    throw new HostConfigurationException("The JWT settings are not valid: " + string.Join(" ", problems));
                var authentication = builder.Services.AddAuthentication(o =>
                    {
                        // With JWT configured, a selector sends dmcp_ keys to the key handler and JWTs to JwtBearer.
                        o.DefaultAuthenticateScheme = jwt.Enabled ? JwtAuthentication.SelectorScheme : ApiKeyAuthenticationHandler.SchemeName;
                        o.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
                    })
                    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
                    .AddMcp(o =>
                    {
                        o.ResourceMetadata = new ProtectedResourceMetadata
                        {
                            ResourceName = "Discord MCP",
                            BearerMethodsSupported = ["header"],
                        };
                        if (jwt.Enabled)
                            o.ResourceMetadata.AuthorizationServers.Add(jwt.Issuer!);
                    });
                if (jwt.Enabled)
                {
                    authentication
                        .AddJwtBearer(JwtAuthentication.SchemeName, o => JwtAuthentication.Configure(o, jwt))
                        .AddPolicyScheme(JwtAuthentication.SelectorScheme, null, o => o.ForwardDefaultSelector = JwtAuthentication.Select);
                }
                builder.Services.AddAuthorization();
                builder.Services.AddSingleton(new AuthenticationAuditLimits());
                builder.Services.AddSingleton<AuthenticationAuditor>();
                builder.Services.AddHostedService(sp => sp.GetRequiredService<AuthenticationAuditor>());
            }
            var mcp = builder.Services
                .AddMcpServer(HostServiceCollectionExtensions.ConfigureServer)
                // Stateful for 2025-11-25 clients (elicitation works), stateless MRTR for 2026-07-28 clients.
                .WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.StatefulForInitializeClients)
                .AddDiscordMcpTools();
            // Several processes sharing Redis: a session started on one continues on any other (docs/scaling.md).
            if (builder.Configuration[DiscordMcp.Storage.StorageServiceCollectionExtensions.RedisUrlKey] is { Length: > 0 })
                builder.Services.AddSingleton<ISessionMigrationHandler, RedisSessionMigration>();
            builder.Services.AddDiscordMcpAgent(builder.Configuration); // after the caller identity: it wraps it
            configureMcp?.Invoke(mcp);
            builder.Services.AddDiscordMcpTelemetry(builder.Configuration, http: true);
            configureServices?.Invoke(builder.Services);
            // Last: every log provider, the tests' and extensions' included, writes only redacted text.
            HostLogging.Redact(builder.Logging);

            var app = builder.Build();
            if (sandbox is not null)
                app.Services.GetRequiredService<SandboxHost>(); // resolve now so the container owns (and disposes) it
            app.Services.GetService<SandboxDataDirectory>();
            app.UseMiddleware<RequestGuardMiddleware>();
            app.MapHealth();
            app.MapDiscordMcpMetrics();
            if (settings.NoAuth)
            {
                app.MapMcp(McpPath);
            }
            else
            {
                app.UseAuthentication();
                app.UseMiddleware<AuthenticationAuditMiddleware>(); // wraps authorization: sees its 401s
                app.UseAuthorization();
                app.MapMcp(McpPath).RequireAuthorization();
            }
            if (app.Services.GetService<SandboxAdminKey>() is { } key)
            {
                app.Lifetime.ApplicationStarted.Register(() =>
                    key.Print(new Uri(app.Urls.First().TrimEnd('/') + McpPath)));
            }
            return app;
        }
        catch
        {
            if (sandbox is not null)
                await sandbox.Sandbox.DisposeAsync();
            throw;
        }
    }
}
