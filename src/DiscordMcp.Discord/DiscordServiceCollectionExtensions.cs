using DiscordMcp.Discord.Client.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DiscordMcp.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// The Discord service layer: scope (<c>ALLOWED_GUILD_IDS</c>), name resolution and read operations.
    /// Needs a <see cref="DiscordRestClient"/> or an <see cref="IDiscordRestTransport"/> registered by the host.
    /// </summary>
    public static IServiceCollection AddDiscordServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Parsed when first needed, so a host's start-up validation reports a bad value with its own message
        // instead of composition failing half-way; DiscordMcpConfigurationCheck validates it on start.
        services.TryAddSingleton(_ => DiscordScopeOptions.FromConfiguration(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IDiscordRestTransport>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IGuildScope, BotGuildScope>();
        services.TryAddSingleton<DiscordReadService>();
        services.TryAddSingleton<DiscordBotPermissionProbe>();
        services.TryAddSingleton<Policy.Ports.IBotPermissionProbe>(sp => sp.GetRequiredService<DiscordBotPermissionProbe>());
        return services;
    }
}
