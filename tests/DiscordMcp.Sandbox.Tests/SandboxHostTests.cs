using DiscordMcp.Sandbox;

namespace DiscordMcp.Sandbox.Tests;

public sealed class SandboxHostTests
{
    [Fact]
    public async Task Starts_on_a_free_loopback_port_and_stops()
    {
        await using var sandbox = await SandboxHost.StartAsync();
        Assert.Equal("127.0.0.1", sandbox.BaseUrl.Host);
        Assert.NotEqual(0, sandbox.BaseUrl.Port);
        Assert.EndsWith("/api/v10/", sandbox.ApiBaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("ws", sandbox.GatewayUrl.Scheme);
    }

    [Fact]
    public async Task Faults_can_be_armed_at_start()
    {
        var options = new SandboxOptions { InitialFaults = f => f.InjectServerErrors(1, 503) };
        await using var sandbox = await SandboxHost.StartAsync(options);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.ApiBaseUrl, "users/@me"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + sandbox.BotToken);
        using var first = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, first.StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.ApiBaseUrl, "users/@me"));
        again.Headers.TryAddWithoutValidation("Authorization", "Bot " + sandbox.BotToken);
        using var second = await http.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
    }
}

public sealed class IssuedTokenTests
{
    [Fact]
    public async Task Webhook_tokens_are_remembered_and_appended_to_the_issued_tokens_file()
    {
        var directory = Directory.CreateTempSubdirectory("sandbox-issued-");
        try
        {
            var file = Path.Combine(directory.FullName, "tokens.txt");
            await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { IssuedTokensFile = file });
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sandbox.ApiBaseUrl, $"channels/{State.DemoGuild.DeploymentsChannelId}/webhooks"))
            {
                Content = new StringContent("""{"name":"CI"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bot " + sandbox.BotToken);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var token = body.RootElement.GetProperty("token").GetString()!;

            Assert.Equal(68, token.Length);
            Assert.Contains(token, sandbox.State.IssuedTokens);
            Assert.Equal([token], await File.ReadAllLinesAsync(file));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
