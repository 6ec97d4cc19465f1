using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// End to end over HTTP with the sandbox: secrets that reach Discord content (a webhook URL with its token, the bot
/// token) come back redacted in tool output, in error messages, and never land in the audit database or the logs.
/// </summary>
public sealed class SecretRedactionTests
{
    [Fact]
    public async Task Secrets_in_Discord_content_and_in_arguments_never_leave_the_server_or_reach_audit_and_logs()
    {
        var dataDirectory = TestHosts.NewDataDirectory();
        var logs = new LogCapture();
        string webhookToken;
        var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, overrides: new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory }),
            configureServices: services => services.AddSecretScanCapture("Host.Tests SecretRedactionTests").AddLogging(b => b.AddProvider(logs)));
        await using (app)
        {
            await app.StartAsync();
            var sandbox = app.Services.GetRequiredService<SandboxHost>();
            webhookToken = await CreateWebhookAsync(sandbox);
            var hookUrl = new Uri(sandbox.ApiBaseUrl, $"webhooks/1300000000000000099/{webhookToken}").AbsoluteUri;
            sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId,
                $"deploy hook: {hookUrl} / raw {webhookToken} / bot {sandbox.BotToken} / Authorization: {sandbox.BotToken}");

            await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath),
            }));
            var read = await client.CallToolAsync("discord_list_messages", new Dictionary<string, object?> { ["channel"] = "general", ["limit"] = 3 });
            var readJson = JsonSerializer.Serialize(read);
            Assert.NotEqual(true, read.IsError);
            Assert.Contains("deploy hook", readJson, StringComparison.Ordinal);
            Assert.Contains("[redacted]", readJson, StringComparison.Ordinal);
            AssertNoSecret(readJson, webhookToken);

            // A secret passed as an argument: echoed in the error text, stored in the audit row's arguments.
            var wrong = await client.CallToolAsync("discord_list_messages", new Dictionary<string, object?> { ["channel"] = $"x{SandboxOptions.DefaultBotToken}" });
            var wrongJson = JsonSerializer.Serialize(wrong);
            Assert.True(wrong.IsError);
            AssertNoSecret(wrongJson, webhookToken);
            await app.StopAsync();
        }

        AssertNoSecret(logs.Text, webhookToken);
        var stored = string.Join('\n', Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
        Assert.Contains("discord_list_messages", stored, StringComparison.Ordinal); // the audit rows are there
        AssertNoSecret(stored, webhookToken);
    }

    private static void AssertNoSecret(string text, string webhookToken)
    {
        Assert.DoesNotContain(SandboxOptions.DefaultBotToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(webhookToken, text, StringComparison.Ordinal);
    }

    private static async Task<string> CreateWebhookAsync(SandboxHost sandbox)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sandbox.ApiBaseUrl, $"channels/{DemoGuild.DeploymentsChannelId}/webhooks"))
        {
            Content = new StringContent("""{"name":"CI"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", sandbox.BotToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }
}
