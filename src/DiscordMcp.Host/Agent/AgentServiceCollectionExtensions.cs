using DiscordMcp.Agent;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Agent;

/// <summary>Registers the in-Discord agent when <c>AGENT_ENABLED</c> is true.</summary>
internal static class AgentServiceCollectionExtensions
{
    /// <summary>The key of the agent's <see cref="IChatClient"/>.</summary>
    public const string ChatClientKey = "agent";

    /// <summary>
    /// The agent's settings, model client, in-process tool sessions and <see cref="IChatAgent"/> (which needs the
    /// gateway's <see cref="IAgentSurface"/> and <see cref="IInteractionResponder"/>). Call after the caller identity is
    /// registered: it wraps it so agent sessions run as the member.
    /// </summary>
    public static IServiceCollection AddDiscordMcpAgent(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetValue<bool>($"{AgentOptions.Section}:Enabled"))
            return services;
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value.ToSettings());
        services.AddKeyedSingleton(ChatClientKey, (sp, _) => ChatClientFactory.Create(sp.GetRequiredService<AgentSettings>()));
        services.AddSingleton<IAgentToolSessions, AgentToolSessions>();
        services.AddSingleton<IChatAgent>(sp => new ChatAgent(
            sp.GetRequiredKeyedService<IChatClient>(ChatClientKey),
            sp.GetRequiredService<IAgentToolSessions>(),
            sp.GetRequiredService<IAgentSurface>(),
            sp.GetRequiredService<IInteractionResponder>(),
            sp.GetRequiredService<Policy.Ports.IPendingActionStore>(),
            sp.GetRequiredService<AgentSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ChatAgent>>()));
        WrapCallerIdentity(services);
        return services;
    }

    /// <summary>Replaces the registered <see cref="IToolCallerIdentity"/> (the last one wins, as in the container) with an <see cref="AgentCallerIdentity"/> around it.</summary>
    internal static void WrapCallerIdentity(IServiceCollection services)
    {
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IToolCallerIdentity) && !d.IsKeyedService);
        services.RemoveAll<IToolCallerIdentity>();
        services.AddSingleton<IToolCallerIdentity>(sp => new AgentCallerIdentity(existing switch
        {
            null => new UnknownCallerIdentity(),
            { ImplementationInstance: IToolCallerIdentity instance } => instance,
            { ImplementationFactory: { } factory } => (IToolCallerIdentity)factory(sp),
            { ImplementationType: { } type } => (IToolCallerIdentity)ActivatorUtilities.CreateInstance(sp, type),
            _ => new UnknownCallerIdentity(),
        }));
    }
}
