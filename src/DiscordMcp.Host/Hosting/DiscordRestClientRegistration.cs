using DiscordMcp.Discord.Client.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// TEMPORARY: a minimal registration of the Discord REST client until <c>AddDiscordRestClient</c> lands on main.
/// Same shape: options bound from the <c>Discord</c> section, one send loop over one long-lived HttpClient.
/// </summary>
internal static class DiscordRestClientRegistration
{
    public static IServiceCollection AddDiscordRestClientForHost(this IServiceCollection services, IConfiguration discordSection)
    {
        services.AddOptions<DiscordClientOptions>().Bind(discordSection).Validate(o => o.Validate().Count == 0, "Invalid Discord client options (Discord section).").ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DiscordRestTransport(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<DiscordClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestTransport>>()));
        services.TryAddSingleton<IDiscordRestTransport>(sp => sp.GetRequiredService<DiscordRestTransport>());
        services.TryAddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IDiscordRestTransport>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
