using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>discord_create_thread, discord_modify_thread and discord_list_active_threads against the sandbox.</summary>
public sealed class ThreadWriteTests : IAsyncLifetime
{
    private static readonly string[] PlannedTag = ["planned"];

    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    // ---------- discord_create_thread ----------

    [Fact]
    public async Task Thread_from_a_message_is_planned_then_started_once_on_that_message()
    {
        var messageId = DemoGuild.PersonalAttackMessageId;
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "#general",
            ["message_id"] = messageId,
            ["name"] = "Release 1.4",
            ["auto_archive_minutes"] = 1440,
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_thread", args);

        Assert.StartsWith("Dry-run: I would start the thread \"Release 1.4\" in #general from @", Text(dry), StringComparison.Ordinal);
        Assert.Contains($"'s message {messageId}.", Text(dry), StringComparison.Ordinal);
        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(["CREATE_PUBLIC_THREADS"], Names(plan.GetProperty("bot_permissions")));
        Assert.Contains("Auto-archive: after 1 day of inactivity", Names(plan.GetProperty("changes")));
        Assert.StartsWith($"Started the thread \"Release 1.4\" in #general from message {messageId}.", Text(confirmed), StringComparison.Ordinal);
        var threadId = Structured(confirmed).GetProperty("ids").GetProperty("thread_id").GetString()!;
        Assert.Equal(messageId, threadId); // Discord: a thread started from a message has the message's id

        var thread = Channel(threadId);
        Assert.Equal("Release 1.4", (string?)thread["name"]);
        Assert.Equal(11, (int)thread["type"]!);
        Assert.Equal(DemoGuild.GeneralChannelId, (string?)thread["parent_id"]);
        Assert.Equal(1440, (int)thread["thread_metadata"]!["auto_archive_duration"]!);
        Assert.Equal(threadId, (string?)_host.Message(DemoGuild.GeneralChannelId, messageId)!["thread"]!["id"]);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Threads(), t => (string?)t["name"] == "Release 1.4");
    }

    [Fact]
    public async Task Private_thread_in_a_text_channel_needs_Create_Private_Threads_and_is_created_private()
    {
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "support",
            ["name"] = "Escalation: login loop",
            ["private"] = true,
            ["slowmode_seconds"] = 30,
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_thread", args);

        Assert.StartsWith("Dry-run: I would start the private thread \"Escalation: login loop\" in #support.", Text(dry), StringComparison.Ordinal);
        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(["CREATE_PRIVATE_THREADS"], Names(plan.GetProperty("bot_permissions")));
        Assert.Contains("Type: private thread", Names(plan.GetProperty("changes")));
        Assert.Contains("Slowmode: 30 s", Names(plan.GetProperty("changes")));
        Assert.StartsWith("Started the private thread \"Escalation: login loop\" in #support.", Text(confirmed), StringComparison.Ordinal);
        var thread = Channel(Structured(confirmed).GetProperty("ids").GetProperty("thread_id").GetString()!);
        Assert.Equal(12, (int)thread["type"]!);
        Assert.Equal(DemoGuild.SupportChannelId, (string?)thread["parent_id"]);
        Assert.Equal(30, (int)thread["rate_limit_per_user"]!);
        Assert.Equal(DemoGuild.BotUserId, (string?)thread["owner_id"]);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Threads(), t => (string?)t["name"] == "Escalation: login loop");
    }

    [Fact]
    public async Task Forum_post_with_two_tags_resolves_the_tags_by_name_and_posts_the_first_message()
    {
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["channel"] = "#ideas",
            ["name"] = "Offline mode",
            ["content"] = "Let the app work without a connection and sync later.",
            ["tags"] = new[] { "Idea", "bug" },
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_thread", args);

        Assert.StartsWith("Dry-run: I would create the post \"Offline mode\" in the forum #ideas with the tags idea and bug.", Text(dry), StringComparison.Ordinal);
        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(["SEND_MESSAGES"], Names(plan.GetProperty("bot_permissions")));
        Assert.Contains("Tags: idea, bug", Names(plan.GetProperty("changes")));
        Assert.StartsWith("Created the post \"Offline mode\" in the forum #ideas with the tags idea and bug.", Text(confirmed), StringComparison.Ordinal);
        var threadId = Structured(confirmed).GetProperty("ids").GetProperty("thread_id").GetString()!;
        var thread = Channel(threadId);
        Assert.Equal(11, (int)thread["type"]!);
        Assert.Equal(DemoGuild.IdeasForumId, (string?)thread["parent_id"]);
        Assert.Equal([DemoGuild.IdeaTagId, DemoGuild.BugTagId], thread["applied_tags"]!.AsArray().Select(t => (string)t!).ToArray());
        var starter = Assert.Single(_host.Messages(threadId));
        Assert.Equal(threadId, (string?)starter["id"]);
        Assert.Equal("Let the app work without a connection and sync later.", (string?)starter["content"]);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Threads(), t => (string?)t["name"] == "Offline mode");
    }

    [Fact]
    public async Task A_forum_post_mentioning_everyone_says_the_mention_is_suppressed()
    {
        var before = _host.Snapshot();
        var dry = await _host.CallAsync("discord_create_thread", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "ideas", ["name"] = "Vote", ["content"] = "@everyone please vote", ["tags"] = PlannedTag,
        });

        Assert.True(dry.IsError != true, Text(dry));
        Assert.Contains("ping nobody", Names(Structured(dry).GetProperty("plan").GetProperty("notes")).Single(), StringComparison.Ordinal);
        Assert.Contains("with the tag planned.", Text(dry), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task A_standalone_thread_in_an_announcement_channel_is_an_announcement_thread()
    {
        var news = _host.Sandbox.State.AddChannel(DemoGuild.GuildId, "news", type: 5);

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_thread",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = news, ["name"] = "Launch questions" });

        Assert.StartsWith("Dry-run: I would start the announcement thread \"Launch questions\" in #news.", Text(dry), StringComparison.Ordinal);
        var thread = Channel(Structured(confirmed).GetProperty("ids").GetProperty("thread_id").GetString()!);
        Assert.Equal(10, (int)thread["type"]!);
        Assert.Equal(news, (string?)thread["parent_id"]);
    }

    [Fact]
    public async Task A_message_that_got_a_thread_after_the_dry_run_is_reported_as_drift_not_executed()
    {
        var messageId = DemoGuild.UnresolvedMessageId;
        var dry = await _host.CallAsync("discord_create_thread", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel"] = "support", ["message_id"] = messageId, ["name"] = "Investigation",
        });
        Assert.True(dry.IsError != true, Text(dry));
        await Rest.StartThreadFromMessageAsync(Snowflake.Parse(DemoGuild.SupportChannelId), Snowflake.Parse(messageId), new StartThreadFromMessageRequest { Name = "Someone else's" });
        var snapshot = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("already has the thread \"Someone else's\"", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(snapshot, _host.Snapshot());
    }

    [Theory]
    [InlineData("""{"channel":"general","name":""}""", "name", "Missing required argument 'name'")] // the SDK refuses it before the tool runs
    [InlineData("""{"channel":"general","name":"TOO_LONG"}""", "name", "name must be 1–100 characters, got 101")]
    [InlineData("""{"channel":"general","name":"t","auto_archive_minutes":30}""", "auto_archive_minutes", "auto_archive_minutes must be one of 60, 1440, 4320, 10080 minutes")]
    [InlineData("""{"channel":"general","name":"t","slowmode_seconds":21601}""", "slowmode_seconds", "slowmode_seconds must be between 0 and 21600")]
    [InlineData("""{"channel":"Events","name":"t"}""", "channel", "channel: Events is a voice channel; threads start in text, announcement or forum channels")]
    [InlineData("""{"channel":"general","name":"t","content":"hello"}""", "content", "content is only for forum posts")]
    [InlineData("""{"channel":"general","name":"t","tags":["idea"]}""", "tags", "tags are only for forum posts")]
    [InlineData("""{"channel":"general","name":"t","message_id":"1","private":true}""", "private", "private: a thread started from a message is public")]
    [InlineData("""{"channel":"general","name":"t","message_id":"not-an-id"}""", "message_id", "message_id must be a message id")]
    [InlineData("""{"channel":"general","name":"t","message_id":"1213109486223491999"}""", "message_id", "message_id: message 1213109486223491999 does not exist in #general")]
    [InlineData("""{"channel":"ideas","name":"t"}""", "content", "content: a forum post needs its first message (1–2000 characters)")]
    [InlineData("""{"channel":"ideas","name":"t","content":"TOO_LONG_CONTENT"}""", "content", "content must be at most 2000 characters, got 2001")]
    [InlineData("""{"channel":"ideas","name":"t","content":"x","private":true}""", "private", "private: forum posts are always public")]
    [InlineData("""{"channel":"ideas","name":"t","content":"x","tags":["idea","feature"]}""", "tags[1]", "tags[1]: the forum #ideas has no tag \"feature\"; available: idea, bug, planned.")]
    [InlineData("""{"channel":"ideas","name":"t","content":"x","tags":["idea","IDEA"]}""", "tags[1]", "tags[1]: the tag idea is listed twice")]
    [InlineData("""{"channel":"ideas","name":"t","content":"x","tags":["a","b","c","d","e","f"]}""", "tags", "tags: at most 5 tags per post, got 6")]
    [InlineData("""{"channel":"general","name":"t","reason":"TOO_LONG_REASON"}""", "reason", "reason must be at most 512 characters")]
    public async Task Create_thread_bad_input_names_the_field_and_changes_nothing(string json, string field, string expected)
    {
        var args = Arguments(json);
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_create_thread", args);

        Assert.True(result.IsError, Text(result));
        Assert.Contains(field, Text(result), StringComparison.Ordinal);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Private_thread_in_an_announcement_channel_is_refused_naming_private()
    {
        var news = _host.Sandbox.State.AddChannel(DemoGuild.GuildId, "news", type: 5);
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_create_thread", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = news, ["name"] = "t", ["private"] = true });

        Assert.True(result.IsError);
        Assert.Contains("private: private threads exist only in text channels; #news is an announcement channel", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    // ---------- discord_modify_thread ----------

    [Fact]
    public async Task Archive_and_lock_a_members_post_needs_Manage_Threads_and_changes_exactly_those_fields_once()
    {
        var postId = DemoGuild.IdeasPostId;
        var before = Channel(postId);
        var args = new Dictionary<string, object?>
        {
            ["guild_id"] = DemoGuild.GuildId,
            ["thread"] = $"<#{postId}>",
            ["archived"] = true,
            ["locked"] = true,
            ["reason"] = "Shipped",
        };

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_thread", args);

        Assert.StartsWith("Dry-run: I would archive and lock the thread \"Dark mode for the mobile app\" in #ideas.", Text(dry), StringComparison.Ordinal);
        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(["Archived: no → yes", "Locked: no → yes"], Names(plan.GetProperty("changes")));
        Assert.Equal(["MANAGE_THREADS"], Names(plan.GetProperty("bot_permissions")));
        Assert.StartsWith("Archived and locked the thread \"Dark mode for the mobile app\" in #ideas.", Text(confirmed), StringComparison.Ordinal);
        var after = Channel(postId);
        Assert.True((bool)after["thread_metadata"]!["archived"]!);
        Assert.True((bool)after["thread_metadata"]!["locked"]!);
        Assert.Equal((string?)before["name"], (string?)after["name"]);
        Assert.Equal(before["applied_tags"]!.ToJsonString(), after["applied_tags"]!.ToJsonString());
        Assert.Equal(before["thread_metadata"]!["auto_archive_duration"]!.ToJsonString(), after["thread_metadata"]!["auto_archive_duration"]!.ToJsonString());

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(_host.Snapshot().Split("\"action_type\":111").Skip(1)); // one THREAD_UPDATE audit entry
    }

    [Fact]
    public async Task Renaming_a_thread_the_bot_started_needs_only_Send_Messages_in_Threads_and_lists_from_to()
    {
        var thread = await Rest.StartThreadAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), new StartThreadRequest { Name = "standup", Type = ChannelType.PublicThread });
        var id = thread.Id.ToString();

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_thread", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["thread"] = id, ["name"] = "Standup notes", ["auto_archive_minutes"] = 60,
        });

        var plan = Structured(dry).GetProperty("plan");
        Assert.Equal(["Name: \"standup\" → \"Standup notes\"", "Auto-archive: after 3 days → after 1 hour"], Names(plan.GetProperty("changes")));
        Assert.Equal(["SEND_MESSAGES_IN_THREADS"], Names(plan.GetProperty("bot_permissions")));
        Assert.StartsWith("Dry-run: I would change the thread \"standup\" in #general: rename it to \"Standup notes\" and set it to archive after 1 hour of inactivity.",
            Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Changed the thread \"standup\" in #general: renamed it to \"Standup notes\"", Text(confirmed), StringComparison.Ordinal);
        var after = Channel(id);
        Assert.Equal("Standup notes", (string?)after["name"]);
        Assert.Equal(60, (int)after["thread_metadata"]!["auto_archive_duration"]!);
        Assert.False((bool)after["thread_metadata"]!["archived"]!);
    }

    [Fact]
    public async Task Unarchiving_a_locked_thread_needs_Manage_Threads_and_may_rename_in_the_same_call()
    {
        var thread = await Rest.StartThreadAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), new StartThreadRequest { Name = "old", Type = ChannelType.PublicThread });
        await Rest.ModifyChannelAsync(thread.Id, new ModifyChannelRequest { Archived = true, Locked = true });
        var id = thread.Id.ToString();

        var (dry, _) = await _host.DryRunThenConfirmAsync("discord_modify_thread", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["thread"] = id, ["archived"] = false, ["name"] = "reopened",
        });

        Assert.Equal(["MANAGE_THREADS"], Names(Structured(dry).GetProperty("plan").GetProperty("bot_permissions")));
        Assert.StartsWith("Dry-run: I would unarchive the thread \"old\" in #general and rename it to \"reopened\".", Text(dry), StringComparison.Ordinal);
        var after = Channel(id);
        Assert.False((bool)after["thread_metadata"]!["archived"]!);
        Assert.True((bool)after["thread_metadata"]!["locked"]!);
        Assert.Equal("reopened", (string?)after["name"]);
    }

    [Fact]
    public async Task Only_unarchiving_someone_elses_unlocked_thread_needs_just_Send_Messages_in_Threads()
    {
        await Rest.ModifyChannelAsync(Snowflake.Parse(DemoGuild.IdeasPostId), new ModifyChannelRequest { Archived = true });

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_thread",
            new() { ["guild_id"] = DemoGuild.GuildId, ["thread"] = DemoGuild.IdeasPostId, ["archived"] = false });

        Assert.Equal(["SEND_MESSAGES_IN_THREADS"], Names(Structured(dry).GetProperty("plan").GetProperty("bot_permissions")));
        Assert.StartsWith("Unarchived the thread \"Dark mode for the mobile app\" in #ideas.", Text(confirmed), StringComparison.Ordinal);
        Assert.False((bool)Channel(DemoGuild.IdeasPostId)["thread_metadata"]!["archived"]!);
    }

    [Fact]
    public async Task A_thread_of_another_guild_is_not_found_and_nothing_about_it_is_shown()
    {
        var other = _host.Sandbox.State.AddGuild("Other Guild", DemoGuild.AdminUserId);
        var channel = _host.Sandbox.State.AddChannel(other, "elsewhere");
        var foreign = await Rest.StartThreadAsync(Snowflake.Parse(channel), new StartThreadRequest { Name = "secret-plans", Type = ChannelType.PublicThread });
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_modify_thread", new() { ["guild_id"] = DemoGuild.GuildId, ["thread"] = foreign.Id.ToString(), ["locked"] = true });

        Assert.True(result.IsError);
        Assert.Contains($"thread: no thread with id {foreign.Id} in this guild.", Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-plans", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData("""{"thread":"POST"}""", "thread", "Nothing to change in the thread: give at least one of name, archived, locked or auto_archive_minutes")]
    [InlineData("""{"thread":"POST","name":""}""", "name", "name must be 1–100 characters")]
    [InlineData("""{"thread":"POST","name":"TOO_LONG"}""", "name", "name must be 1–100 characters, got 101")]
    [InlineData("""{"thread":"POST","auto_archive_minutes":5}""", "auto_archive_minutes", "auto_archive_minutes must be one of 60, 1440, 4320, 10080 minutes")]
    [InlineData("""{"thread":"POST","locked":true,"reason":"TOO_LONG_REASON"}""", "reason", "reason must be at most 512 characters")]
    [InlineData("""{"thread":"dark-mode","locked":true}""", "thread", "thread must be a thread id or a <#id> mention")]
    [InlineData("""{"thread":"GENERAL","locked":true}""", "thread", "thread: #general is a text channel, not a thread")]
    [InlineData("""{"thread":"1213109486223491999","locked":true}""", "thread", "thread: no thread with id 1213109486223491999 in this guild.")]
    [InlineData("""{"thread":"POST","archived":false,"locked":false}""", "thread", "already has these settings; nothing would change")]
    public async Task Modify_thread_bad_input_names_the_field_and_changes_nothing(string json, string field, string expected)
    {
        var args = Arguments(json.Replace("POST", DemoGuild.IdeasPostId, StringComparison.Ordinal).Replace("GENERAL", DemoGuild.GeneralChannelId, StringComparison.Ordinal));
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_modify_thread", args);

        Assert.True(result.IsError, Text(result));
        Assert.Contains(field, Text(result), StringComparison.Ordinal);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task An_archived_thread_changes_only_together_with_unarchiving()
    {
        var thread = await Rest.StartThreadAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), new StartThreadRequest { Name = "done", Type = ChannelType.PublicThread });
        await Rest.ModifyChannelAsync(thread.Id, new ModifyChannelRequest { Archived = true });
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_modify_thread", new() { ["guild_id"] = DemoGuild.GuildId, ["thread"] = thread.Id.ToString(), ["name"] = "renamed" });

        Assert.True(result.IsError);
        Assert.Contains("archived: the thread \"done\" in #general is archived", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    // ---------- discord_list_active_threads ----------

    [Fact]
    public async Task Active_threads_are_listed_with_parent_counts_and_tag_names_and_can_be_filtered_by_parent()
    {
        await Rest.StartThreadAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), new StartThreadRequest { Name = "lunch", Type = ChannelType.PublicThread });
        var archived = await Rest.StartThreadAsync(Snowflake.Parse(DemoGuild.GeneralChannelId), new StartThreadRequest { Name = "archived-one", Type = ChannelType.PublicThread });
        await Rest.ModifyChannelAsync(archived.Id, new ModifyChannelRequest { Archived = true });

        var all = await _host.CallAsync("discord_list_active_threads", new() { ["guild_id"] = DemoGuild.GuildId });

        Assert.True(all.IsError != true, Text(all));
        var threads = Structured(all).GetProperty("threads").EnumerateArray().ToList();
        Assert.Equal(["Dark mode for the mobile app", "lunch"], threads.Select(t => t.GetProperty("name").GetString() ?? "").Order(StringComparer.Ordinal).ToList());
        var post = threads.Single(t => t.GetProperty("id").GetString() == DemoGuild.IdeasPostId);
        Assert.Equal("ideas", post.GetProperty("parent_name").GetString());
        Assert.Equal(["idea", "planned"], Names(post.GetProperty("tags")));
        Assert.False(post.GetProperty("locked").GetBoolean());
        Assert.True(post.GetProperty("message_count").GetInt32() >= 0);
        Assert.Contains($"\"Dark mode for the mobile app\" id {DemoGuild.IdeasPostId} [public_thread] in #ideas — active", Text(all), StringComparison.Ordinal);
        Assert.Contains("2 active threads in the guild.", Text(all), StringComparison.Ordinal);

        var general = await _host.CallAsync("discord_list_active_threads", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#general" });
        var only = Assert.Single(Structured(general).GetProperty("threads").EnumerateArray());
        Assert.Equal("lunch", only.GetProperty("name").GetString());
        Assert.Contains("1 active thread in #general.", Text(general), StringComparison.Ordinal);
    }

    // ---------- helpers ----------

    private DiscordRestClient Rest => _host.App.Services.GetRequiredService<DiscordRestClient>();

    private static Dictionary<string, object?> Arguments(string json)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId };
        foreach (var (key, value) in JsonNode.Parse(json)!.AsObject())
        {
            var text = value?.ToJsonString()
                .Replace("TOO_LONG_CONTENT", new string('c', 2001), StringComparison.Ordinal)
                .Replace("TOO_LONG_REASON", new string('r', 513), StringComparison.Ordinal)
                .Replace("TOO_LONG", new string('n', 101), StringComparison.Ordinal);
            args[key] = text is null ? null : JsonSerializer.Deserialize<JsonElement>(text);
        }
        return args;
    }

    private static List<string> Names(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "")];

    private JsonObject Channel(string id) =>
        JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray().Select(c => c!["channel"]!.AsObject()).Single(c => (string?)c["id"] == id);

    private List<JsonObject> Threads() =>
        [.. JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray().Select(c => c!["channel"]!.AsObject()).Where(c => (int)c["type"]! is 10 or 11 or 12)];
}
