using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Sandbox.Tests.Contract;

/// <summary>
/// Every endpoint the sandbox implements, called through Prism with spec-valid requests: each call must get its
/// expected status and no contract violation (no <c>sl-violations</c>, no Prism 422/500). Tests share one sandbox,
/// so each one creates what it changes or deletes and never depends on another test.
/// </summary>
[Collection(ContractCollection.Name)]
[Trait("Category", "Contract")]
public sealed class SandboxContractTests(ContractFixture fx)
{
    private const string G = DemoGuild.GuildId;
    private const string App = DemoGuild.BotUserId;

    private Task<JsonNode?> Call(string method, string path, JsonNode? body = null, int expect = 200, string? reason = null) =>
        fx.CallAsync(method, path, body, expect, reason);

    private static string Id(JsonNode? node) => (string)node!["id"]!;

    // xunit makes a new instance per test: violations recorded before this test started belong to other tests.
    private readonly int _violationsBefore = fx.Recorder.Violations.Count;

    private void NoViolations()
    {
        var mine = fx.Recorder.Violations.Skip(_violationsBefore).ToList();
        Assert.True(mine.Count == 0, string.Join("\n\n", mine));
    }

    /// <summary>The demo bot has no MANAGE_GUILD: lends it the Admin role for <paramref name="action"/>, then takes it back.</summary>
    private async Task AsAdminAsync(Func<Task> action)
    {
        fx.Host.State.AddMember(G, DemoGuild.BotUserId, [DemoGuild.BotRoleId, DemoGuild.AdminRoleId]);
        try
        {
            await action();
        }
        finally
        {
            fx.Host.State.AddMember(G, DemoGuild.BotUserId, [DemoGuild.BotRoleId]);
        }
    }

    [Fact]
    public async Task Dm_open_send_and_unreachable_user_match_the_contract()
    {
        var dm = await Call("POST", "users/@me/channels", new JsonObject { ["recipient_id"] = DemoGuild.LuisUserId });
        Assert.Equal(1, (int)dm!["type"]!);
        Assert.Equal(DemoGuild.LuisUserId, Id(dm["recipients"]![0]));
        var sent = await Call("POST", $"channels/{Id(dm)}/messages", new JsonObject { ["content"] = "a warning" });
        Assert.Equal(Id(dm), (string)sent!["channel_id"]!);

        var stranger = fx.Host.State.AddUser("contract-stranger");
        var closed = await Call("POST", "users/@me/channels", new JsonObject { ["recipient_id"] = stranger });
        var error = await Call("POST", $"channels/{Id(closed)}/messages", new JsonObject { ["content"] = "a warning" }, expect: 403);
        Assert.Equal(50007, (int)error!["code"]!);
        NoViolations();
    }

    [Fact]
    public async Task Users_applications_and_gateway_match_the_contract()
    {
        var me = await Call("GET", "users/@me");
        Assert.Equal(DemoGuild.BotUserId, Id(me));
        Assert.True((bool)me!["bot"]!);
        var guilds = await Call("GET", "users/@me/guilds");
        Assert.Contains(guilds!.AsArray(), g => Id(g) == G);
        Assert.Equal(DemoGuild.LuisUserId, Id(await Call("GET", $"users/{DemoGuild.LuisUserId}")));
        Assert.Equal(App, Id(await Call("GET", "applications/@me")));
        Assert.StartsWith("ws://", (string)(await Call("GET", "gateway"))!["url"]!, StringComparison.Ordinal);
        Assert.Equal(1, (int)(await Call("GET", "gateway/bot"))!["shards"]!);
        NoViolations();
    }

    [Fact]
    public async Task Guild_get_modify_and_channel_list_match_the_contract()
    {
        var guild = await Call("GET", $"guilds/{G}?with_counts=true");
        Assert.Equal(DemoGuild.Name, (string)guild!["name"]!);
        var denied = await Call("PATCH", $"guilds/{G}", new JsonObject { ["description"] = "Contract test guild" }, 403);
        Assert.Equal(50013, (int)denied!["code"]!);
        await AsAdminAsync(async () =>
        {
            var modified = await Call("PATCH", $"guilds/{G}", new JsonObject { ["description"] = "Contract test guild" }, reason: "contract");
            Assert.Equal("Contract test guild", (string)modified!["description"]!);
        });
        var channels = await Call("GET", $"guilds/{G}/channels");
        Assert.Contains(channels!.AsArray(), c => Id(c) == DemoGuild.IdeasForumId);
        NoViolations();
    }

    [Fact]
    public async Task Channel_create_get_modify_reorder_overwrites_delete_match_the_contract()
    {
        var text = await Call("POST", $"guilds/{G}/channels", new JsonObject { ["name"] = "contract-text", ["type"] = 0, ["topic"] = "t", ["parent_id"] = DemoGuild.TextCategoryId }, 201);
        var voice = await Call("POST", $"guilds/{G}/channels", new JsonObject { ["name"] = "contract-voice", ["type"] = 2, ["bitrate"] = 64000, ["user_limit"] = 5 }, 201);
        var category = await Call("POST", $"guilds/{G}/channels", new JsonObject { ["name"] = "contract-cat", ["type"] = 4 }, 201);
        var forum = await Call("POST", $"guilds/{G}/channels", new JsonObject
        {
            ["name"] = "contract-forum", ["type"] = 15,
            ["available_tags"] = new JsonArray(new JsonObject { ["name"] = "question" }),
        }, 201);
        var id = Id(text);
        Assert.Equal("contract-text", (string)(await Call("GET", $"channels/{id}"))!["name"]!);
        await Call("GET", $"channels/{Id(voice)}");
        await Call("GET", $"channels/{Id(category)}");
        await Call("GET", $"channels/{Id(forum)}");
        var modified = await Call("PATCH", $"channels/{id}", new JsonObject { ["name"] = "contract-renamed", ["topic"] = "new topic", ["nsfw"] = false, ["rate_limit_per_user"] = 5 });
        Assert.Equal("contract-renamed", (string)modified!["name"]!);
        await Call("PATCH", $"guilds/{G}/channels", new JsonArray(new JsonObject { ["id"] = id, ["position"] = 7 }), 204);
        await Call("PUT", $"channels/{id}/permissions/{DemoGuild.MemberRoleId}", new JsonObject { ["type"] = 0, ["allow"] = "1024", ["deny"] = "2048" }, 204);
        await Call("PUT", $"channels/{id}/permissions/{DemoGuild.AlexUserId}", new JsonObject { ["type"] = 1, ["allow"] = "0", ["deny"] = "2048" }, 204);
        var withOverwrites = await Call("GET", $"channels/{id}");
        Assert.Equal(2, withOverwrites!["permission_overwrites"]!.AsArray().Count);
        await Call("DELETE", $"channels/{id}/permissions/{DemoGuild.AlexUserId}", expect: 204);
        var deleted = await Call("DELETE", $"channels/{id}");
        Assert.Equal(id, Id(deleted));
        await Call("DELETE", $"channels/{Id(voice)}");
        await Call("DELETE", $"channels/{Id(category)}");
        await Call("DELETE", $"channels/{Id(forum)}");
        NoViolations();
    }

    [Fact]
    public async Task Messages_list_get_send_edit_delete_bulk_delete_match_the_contract()
    {
        var s = DemoGuild.SupportChannelId;
        var all = await Call("GET", $"channels/{s}/messages?limit=100");
        Assert.True(all!.AsArray().Count >= 12);
        await Call("GET", $"channels/{s}/messages?before={DemoGuild.UnresolvedMessageId}&limit=5");
        await Call("GET", $"channels/{s}/messages?after={DemoGuild.SolvedReportMessageId}&limit=5");
        await Call("GET", $"channels/{s}/messages?around={DemoGuild.UnresolvedMessageId}&limit=5");
        var seeded = await Call("GET", $"channels/{s}/messages/{DemoGuild.UnresolvedMessageId}");
        Assert.NotNull(seeded!["reactions"]);
        var replyTo = await Call("GET", $"channels/{s}/messages/{all.AsArray()[^1]!["id"]}");
        Assert.NotNull(replyTo);

        var c = DemoGuild.RandomChannelId;
        var sent = await Call("POST", $"channels/{c}/messages", new JsonObject
        {
            ["content"] = "Contract hello",
            ["embeds"] = new JsonArray(new JsonObject { ["title"] = "Embed", ["description"] = "d", ["color"] = 0x5865F2, ["fields"] = new JsonArray(new JsonObject { ["name"] = "f", ["value"] = "v", ["inline"] = true }) }),
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        });
        var reply = await Call("POST", $"channels/{c}/messages", new JsonObject { ["content"] = "a reply", ["message_reference"] = new JsonObject { ["message_id"] = Id(sent) } });
        Assert.Equal(Id(sent), (string)reply!["message_reference"]!["message_id"]!);
        var edited = await Call("PATCH", $"channels/{c}/messages/{Id(sent)}", new JsonObject { ["content"] = "Contract edited" });
        Assert.NotNull((string?)edited!["edited_timestamp"]);
        await Call("DELETE", $"channels/{c}/messages/{Id(reply)}", expect: 204, reason: "contract");
        var a = await Call("POST", $"channels/{c}/messages", new JsonObject { ["content"] = "bulk a" });
        var b = await Call("POST", $"channels/{c}/messages", new JsonObject { ["content"] = "bulk b" });
        await Call("POST", $"channels/{c}/messages/bulk-delete", new JsonObject { ["messages"] = new JsonArray(Id(a), Id(b), Id(sent)) }, 204);
        await Call("GET", $"channels/{c}/messages/{Id(sent)}", expect: 404);
        NoViolations();
    }

    [Fact]
    public async Task Reactions_and_pins_match_the_contract()
    {
        var c = DemoGuild.RandomChannelId;
        var m = Id(await Call("POST", $"channels/{c}/messages", new JsonObject { ["content"] = "react to me" }));
        var thumbs = Uri.EscapeDataString("👍");
        await Call("PUT", $"channels/{c}/messages/{m}/reactions/{thumbs}/@me", expect: 204);
        fx.Host.State.ReactAsUser(c, m, DemoGuild.AlexUserId, "👍");
        var users = await Call("GET", $"channels/{c}/messages/{m}/reactions/{thumbs}");
        Assert.Equal(2, users!.AsArray().Count);
        var message = await Call("GET", $"channels/{c}/messages/{m}");
        Assert.Equal(2, (int)message!["reactions"]![0]!["count"]!);
        await Call("DELETE", $"channels/{c}/messages/{m}/reactions/{thumbs}/{DemoGuild.AlexUserId}", expect: 204);
        await Call("DELETE", $"channels/{c}/messages/{m}/reactions/{thumbs}/@me", expect: 204);
        await Call("PUT", $"channels/{c}/messages/{m}/reactions/{thumbs}/@me", expect: 204);
        await Call("GET", $"channels/{c}/messages/{m}/reactions/{thumbs}?limit=1&after={DemoGuild.AlexUserId}");
        await Call("DELETE", $"channels/{c}/messages/{m}/reactions/{thumbs}", expect: 204);
        await Call("PUT", $"channels/{c}/messages/{m}/reactions/{thumbs}/@me", expect: 204);
        await Call("DELETE", $"channels/{c}/messages/{m}/reactions", expect: 204);
        Assert.Null((await Call("GET", $"channels/{c}/messages/{m}"))!["reactions"]);

        await Call("PUT", $"channels/{c}/messages/pins/{m}", expect: 204, reason: "contract");
        var pins = await Call("GET", $"channels/{c}/messages/pins?limit=10");
        Assert.Contains(pins!["items"]!.AsArray(), p => Id(p!["message"]) == m);
        await Call("DELETE", $"channels/{c}/messages/pins/{m}", expect: 204);
        NoViolations();
    }

    [Fact]
    public async Task Threads_forum_posts_members_active_and_archived_match_the_contract()
    {
        var c = DemoGuild.GeneralChannelId;
        var starter = Id(await Call("POST", $"channels/{c}/messages", new JsonObject { ["content"] = "thread starter" }));
        var fromMessage = await Call("POST", $"channels/{c}/messages/{starter}/threads", new JsonObject { ["name"] = "from-message", ["auto_archive_duration"] = 1440 }, 201);
        Assert.Equal(11, (int)fromMessage!["type"]!);
        var standalone = await Call("POST", $"channels/{c}/threads", new JsonObject { ["name"] = "standalone", ["type"] = 11, ["auto_archive_duration"] = 60 }, 201);
        var priv = await Call("POST", $"channels/{c}/threads", new JsonObject { ["name"] = "private", ["type"] = 12, ["invitable"] = false }, 201);
        var post = await Call("POST", $"channels/{DemoGuild.IdeasForumId}/threads", new JsonObject
        {
            ["name"] = "Contract idea",
            ["applied_tags"] = new JsonArray(DemoGuild.IdeaTagId),
            ["message"] = new JsonObject { ["content"] = "An idea from the contract test" },
        }, 201);
        Assert.Equal(DemoGuild.IdeaTagId, (string)post!["applied_tags"]![0]!);
        Assert.NotNull(post["message"]);

        var t = Id(standalone);
        await Call("PUT", $"channels/{t}/thread-members/@me", expect: 204);
        await Call("PUT", $"channels/{t}/thread-members/{DemoGuild.AlexUserId}", expect: 204);
        var members = await Call("GET", $"channels/{t}/thread-members");
        Assert.Equal(2, members!.AsArray().Count);
        await Call("GET", $"channels/{t}/thread-members/{DemoGuild.AlexUserId}");
        var withMember = await Call("GET", $"channels/{t}/thread-members?with_member=true");
        Assert.All(withMember!.AsArray(), m => Assert.NotNull(m!["member"]));
        await Call("GET", $"channels/{t}/thread-members/{DemoGuild.AlexUserId}?with_member=true");
        await Call("DELETE", $"channels/{t}/thread-members/{DemoGuild.AlexUserId}", expect: 204);
        await Call("DELETE", $"channels/{t}/thread-members/@me", expect: 204);
        await Call("POST", $"channels/{t}/messages", new JsonObject { ["content"] = "in the thread" });

        var active = await Call("GET", $"guilds/{G}/threads/active");
        Assert.Contains(active!["threads"]!.AsArray(), x => Id(x) == t);
        var archived = await Call("PATCH", $"channels/{t}", new JsonObject { ["archived"] = true, ["locked"] = false });
        Assert.True((bool)archived!["thread_metadata"]!["archived"]!);
        var publicArchived = await Call("GET", $"channels/{c}/threads/archived/public?limit=10");
        Assert.Contains(publicArchived!["threads"]!.AsArray(), x => Id(x) == t);
        Assert.False((bool)publicArchived["has_more"]!);
        await Call("PATCH", $"channels/{Id(priv)}", new JsonObject { ["archived"] = true });
        await Call("GET", $"channels/{c}/threads/archived/private");
        await Call("DELETE", $"channels/{Id(fromMessage)}");
        NoViolations();
    }

    [Fact]
    public async Task Roles_crud_and_reorder_match_the_contract()
    {
        var roles = await Call("GET", $"guilds/{G}/roles");
        Assert.True(roles!.AsArray().Count >= 6);
        await Call("GET", $"guilds/{G}/roles/{DemoGuild.SupportRoleId}");
        var created = await Call("POST", $"guilds/{G}/roles", new JsonObject { ["name"] = "Contract", ["permissions"] = "3072", ["color"] = 0x123456, ["hoist"] = false, ["mentionable"] = true }, reason: "contract");
        var id = Id(created);
        Assert.Equal("3072", (string)created!["permissions"]!);
        var modified = await Call("PATCH", $"guilds/{G}/roles/{id}", new JsonObject { ["name"] = "Contract 2", ["permissions"] = "1024" });
        Assert.Equal("Contract 2", (string)modified!["name"]!);
        var reordered = await Call("PATCH", $"guilds/{G}/roles", new JsonArray(new JsonObject { ["id"] = id, ["position"] = 1 }));
        Assert.Contains(reordered!.AsArray(), r => Id(r) == id && (int)r!["position"]! == 1);
        await Call("DELETE", $"guilds/{G}/roles/{id}", expect: 204);
        NoViolations();
    }

    [Fact]
    public async Task Members_get_list_search_modify_roles_and_kick_match_the_contract()
    {
        var luis = await Call("GET", $"guilds/{G}/members/{DemoGuild.LuisUserId}");
        Assert.Equal(DemoGuild.LuisUserId, Id(luis!["user"]));
        var list = await Call("GET", $"guilds/{G}/members?limit=100");
        Assert.True(list!.AsArray().Count >= 10);
        await Call("GET", $"guilds/{G}/members?limit=2&after={DemoGuild.AdminUserId}");
        var search = await Call("GET", $"guilds/{G}/members/search?query=new&limit=10");
        Assert.Contains(search!.AsArray(), m => Id(m!["user"]) == DemoGuild.NewUserId);
        var until = DemoGuild.ReferenceNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
        var modified = await Call("PATCH", $"guilds/{G}/members/{DemoGuild.ChenUserId}", new JsonObject { ["nick"] = "Chen C.", ["communication_disabled_until"] = until }, reason: "contract");
        Assert.Equal("Chen C.", (string)modified!["nick"]!);
        await Call("PATCH", $"guilds/{G}/members/{DemoGuild.ChenUserId}", new JsonObject { ["nick"] = null, ["communication_disabled_until"] = null });
        await Call("PUT", $"guilds/{G}/members/{DemoGuild.ChenUserId}/roles/{DemoGuild.SupportRoleId}", expect: 204);
        await Call("DELETE", $"guilds/{G}/members/{DemoGuild.ChenUserId}/roles/{DemoGuild.SupportRoleId}", expect: 204);

        fx.Host.State.AddUser("kickme", id: "1116668008857731999");
        fx.Host.State.AddMember(G, "1116668008857731999", []);
        await Call("DELETE", $"guilds/{G}/members/1116668008857731999", expect: 204, reason: "contract");
        await Call("GET", $"guilds/{G}/members/1116668008857731999", expect: 404);
        NoViolations();
    }

    [Fact]
    public async Task Bans_match_the_contract()
    {
        const string user = "1116668008857731888";
        fx.Host.State.AddUser("banme", id: user);
        fx.Host.State.AddMember(G, user, []);
        await Call("PUT", $"guilds/{G}/bans/{user}", new JsonObject { ["delete_message_seconds"] = 3600 }, 204, reason: "contract");
        var ban = await Call("GET", $"guilds/{G}/bans/{user}");
        Assert.Equal("contract", (string)ban!["reason"]!);
        var bans = await Call("GET", $"guilds/{G}/bans?limit=10");
        Assert.Contains(bans!.AsArray(), b => Id(b!["user"]) == user);
        // The spec marks a request body as required on this DELETE (Discord needs none); an empty object satisfies both.
        await Call("DELETE", $"guilds/{G}/bans/{user}", new JsonObject(), 204);
        await Call("GET", $"guilds/{G}/bans/{user}", expect: 404);
        NoViolations();
    }

    [Fact]
    public async Task Webhooks_crud_and_execute_match_the_contract()
    {
        var c = DemoGuild.DeploymentsChannelId;
        var hook = await Call("POST", $"channels/{c}/webhooks", new JsonObject { ["name"] = "Deploy bot" }, reason: "contract");
        var id = Id(hook);
        var token = (string)hook!["token"]!;
        Assert.Contains(await Call("GET", $"channels/{c}/webhooks") as JsonArray ?? [], h => Id(h) == id);
        Assert.Contains(await Call("GET", $"guilds/{G}/webhooks") as JsonArray ?? [], h => Id(h) == id);
        await Call("GET", $"webhooks/{id}");
        await Call("GET", $"webhooks/{id}/{token}");
        await Call("PATCH", $"webhooks/{id}", new JsonObject { ["name"] = "Deploy bot 2" });
        await Call("PATCH", $"webhooks/{id}/{token}", new JsonObject { ["name"] = "Deploy bot 3" });
        var message = await Call("POST", $"webhooks/{id}/{token}?wait=true", new JsonObject { ["content"] = "Deployed v2.14.1", ["username"] = "CI" });
        Assert.Equal(id, (string)message!["webhook_id"]!);
        await Call("POST", $"webhooks/{id}/{token}", new JsonObject { ["content"] = "no wait" }, 204);
        await Call("GET", $"webhooks/{id}/{token}/messages/{Id(message)}");
        await Call("PATCH", $"webhooks/{id}/{token}/messages/{Id(message)}", new JsonObject { ["content"] = "Deployed v2.14.2" });
        await Call("DELETE", $"webhooks/{id}/{token}/messages/{Id(message)}", expect: 204);
        var second = await Call("POST", $"channels/{c}/webhooks", new JsonObject { ["name"] = "Other" });
        await Call("DELETE", $"webhooks/{Id(second)}/{(string)second!["token"]!}", expect: 204);
        await Call("DELETE", $"webhooks/{id}", expect: 204);
        NoViolations();
    }

    [Fact]
    public async Task Invites_match_the_contract()
    {
        var c = DemoGuild.GeneralChannelId;
        var invite = await Call("POST", $"channels/{c}/invites", new JsonObject { ["max_age"] = 3600, ["max_uses"] = 5, ["temporary"] = false, ["unique"] = true }, reason: "contract");
        var code = (string)invite!["code"]!;
        Assert.Contains(await Call("GET", $"channels/{c}/invites") as JsonArray ?? [], i => (string)i!["code"]! == code);
        await Call("GET", $"guilds/{G}/invites", expect: 403);
        await AsAdminAsync(async () => Assert.Contains(await Call("GET", $"guilds/{G}/invites") as JsonArray ?? [], i => (string)i!["code"]! == code));
        await Call("GET", $"invites/{code}?with_counts=true");
        await Call("GET", $"invites/{code}");
        await Call("DELETE", $"invites/{code}");
        await Call("GET", $"invites/{code}", expect: 404);
        NoViolations();
    }

    [Fact]
    public async Task Audit_log_with_filters_matches_the_contract()
    {
        await Call("GET", $"guilds/{G}/audit-logs");
        await Call("GET", $"guilds/{G}/audit-logs?action_type=25&limit=10");
        await Call("GET", $"guilds/{G}/audit-logs?user_id={DemoGuild.AdminUserId}");
        var before = DemoGuild.SeedMessageId(-200, 0);
        await Call("GET", $"guilds/{G}/audit-logs?before={before}&limit=5");
        await Call("GET", $"guilds/{G}/audit-logs?after={DemoGuild.GuildId}&limit=5");
        await Call("GET", $"guilds/{G}/audit-logs?target_id={DemoGuild.NewUserId}");
        NoViolations();
    }

    [Fact]
    public async Task Scheduled_events_match_the_contract()
    {
        string Iso(TimeSpan offset) => DemoGuild.ReferenceNow.Add(offset).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
        var voice = await Call("POST", $"guilds/{G}/scheduled-events", new JsonObject
        {
            ["name"] = "Community call", ["privacy_level"] = 2, ["entity_type"] = 2, ["channel_id"] = DemoGuild.EventsVoiceId,
            ["scheduled_start_time"] = Iso(TimeSpan.FromDays(1)), ["description"] = "Monthly call",
        }, reason: "contract");
        var external = await Call("POST", $"guilds/{G}/scheduled-events", new JsonObject
        {
            ["name"] = "Meetup", ["privacy_level"] = 2, ["entity_type"] = 3,
            ["entity_metadata"] = new JsonObject { ["location"] = "Berlin" },
            ["scheduled_start_time"] = Iso(TimeSpan.FromDays(2)), ["scheduled_end_time"] = Iso(TimeSpan.FromDays(2.1)),
        });
        Assert.Equal("Berlin", (string)external!["entity_metadata"]!["location"]!);
        var list = await Call("GET", $"guilds/{G}/scheduled-events");
        Assert.Contains(list!.AsArray(), e => Id(e) == Id(voice));
        await Call("GET", $"guilds/{G}/scheduled-events/{Id(voice)}");
        await Call("PATCH", $"guilds/{G}/scheduled-events/{Id(voice)}", new JsonObject { ["name"] = "Community call (moved)", ["scheduled_start_time"] = Iso(TimeSpan.FromDays(3)) });
        fx.Host.State.SubscribeToEvent(G, Id(voice), DemoGuild.AlexUserId);
        var users = await Call("GET", $"guilds/{G}/scheduled-events/{Id(voice)}/users?limit=10&with_member=true");
        Assert.NotNull(Assert.Single(users!.AsArray())!["member"]);
        var counted = await Call("GET", $"guilds/{G}/scheduled-events/{Id(voice)}?with_user_count=true");
        Assert.Equal(1, (int)counted!["user_count"]!);
        await Call("GET", $"guilds/{G}/scheduled-events?with_user_count=true");
        await Call("DELETE", $"guilds/{G}/scheduled-events/{Id(voice)}", expect: 204);
        await Call("DELETE", $"guilds/{G}/scheduled-events/{Id(external)}", expect: 204);
        NoViolations();
    }

    [Fact]
    public async Task Application_commands_global_and_guild_match_the_contract()
    {
        foreach (var prefix in (string[])[$"applications/{App}/commands", $"applications/{App}/guilds/{G}/commands"])
        {
            var created = await Call("POST", prefix, new JsonObject
            {
                ["name"] = "contract", ["description"] = "Contract command", ["type"] = 1,
                ["options"] = new JsonArray(new JsonObject { ["type"] = 3, ["name"] = "text", ["description"] = "Some text", ["required"] = true }),
            }, 201);
            var id = Id(created);
            await Call("GET", prefix);
            await Call("GET", $"{prefix}/{id}");
            await Call("PATCH", $"{prefix}/{id}", new JsonObject { ["description"] = "Edited" });
            await Call("DELETE", $"{prefix}/{id}", expect: 204);
            var overwritten = await Call("PUT", prefix, new JsonArray(
                new JsonObject { ["name"] = "status", ["description"] = "Show status", ["type"] = 1 },
                new JsonObject { ["name"] = "help", ["description"] = "Show help", ["type"] = 1, ["default_member_permissions"] = "8192" }));
            Assert.Equal(2, overwritten!.AsArray().Count);
        }
        NoViolations();
    }

    [Fact]
    public async Task Interaction_callback_followups_and_original_match_the_contract()
    {
        var handle = fx.Host.State.SimulateSlashCommand(G, DemoGuild.SupportChannelId, DemoGuild.LuisUserId, "status");
        await Call("POST", $"interactions/{handle.Id}/{handle.Token}/callback", new JsonObject { ["type"] = 5 }, 204);
        await Call("GET", $"webhooks/{App}/{handle.Token}/messages/@original");
        var original = await Call("PATCH", $"webhooks/{App}/{handle.Token}/messages/@original", new JsonObject { ["content"] = "All systems go" });
        Assert.Equal("All systems go", (string)original!["content"]!);
        var followup = await Call("POST", $"webhooks/{App}/{handle.Token}", new JsonObject { ["content"] = "Follow-up", ["flags"] = 64 });
        await Call("GET", $"webhooks/{App}/{handle.Token}/messages/{Id(followup)}");
        await Call("PATCH", $"webhooks/{App}/{handle.Token}/messages/{Id(followup)}", new JsonObject { ["content"] = "Follow-up edited" });
        await Call("DELETE", $"webhooks/{App}/{handle.Token}/messages/{Id(followup)}", expect: 204);
        await Call("DELETE", $"webhooks/{App}/{handle.Token}/messages/@original", expect: 204);

        var withResponse = fx.Host.State.SimulateSlashCommand(G, DemoGuild.SupportChannelId, DemoGuild.LuisUserId, "status");
        var callback = await Call("POST", $"interactions/{withResponse.Id}/{withResponse.Token}/callback?with_response=true", new JsonObject
        {
            ["type"] = 4,
            ["data"] = new JsonObject
            {
                ["content"] = "Pick one",
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = 1,
                    ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 1, ["label"] = "OK", ["custom_id"] = "ok" }),
                }),
            },
        });
        Assert.Equal(withResponse.Id, Id(callback!["interaction"]));
        var messageId = Id(callback["resource"]!["message"]);
        var click = fx.Host.State.SimulateButtonClick(messageId, DemoGuild.LuisUserId, "ok");
        await Call("POST", $"interactions/{click.Id}/{click.Token}/callback", new JsonObject { ["type"] = 7, ["data"] = new JsonObject { ["content"] = "Picked", ["components"] = new JsonArray() } }, 204);
        NoViolations();
    }

    [Fact]
    public async Task Error_responses_match_the_contract()
    {
        var unknownChannel = await Call("GET", "channels/1", expect: 404);
        Assert.Equal(10003, (int)unknownChannel!["code"]!);
        var unknownGuild = await Call("GET", "guilds/1", expect: 404);
        Assert.Equal(10004, (int)unknownGuild!["code"]!);
        await Call("GET", $"guilds/{G}/members/1", expect: 404);
        await Call("GET", $"channels/{DemoGuild.GeneralChannelId}/messages/1", expect: 404);
        await Call("GET", "webhooks/1", expect: 404);
        await Call("GET", "invites/nope", expect: 404);
        var forbidden = await Call("PATCH", $"guilds/{G}/roles/{DemoGuild.AdminRoleId}", new JsonObject { ["name"] = "x" }, 403);
        Assert.Equal(50013, (int)forbidden!["code"]!);
        var noAccess = await Call("GET", $"channels/{DemoGuild.StaffPrivateChannelId}/messages/1", expect: 404);
        Assert.Equal(10008, (int)noAccess!["code"]!);
        var empty = await Call("POST", $"channels/{DemoGuild.GeneralChannelId}/messages", new JsonObject { ["content"] = "" }, 400);
        Assert.Equal(50006, (int)empty!["code"]!);
        var tooOld = await Call("POST", $"channels/{DemoGuild.GeneralChannelId}/messages/bulk-delete", new JsonObject { ["messages"] = new JsonArray(DemoGuild.PersonalAttackMessageId, "1113768905932931072") }, 400);
        Assert.Equal(50034, (int)tooOld!["code"]!);
        var hook = await Call("POST", $"channels/{DemoGuild.IncidentsChannelId}/webhooks", new JsonObject { ["name"] = "wrong token" });
        var badToken = await Call("POST", $"webhooks/{Id(hook)}/not-the-token", new JsonObject { ["content"] = "x" }, 401);
        Assert.Equal(50027, (int)badToken!["code"]!);
        await Call("DELETE", $"webhooks/{Id(hook)}", expect: 204);
        var unknownInteraction = await Call("POST", "interactions/1/aW50ZXJhY3Rpb246/callback", new JsonObject { ["type"] = 6 }, 404);
        Assert.Equal(10062, (int)unknownInteraction!["code"]!);
        NoViolations();

        // Documented limit is 2000 (the spec says 4000, so Prism forwards it and the sandbox answers 50035).
        // KNOWN DISAGREEMENT: the docs show field errors as {"code": "BASE_TYPE_MAX_LENGTH", "message": ...} (string
        // codes, which real Discord sends); the spec's Error schema types "code" as integer. The sandbox keeps the
        // documented shape, so Prism flags exactly that: every violation lies inside "errors" and one says
        // "code must be integer". The top level (code 50035, message) is valid.
        var tooLong = await fx.CallWithKnownErrorCodeDisagreementAsync("POST", $"channels/{DemoGuild.GeneralChannelId}/messages", new JsonObject { ["content"] = new string('x', 2001) });
        Assert.Equal(50035, (int)tooLong["code"]!);
        Assert.Equal("BASE_TYPE_MAX_LENGTH", (string)tooLong["errors"]!["content"]!["_errors"]![0]!["code"]!);
    }
}
