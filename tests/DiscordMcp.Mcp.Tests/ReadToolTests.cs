using System.Text.Json;
using DiscordMcp.Sandbox.State;

namespace DiscordMcp.Mcp.Tests;

/// <summary>Each read tool through a real MCP client against the sandbox's demo guild.</summary>
public sealed class ReadToolTests : IAsyncLifetime
{
    private McpTestServer _server = null!;

    public async Task InitializeAsync() => _server = await McpTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonElement Structured(ModelContextProtocol.Protocol.CallToolResult r) =>
        JsonSerializer.SerializeToElement(r.StructuredContent);

    [Fact]
    public async Task List_guilds_shows_the_demo_guild()
    {
        var r = await _server.CallAsync("discord_list_guilds");
        Assert.NotEqual(true, r.IsError);
        Assert.Contains($"DiscordMCP Demo (id {DemoGuild.GuildId})", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_guild_works_without_guild_id_when_one_guild_is_available()
    {
        var r = await _server.CallAsync("discord_get_guild");
        Assert.NotEqual(true, r.IsError);
        Assert.Equal(DemoGuild.GuildId, Structured(r).GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_channels_groups_by_category_and_reports_bot_access()
    {
        var r = await _server.CallAsync("discord_list_channels", new() { ["guild_id"] = DemoGuild.GuildId });
        Assert.NotEqual(true, r.IsError);
        var s = Structured(r);
        var groups = s.GetProperty("categories").EnumerateArray().ToList();
        var text = groups.Single(g => g.GetProperty("category_name").GetString() == "Text Channels");
        var support = text.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "support");
        Assert.True(support.GetProperty("bot_can_send").GetBoolean());
        // The seed grants the bot's role VIEW_CHANNEL on the staff overwrites, so #staff-private is viewable by the bot.
        var staff = groups.Single(g => g.GetProperty("category_name").GetString() == "Staff").GetProperty("channels").EnumerateArray().Single();
        Assert.Equal("staff-private", staff.GetProperty("name").GetString());
        Assert.True(staff.GetProperty("bot_can_view").GetBoolean());
        Assert.Contains("#support [text]", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_messages_returns_the_last_messages_of_support_as_a_fenced_transcript()
    {
        var r = await _server.CallAsync("discord_list_messages", new() { ["channel"] = "#support", ["limit"] = 5 });
        Assert.NotEqual(true, r.IsError);
        var messages = Structured(r).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(5, messages.Count);
        Assert.Equal("Chen", messages[^1].GetProperty("author").GetString());
        Assert.Contains("Is the login problem still going on?", messages[^1].GetProperty("content").GetString(), StringComparison.Ordinal);
        var text = r.Text();
        Assert.Contains("<untrusted-data kind=\"discord-messages\">", text, StringComparison.Ordinal);
        Assert.Contains("</untrusted-data>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_messages_accepts_an_iso_time_as_before()
    {
        var r = await _server.CallAsync("discord_list_messages", new() { ["channel"] = "support", ["before"] = "2026-02-23T06:14:00Z", ["limit"] = 100 });
        Assert.NotEqual(true, r.IsError);
        var messages = Structured(r).GetProperty("messages").EnumerateArray().ToList();
        // Only the two first #support messages (-170 and -168 minutes from 09:00, i.e. 06:10 and 06:12) are before 06:14.
        Assert.Equal(2, messages.Count);
        Assert.Equal(DemoGuild.SolvedReportMessageId, messages[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_message_shows_reply_target_and_reactions()
    {
        var r = await _server.CallAsync("discord_list_messages", new() { ["channel"] = "support", ["around"] = DemoGuild.UnresolvedMessageId, ["limit"] = 1 });
        Assert.NotEqual(true, r.IsError);
        var get = await _server.CallAsync("discord_get_message", new() { ["channel"] = $"<#{DemoGuild.SupportChannelId}>", ["message_id"] = DemoGuild.UnresolvedMessageId });
        Assert.NotEqual(true, get.IsError);
        var m = Structured(get).GetProperty("message");
        Assert.Equal("Jordan", m.GetProperty("author").GetString());
        Assert.Contains(m.GetProperty("reactions").EnumerateArray(), x => x.GetString() == "👀 2");
    }

    [Fact]
    public async Task List_roles_orders_highest_first()
    {
        var r = await _server.CallAsync("discord_list_roles");
        var names = Structured(r).GetProperty("roles").EnumerateArray().Select(x => x.GetProperty("name").GetString()).ToList();
        Assert.Equal("Admin", names[0]);
        Assert.Equal("@everyone", names[^1]);
    }

    [Theory]
    [InlineData("@Luis")]
    [InlineData("luis")]
    [InlineData("<@" + DemoGuild.LuisUserId + ">")]
    [InlineData("<@!" + DemoGuild.LuisUserId + ">")]
    [InlineData(DemoGuild.LuisUserId)]
    public async Task Get_member_resolves_every_user_form(string user)
    {
        var r = await _server.CallAsync("discord_get_member", new() { ["user"] = user });
        Assert.NotEqual(true, r.IsError);
        Assert.Equal(DemoGuild.LuisUserId, Structured(r).GetProperty("member").GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task Get_member_prefers_a_unique_prefix_of_the_display_name()
    {
        var r = await _server.CallAsync("discord_get_member", new() { ["user"] = "Maria" });
        Assert.NotEqual(true, r.IsError);
        Assert.Equal(DemoGuild.ModeratorUserId, Structured(r).GetProperty("member").GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task An_ambiguous_member_name_lists_the_candidates_with_ids()
    {
        // "a" is a prefix of admin and alex.
        var r = await _server.CallAsync("discord_get_member", new() { ["user"] = "a" });
        Assert.True(r.IsError);
        var text = r.Text();
        Assert.Contains("user:", text, StringComparison.Ordinal);
        Assert.Contains(DemoGuild.AdminUserId, text, StringComparison.Ordinal);
        Assert.Contains(DemoGuild.AlexUserId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_channel_name_suggests_close_matches()
    {
        var r = await _server.CallAsync("discord_list_messages", new() { ["channel"] = "#suport" });
        Assert.True(r.IsError);
        Assert.Contains("channel: no channel named \"suport\"", r.Text(), StringComparison.Ordinal);
        Assert.Contains("#support", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_members_pages_with_an_after_cursor()
    {
        var first = await _server.CallAsync("discord_list_members", new() { ["limit"] = 3 });
        var s = Structured(first);
        Assert.Equal(3, s.GetProperty("members").GetArrayLength());
        var next = s.GetProperty("next_after").GetString();
        Assert.NotNull(next);
        var second = await _server.CallAsync("discord_list_members", new() { ["limit"] = 3, ["after"] = next });
        var ids = Structured(second).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()).ToList();
        Assert.DoesNotContain(s.GetProperty("members")[0].GetProperty("user_id").GetString(), ids);
        Assert.All(ids, id => Assert.True(ulong.Parse(id!, System.Globalization.CultureInfo.InvariantCulture) > ulong.Parse(next, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Search_members_finds_a_fragment_of_the_display_name()
    {
        var r = await _server.CallAsync("discord_search_members", new() { ["query"] = "moderator" });
        Assert.NotEqual(true, r.IsError);
        Assert.Contains(Structured(r).GetProperty("members").EnumerateArray(), m => m.GetProperty("user_id").GetString() == DemoGuild.ModeratorUserId);
    }

    [Fact]
    public async Task Audit_log_roles_category_shows_readable_lines()
    {
        var r = await _server.CallAsync("discord_get_audit_log", new() { ["category"] = "roles" });
        Assert.NotEqual(true, r.IsError);
        var text = r.Text();
        Assert.Contains("@Admin created role \"Support\"", text, StringComparison.Ordinal);
        Assert.Contains("@Admin updated role \"Moderator\" (permissions: +MODERATE_MEMBERS +PIN_MESSAGES)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("changed the roles", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_log_members_category_shows_role_assignment()
    {
        var r = await _server.CallAsync("discord_get_audit_log", new() { ["category"] = "members", ["user"] = "@Luis" });
        Assert.NotEqual(true, r.IsError);
        Assert.Contains("@Luis changed the roles of @new-user: added \"Member\"", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_permissions_shows_the_everyone_overwrite_hiding_staff_private_from_a_member()
    {
        var r = await _server.CallAsync("discord_explain_permissions", new() { ["channel"] = "staff-private", ["permission"] = "view", ["member"] = "new-user" });
        Assert.NotEqual(true, r.IsError);
        var s = Structured(r);
        Assert.False(s.GetProperty("allowed").GetBoolean());
        Assert.Equal("VIEW_CHANNEL", s.GetProperty("permission").GetString());
        Assert.Contains("@everyone overwrite denies VIEW_CHANNEL", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_permissions_for_the_bot_credits_its_role_overwrite()
    {
        var r = await _server.CallAsync("discord_explain_permissions", new() { ["channel"] = "#staff-private", ["permission"] = "VIEW_CHANNEL" });
        Assert.NotEqual(true, r.IsError);
        Assert.True(Structured(r).GetProperty("allowed").GetBoolean());
        Assert.Contains("\"DiscordMCP\" allow VIEW_CHANNEL", r.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_ids_sent_as_numbers_are_accepted()
    {
        var r = await _server.CallAsync("discord_get_channel", new() { ["channel"] = JsonSerializer.Deserialize<JsonElement>(DemoGuild.SupportChannelId) });
        Assert.NotEqual(true, r.IsError);
        Assert.Equal("support", Structured(r).GetProperty("channel").GetProperty("name").GetString());
    }
}
