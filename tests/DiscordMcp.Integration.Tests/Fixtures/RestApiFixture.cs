using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;

namespace DiscordMcp.Integration.Tests.Fixtures;

/// <summary>
/// One sandbox (seeded demo guild) per test class, and the "API base" the REST client talks to:
/// the sandbox itself, or Prism validating both directions in front of it.
/// </summary>
public abstract class RestApiFixture : IAsyncLifetime
{
    private SandboxHost? _sandbox;

    public SandboxHost Sandbox => _sandbox ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Where the client's <see cref="DiscordClientOptions.BaseUrl"/> points.</summary>
    public abstract Uri ApiBase { get; }

    /// <summary>Whether responses pass through Prism (a test may skip a sandbox-only detail Prism cannot forward).</summary>
    public abstract bool ThroughPrism { get; }

    public virtual string Diagnostics => "";

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions();
        // The round trips are about shapes, not throughput: limits stay enforced (and their headers sent) but roomy.
        options.RateLimits.DefaultLimit = 1000;
        options.RateLimits.GlobalPerSecond = 10_000;
        _sandbox = await SandboxHost.StartAsync(options);
        await StartFrontAsync(_sandbox);
    }

    protected virtual Task StartFrontAsync(SandboxHost sandbox) => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
    }

    /// <summary>A fresh client whose HTTP traffic passes through a <see cref="SpecViolationRecorder"/>; to <see cref="ApiBase"/> unless told otherwise.</summary>
    public RestSession CreateSession(Uri? apiBase = null)
    {
        var recorder = new SpecViolationRecorder();
        var http = new HttpClient(recorder);
        var transport = new DiscordRestTransport(http, new DiscordClientOptions
        {
            BaseUrl = apiBase ?? ApiBase,
            Token = Sandbox.BotToken,
            GlobalRequestsPerSecond = 10_000,
            RetryBaseDelay = TimeSpan.Zero,
        }, logger: SecretScan.CreateLogger("Integration.Tests", "DiscordRestTransport"));
        return new RestSession(http, recorder, transport, new DiscordRestClient(transport));
    }
}

public sealed record RestSession(HttpClient Http, SpecViolationRecorder Recorder, DiscordRestTransport Transport, DiscordRestClient Client) : IDisposable
{
    public void Dispose() => Http.Dispose();
}

/// <summary>The client talks to the sandbox directly.</summary>
public sealed class DirectApiFixture : RestApiFixture
{
    public override Uri ApiBase => Sandbox.ApiBaseUrl;

    public override bool ThroughPrism => false;
}

/// <summary>The client talks to Prism 5.16 (proxy mode, <c>--errors</c>) which forwards to the sandbox. One Prism start per class.</summary>
public sealed class PrismApiFixture : RestApiFixture
{
    private PrismProxy? _prism;

    public override Uri ApiBase => (_prism ?? throw new InvalidOperationException("Prism has not started.")).BaseUrl;

    public override bool ThroughPrism => true;

    public override string Diagnostics => _prism?.Output ?? "";

    protected override async Task StartFrontAsync(SandboxHost sandbox) =>
        _prism = await PrismProxy.StartAsync(sandbox.ApiBaseUrl, TimeSpan.FromSeconds(90));

    public override async Task DisposeAsync()
    {
        if (_prism is not null)
            await _prism.DisposeAsync();
        await base.DisposeAsync();
    }
}
