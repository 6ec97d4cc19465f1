using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Sandbox.Tests.Rest;

/// <summary>A sandbox on a fake clock at the demo's reference time, plus a bot-authenticated HttpClient.</summary>
internal sealed class TestSandbox : IAsyncDisposable
{
    private TestSandbox(SandboxHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
        Http = new HttpClient { BaseAddress = host.BaseUrl };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", host.BotToken);
    }

    public SandboxHost Host { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Http { get; }

    public static async Task<TestSandbox> StartAsync()
    {
        var time = new FakeTimeProvider(State.DemoGuild.ReferenceNow);
        var host = await SandboxHost.StartAsync(new SandboxOptions { TimeProvider = time });
        return new TestSandbox(host, time);
    }

    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(string method, string path, object? body = null, string? reason = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
            request.Content = new StringContent(body is string s ? s : ((JsonNode)body).ToJsonString(), Encoding.UTF8, "application/json");
        if (reason is not null)
            request.Headers.Add("X-Audit-Log-Reason", Uri.EscapeDataString(reason));
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
