using System.Net;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Discord.Client.Tests.DependencyInjection;

public sealed class DiscordClientServiceCollectionExtensionsTests
{
    private const string Token = "MTIz.secret-bot-token";
    private const string WebhookToken = "webhook-token-that-must-not-be-logged";

    [Fact]
    public void Transport_and_client_are_singletons_sharing_one_send_loop()
    {
        using var provider = Build(new ServiceCollection());

        var transport = provider.GetRequiredService<IDiscordRestTransport>();
        Assert.IsType<DiscordRestTransport>(transport);
        Assert.Same(transport, provider.GetRequiredService<IDiscordRestTransport>());
        Assert.Same(transport, provider.GetRequiredService<DiscordRestTransport>());
        Assert.Same(provider.GetRequiredService<DiscordRestClient>(), provider.GetRequiredService<DiscordRestClient>());
    }

    [Fact]
    public void System_clock_is_the_default_and_a_registered_clock_is_kept()
    {
        using (var provider = Build(new ServiceCollection()))
            Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());

        var fake = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(fake);
        using (var provider = Build(services))
            Assert.Same(fake, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Invalid_options_fail_start_validation_naming_the_option_without_the_token()
    {
        var services = new ServiceCollection();
        services.AddDiscordRestClient(o =>
        {
            o.Token = Token;
            o.MaxRetries = 99;
        });
        using var provider = services.BuildServiceProvider();

        // ValidateOnStart registers the check with the startup validator that a host runs when it starts.
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("MaxRetries", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_bind_from_a_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:BaseUrl"] = "http://127.0.0.1:5000/api/v10/",
            ["Discord:Token"] = Token,
            ["Discord:MaxRetries"] = "2",
            ["Discord:MaxRateLimitWait"] = "00:00:30",
        }).Build();
        var services = new ServiceCollection();
        services.AddDiscordRestClient(configuration.GetSection("Discord"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value;
        Assert.Equal(new Uri("http://127.0.0.1:5000/api/v10/"), options.BaseUrl);
        Assert.Equal(Token, options.Token);
        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRateLimitWait);
    }

    [Fact]
    public async Task Http_client_logs_no_urls_and_has_no_retry_layer()
    {
        var logs = new CapturingLoggerProvider();
        var primary = new CountingHandler();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddDiscordRestClient(o =>
        {
            o.BaseUrl = new Uri("http://127.0.0.1:1/api/v10/");
            o.Token = Token;
            o.MaxRetries = 0;
        }).ConfigurePrimaryHttpMessageHandler(() => primary);
        using var provider = services.BuildServiceProvider();
        var transport = provider.GetRequiredService<IDiscordRestTransport>();

        var request = new RestRequest
        {
            Method = HttpMethod.Post,
            Route = "/webhooks/{webhook_id}/{webhook_token}",
            Path = $"webhooks/1/{WebhookToken}",
            MajorParameter = $"1/{WebhookToken}",
            Authenticated = false,
            JsonBody = "{\"content\":\"x\"}"u8.ToArray(),
        };
        var ex = await Assert.ThrowsAsync<DiscordHttpException>(() => transport.SendAsync(request));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal(1, primary.Calls); // a resilience handler would have retried the 500
        Assert.DoesNotContain(logs.Messages, m => m.Contains(WebhookToken, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Categories, c => c.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    private static ServiceProvider Build(ServiceCollection services)
    {
        services.AddDiscordRestClient(o =>
        {
            o.BaseUrl = new Uri("http://127.0.0.1:1/api/v10/");
            o.Token = Token;
        });
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)
            {
                Content = new StringContent("{\"message\":\"500: Internal Server Error\",\"code\":0}", System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<string> _messages = [];
        private readonly List<string> _categories = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                    return [.. _messages];
            }
        }

        public IReadOnlyList<string> Categories
        {
            get
            {
                lock (_messages)
                    return [.. _categories];
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                SecretScan.Record("Discord.Client.Tests log", $"{logLevel} {category}: {formatter(state, exception)} {exception}");
                lock (owner._messages)
                {
                    owner._messages.Add(formatter(state, exception));
                    owner._categories.Add(category);
                }
            }
        }
    }
}
