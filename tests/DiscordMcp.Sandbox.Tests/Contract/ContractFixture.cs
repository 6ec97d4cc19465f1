using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DiscordMcp.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Sandbox.Tests.Contract;

/// <summary>
/// ONE sandbox (fake clock at the demo's reference time, rate limits off) and ONE Prism proxy in front of it,
/// shared by every contract test class (Prism takes 12-14 s to start). Every response that carries
/// <c>sl-violations</c> is recorded by <see cref="ViolationRecorder"/>.
/// </summary>
// xunit disposes fixtures through IAsyncLifetime.DisposeAsync, which disposes the client, Prism and the sandbox.
#pragma warning disable CA1001
public sealed class ContractFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    private SandboxHost? _host;
    private PrismProxy? _prism;
    private HttpClient? _http;

    public SandboxHost Host => _host ?? throw new InvalidOperationException("Not started.");
    public PrismProxy Prism => _prism ?? throw new InvalidOperationException("Not started.");
    public FakeTimeProvider Time { get; } = new(State.DemoGuild.ReferenceNow);
    public ViolationRecorder Recorder { get; } = new();

    /// <summary>A bot-authenticated client whose base address is Prism's (root paths, no <c>/api/v10</c>).</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions { TimeProvider = Time };
        options.RateLimits.Enabled = false;
        _host = await SandboxHost.StartAsync(options);
        _prism = await PrismProxy.StartAsync(_host.ApiBaseUrl, TimeSpan.FromSeconds(120));
        Recorder.InnerHandler = new HttpClientHandler();
        _http = new HttpClient(Recorder) { BaseAddress = _prism.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", _host.BotToken);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_prism is not null)
            await _prism.DisposeAsync();
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>
    /// Sends a request through Prism and asserts: the expected status, no <c>sl-violations</c> header, and not a
    /// Prism 422 (bad request) / 500 "Request/Response not valid" (bad response). Returns the parsed body.
    /// </summary>
    public async Task<JsonNode?> CallAsync(string method, string path, JsonNode? body = null, int expect = 200, string? reason = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (reason is not null)
            request.Headers.Add("X-Audit-Log-Reason", Uri.EscapeDataString(reason));
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var violations = response.Headers.TryGetValues("sl-violations", out var v) ? string.Join("\n", v) : null;
        var status = (int)response.StatusCode;
        var context = $"{method} {path} -> {status}\nsl-violations: {violations ?? "(none)"}\nbody: {Truncate(text)}";
        Assert.True(violations is null, "Prism reported contract violations:\n" + context);
        Assert.False(response.Content.Headers.ContentType?.MediaType == "application/problem+json", "Prism rejected the exchange:\n" + context);
        Assert.True(status == expect, $"Expected {expect}.\n" + context);
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>
    /// For a 400/50035 with field errors: Prism flags the documented string codes of field errors (the spec says
    /// integer). Asserts that Prism's 500 lists only violations inside the response's <c>errors</c> object, including the
    /// "code must be integer" one, then sends the same request straight to the sandbox and returns its 400 body.
    /// </summary>
    public async Task<JsonObject> CallWithKnownErrorCodeDisagreementAsync(string method, string path, JsonNode body)
    {
        using (var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") })
        {
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 500, $"Expected Prism's 500 for the known disagreement, got {(int)response.StatusCode}: {Truncate(text)}");
            var violations = JsonNode.Parse(text)!["validation"]!.AsArray();
            Assert.NotEmpty(violations);
            foreach (var violation in violations)
            {
                var location = string.Join('.', violation!["location"]!.AsArray().Select(x => (string)x!));
                Assert.True(location.StartsWith("response.body.errors", StringComparison.Ordinal), "Unexpected violation outside 'errors': " + violation.ToJsonString());
            }
            Assert.Contains(violations, x => ((string)x!["message"]!).EndsWith("code must be integer", StringComparison.Ordinal));
            Recorder.Forget(path);
        }
        using var direct = new HttpClient { BaseAddress = Host.ApiBaseUrl };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", Host.BotToken);
        using var directRequest = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var directResponse = await direct.SendAsync(directRequest);
        Assert.Equal(400, (int)directResponse.StatusCode);
        return (JsonObject)JsonNode.Parse(await directResponse.Content.ReadAsStringAsync())!;
    }

    private static string Truncate(string text) => text.Length > 3000 ? text[..3000] + "..." : text;
}

/// <summary>Records every response that carries Prism's <c>sl-violations</c> header (method, path, status, header, body).</summary>
public sealed class ViolationRecorder : DelegatingHandler
{
    private readonly List<string> _violations = [];

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
                return [.. _violations];
        }
    }

    /// <summary>Drops the recorded violations of <paramref name="path"/> (a known, separately asserted disagreement).</summary>
    public void Forget(string path)
    {
        lock (_violations)
            _violations.RemoveAll(v => v.Contains(" /" + path.Split('?')[0] + " ", StringComparison.Ordinal) || v.Contains(" /" + path + " ", StringComparison.Ordinal));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("sl-violations", out var values))
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            lock (_violations)
                _violations.Add($"{request.Method} {request.RequestUri?.PathAndQuery} -> {(int)response.StatusCode}\n{string.Join("\n", values)}\n{body}");
        }
        return response;
    }
}

[CollectionDefinition(Name)]
public sealed class ContractCollection : ICollectionFixture<ContractFixture>
{
    public const string Name = "Prism contract";
}
