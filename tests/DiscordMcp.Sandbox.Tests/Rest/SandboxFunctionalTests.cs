using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Sandbox.Tests.Rest;

/// <summary>Behaviour of the sandbox's REST endpoints, called directly (no Prism) on a fake clock.</summary>
public sealed class SandboxFunctionalTests
{
    private const string Api = "api/v10";
    private const string G = DemoGuild.GuildId;

    private static string Id(JsonNode? node) => (string)node!["id"]!;

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static string FirstErrorCode(JsonNode? body, params string[] path)
    {
        var node = body!["errors"]!;
        foreach (var key in path)
            node = node[key]!;
        return (string)node["_errors"]![0]!["code"]!;
    }

    [Fact]
    public async Task Dm_opens_once_per_user_holds_messages_and_shows_in_the_snapshot()
    {
        await using var sb = await TestSandbox.StartAsync();
        var before = sb.Host.State.Snapshot();
        var first = await sb.SendAsync("POST", $"{Api}/users/@me/channels", new JsonObject { ["recipient_id"] = DemoGuild.LuisUserId });
        Assert.Equal(200, first.Status);
        Assert.Equal(1, (int)first.Body!["type"]!);
        Assert.Null(first.Body["guild_id"]);
        Assert.Equal(DemoGuild.LuisUserId, Id(first.Body["recipients"]![0]));
        var again = await sb.SendAsync("POST", $"{Api}/users/@me/channels", new JsonObject { ["recipient_id"] = DemoGuild.LuisUserId });
        Assert.Equal(Id(first.Body), Id(again.Body));
        Assert.NotEqual(before, sb.Host.State.Snapshot());

        var sent = await sb.SendAsync("POST", $"{Api}/channels/{Id(first.Body)}/messages", new JsonObject { ["content"] = "please stop" });
        Assert.Equal(200, sent.Status);
        Assert.Equal("please stop", (string)Assert.Single(sb.Host.State.DmMessages(DemoGuild.LuisUserId))["content"]!);
        Assert.Contains("please stop", sb.Host.State.Snapshot(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dm_to_a_user_sharing_no_guild_is_refused_with_50007_and_stores_nothing()
    {
        await using var sb = await TestSandbox.StartAsync();
        var stranger = sb.Host.State.AddUser("stranger");
        var dm = await sb.SendAsync("POST", $"{Api}/users/@me/channels", new JsonObject { ["recipient_id"] = stranger });
        Assert.Equal(200, dm.Status);
        var sent = await sb.SendAsync("POST", $"{Api}/channels/{Id(dm.Body)}/messages", new JsonObject { ["content"] = "hello" });
        Assert.Equal(403, sent.Status);
        Assert.Equal(50007, (int)sent.Body!["code"]!);
        Assert.Equal("Cannot send messages to this user", (string)sent.Body["message"]!);
        Assert.Empty(sb.Host.State.DmMessages(stranger));
    }

    [Fact]
    public async Task Dm_needs_a_known_recipient_id()
    {
        await using var sb = await TestSandbox.StartAsync();
        var missing = await sb.SendAsync("POST", $"{Api}/users/@me/channels", new JsonObject());
        Assert.Equal(400, missing.Status);
        Assert.Equal("BASE_TYPE_REQUIRED", FirstErrorCode(missing.Body, "recipient_id"));
        var unknown = await sb.SendAsync("POST", $"{Api}/users/@me/channels", new JsonObject { ["recipient_id"] = "1999999999999999999" });
        Assert.Equal(404, unknown.Status);
        Assert.Equal(10013, (int)unknown.Body!["code"]!);
    }

    [Fact]
    public async Task Channel_create_edit_and_reorder_update_the_guild_and_the_audit_log()
    {
        await using var sb = await TestSandbox.StartAsync();
        var created = await sb.SendAsync("POST", $"{Api}/guilds/{G}/channels", new JsonObject { ["name"] = "releases", ["type"] = 0, ["parent_id"] = DemoGuild.TextCategoryId, ["topic"] = "Release notes" }, "new channel");
        Assert.Equal(201, created.Status);
        var id = Id(created.Body);
        Assert.Equal(DemoGuild.TextCategoryId, (string)created.Body!["parent_id"]!);
        Assert.Equal(G, (string)created.Body["guild_id"]!);

        var edited = await sb.SendAsync("PATCH", $"{Api}/channels/{id}", new JsonObject { ["name"] = "release-notes", ["topic"] = "Changelog", ["rate_limit_per_user"] = 10 });
        Assert.Equal(200, edited.Status);
        Assert.Equal("release-notes", (string)edited.Body!["name"]!);
        Assert.Equal(10, (int)edited.Body["rate_limit_per_user"]!);

        var reorder = await sb.SendAsync("PATCH", $"{Api}/guilds/{G}/channels", new JsonArray(new JsonObject { ["id"] = id, ["position"] = 0 }, new JsonObject { ["id"] = DemoGuild.GeneralChannelId, ["position"] = 9 }));
        Assert.Equal(204, reorder.Status);
        var (_, channels, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/channels");
        Assert.Equal(0, (int)channels!.AsArray().Single(c => Id(c) == id)!["position"]!);
        Assert.Equal(9, (int)channels.AsArray().Single(c => Id(c) == DemoGuild.GeneralChannelId)!["position"]!);

        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/audit-logs?action_type=10");
        var entry = audit!["audit_log_entries"]!.AsArray().Single(e => (string)e!["target_id"]! == id)!;
        Assert.Equal("new channel", (string)entry["reason"]!);
        Assert.Equal(DemoGuild.BotUserId, (string)entry["user_id"]!);
    }

    [Fact]
    public async Task Text_channel_topic_over_1024_is_rejected_but_forum_topic_allows_4096()
    {
        await using var sb = await TestSandbox.StartAsync();
        var text = await sb.SendAsync("POST", $"{Api}/guilds/{G}/channels", new JsonObject { ["name"] = "long", ["type"] = 0, ["topic"] = new string('t', 1025) });
        Assert.Equal(400, text.Status);
        Assert.Equal(50035, (int)text.Body!["code"]!);
        Assert.Equal("BASE_TYPE_MAX_LENGTH", FirstErrorCode(text.Body, "topic"));
        var forum = await sb.SendAsync("POST", $"{Api}/guilds/{G}/channels", new JsonObject { ["name"] = "long-forum", ["type"] = 15, ["topic"] = new string('t', 4096) });
        Assert.Equal(201, forum.Status);
    }

    [Fact]
    public async Task Guild_modify_needs_MANAGE_GUILD()
    {
        await using var sb = await TestSandbox.StartAsync();
        var denied = await sb.SendAsync("PATCH", $"{Api}/guilds/{G}", new JsonObject { ["name"] = "Renamed" });
        Assert.Equal(403, denied.Status);
        Assert.Equal(50013, (int)denied.Body!["code"]!);
        sb.Host.State.AddMember(G, DemoGuild.BotUserId, [DemoGuild.BotRoleId, DemoGuild.AdminRoleId]);
        var ok = await sb.SendAsync("PATCH", $"{Api}/guilds/{G}", new JsonObject { ["name"] = "Renamed" });
        Assert.Equal(200, ok.Status);
        Assert.Equal("Renamed", (string)(await sb.SendAsync("GET", $"{Api}/guilds/{G}")).Body!["name"]!);
    }

    [Fact]
    public async Task Thread_from_message_takes_the_message_id_and_shows_on_the_message()
    {
        await using var sb = await TestSandbox.StartAsync();
        var thread = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/{DemoGuild.UnresolvedMessageId}/threads", new JsonObject { ["name"] = "Login 500s" });
        Assert.Equal(201, thread.Status);
        Assert.Equal(DemoGuild.UnresolvedMessageId, Id(thread.Body));
        Assert.Equal(11, (int)thread.Body!["type"]!);
        Assert.Equal(DemoGuild.SupportChannelId, (string)thread.Body["parent_id"]!);
        var again = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/{DemoGuild.UnresolvedMessageId}/threads", new JsonObject { ["name"] = "twice" });
        Assert.Equal(400, again.Status);

        var post = await sb.SendAsync("POST", $"{Api}/channels/{Id(thread.Body)}/messages", new JsonObject { ["content"] = "Investigating" });
        Assert.Equal(200, post.Status);
        var (_, active, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/threads/active");
        Assert.Contains(active!["threads"]!.AsArray(), t => Id(t) == DemoGuild.UnresolvedMessageId);
    }

    [Fact]
    public async Task Standalone_private_thread_members_and_archiving()
    {
        await using var sb = await TestSandbox.StartAsync();
        var thread = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/threads", new JsonObject { ["name"] = "mods", ["type"] = 12, ["invitable"] = false });
        Assert.Equal(201, thread.Status);
        Assert.Equal(12, (int)thread.Body!["type"]!);
        var id = Id(thread.Body);
        Assert.Equal(204, (await sb.SendAsync("PUT", $"{Api}/channels/{id}/thread-members/{DemoGuild.LuisUserId}")).Status);
        var (_, members, _) = await sb.SendAsync("GET", $"{Api}/channels/{id}/thread-members");
        Assert.Contains(members!.AsArray(), m => (string)m!["user_id"]! == DemoGuild.LuisUserId);
        Assert.All(members.AsArray(), m => Assert.Null(m!["member"]));
        var (_, luis, _) = await sb.SendAsync("GET", $"{Api}/channels/{id}/thread-members/{DemoGuild.LuisUserId}?with_member=true");
        Assert.Equal(DemoGuild.LuisUserId, Id(luis!["member"]!["user"]));
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/channels/{id}/thread-members/{DemoGuild.LuisUserId}")).Status);
        Assert.Equal(404, (await sb.SendAsync("GET", $"{Api}/channels/{id}/thread-members/{DemoGuild.LuisUserId}")).Status);

        await sb.SendAsync("PATCH", $"{Api}/channels/{id}", new JsonObject { ["archived"] = true });
        var (_, archived, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.GeneralChannelId}/threads/archived/private");
        Assert.Contains(archived!["threads"]!.AsArray(), t => Id(t) == id);
        var (_, publicArchived, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.GeneralChannelId}/threads/archived/public");
        Assert.DoesNotContain(publicArchived!["threads"]!.AsArray(), t => Id(t) == id);
    }

    [Fact]
    public async Task Forum_post_needs_a_message_and_keeps_applied_tags()
    {
        await using var sb = await TestSandbox.StartAsync();
        var missing = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.IdeasForumId}/threads", new JsonObject { ["name"] = "No message" });
        Assert.Equal(400, missing.Status);
        Assert.Equal(50035, (int)missing.Body!["code"]!);
        Assert.NotNull(missing.Body["errors"]!["message"]);

        var post = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.IdeasForumId}/threads", new JsonObject
        {
            ["name"] = "Export to CSV",
            ["applied_tags"] = new JsonArray(DemoGuild.IdeaTagId, DemoGuild.BugTagId),
            ["message"] = new JsonObject { ["content"] = "Please add CSV export." },
        });
        Assert.Equal(201, post.Status);
        var id = Id(post.Body);
        Assert.Equal(11, (int)post.Body!["type"]!);
        Assert.Equal([DemoGuild.IdeaTagId, DemoGuild.BugTagId], post.Body["applied_tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(id, Id(post.Body["message"]));
        var (_, messages, _) = await sb.SendAsync("GET", $"{Api}/channels/{id}/messages");
        Assert.Equal("Please add CSV export.", (string)messages!.AsArray().Single()!["content"]!);
    }

    [Fact]
    public async Task Forum_post_tags_must_be_the_forums_own_and_at_most_five()
    {
        await using var sb = await TestSandbox.StartAsync();
        var unknown = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.IdeasForumId}/threads", new JsonObject
        {
            ["name"] = "Tagged wrong",
            ["applied_tags"] = new JsonArray(DemoGuild.IdeaTagId, DemoGuild.GeneralChannelId),
            ["message"] = new JsonObject { ["content"] = "x" },
        });
        Assert.Equal(400, unknown.Status);
        Assert.Equal("BASE_TYPE_CHOICES", FirstErrorCode(unknown.Body, "applied_tags", "1"));

        var six = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.IdeasForumId}/threads", new JsonObject
        {
            ["name"] = "Too many",
            ["applied_tags"] = new JsonArray(Enumerable.Repeat(DemoGuild.IdeaTagId, 6).Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["message"] = new JsonObject { ["content"] = "x" },
        });
        Assert.Equal(400, six.Status);
        Assert.Equal("BASE_TYPE_MAX_LENGTH", FirstErrorCode(six.Body, "applied_tags"));
    }

    [Fact]
    public async Task Thread_edits_follow_Discords_permission_and_archived_rules()
    {
        await using var sb = await TestSandbox.StartAsync();
        // Someone else's thread, archived by the bot while it still has Manage Threads.
        var theirs = Id(sb.Host.State.CreateThreadApi(new Actor(DemoGuild.AdminUserId, false), DemoGuild.GeneralChannelId, null,
            new JsonObject { ["name"] = "theirs", ["type"] = 11 }, null));
        Assert.Equal(200, (await sb.SendAsync("PATCH", $"{Api}/channels/{theirs}", new JsonObject { ["archived"] = true })).Status);
        var mine = Id((await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/threads", new JsonObject { ["name"] = "mine", ["type"] = 11 })).Body);
        // Now the bot loses Manage Threads in #general (and so in its threads).
        var deny = await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.GeneralChannelId}/permissions/{DemoGuild.BotRoleId}",
            new JsonObject { ["type"] = 0, ["allow"] = "0", ["deny"] = (1UL << 34).ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(204, deny.Status);

        // Its own thread: rename and archive are the creator's; locking is not.
        Assert.Equal(200, (await sb.SendAsync("PATCH", $"{Api}/channels/{mine}", new JsonObject { ["name"] = "mine-renamed" })).Status);
        Assert.Equal(403, (await sb.SendAsync("PATCH", $"{Api}/channels/{mine}", new JsonObject { ["locked"] = true })).Status);
        Assert.Equal(200, (await sb.SendAsync("PATCH", $"{Api}/channels/{mine}", new JsonObject { ["archived"] = true })).Status);
        var whileArchived = await sb.SendAsync("PATCH", $"{Api}/channels/{mine}", new JsonObject { ["name"] = "again" });
        Assert.Equal(400, whileArchived.Status);
        Assert.Equal(50083, (int)whileArchived.Body!["code"]!);
        Assert.Equal(200, (await sb.SendAsync("PATCH", $"{Api}/channels/{mine}", new JsonObject { ["archived"] = false, ["name"] = "again" })).Status);

        // Someone else's unlocked thread: only unarchiving alone is allowed without Manage Threads.
        Assert.Equal(403, (await sb.SendAsync("PATCH", $"{Api}/channels/{theirs}", new JsonObject { ["archived"] = false, ["name"] = "renamed" })).Status);
        Assert.Equal(200, (await sb.SendAsync("PATCH", $"{Api}/channels/{theirs}", new JsonObject { ["archived"] = false })).Status);
        Assert.Equal(403, (await sb.SendAsync("PATCH", $"{Api}/channels/{theirs}", new JsonObject { ["archived"] = true })).Status);
    }

    [Fact]
    public async Task Webhook_execute_needs_the_right_token_but_no_bot_auth()
    {
        await using var sb = await TestSandbox.StartAsync();
        var hook = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.DeploymentsChannelId}/webhooks", new JsonObject { ["name"] = "CI" });
        Assert.Equal(200, hook.Status);
        var id = Id(hook.Body);
        var token = (string)hook.Body!["token"]!;
        Assert.Equal(1, (int)hook.Body["type"]!);
        Assert.DoesNotContain(token, hook.Body.ToJsonString().Replace("\"token\":\"" + token + "\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        using var anonymous = new HttpClient { BaseAddress = sb.Host.BaseUrl };
        using var wrong = await anonymous.PostAsync(new Uri($"{Api}/webhooks/{id}/not-the-token?wait=true", UriKind.Relative), Json(new JsonObject { ["content"] = "x" }));
        Assert.Equal(401, (int)wrong.StatusCode);
        Assert.Equal(50027, (int)JsonNode.Parse(await wrong.Content.ReadAsStringAsync())!["code"]!);

        using var ok = await anonymous.PostAsync(new Uri($"{Api}/webhooks/{id}/{token}?wait=true", UriKind.Relative), Json(new JsonObject { ["content"] = "Deployed", ["username"] = "Release bot" }));
        Assert.Equal(200, (int)ok.StatusCode);
        var message = JsonNode.Parse(await ok.Content.ReadAsStringAsync())!;
        Assert.Equal(id, (string)message["webhook_id"]!);
        Assert.Equal("Release bot", (string)message["author"]!["username"]!);
        Assert.Equal(DemoGuild.DeploymentsChannelId, (string)message["channel_id"]!);

        using var noWait = await anonymous.PostAsync(new Uri($"{Api}/webhooks/{id}/{token}", UriKind.Relative), Json(new JsonObject { ["content"] = "fire and forget" }));
        Assert.Equal(204, (int)noWait.StatusCode);
        var (_, list, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.DeploymentsChannelId}/messages?limit=2");
        Assert.Equal("fire and forget", (string)list!.AsArray()[0]!["content"]!);

        using var wrongGet = await anonymous.GetAsync(new Uri($"{Api}/webhooks/{id}/not-the-token", UriKind.Relative));
        Assert.Equal(401, (int)wrongGet.StatusCode);
        using var withToken = await anonymous.GetAsync(new Uri($"{Api}/webhooks/{id}/{token}", UriKind.Relative));
        Assert.Equal(200, (int)withToken.StatusCode);
        Assert.Null(JsonNode.Parse(await withToken.Content.ReadAsStringAsync())!["user"]);

        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/webhooks/{id}")).Status);
        using var gone = await anonymous.PostAsync(new Uri($"{Api}/webhooks/{id}/{token}", UriKind.Relative), Json(new JsonObject { ["content"] = "x" }));
        Assert.Equal(404, (int)gone.StatusCode);
    }

    [Fact]
    public async Task Webhook_create_needs_MANAGE_WEBHOOKS()
    {
        await using var sb = await TestSandbox.StartAsync();
        await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.RandomChannelId}/permissions/{DemoGuild.BotRoleId}", new JsonObject { ["type"] = 0, ["deny"] = "536870912" });
        var denied = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.RandomChannelId}/webhooks", new JsonObject { ["name"] = "x" });
        Assert.Equal(403, denied.Status);
        Assert.Equal(50013, (int)denied.Body!["code"]!);
    }

    [Fact]
    public async Task Invites_are_listed_counted_and_deleted_with_audit_entries()
    {
        await using var sb = await TestSandbox.StartAsync();
        var created = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/invites", new JsonObject { ["max_age"] = 600, ["max_uses"] = 3 });
        Assert.Equal(200, created.Status);
        var code = (string)created.Body!["code"]!;
        Assert.Equal(Iso(DemoGuild.ReferenceNow.AddSeconds(600)).Replace(".000", string.Empty, StringComparison.Ordinal)[..16], ((string)created.Body["expires_at"]!)[..16]);
        Assert.Equal(3, (int)created.Body["max_uses"]!);
        var (_, listed, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.GeneralChannelId}/invites");
        Assert.Contains(listed!.AsArray(), i => (string)i!["code"]! == code);
        var (_, counted, _) = await sb.SendAsync("GET", $"{Api}/invites/{code}?with_counts=true");
        Assert.Equal(10, (int)counted!["approximate_member_count"]!);
        Assert.Equal(G, (string)counted["guild"]!["id"]!);
        Assert.Equal(200, (await sb.SendAsync("DELETE", $"{Api}/invites/{code}")).Status);
        var gone = await sb.SendAsync("GET", $"{Api}/invites/{code}");
        Assert.Equal(404, gone.Status);
        Assert.Equal(10006, (int)gone.Body!["code"]!);
        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/audit-logs");
        var actions = audit!["audit_log_entries"]!.AsArray().Select(e => (int)e!["action_type"]!).ToList();
        Assert.Contains(40, actions);
        Assert.Contains(42, actions);
    }

    [Fact]
    public async Task Voice_event_needs_channel_id_and_external_event_needs_location_and_end_time()
    {
        await using var sb = await TestSandbox.StartAsync();
        var start = Iso(DemoGuild.ReferenceNow.AddDays(1));
        var path = $"{Api}/guilds/{G}/scheduled-events";
        var voice = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "Call", ["privacy_level"] = 2, ["entity_type"] = 2, ["scheduled_start_time"] = start });
        Assert.Equal(400, voice.Status);
        Assert.NotNull(voice.Body!["errors"]!["channel_id"]);

        var noLocation = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "Meetup", ["privacy_level"] = 2, ["entity_type"] = 3, ["scheduled_start_time"] = start, ["scheduled_end_time"] = Iso(DemoGuild.ReferenceNow.AddDays(2)) });
        Assert.Equal(400, noLocation.Status);
        Assert.Contains("location", noLocation.Body!["errors"]!.ToJsonString(), StringComparison.Ordinal);

        var noEnd = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "Meetup", ["privacy_level"] = 2, ["entity_type"] = 3, ["scheduled_start_time"] = start, ["entity_metadata"] = new JsonObject { ["location"] = "Berlin" } });
        Assert.Equal(400, noEnd.Status);
        Assert.NotNull(noEnd.Body!["errors"]!["scheduled_end_time"]);

        var ok = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "Call", ["privacy_level"] = 2, ["entity_type"] = 2, ["channel_id"] = DemoGuild.EventsVoiceId, ["scheduled_start_time"] = start });
        Assert.Equal(200, ok.Status);
        Assert.Equal(1, (int)ok.Body!["status"]!);
        Assert.Equal(DemoGuild.BotUserId, (string)ok.Body["creator_id"]!);
        Assert.Null(ok.Body["user_count"]);
        var (_, users, _) = await sb.SendAsync("GET", $"{path}/{Id(ok.Body)}/users");
        Assert.Empty(users!.AsArray());
        sb.Host.State.SubscribeToEvent(G, Id(ok.Body), DemoGuild.ChenUserId);
        sb.Host.State.SubscribeToEvent(G, Id(ok.Body), DemoGuild.AlexUserId);
        var (_, subscribers, _) = await sb.SendAsync("GET", $"{path}/{Id(ok.Body)}/users?after={DemoGuild.AlexUserId}");
        Assert.Equal(DemoGuild.ChenUserId, (string)Assert.Single(subscribers!.AsArray())!["user_id"]!);
        var (_, counted, _) = await sb.SendAsync("GET", $"{path}/{Id(ok.Body)}?with_user_count=true");
        Assert.Equal(2, (int)counted!["user_count"]!);
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{path}/{Id(ok.Body)}")).Status);
        Assert.Equal(404, (await sb.SendAsync("GET", $"{path}/{Id(ok.Body)}")).Status);
    }

    [Fact]
    public async Task Event_start_in_the_past_is_rejected()
    {
        await using var sb = await TestSandbox.StartAsync();
        var past = await sb.SendAsync("POST", $"{Api}/guilds/{G}/scheduled-events", new JsonObject
        {
            ["name"] = "Yesterday", ["privacy_level"] = 2, ["entity_type"] = 2, ["channel_id"] = DemoGuild.EventsVoiceId,
            ["scheduled_start_time"] = Iso(DemoGuild.ReferenceNow.AddHours(-1)),
        });
        Assert.Equal(400, past.Status);
        Assert.Equal("GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", FirstErrorCode(past.Body, "scheduled_start_time"));
    }

    [Fact]
    public async Task Event_create_needs_CREATE_EVENTS()
    {
        await using var sb = await TestSandbox.StartAsync();
        var other = sb.Host.State.AddGuild("No events", DemoGuild.AdminUserId);
        var denied = await sb.SendAsync("POST", $"{Api}/guilds/{other}/scheduled-events", new JsonObject
        {
            ["name"] = "Meetup", ["privacy_level"] = 2, ["entity_type"] = 3, ["entity_metadata"] = new JsonObject { ["location"] = "Berlin" },
            ["scheduled_start_time"] = Iso(DemoGuild.ReferenceNow.AddDays(1)), ["scheduled_end_time"] = Iso(DemoGuild.ReferenceNow.AddDays(1.1)),
        });
        Assert.Equal(403, denied.Status);
        Assert.Equal(50013, (int)denied.Body!["code"]!);
    }

    [Fact]
    public async Task Bulk_overwrite_replaces_all_commands_and_keeps_ids_of_same_names()
    {
        await using var sb = await TestSandbox.StartAsync();
        var path = $"{Api}/applications/{DemoGuild.BotUserId}/guilds/{G}/commands";
        var first = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "status", ["description"] = "Status" });
        Assert.Equal(201, first.Status);
        var same = await sb.SendAsync("POST", path, new JsonObject { ["name"] = "status", ["description"] = "Status again" });
        Assert.Equal(200, same.Status);
        Assert.Equal(Id(first.Body), Id(same.Body));
        await sb.SendAsync("POST", path, new JsonObject { ["name"] = "old", ["description"] = "Old" });

        var put = await sb.SendAsync("PUT", path, new JsonArray(
            new JsonObject { ["name"] = "status", ["description"] = "Status v2" },
            new JsonObject { ["name"] = "help", ["description"] = "Help" }));
        Assert.Equal(200, put.Status);
        var (_, all, _) = await sb.SendAsync("GET", path);
        var names = all!.AsArray().Select(c => (string)c!["name"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["help", "status"], names);
        Assert.Equal(Id(first.Body), Id(all.AsArray().Single(c => (string)c!["name"]! == "status")));
        var (_, global, _) = await sb.SendAsync("GET", $"{Api}/applications/{DemoGuild.BotUserId}/commands");
        Assert.DoesNotContain(global!.AsArray(), c => (string)c!["name"]! == "help");
    }

    [Fact]
    public async Task Command_with_invalid_name_is_rejected()
    {
        await using var sb = await TestSandbox.StartAsync();
        var bad = await sb.SendAsync("POST", $"{Api}/applications/{DemoGuild.BotUserId}/commands", new JsonObject { ["name"] = "Has Spaces", ["description"] = "x" });
        Assert.Equal(400, bad.Status);
        Assert.Equal(50035, (int)bad.Body!["code"]!);
        Assert.NotNull(bad.Body["errors"]!["name"]);
    }

    [Fact]
    public async Task Ban_lists_removes_the_member_and_unban_restores_the_list()
    {
        await using var sb = await TestSandbox.StartAsync();
        var ban = await sb.SendAsync("PUT", $"{Api}/guilds/{G}/bans/{DemoGuild.JordanUserId}", new JsonObject { ["delete_message_seconds"] = 0 }, "personal attack");
        Assert.Equal(204, ban.Status);
        Assert.Equal(404, (await sb.SendAsync("GET", $"{Api}/guilds/{G}/members/{DemoGuild.JordanUserId}")).Status);
        var (_, one, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/bans/{DemoGuild.JordanUserId}");
        Assert.Equal("personal attack", (string)one!["reason"]!);
        Assert.Equal(DemoGuild.JordanUserId, Id(one["user"]));
        var tooMuch = await sb.SendAsync("PUT", $"{Api}/guilds/{G}/bans/{DemoGuild.AlexUserId}", new JsonObject { ["delete_message_seconds"] = 604801 });
        Assert.Equal(400, tooMuch.Status);
        var owner = await sb.SendAsync("PUT", $"{Api}/guilds/{G}/bans/{DemoGuild.AdminUserId}", new JsonObject());
        Assert.Equal(403, owner.Status);
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/guilds/{G}/bans/{DemoGuild.JordanUserId}")).Status);
        var (_, all, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/bans");
        Assert.Empty(all!.AsArray());
        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/audit-logs?action_type=22");
        Assert.Equal("personal attack", (string)audit!["audit_log_entries"]![0]!["reason"]!);
    }

    [Fact]
    public async Task Member_list_pages_by_id_and_search_matches_name_prefixes()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, first, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/members?limit=3");
        var ids = first!.AsArray().Select(m => Id(m!["user"])).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids.OrderBy(i => ulong.Parse(i, CultureInfo.InvariantCulture)), ids);
        var (_, next, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/members?limit=100&after={ids[^1]}");
        Assert.Equal(10 - 3, next!.AsArray().Count);
        Assert.DoesNotContain(next.AsArray(), m => ids.Contains(Id(m!["user"])));

        var (_, search, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/members/search?query=lu&limit=10");
        Assert.Equal(DemoGuild.LuisUserId, Id(Assert.Single(search!.AsArray())!["user"]));
        var missing = await sb.SendAsync("GET", $"{Api}/guilds/{G}/members/search");
        Assert.Equal(400, missing.Status);
        Assert.Equal(400, (await sb.SendAsync("GET", $"{Api}/guilds/{G}/members?limit=1001")).Status);
    }

    [Fact]
    public async Task Timeout_up_to_28_days_is_accepted_and_longer_is_50035()
    {
        await using var sb = await TestSandbox.StartAsync();
        var path = $"{Api}/guilds/{G}/members/{DemoGuild.JordanUserId}";
        var ok = await sb.SendAsync("PATCH", path, new JsonObject { ["communication_disabled_until"] = Iso(DemoGuild.ReferenceNow.AddDays(28)) }, "cool down");
        Assert.Equal(200, ok.Status);
        Assert.NotNull((string?)ok.Body!["communication_disabled_until"]);
        var tooLong = await sb.SendAsync("PATCH", path, new JsonObject { ["communication_disabled_until"] = Iso(DemoGuild.ReferenceNow.AddDays(28).AddMinutes(1)) });
        Assert.Equal(400, tooLong.Status);
        Assert.Equal(50035, (int)tooLong.Body!["code"]!);
        Assert.NotNull(tooLong.Body["errors"]!["communication_disabled_until"]);
        var cleared = await sb.SendAsync("PATCH", path, new JsonObject { ["communication_disabled_until"] = null });
        Assert.Null(cleared.Body!["communication_disabled_until"]);
        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/audit-logs?action_type=24&limit=2");
        Assert.Contains(audit!["audit_log_entries"]!.AsArray(), e => (string?)e!["reason"] == "cool down");
    }

    [Fact]
    public async Task Timeout_of_an_administrator_or_the_owner_is_forbidden()
    {
        await using var sb = await TestSandbox.StartAsync();
        var until = Iso(DemoGuild.ReferenceNow.AddHours(1));
        var owner = await sb.SendAsync("PATCH", $"{Api}/guilds/{G}/members/{DemoGuild.AdminUserId}", new JsonObject { ["communication_disabled_until"] = until });
        Assert.Equal(403, owner.Status);
        Assert.Equal(50013, (int)owner.Body!["code"]!);
        sb.Host.State.AddMember(G, DemoGuild.PriyaUserId, [DemoGuild.AdminRoleId]);
        var admin = await sb.SendAsync("PATCH", $"{Api}/guilds/{G}/members/{DemoGuild.PriyaUserId}", new JsonObject { ["communication_disabled_until"] = until });
        Assert.Equal(403, admin.Status);
    }

    [Fact]
    public async Task Reactions_count_per_emoji_and_removal_by_user()
    {
        await using var sb = await TestSandbox.StartAsync();
        var c = DemoGuild.SupportChannelId;
        var m = DemoGuild.UnresolvedMessageId;
        var eyes = Uri.EscapeDataString("👀");
        Assert.Equal(204, (await sb.SendAsync("PUT", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}/@me")).Status);
        var (_, message, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}");
        var reaction = message!["reactions"]!.AsArray().Single(r => (string)r!["emoji"]!["name"]! == "👀")!;
        Assert.Equal(3, (int)reaction["count"]!);
        Assert.True((bool)reaction["me"]!);
        var (_, users, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}");
        Assert.Contains(users!.AsArray(), u => Id(u) == DemoGuild.BotUserId);
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}/{DemoGuild.PriyaUserId}")).Status);
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}/@me")).Status);
        var (_, after, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}");
        var left = after!["reactions"]!.AsArray().Single(r => (string)r!["emoji"]!["name"]! == "👀")!;
        Assert.Equal(1, (int)left["count"]!);
        Assert.False((bool)left["me"]!);
    }

    [Fact]
    public async Task Reaction_users_page_by_id_and_remove_all_needs_MANAGE_MESSAGES()
    {
        await using var sb = await TestSandbox.StartAsync();
        var c = DemoGuild.SupportChannelId;
        var m = DemoGuild.UnresolvedMessageId;
        var eyes = Uri.EscapeDataString("👀");
        var (_, first, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}?limit=1");
        Assert.Equal(DemoGuild.PriyaUserId, Id(Assert.Single(first!.AsArray())));
        var (_, next, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}?after={DemoGuild.PriyaUserId}");
        Assert.Equal(DemoGuild.ChenUserId, Id(Assert.Single(next!.AsArray())));

        var events = new List<string>();
        using var subscription = ((DiscordMcp.Sandbox.Gateway.ISandboxGatewayData)sb.Host.State).Subscribe(d => { lock (events) events.Add(d.EventName); });
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/channels/{c}/messages/{m}/reactions/{eyes}")).Status);
        var (_, message, _) = await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}");
        Assert.DoesNotContain(message!["reactions"]!.AsArray(), r => (string)r!["emoji"]!["name"]! == "👀");
        Assert.Equal(204, (await sb.SendAsync("DELETE", $"{Api}/channels/{c}/messages/{m}/reactions")).Status);
        Assert.Null((await sb.SendAsync("GET", $"{Api}/channels/{c}/messages/{m}")).Body!["reactions"]);
        Assert.Equal(["MESSAGE_REACTION_REMOVE_EMOJI", "MESSAGE_REACTION_REMOVE_ALL"], events);

        await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.GeneralChannelId}/permissions/{DemoGuild.BotRoleId}", new JsonObject { ["type"] = 0, ["deny"] = "8192" });
        var denied = await sb.SendAsync("DELETE", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages/{DemoGuild.PersonalAttackMessageId}/reactions");
        Assert.Equal(403, denied.Status);
    }

    [Fact]
    public async Task Button_click_interaction_can_update_the_message()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, message, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages", new JsonObject
        {
            ["content"] = "Resolved?",
            ["components"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 3, ["label"] = "Yes", ["custom_id"] = "resolved" }),
            }),
        });
        Assert.Equal(1, (int)message!["components"]![0]!["id"]!);
        Assert.Equal(2, (int)message["components"]![0]!["components"]![0]!["id"]!);
        var (_, handle, _) = await sb.SendAsync("POST", "_sandbox/interactions/component", new JsonObject { ["message_id"] = Id(message), ["user_id"] = DemoGuild.JordanUserId, ["custom_id"] = "resolved" });
        var id = (string)handle!["id"]!;
        var token = (string)handle["token"]!;
        var callback = await sb.SendAsync("POST", $"{Api}/interactions/{id}/{token}/callback", new JsonObject { ["type"] = 7, ["data"] = new JsonObject { ["content"] = "Marked as resolved", ["components"] = new JsonArray() } });
        Assert.Equal(204, callback.Status);
        var (_, updated, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/{Id(message)}");
        Assert.Equal("Marked as resolved", (string)updated!["content"]!);
        Assert.Empty(updated["components"]!.AsArray());
        var wrongToken = await sb.SendAsync("POST", $"{Api}/interactions/{id}/wrong/callback", new JsonObject { ["type"] = 6 });
        Assert.True(wrongToken.Status is 401 or 404, $"status {wrongToken.Status}");
    }

    [Fact]
    public async Task Clicking_a_missing_or_disabled_button_is_refused()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, message, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages", new JsonObject
        {
            ["content"] = "Vote",
            ["components"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 1, ["label"] = "Closed", ["custom_id"] = "closed", ["disabled"] = true }),
            }),
        });
        var missing = await sb.SendAsync("POST", "_sandbox/interactions/component", new JsonObject { ["message_id"] = Id(message), ["user_id"] = DemoGuild.JordanUserId, ["custom_id"] = "nope" });
        Assert.Equal(400, missing.Status);
        Assert.NotNull(missing.Body!["errors"]!["custom_id"]);
        Assert.Throws<SandboxApiException>(() => sb.Host.State.SimulateButtonClick(Id(message), DemoGuild.JordanUserId, "closed"));
    }

    [Fact]
    public async Task Demo_seed_has_every_channel_member_and_the_hidden_staff_channel()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, channels, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/channels");
        var names = channels!.AsArray().Select(c => (string)c!["name"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var name in (string[])["Text Channels", "Staff", "Community", "Voice", "general", "random", "support", "deployments", "incidents", "staff-private", "ideas", "Events", "Lounge"])
            Assert.Contains(name, names);
        Assert.Equal(15, (int)channels.AsArray().Single(c => (string)c!["name"]! == "ideas")!["type"]!);

        var staff = channels.AsArray().Single(c => Id(c) == DemoGuild.StaffPrivateChannelId)!;
        var everyone = staff["permission_overwrites"]!.AsArray().Single(o => Id(o) == G)!;
        Assert.True((ulong.Parse((string)everyone["deny"]!, CultureInfo.InvariantCulture) & 1024) != 0, "#staff-private must deny VIEW_CHANNEL to @everyone");

        var (_, members, _) = await sb.SendAsync("GET", $"{Api}/guilds/{G}/members?limit=1000");
        var usernames = members!.AsArray().Select(m => (string)m!["user"]!["username"]!).ToHashSet(StringComparer.Ordinal);
        foreach (var name in (string[])["luis", "new-user", "admin", "jordan", "alex", "priya", "chen"])
            Assert.Contains(name, usernames);

        var (_, attack, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages/{DemoGuild.PersonalAttackMessageId}");
        Assert.Contains("idiot", (string)attack!["content"]!, StringComparison.Ordinal);
        Assert.Equal(DemoGuild.JordanUserId, Id(attack["author"]));

        var (_, post, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.IdeasPostId}");
        Assert.Equal(DemoGuild.IdeasForumId, (string)post!["parent_id"]!);
        Assert.Contains(DemoGuild.IdeaTagId, post["applied_tags"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Staff_private_is_hidden_from_a_plain_member()
    {
        await using var sb = await TestSandbox.StartAsync();
        // The bot sees #staff-private; strip it down to @everyone (plus Member) and it no longer does.
        Assert.Equal(200, (await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.StaffPrivateChannelId}/messages")).Status);
        sb.Host.State.AddMember(G, DemoGuild.BotUserId, [DemoGuild.MemberRoleId]);
        var hidden = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.StaffPrivateChannelId}/messages");
        Assert.Equal(403, hidden.Status);
        Assert.Equal(50001, (int)hidden.Body!["code"]!);
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
