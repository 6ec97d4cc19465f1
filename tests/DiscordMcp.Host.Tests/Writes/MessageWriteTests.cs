using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class SendMessageTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_reply_with_an_embed_is_planned_then_sent_once_with_mass_mentions_suppressed()
    {
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "#support",
            ["content"] = $"@everyone the fix is live, <@&{DemoGuild.SupportRoleId}> and <@{DemoGuild.LuisUserId}> please check",
            ["reply_to"] = DemoGuild.UnresolvedMessageId,
            ["embeds"] = new[] { new Dictionary<string, object?> { ["title"] = "Release 1.2", ["color"] = "#5865F2", ["fields"] = new[] { new Dictionary<string, object?> { ["name"] = "Status", ["value"] = "done" } } } },
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_send_message", args);

        Assert.StartsWith("Dry-run: I would reply in #support to @", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Note: Mentions of @everyone, @here and roles in the content are suppressed", Text(dry), StringComparison.Ordinal);
        var permissions = Structured(dry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(["EMBED_LINKS", "READ_MESSAGE_HISTORY", "SEND_MESSAGES"], permissions.Order(StringComparer.Ordinal));
        var id = Structured(confirmed).GetProperty("ids").GetProperty("message_id").GetString()!;
        var message = Message(DemoGuild.SupportChannelId, id);
        Assert.Equal(DemoGuild.BotUserId, (string?)message["author"]!["id"]);
        Assert.Equal(DemoGuild.UnresolvedMessageId, (string?)message["message_reference"]!["message_id"]);
        Assert.False((bool)message["mention_everyone"]!);
        Assert.Empty(message["mention_roles"]!.AsArray());
        Assert.Equal(DemoGuild.LuisUserId, (string?)Assert.Single(message["mentions"]!.AsArray())!["id"]);
        var embed = Assert.Single(message["embeds"]!.AsArray())!;
        Assert.Equal("Release 1.2", (string?)embed["title"]);
        Assert.Equal(0x5865F2, (int)embed["color"]!);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Messages(DemoGuild.SupportChannelId), m => (string?)m["author"]!["id"] == DemoGuild.BotUserId);
    }

    [Fact]
    public async Task Allow_mentions_true_with_everyone_needs_Mention_Everyone_which_the_demo_bot_lacks_so_the_dry_run_is_denied()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_send_message",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["content"] = "@everyone meeting now", ["allow_mentions"] = true });
        Assert.True(result.IsError);
        Assert.Contains("bot_missing_permission", Text(result), StringComparison.Ordinal);
        Assert.Contains("Mention Everyone", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Allow_mentions_true_lets_role_mentions_ping()
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["content"] = $"<@&{DemoGuild.SupportRoleId}> please look", ["allow_mentions"] = true };
        var (_, confirmed) = await _host.DryRunThenConfirmAsync("discord_send_message", args);
        var id = Structured(confirmed).GetProperty("ids").GetProperty("message_id").GetString()!;
        Assert.Equal(DemoGuild.SupportRoleId, (string?)Assert.Single(Message(DemoGuild.GeneralChannelId, id)["mention_roles"]!.AsArray()));
    }

    [Fact]
    public async Task A_deleted_reply_target_is_reported_as_drift_and_nothing_is_sent()
    {
        var target = (string)_host.Sandbox.State.PostMessageAsUser(DemoGuild.GeneralChannelId, DemoGuild.AlexUserId, "question?")["id"]!;
        var dry = await _host.CallAsync("discord_send_message", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["content"] = "answer", ["reply_to"] = target });
        Assert.True(dry.IsError != true, Text(dry));
        await _host.DeleteMessageAsync(DemoGuild.GeneralChannelId, target);
        var before = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains($"reply_to: message {target} does not exist", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("content", "", "content: give the message text")]
    [InlineData("content", "x2001", "content must be at most 2000 characters")]
    [InlineData("reply_to", "not-an-id", "reply_to must be a message id")]
    [InlineData("reply_to", "1213109486223491099", "reply_to: message 1213109486223491099 does not exist")]
    [InlineData("channel", "Staff", "is a category channel")]
    [InlineData("embeds", "color", "embeds[0].color must be #RRGGBB")]
    [InlineData("embeds", "title", "embeds[0].title must be at most 256 characters")]
    [InlineData("embeds", "url", "embeds[0].url must be an absolute http(s) URL")]
    [InlineData("embeds", "fields", "embeds[0].fields: at most 25 fields")]
    [InlineData("embeds", "field-value", "embeds[0].fields[0].value must be 1–1024 characters")]
    [InlineData("embeds", "many", "embeds: at most 10 embeds")]
    [InlineData("embeds", "total", "embeds: all titles, descriptions and fields together must be at most 6000 characters")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["content"] = "hello" };
        switch (field)
        {
            case "embeds":
                args["embeds"] = value switch
                {
                    "color" => new object[] { new Dictionary<string, object?> { ["title"] = "t", ["color"] = "blue" } },
                    "title" => [new Dictionary<string, object?> { ["title"] = new string('t', 257) }],
                    "url" => [new Dictionary<string, object?> { ["title"] = "t", ["url"] = "javascript:alert(1)" }],
                    "fields" => [new Dictionary<string, object?> { ["fields"] = Enumerable.Range(0, 26).Select(i => new Dictionary<string, object?> { ["name"] = "n", ["value"] = "v" }).ToArray() }],
                    "field-value" => [new Dictionary<string, object?> { ["fields"] = new[] { new Dictionary<string, object?> { ["name"] = "n", ["value"] = new string('v', 1025) } } }],
                    "many" => Enumerable.Range(0, 11).Select(i => (object)new Dictionary<string, object?> { ["title"] = "t" }).ToArray(),
                    _ => Enumerable.Range(0, 2).Select(i => (object)new Dictionary<string, object?> { ["description"] = new string('d', 3500) }).ToArray(),
                };
                break;
            case "content" when value == "x2001":
                args["content"] = new string('x', 2001);
                break;
            default:
                args[field] = value;
                break;
        }
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_send_message", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    private JsonObject Message(string channelId, string messageId) => _host.Message(channelId, messageId)!;

    private List<JsonObject> Messages(string channelId) => _host.Messages(channelId);
}

public sealed class MessageActionTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> PostAsBotAsync(string content) =>
        (await _host.App.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), content)).Id.ToString();

    private static Dictionary<string, object?> Args(string messageId, params (string Key, object? Value)[] more)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general", ["message_id"] = messageId };
        foreach (var (k, v) in more)
            args[k] = v;
        return args;
    }

    [Fact]
    public async Task Editing_the_bots_own_message_changes_exactly_its_content_once()
    {
        var id = await PostAsBotAsync("old text");
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_edit_message", Args(id, ("content", "new text")));
        Assert.Contains("Content: \"old text\" → \"new text\"", Text(dry), StringComparison.Ordinal);
        Assert.Equal("new text", (string?)_host.Message(DemoGuild.GeneralChannelId, id)!["content"]);
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_then_removing_the_bots_reaction_changes_only_the_bots_reaction()
    {
        var id = DemoGuild.PersonalAttackMessageId;
        var (addDry, _) = await _host.DryRunThenConfirmAsync("discord_add_reaction", Args(id, ("emoji", "👀")));
        Assert.StartsWith("Dry-run: I would react with 👀 to @", Text(addDry), StringComparison.Ordinal);
        Assert.Contains(_host.Reactions(DemoGuild.GeneralChannelId, id), r => r.Key == "👀" && r.Users.SequenceEqual([DemoGuild.BotUserId]));

        var again = await _host.CallAsync("discord_add_reaction", Args(id, ("emoji", "👀")));
        Assert.True(again.IsError);
        Assert.Contains("emoji: the bot already reacted with 👀", Text(again), StringComparison.Ordinal);

        await _host.DryRunThenConfirmAsync("discord_remove_reaction", Args(id, ("emoji", "👀")));
        Assert.DoesNotContain(_host.Reactions(DemoGuild.GeneralChannelId, id), r => r.Key == "👀");
    }

    [Fact]
    public async Task Pinning_then_unpinning_a_message_changes_the_pins_once_each()
    {
        var id = DemoGuild.PersonalAttackMessageId;
        var (pinDry, _) = await _host.DryRunThenConfirmAsync("discord_pin_message", Args(id));
        Assert.Contains("PIN_MESSAGES", Structured(pinDry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.True((bool)_host.Message(DemoGuild.GeneralChannelId, id)!["pinned"]!);
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(pinDry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);

        await _host.DryRunThenConfirmAsync("discord_unpin_message", Args(id));
        Assert.False((bool)_host.Message(DemoGuild.GeneralChannelId, id)!["pinned"]!);
    }

    [Theory]
    [InlineData("discord_edit_message", "content", "other", "was not sent by the bot; Discord lets the bot edit only its own messages")]
    [InlineData("discord_edit_message", "content", "none", "content: give the new text or embeds")]
    [InlineData("discord_add_reaction", "emoji", "thumbsup", "emoji must be a unicode emoji")]
    [InlineData("discord_add_reaction", "emoji", "party:abc", "emoji: a custom emoji is name:id")]
    [InlineData("discord_remove_reaction", "emoji", "🎉", "the bot has no 🎉 reaction")]
    [InlineData("discord_unpin_message", "message_id", "seed", "is not pinned")]
    [InlineData("discord_pin_message", "message_id", "1213109486223491099", "message_id: message 1213109486223491099 does not exist")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string tool, string field, string value, string expected)
    {
        var args = Args(DemoGuild.PersonalAttackMessageId);
        switch (value)
        {
            case "other": args["content"] = "x"; break;
            case "none": args["message_id"] = await PostAsBotAsync("mine"); break;
            case "seed": break;
            default: args[field] = value; break;
        }
        var before = _host.Snapshot();
        var result = await _host.CallAsync(tool, args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }
}
