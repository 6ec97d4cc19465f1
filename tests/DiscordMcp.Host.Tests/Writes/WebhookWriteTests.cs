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

    [Fact]
    public async Task Execute_posts_once_with_mentions_suppressed_and_never_shows_the_token()
    {
        var (id, token) = await CreateAsync();
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id, ["content"] = "Deploy 1.2.3 done @everyone", ["username"] = "CI" };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_execute_webhook", args);

        Assert.StartsWith("Dry-run: I would post this message as \"CI\" through the webhook \"Deployments\" in #deployments.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Posted a message as \"CI\" in #deployments.", Text(confirmed), StringComparison.Ordinal);
        var messageId = Structured(confirmed).GetProperty("ids").GetProperty("message_id").GetString();
        var posted = Assert.Single(Messages(DemoGuild.DeploymentsChannelId), m => (string?)m["content"] == "Deploy 1.2.3 done @everyone");
        Assert.Equal(messageId, (string?)posted["id"]);
        Assert.Equal(id, (string?)posted["webhook_id"]);
        // The sandbox does not apply allowed_mentions to mention_everyone (it only stores content), so the suppression is
        // checked as the plan states it; the request sends allowed_mentions {"parse":["users"]}.
        Assert.Contains("Mentions of @everyone, @here and roles are suppressed", Text(dry), StringComparison.Ordinal);
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Single(Messages(DemoGuild.DeploymentsChannelId), m => (string?)m["content"] == "Deploy 1.2.3 done @everyone");
        AssertNoSecret(token, id, dry, confirmed);
        await AssertAuditHasNoSecretAsync(token, id, "discord_execute_webhook");
    }

    [Fact]
    public async Task Modify_renames_and_moves_the_webhook_exactly_as_planned()
    {
        var (id, token) = await CreateAsync();
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_webhook",
            new() { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id, ["name"] = "Releases", ["move_to_channel"] = "#general" });

        Assert.StartsWith("Dry-run: I would rename the webhook \"Deployments\" to \"Releases\" and move it from #deployments to #general.", Text(dry), StringComparison.Ordinal);
        var webhook = Assert.Single(Webhooks());
        Assert.Equal("Releases", (string?)webhook["name"]);
        Assert.Equal(DemoGuild.GeneralChannelId, (string?)webhook["channel_id"]);
        Assert.Equal(token, (string?)webhook["token"]);
        AssertNoSecret(token, id, dry, confirmed);
        await AssertAuditHasNoSecretAsync(token, id, "discord_modify_webhook");
    }

    [Fact]
    public async Task Delete_needs_approval_by_default_and_in_confirm_mode_deletes_once()
    {
        var (id, token) = await CreateAsync();
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id };
        var before = _host.Snapshot();
        var pending = await _host.CallAsync("discord_delete_webhook", args);
        var refused = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(pending) });
        Assert.True(refused.IsError != true, Text(refused));
        Assert.Equal("pending_approval", Structured(refused).GetProperty("status").GetString());
        Assert.False(Structured(refused).GetProperty("executed").GetBoolean());
        Assert.Equal(before, _host.Snapshot());

        await _host.SetModeAsync("discord_delete_webhook", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_webhook", args);
        Assert.StartsWith("Dry-run: I would delete the webhook \"Deployments\" in #deployments.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Reversible: no.", Text(dry), StringComparison.Ordinal);
        Assert.Empty(Webhooks());
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        AssertNoSecret(token, id, dry, confirmed, pending);
    }

    [Theory]
    [InlineData("discord_execute_webhook", "webhook_id", "not-an-id", "webhook_id")]
    [InlineData("discord_execute_webhook", "webhook_id", "1234567890123456789", "webhook_id: no webhook")]
    [InlineData("discord_execute_webhook", "content", "LONG", "content must be 1–2000 characters")]
    [InlineData("discord_execute_webhook", "username", "Discord Bot", "username must not contain \"discord\"")]
    [InlineData("discord_modify_webhook", "name", "clyde bot", "name must not contain \"clyde\"")]
    [InlineData("discord_modify_webhook", "move_to_channel", "Community", "webhooks post in")]
    [InlineData("discord_modify_webhook", "move_to_channel", "#deployments", "already in #deployments")]
    [InlineData("discord_modify_webhook", "reason", "LONGREASON", "reason must be at most 512 characters")]
    [InlineData("discord_delete_webhook", "webhook_id", "1234567890123456789", "webhook_id: no webhook")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string tool, string field, string value, string expected)
    {
        var (id, _) = await CreateAsync();
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id };
        if (tool == "discord_execute_webhook")
            args["content"] = "hello";
        if (tool == "discord_modify_webhook")
            args["name"] = "Renamed";
        args[field] = value switch { "LONG" => new string('x', 2001), "LONGREASON" => new string('r', 513), _ => value };
        var before = _host.Snapshot();
        var result = await _host.CallAsync(tool, args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Modify_without_a_change_is_refused()
    {
        var (id, _) = await CreateAsync();
        var result = await _host.CallAsync("discord_modify_webhook", new() { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id });
        Assert.True(result.IsError);
        Assert.Contains("give at least one change", Text(result), StringComparison.Ordinal);
    }

    // ---------- helpers

    private async Task<(string Id, string Token)> CreateAsync()
    {
        var (_, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_webhook",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments", ["name"] = "Deployments" });
        var id = Structured(confirmed).GetProperty("ids").GetProperty("webhook_id").GetString()!;
        return (id, (string)Webhooks().Single(w => (string?)w["id"] == id)["token"]!);
    }

    private List<JsonObject> Messages(string channelId) =>
        [.. JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray().Single(c => (string?)c!["channel"]!["id"] == channelId)!["messages"]!.AsArray()
            .Select(m => m!["message"]!.AsObject())];

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
