using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Gateway;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Sandbox.Tests.Rest;

public sealed class SandboxRestTests
{
    private const string Api = "api/v10";

    [Fact]
    public async Task Seeded_guild_has_roles_in_hierarchy_and_stable_ids()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (status, body, response) = await sb.SendAsync("GET", $"{Api}/guilds/{DemoGuild.GuildId}/roles");
        Assert.Equal(200, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var roles = body!.AsArray().Select(r => ((string)r!["name"]!, (int)r["position"]!)).ToDictionary(x => x.Item1, x => x.Item2);
        Assert.True(roles["Admin"] > roles[DemoGuild.BotName]);
        Assert.True(roles[DemoGuild.BotName] > roles["Moderator"]);
        Assert.True(roles["Moderator"] > roles["Support"]);
        Assert.True(roles["Support"] > roles["Member"]);

        await using var second = await TestSandbox.StartAsync();
        var (_, messages1, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages?limit=100");
        var (_, messages2, _) = await second.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages?limit=100");
        Assert.Equal(messages1!.ToJsonString(), messages2!.ToJsonString());
    }

    [Fact]
    public async Task Support_channel_holds_the_login_discussion_newest_first()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, body, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages?limit=100");
        var list = body!.AsArray();
        Assert.InRange(list.Count, 12, 20);
        var ids = list.Select(m => ulong.Parse((string)m!["id"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        var contents = string.Join("\n", list.Select(m => (string)m!["content"]!));
        Assert.Contains("session cookie", contents, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("backend", contents, StringComparison.OrdinalIgnoreCase);
        var unresolved = list.Single(m => (string)m!["id"]! == DemoGuild.UnresolvedMessageId)!;
        Assert.Equal(DemoGuild.JordanUserId, (string)unresolved["author"]!["id"]!);
        Assert.NotNull(unresolved["reactions"]);
        Assert.Equal("2026-02-23T06:30:00.000000+00:00", (string)unresolved["timestamp"]!);
    }

    [Fact]
    public async Task Audit_log_holds_seeded_entries_and_filters_by_action_type()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, body, _) = await sb.SendAsync("GET", $"{Api}/guilds/{DemoGuild.GuildId}/audit-logs?action_type=25");
        var entries = body!["audit_log_entries"]!.AsArray();
        var entry = Assert.Single(entries)!;
        Assert.Equal(DemoGuild.LuisUserId, (string)entry["user_id"]!);
        Assert.Equal(DemoGuild.NewUserId, (string)entry["target_id"]!);
        Assert.Equal("$add", (string)entry["changes"]![0]!["key"]!);
        var (_, all, _) = await sb.SendAsync("GET", $"{Api}/guilds/{DemoGuild.GuildId}/audit-logs");
        var actions = all!["audit_log_entries"]!.AsArray().Select(e => (int)e!["action_type"]!).ToList();
        Assert.Contains(30, actions);
        Assert.Contains(31, actions);
    }

    [Fact]
    public async Task Send_message_too_long_returns_nested_50035()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (status, body, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages", new JsonObject { ["content"] = new string('x', 2001) });
        Assert.Equal(400, status);
        Assert.Equal(50035, (int)body!["code"]!);
        Assert.Equal("BASE_TYPE_MAX_LENGTH", (string)body["errors"]!["content"]!["_errors"]![0]!["code"]!);
    }

    [Fact]
    public async Task Allowed_mentions_decide_which_mentions_ping_and_are_listed_on_the_message()
    {
        await using var sb = await TestSandbox.StartAsync();
        var content = $"@everyone @here <@&{DemoGuild.SupportRoleId}> <@{DemoGuild.LuisUserId}>";
        var (status, usersOnly, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages",
            new JsonObject { ["content"] = content, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray("users") } });
        Assert.Equal(200, status);
        Assert.False((bool)usersOnly!["mention_everyone"]!);
        Assert.Empty(usersOnly["mention_roles"]!.AsArray());
        Assert.Equal(DemoGuild.LuisUserId, (string)Assert.Single(usersOnly["mentions"]!.AsArray())!["id"]!);

        var (_, none, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages",
            new JsonObject { ["content"] = content, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray(), ["roles"] = new JsonArray(DemoGuild.SupportRoleId) } });
        Assert.False((bool)none!["mention_everyone"]!);
        Assert.Empty(none["mentions"]!.AsArray());
        Assert.Equal(DemoGuild.SupportRoleId, (string)Assert.Single(none["mention_roles"]!.AsArray())!);

        var (_, all, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages", new JsonObject { ["content"] = "@here now" });
        Assert.True((bool)all!["mention_everyone"]!);
    }

    [Fact]
    public async Task Malformed_json_returns_50109()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (status, body, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages", "{not json");
        Assert.Equal(400, status);
        Assert.Equal(50109, (int)body!["code"]!);
    }

    [Theory]
    [InlineData("channels/1", 10003)]
    [InlineData("guilds/1", 10004)]
    [InlineData("guilds/" + DemoGuild.GuildId + "/members/1", 10007)]
    [InlineData("guilds/" + DemoGuild.GuildId + "/roles/1", 10011)]
    [InlineData("channels/" + DemoGuild.GeneralChannelId + "/messages/1", 10008)]
    [InlineData("webhooks/1", 10015)]
    [InlineData("guilds/" + DemoGuild.GuildId + "/bans/" + DemoGuild.AlexUserId, 10026)]
    [InlineData("guilds/" + DemoGuild.GuildId + "/scheduled-events/1", 10070)]
    public async Task Unknown_entities_return_404_with_discord_codes(string path, int code)
    {
        await using var sb = await TestSandbox.StartAsync();
        var (status, body, _) = await sb.SendAsync("GET", $"{Api}/{path}");
        Assert.Equal(404, status);
        Assert.Equal(code, (int)body!["code"]!);
    }

    [Fact]
    public async Task Bot_cannot_edit_the_admin_role_above_it()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (status, body, _) = await sb.SendAsync("PATCH", $"{Api}/guilds/{DemoGuild.GuildId}/roles/{DemoGuild.AdminRoleId}", new JsonObject { ["name"] = "x" });
        Assert.Equal(403, status);
        Assert.Equal(50013, (int)body!["code"]!);
        var (ok, _, _) = await sb.SendAsync("PATCH", $"{Api}/guilds/{DemoGuild.GuildId}/roles/{DemoGuild.MemberRoleId}", new JsonObject { ["name"] = "Members" });
        Assert.Equal(200, ok);
    }

    [Fact]
    public async Task Bot_loses_access_after_an_overwrite_hides_the_channel()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (put, _, _) = await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.RandomChannelId}/permissions/{DemoGuild.BotUserId}", new JsonObject { ["type"] = 1, ["deny"] = "1024" });
        Assert.Equal(204, put);
        var (status, body, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.RandomChannelId}/messages");
        Assert.Equal(403, status);
        Assert.Equal(50001, (int)body!["code"]!);
    }

    [Fact]
    public async Task Pin_needs_PIN_MESSAGES()
    {
        await using var sb = await TestSandbox.StartAsync();
        var path = $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/pins/{DemoGuild.UnresolvedMessageId}";
        Assert.Equal(204, (await sb.SendAsync("PUT", path)).Status);
        var (_, pins, _) = await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/pins");
        Assert.Single(pins!["items"]!.AsArray());
        await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.GeneralChannelId}/permissions/{DemoGuild.BotRoleId}", new JsonObject { ["type"] = 0, ["deny"] = "2251799813685248" });
        var (status, body, _) = await sb.SendAsync("PUT", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages/pins/{DemoGuild.PersonalAttackMessageId}");
        Assert.Equal(403, status);
        Assert.Equal(50013, (int)body!["code"]!);
    }

    [Fact]
    public async Task Bulk_delete_enforces_count_age_and_duplicates()
    {
        await using var sb = await TestSandbox.StartAsync();
        var path = $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/bulk-delete";
        var one = await sb.SendAsync("POST", path, new JsonObject { ["messages"] = new JsonArray(DemoGuild.UnresolvedMessageId) });
        Assert.Equal(50016, (int)one.Body!["code"]!);
        var dup = await sb.SendAsync("POST", path, new JsonObject { ["messages"] = new JsonArray(DemoGuild.UnresolvedMessageId, DemoGuild.UnresolvedMessageId) });
        Assert.Equal(50035, (int)dup.Body!["code"]!);
        var old = await sb.SendAsync("POST", path, new JsonObject { ["messages"] = new JsonArray(DemoGuild.UnresolvedMessageId, "1113768905932931072") });
        Assert.Equal(50034, (int)old.Body!["code"]!);
        var ok = await sb.SendAsync("POST", path, new JsonObject { ["messages"] = new JsonArray(DemoGuild.UnresolvedMessageId, DemoGuild.SolvedReportMessageId) }, reason: "clean up");
        Assert.Equal(204, ok.Status);
        Assert.Equal(404, (await sb.SendAsync("GET", $"{Api}/channels/{DemoGuild.SupportChannelId}/messages/{DemoGuild.UnresolvedMessageId}")).Status);
        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{DemoGuild.GuildId}/audit-logs?action_type=73");
        Assert.Equal("clean up", (string)audit!["audit_log_entries"]![0]!["reason"]!);
    }

    [Fact]
    public async Task Mutations_publish_dispatches_in_order()
    {
        await using var sb = await TestSandbox.StartAsync();
        var events = new List<SandboxDispatch>();
        using var subscription = ((ISandboxGatewayData)sb.Host.State).Subscribe(d => { lock (events) events.Add(d); });
        var (_, message, _) = await sb.SendAsync("POST", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages", new JsonObject { ["content"] = "hello" });
        var id = (string)message!["id"]!;
        await sb.SendAsync("PATCH", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages/{id}", new JsonObject { ["content"] = "edited" });
        await sb.SendAsync("DELETE", $"{Api}/channels/{DemoGuild.GeneralChannelId}/messages/{id}");
        Assert.Equal(["MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"], events.Select(e => e.EventName));
        Assert.Equal(DemoGuild.GuildId, (string)events[0].Data["guild_id"]!);
        Assert.NotNull(events[0].Data["member"]);
        Assert.InRange(id.Length, 17, 19);
    }

    [Fact]
    public async Task Interaction_flow_callback_second_callback_and_followup()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, handle, _) = await sb.SendAsync("POST", "_sandbox/interactions/command", new JsonObject
        {
            ["guild_id"] = DemoGuild.GuildId, ["channel_id"] = DemoGuild.SupportChannelId, ["user_id"] = DemoGuild.LuisUserId, ["name"] = "status",
        });
        var id = (string)handle!["id"]!;
        var token = (string)handle["token"]!;
        var callback = $"{Api}/interactions/{id}/{token}/callback";
        Assert.Equal(204, (await sb.SendAsync("POST", callback, new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "All good" } })).Status);
        var again = await sb.SendAsync("POST", callback, new JsonObject { ["type"] = 4, ["data"] = new JsonObject { ["content"] = "x" } });
        Assert.Equal(400, again.Status);
        Assert.Equal(40060, (int)again.Body!["code"]!);
        var followup = await sb.SendAsync("POST", $"{Api}/webhooks/{DemoGuild.BotUserId}/{token}", new JsonObject { ["content"] = "More details" });
        Assert.Equal(200, followup.Status);
        var original = await sb.SendAsync("GET", $"{Api}/webhooks/{DemoGuild.BotUserId}/{token}/messages/@original");
        Assert.Equal("All good", (string)original.Body!["content"]!);
        var (_, record, _) = await sb.SendAsync("GET", $"_sandbox/interactions/{id}");
        Assert.Equal("More details", (string)record!["followups"]![0]!["content"]!);
    }

    [Fact]
    public async Task Gateway_bot_uses_request_host()
    {
        await using var sb = await TestSandbox.StartAsync();
        var (_, body, _) = await sb.SendAsync("GET", $"{Api}/gateway/bot");
        Assert.Equal($"ws://127.0.0.1:{sb.Host.BaseUrl.Port}/ws", (string)body!["url"]!);
        Assert.Equal(1, (int)body["session_start_limit"]!["max_concurrency"]!);
    }

    [Fact]
    public async Task Member_role_add_is_audited_with_reason()
    {
        await using var sb = await TestSandbox.StartAsync();
        var put = await sb.SendAsync("PUT", $"{Api}/guilds/{DemoGuild.GuildId}/members/{DemoGuild.NewUserId}/roles/{DemoGuild.SupportRoleId}", reason: "helps out a lot");
        Assert.Equal(204, put.Status);
        var (_, audit, _) = await sb.SendAsync("GET", $"{Api}/guilds/{DemoGuild.GuildId}/audit-logs?limit=1");
        var entry = audit!["audit_log_entries"]![0]!;
        Assert.Equal(25, (int)entry["action_type"]!);
        Assert.Equal("helps out a lot", (string)entry["reason"]!);
        var kickOwner = await sb.SendAsync("DELETE", $"{Api}/guilds/{DemoGuild.GuildId}/members/{DemoGuild.AdminUserId}");
        Assert.Equal(403, kickOwner.Status);
    }
}
