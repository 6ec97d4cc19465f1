using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Protocol;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// The webhook tools against the sandbox. A webhook's token (and so its URL) is a bearer credential: every test that
/// sees a webhook asserts the sandbox's real token appears in no result (text or structured) and no audit event.
/// </summary>
public sealed class WebhookWriteTests : IAsyncLifetime
{
    private const string Notice = "The webhook URL was not printed here for safety. An admin can reveal it with: discord-mcp webhooks reveal ";
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Deployments_webhook_is_created_once_and_its_token_and_url_appear_in_no_result_and_no_audit_event()
    {
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_webhook",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments", ["name"] = "Deployments" });

        Assert.StartsWith("Dry-run: I would create the webhook \"Deployments\" in #deployments.", Text(dry), StringComparison.Ordinal);
        var id = Structured(confirmed).GetProperty("ids").GetProperty("webhook_id").GetString()!;
        Assert.StartsWith("Created the webhook \"Deployments\" in #deployments. " + Notice + id, Text(confirmed), StringComparison.Ordinal);
        var webhook = Assert.Single(Webhooks());
        Assert.Equal(id, (string?)webhook["id"]);
        Assert.Equal("Deployments", (string?)webhook["name"]);
        Assert.Equal(DemoGuild.DeploymentsChannelId, (string?)webhook["channel_id"]);
        var token = (string)webhook["token"]!;
        Assert.True(token.Length >= 60);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Webhooks());

        var list = await _host.CallAsync("discord_list_webhooks", new() { ["guild_id"] = DemoGuild.GuildId });
        var inChannel = await _host.CallAsync("discord_list_webhooks", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments" });
        var get = await _host.CallAsync("discord_get_webhook", new() { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id });
        foreach (var read in new[] { list, inChannel, get })
        {
            Assert.True(read.IsError != true, Text(read));
            Assert.Contains("\"Deployments\" id " + id, Text(read), StringComparison.Ordinal);
            Assert.Contains("The webhook URL", Text(read).Replace("Webhook URLs", "The webhook URL", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        Assert.Equal("deployments", Structured(get).GetProperty("channel_name").GetString());
        Assert.Equal(id, Structured(list).GetProperty("webhooks")[0].GetProperty("id").GetString());

        AssertNoSecret(token, id, dry, confirmed, list, inChannel, get);
        await AssertAuditHasNoSecretAsync(token, id, "discord_create_webhook");
        await AssertAuditHasNoSecretAsync(token, id, "discord_list_webhooks");
        await AssertAuditHasNoSecretAsync(token, id, "discord_get_webhook");
    }

    [Fact]
    public async Task Get_webhook_of_an_unknown_id_is_not_found()
    {
        var result = await _host.CallAsync("discord_get_webhook", new() { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = "1234567890123456789" });
        Assert.True(result.IsError);
        Assert.Contains("webhook", Text(result), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("name", "   ", "argument 'name'")] // blank is refused as missing before the plan
    [InlineData("name", "a-name-that-is-far-too-long-for-a-discord-webhook-because-webhook-names-stop-at-80", "name must be 1–80 characters")]
    [InlineData("name", "My Discord Bot", "name must not contain \"discord\"")]
    [InlineData("name", "clyde", "name must not contain \"clyde\"")]
    [InlineData("channel", "no-such-channel", "channel")]
    [InlineData("channel", "Community", "webhooks post in")]
    [InlineData("reason", "", "")]
    public async Task Create_bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments", ["name"] = "Deployments" };
        args[field] = field == "reason" ? new string('r', 513) : value;
        if (field == "reason")
            expected = "reason must be at most 512 characters";
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_webhook", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    // ---------- helpers

    private List<JsonObject> Webhooks() =>
        [.. JsonNode.Parse(_host.Snapshot())!["webhooks"]!.AsArray().Select(w => w!.AsObject())];

    private static void AssertNoSecret(string token, string id, params CallToolResult[] results)
    {
        foreach (var result in results)
        {
            var all = Text(result) + "\n" + (result.StructuredContent is { } s ? s.GetRawText() : "");
            Assert.DoesNotContain(token, all, StringComparison.Ordinal);
            Assert.DoesNotContain($"webhooks/{id}/", all, StringComparison.Ordinal);
            Assert.DoesNotContain("\"token\"", all, StringComparison.Ordinal);
            Assert.DoesNotContain("\"url\"", all, StringComparison.Ordinal);
        }
    }

    private async Task AssertAuditHasNoSecretAsync(string token, string id, string tool)
    {
        var events = await _host.AuditAsync(tool);
        Assert.NotEmpty(events);
        var json = JsonSerializer.Serialize(events);
        Assert.DoesNotContain(token, json, StringComparison.Ordinal);
        Assert.DoesNotContain($"webhooks/{id}/", json, StringComparison.Ordinal);
    }
}
