using DiscordMcp.Discord.Client;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Host.Health;
using System.Globalization;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Storage;
using DiscordMcp.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Host.Hosting;

/// <summary>The composition shared by <c>serve</c> and <c>stdio</c>: options, the Discord client, readiness, the MCP core.</summary>
internal static class HostServiceCollectionExtensions
{
    public static IServiceCollection AddDiscordMcpHost(this IServiceCollection services, IConfiguration configuration, HostSettings settings, SandboxSlot? sandbox, bool http = false)
    {
        services.AddHostOptions(requireToken: !settings.Sandbox);
        services.AddDiscordRestClient(configuration.GetSection(DiscordHostOptions.Section));
        services.AddReadinessChecks();
        if (sandbox is not null)
        {
            // Created by a factory so the container owns it: the sandbox stops when the host is disposed.
            services.AddSingleton(_ => sandbox.Sandbox);
        }
        services.AddHostedService<StartupReport>();
        // The platform: storage (migrated and bootstrapped by PlatformStartup before any tool runs), the policy
        // pipeline over it, and the bot-permission probe over the Discord client.
        services.AddDiscordMcpStorage(StorageConfiguration(configuration));
        services.AddSingleton<IReadinessCheck, DatabaseReadinessCheck>();
        // One redactor, knowing the configured bot token, for audit rows (the pipeline) and tool output (ToolCallFilter).
        services.AddSingleton(new Redactor([configuration["Discord:Token"]]));
        services.AddSingleton(sp => new PolicyPipeline(
            sp.GetRequiredService<IPlatformStore>(),
            sp.GetRequiredService<IBotPermissionProbe>(),
            sp.GetRequiredService<IRateLimiter>(),
            sp.GetRequiredService<IPendingActionStore>(),
            new AuditFailureLog(sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<ILogger<AuditFailureLog>>()), // lost events are logged
            sp.GetRequiredService<TimeProvider>(),
            new PolicyOptions
            {
                Redactor = sp.GetRequiredService<Redactor>(),
                PendingActionTtl = TimeSpan.FromMinutes(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.PendingActionMinutes),
            }));
        var issueKey = http && settings.Sandbox && !settings.NoAuth;
        var localOperator = !http || settings.NoAuth;
        // stdio prepares storage in the background (the handshake and tools/list need none; tool calls wait for it);
        // HTTP prepares it before Kestrel starts, because API-key authentication reads it on the first request.
        services.AddSingleton(new PlatformStartupOptions(
            settings.Sandbox ? ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture) : null, issueKey, InBackground: !http,
            CheckLocalWorkspace: localOperator));
        if (issueKey)
            services.AddSingleton(sp => new SandboxAdminKey(sp.GetRequiredService<IPlatformStore>(), sp.GetRequiredService<TimeProvider>(), settings.Console ?? Console.Error));
        if (localOperator)
        {
            // stdio (and HTTP for local development): the local operator of the configured workspace (admin by default).
            // Start-up checks that the workspace exists; the pipeline checks it again on every call (fail closed).
            services.AddSingleton<IToolCallerIdentity>(sp =>
            {
                var platform = sp.GetRequiredService<IOptions<PlatformOptions>>().Value;
                return new LocalOperatorIdentity(platform.LocalWorkspace.Trim(), platform.Role);
            });
        }
        // Registered before the MCP transports (stdio is a hosted service too): storage is ready before the first call.
        services.AddSingleton<PlatformStartup>();
        services.AddSingleton<IPlatformReadiness>(sp => sp.GetRequiredService<PlatformStartup>());
        services.AddHostedService(sp => sp.GetRequiredService<PlatformStartup>());
        // The tools read their own sections (Mcp, Discord) from the root configuration.
        services.AddDiscordMcpCore(configuration);
        // The gateway (ENABLE_GATEWAY / AGENT_ENABLED): mentions to the agent, slash commands, approval buttons.
        services.AddDiscordGateway(configuration);
        return services;
    }

    public static IServiceCollection AddHostOptions(this IServiceCollection services, bool requireToken)
    {
        services.AddOptions<DiscordHostOptions>().BindConfiguration(DiscordHostOptions.Section).ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.Section).ValidateOnStart();
        services.AddOptions<PlatformOptions>().BindConfiguration(PlatformOptions.Section).ValidateOnStart();
        var validator = new HostOptionsValidator(requireToken);
        services.AddSingleton<IValidateOptions<DiscordHostOptions>>(validator);
        services.AddSingleton<IValidateOptions<StorageOptions>>(validator);
        services.AddSingleton<IValidateOptions<AgentOptions>>(validator);
        services.AddSingleton<IValidateOptions<ServerOptions>>(validator);
        services.AddSingleton<IValidateOptions<PlatformOptions>>(validator);
        return services;
    }

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IReadinessCheck, DiscordReadinessCheck>();
        services.AddSingleton<IReadinessCheck, CacheReadinessCheck>();
        return services;
    }

    /// <summary>
    /// The host binds <c>ALLOWED_GUILD_IDS</c> as a list (<c>Discord:AllowedGuildIds:0</c>, …); storage reads one
    /// comma-separated value. Give storage the list in its form, so the allowed guilds are installed at start.
    /// </summary>
    private static IConfiguration StorageConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageServiceCollectionExtensions.AllowedGuildIdsKey);
        // Invalid entries are left out here: the host's option validation reports them with its own message.
        var items = section.GetChildren().Select(c => c.Value?.Trim())
            .Where(v => ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0).ToList();
        if (section.Value is not null || items.Count == 0)
            return configuration;
        return new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageServiceCollectionExtensions.AllowedGuildIdsKey] = string.Join(',', items) })
            .Build();
    }

    /// <summary>Server identity, and a tool collection that exists even when no tool is registered, so <c>tools/list</c>
    /// answers (empty) instead of "method not available" in a build or configuration without tools.</summary>
    public static void ConfigureServer(McpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ServerInfo = ServerInfo();
        options.ToolCollection ??= [];
    }

    /// <summary>The server's name and version as MCP clients see them.</summary>
    public static Implementation ServerInfo() => new() { Name = "discord-mcp", Title = "Discord MCP", Version = HostVersion.Current };
}

/// <summary>One log line at start saying what runs: the Discord target, the guilds, the gateway and the agent (never secrets).</summary>
internal sealed partial class StartupReport(
    IOptions<DiscordHostOptions> discord, IOptions<AgentOptions> agent,
    ILogger<StartupReport> logger, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var sandbox = services.GetService<SandboxHost>();
        LogStarted(logger, HostVersion.Current, sandbox is null ? "Discord" : $"the sandbox at {sandbox.ApiBaseUrl}",
            discord.Value.AllowedGuildIds.Count == 0 ? "all" : string.Join(",", discord.Value.AllowedGuildIds));
        if (agent.Value.Enabled)
            LogAgent(logger, agent.Value.Provider ?? "", agent.Value.Model ?? "");
        else if (discord.Value.EnableGateway)
            LogGateway(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "discord-mcp {Version} started against {Target}; allowed guilds: {Guilds}")]
    private static partial void LogStarted(ILogger logger, string version, string target, string guilds);

    [LoggerMessage(Level = LogLevel.Information, Message = "The agent is on (provider {Provider}, model {Model}): it answers mentions in channels where /allow-chat turned chat on (off everywhere by default)")]
    private static partial void LogAgent(ILogger logger, string provider, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "The gateway is on (slash commands, approvals channel); the agent is off (AGENT_ENABLED=false)")]
    private static partial void LogGateway(ILogger logger);
}
