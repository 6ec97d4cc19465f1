using DiscordMcp.Agent;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiscordMcp.Host.Gateway;

/// <summary>Registers the gateway service and what it needs, when <c>ENABLE_GATEWAY</c> or <c>AGENT_ENABLED</c> is true.</summary>
internal static class GatewayServiceCollectionExtensions
{
    public const string ApprovalsChannelIdsKey = "Discord:ApprovalsChannelIds";

    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool>("Discord:EnableGateway") || AgentEnabled(configuration);

    private static bool AgentEnabled(IConfiguration configuration) => configuration.GetValue<bool>("Agent:Enabled");

    /// <summary>Call after storage is registered (it wraps the pending-action store to observe new actions).</summary>
    public static IServiceCollection AddDiscordGateway(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsEnabled(configuration))
            return services;
        var approvalsChannels = ApprovalsChannels.Parse(configuration[ApprovalsChannelIdsKey], out var error)
            ?? throw new HostConfigurationException(error!);
        services.AddSingleton(approvalsChannels);
        services.AddSingleton(new GatewaySettings(configuration["Discord:Token"] ?? "", AgentEnabled(configuration)));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(GatewayLeaseSettings.Parse(configuration[GatewayLeaseSettings.ShardCountKey], configuration[GatewayLeaseSettings.LeaseSecondsKey]));
        // Storage registers the shared (Redis) or in-process leases and claims; these are for compositions without it.
        services.TryAddSingleton<IShardLeases>(sp => new DiscordMcp.Policy.InMemory.InMemoryShardLeases(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IEventClaims>(sp => new DiscordMcp.Policy.InMemory.InMemoryEventClaims(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ShardLeaseKeeper>();
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<ChatAccess>();
        services.AddSingleton<DiscordAgentSurface>();
        services.TryAddSingleton<IAgentSurface>(sp => sp.GetRequiredService<DiscordAgentSurface>());
        services.TryAddSingleton<IInteractionResponder>(sp => sp.GetRequiredService<DiscordAgentSurface>());
        services.AddSingleton<ChatCommands>();
        services.AddSingleton<ApprovalQueue>();
        services.TryAddSingleton<IPendingActionObserver>(sp => sp.GetRequiredService<ApprovalQueue>());
        // Decisions made with Discord buttons are audited as coming through Discord (the agent's entry point), not the CLI.
        services.TryAddSingleton(sp => new PendingApprovals(sp.GetRequiredService<IPendingActionStore>(), sp.GetRequiredService<PolicyPipeline>(), AuditEntryPoints.Agent));
        services.AddSingleton<DiscordApprovals>();
        ObservePendingActions(services);
        services.AddSingleton<DiscordGatewayService>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordGatewayService>());
        return services;
    }

    /// <summary>Wraps the registered <see cref="IPendingActionStore"/> so the observer hears of each new action.</summary>
    private static void ObservePendingActions(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IPendingActionStore))
            ?? throw new InvalidOperationException("AddDiscordGateway must come after the storage registration (no IPendingActionStore yet).");
        services.Remove(descriptor);
        services.AddSingleton<IPendingActionStore>(sp => new ObservedPendingActionStore(Create(sp, descriptor), sp.GetRequiredService<IPendingActionObserver>()));
    }

    private static IPendingActionStore Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        (IPendingActionStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}
