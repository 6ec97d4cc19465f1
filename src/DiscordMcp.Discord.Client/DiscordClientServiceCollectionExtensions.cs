using DiscordMcp.Discord.Client.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Discord.Client;

/// <summary>Registers the Discord REST client: options (validated at start), the send loop on a named HttpClient, and the typed surface.</summary>
public static class DiscordClientServiceCollectionExtensions
{
    /// <summary>Name of the typed HttpClient the send loop uses.</summary>
    public const string HttpClientName = "DiscordMcp.Discord.Rest";

    /// <summary>Adds the REST client with options set in code.</summary>
    public static IHttpClientBuilder AddDiscordRestClient(this IServiceCollection services, Action<DiscordClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<DiscordClientOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>Adds the REST client with options bound from a configuration section (e.g. <c>Discord</c>).</summary>
    public static IHttpClientBuilder AddDiscordRestClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        // The configuration binding source generator (enabled in the project) makes this bind trim/AOT-safe.
        services.AddOptions<DiscordClientOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<DiscordClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordClientOptions>, DiscordClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // No resilience handler: the send loop owns retries and rate limits, and a second retry layer would
        // resend non-idempotent POSTs and multiply 429s. The default logging handlers are removed because they
        // log request URLs, and webhook and interaction URLs carry tokens.
        var builder = services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan) // the send loop's RequestTimeout applies per attempt
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        // The send loop holds the rate-limit state, so every consumer shares one instance (a singleton over one
        // long-lived HttpClient; the primary handler recycles its pooled connections, so DNS changes are still seen).
        services.TryAddSingleton(sp => new DiscordRestTransport(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DiscordClientOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestTransport>>()));
        services.TryAddSingleton<IDiscordRestTransport>(sp => sp.GetRequiredService<DiscordRestTransport>());
        services.TryAddSingleton(sp => new DiscordRestClient(sp.GetRequiredService<IDiscordRestTransport>(), sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
