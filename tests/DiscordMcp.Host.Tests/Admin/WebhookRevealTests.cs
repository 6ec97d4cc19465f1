using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Host.Commands.Admin;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests.Admin;

/// <summary>
/// <c>discord-mcp webhooks reveal</c> in-process against an in-process sandbox (bot token and base URL as an operator sets
/// them), on SQLite: it prints the URL only after an audit event without the token was written, and treats a webhook of a
/// guild outside the workspace as not found.
/// </summary>
public sealed class WebhookRevealTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<AdminFixture> AdminAsync()
    {
        var admin = new AdminFixture("sqlite");
        admin.ExtraEnvironment["DISCORD_BOT_TOKEN"] = _sandbox.BotToken;
        admin.ExtraEnvironment["Discord__BaseUrl"] = _sandbox.ApiBaseUrl.ToString();
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", DemoGuild.GuildId, "--workspace", "default")).Exit);
        return admin;
    }

    /// <summary>Creates a webhook in #deployments with the bot, as Discord would; returns its id and real token.</summary>
    private async Task<(string Id, string Token)> CreateWebhookAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_sandbox.ApiBaseUrl, $"channels/{DemoGuild.DeploymentsChannelId}/webhooks"))
        {
            Content = JsonContent.Create(new { name = "Deployments" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _sandbox.BotToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)json["id"]!, (string)json["token"]!);
    }

    private static async Task<IReadOnlyList<AuditEvent>> RevealEventsAsync(AdminFixture admin)
    {
        await using var storage = await admin.OpenStorageAsync();
        return await storage.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: WebhooksCommand.AuditTool), CancellationToken.None);
    }

    [Fact]
    public async Task Reveal_audits_first_without_the_token_then_prints_the_url_to_stdout_only()
    {
        await using var admin = await AdminAsync();
        var (id, token) = await CreateWebhookAsync();

        var result = await admin.RunAsync("webhooks", "reveal", id, "--guild", DemoGuild.GuildId, "--workspace", "default");

        Assert.Equal(0, result.Exit);
        Assert.Equal(new Uri(_sandbox.ApiBaseUrl, $"webhooks/{id}/{token}").ToString(), result.Out.Trim());
        Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
        var e = Assert.Single(await RevealEventsAsync(admin));
        Assert.Equal("cli:" + Environment.UserName, e.PrincipalId);
        Assert.Equal("default", e.WorkspaceId);
        Assert.Equal(ulong.Parse(DemoGuild.GuildId, System.Globalization.CultureInfo.InvariantCulture), e.GuildId);
        Assert.Contains(id, e.Arguments, StringComparison.Ordinal);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(e), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_of_a_guild_not_installed_in_the_workspace_is_not_found_and_nothing_is_printed_or_audited()
    {
        await using var admin = await AdminAsync();
        Assert.Equal(0, (await admin.RunAsync("workspaces", "create", "Other")).Exit);
        var (id, token) = await CreateWebhookAsync();

        var otherWorkspace = await admin.RunAsync("webhooks", "reveal", id, "--workspace", "other");
        var otherGuild = await admin.RunAsync("webhooks", "reveal", id, "--guild", "1234567890123456789");
        var unknown = await admin.RunAsync("webhooks", "reveal", "1234567890123456789");

        foreach (var result in new[] { otherWorkspace, otherGuild, unknown })
        {
            Assert.Equal(1, result.Exit);
            Assert.Contains("was not found", result.Error, StringComparison.Ordinal);
            Assert.Equal("", result.Out);
            Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
        }
        Assert.Empty(await RevealEventsAsync(admin));
    }

    [Fact]
    public async Task When_the_audit_log_cannot_be_written_the_url_is_not_printed()
    {
        await using var admin = await AdminAsync();
        var (id, token) = await CreateWebhookAsync();
        await using (var connection = new SqliteConnection($"Data Source={admin.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit down'); END";
            await command.ExecuteNonQueryAsync();
        }

        var result = await admin.RunAsync("webhooks", "reveal", id);

        Assert.Equal(1, result.Exit);
        Assert.Contains("the audit log could not be written", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.DoesNotContain(token, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_id_is_a_usage_error()
    {
        await using var admin = await AdminAsync();
        var result = await admin.RunAsync("webhooks", "reveal", "not-an-id");
        Assert.Equal(2, result.Exit);
        Assert.Contains("ID 'not-an-id' is not a webhook id", result.Error, StringComparison.Ordinal);
    }
}
