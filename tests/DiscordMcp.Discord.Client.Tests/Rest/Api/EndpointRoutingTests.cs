using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using static DiscordMcp.Discord.Client.Tests.Rest.Api.Api;

namespace DiscordMcp.Discord.Client.Tests.Rest.Api;

/// <summary>Method, route template, concrete path, major parameter, auth and audit reason for each endpoint.</summary>
public sealed class EndpointRoutingTests
{
    private const string Why = "cleanup: spam";

    private sealed record Case(
        string Response, Func<DiscordRestClient, Task> Call, string Method, string Route, string Path, string? Major,
        bool Authenticated = true, string? Reason = null, bool Exempt = false);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["me"] = new(UserJson, c => c.GetCurrentUserAsync(), "GET", "/users/@me", "users/@me", null),
        ["open dm"] = new(DmJson, c => c.CreateDmAsync(User), "POST", "/users/@me/channels", "users/@me/channels", null),
        ["my guilds"] = new("[]", c => c.GetCurrentUserGuildsAsync(after: Guild, limit: 200), "GET", "/users/@me/guilds", $"users/@me/guilds?after={Guild}&limit=200", null),
        ["application"] = new("""{"id":"1100000000000000007","name":"bot"}""", c => c.GetCurrentApplicationAsync(), "GET", "/applications/@me", "applications/@me", null),
        ["gateway"] = new("""{"url":"wss://x"}""", c => c.GetGatewayAsync(), "GET", "/gateway", "gateway", null, Authenticated: false),
        ["gateway bot"] = new("""{"url":"wss://x","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":1,"max_concurrency":1}}""",
            c => c.GetGatewayBotAsync(), "GET", "/gateway/bot", "gateway/bot", null),
        ["get guild"] = new("""{"id":"1100000000000000001","name":"g"}""", c => c.GetGuildAsync(Guild), "GET", "/guilds/{guild_id}", $"guilds/{Guild}?with_counts=true", $"{Guild}"),
        ["modify guild"] = new("""{"id":"1100000000000000001","name":"g"}""", c => c.ModifyGuildAsync(Guild, new() { Name = "New" }, Why), "PATCH", "/guilds/{guild_id}", $"guilds/{Guild}", $"{Guild}", Reason: Why),
        ["audit log"] = new("{}", c => c.GetAuditLogAsync(Guild, new() { UserId = User, ActionType = AuditLogEvent.MemberRoleUpdate, Before = Message, TargetId = Role, Limit = 10 }),
            "GET", "/guilds/{guild_id}/audit-logs", $"guilds/{Guild}/audit-logs?user_id={User}&action_type=25&before={Message}&target_id={Role}&limit=10", $"{Guild}"),
        ["list channels"] = new("[]", c => c.GetGuildChannelsAsync(Guild), "GET", "/guilds/{guild_id}/channels", $"guilds/{Guild}/channels", $"{Guild}"),
        ["create channel"] = new(ChannelJson, c => c.CreateGuildChannelAsync(Guild, new() { Name = "ops" }, Why), "POST", "/guilds/{guild_id}/channels", $"guilds/{Guild}/channels", $"{Guild}", Reason: Why),
        ["get channel"] = new(ChannelJson, c => c.GetChannelAsync(Channel), "GET", "/channels/{channel_id}", $"channels/{Channel}", $"{Channel}"),
        ["modify channel"] = new(ChannelJson, c => c.ModifyChannelAsync(Channel, new() { Topic = null }, Why), "PATCH", "/channels/{channel_id}", $"channels/{Channel}", $"{Channel}", Reason: Why),
        ["delete channel"] = new(ChannelJson, c => c.DeleteChannelAsync(Channel, Why), "DELETE", "/channels/{channel_id}", $"channels/{Channel}", $"{Channel}", Reason: Why),
        ["reorder channels"] = new("", c => c.ReorderGuildChannelsAsync(Guild, [new() { Id = Channel, Position = 1 }], Why), "PATCH", "/guilds/{guild_id}/channels", $"guilds/{Guild}/channels", $"{Guild}", Reason: Why),
        ["edit overwrite"] = new("", c => c.EditChannelPermissionsAsync(Channel, Role, new() { Type = OverwriteType.Role }, Why),
            "PUT", "/channels/{channel_id}/permissions/{overwrite_id}", $"channels/{Channel}/permissions/{Role}", $"{Channel}", Reason: Why),
        ["delete overwrite"] = new("", c => c.DeleteChannelPermissionAsync(Channel, Role, Why),
            "DELETE", "/channels/{channel_id}/permissions/{overwrite_id}", $"channels/{Channel}/permissions/{Role}", $"{Channel}", Reason: Why),
        ["list messages"] = new("[]", c => c.GetMessagesAsync(Channel, new() { Around = Message, Limit = 50 }),
            "GET", "/channels/{channel_id}/messages", $"channels/{Channel}/messages?around={Message}&limit=50", $"{Channel}"),
        ["get message"] = new(MessageJson, c => c.GetMessageAsync(Channel, Message), "GET", "/channels/{channel_id}/messages/{message_id}", $"channels/{Channel}/messages/{Message}", $"{Channel}"),
        ["send message"] = new(MessageJson, c => c.CreateMessageAsync(Channel, "hi"), "POST", "/channels/{channel_id}/messages", $"channels/{Channel}/messages", $"{Channel}"),
        ["edit message"] = new(MessageJson, c => c.EditMessageAsync(Channel, Message, new() { Content = "x" }),
            "PATCH", "/channels/{channel_id}/messages/{message_id}", $"channels/{Channel}/messages/{Message}", $"{Channel}"),
        ["delete message"] = new("", c => c.DeleteMessageAsync(Channel, Message, Why),
            "DELETE", "/channels/{channel_id}/messages/{message_id}", $"channels/{Channel}/messages/{Message}", $"{Channel}", Reason: Why),
        ["bulk delete"] = new("", c => c.BulkDeleteMessagesAsync(Channel, [Message, new Snowflake(Message.Value + 1)], Why),
            "POST", "/channels/{channel_id}/messages/bulk-delete", $"channels/{Channel}/messages/bulk-delete", $"{Channel}", Reason: Why),
        ["add reaction"] = new("", c => c.CreateReactionAsync(Channel, Message, "👍"),
            "PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", $"channels/{Channel}/messages/{Message}/reactions/%F0%9F%91%8D/@me", $"{Channel}"),
        ["remove own reaction"] = new("", c => c.DeleteOwnReactionAsync(Channel, Message, "<:party:123456789012345678>"),
            "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", $"channels/{Channel}/messages/{Message}/reactions/party%3A123456789012345678/@me", $"{Channel}"),
        ["remove user reaction"] = new("", c => c.DeleteUserReactionAsync(Channel, Message, "party:123456789012345678", User),
            "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}", $"channels/{Channel}/messages/{Message}/reactions/party%3A123456789012345678/{User}", $"{Channel}"),
        ["list reactions"] = new("[]", c => c.GetReactionsAsync(Channel, Message, "👍", limit: 25),
            "GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", $"channels/{Channel}/messages/{Message}/reactions/%F0%9F%91%8D?limit=25", $"{Channel}"),
        ["list pins"] = new("""{"items":[],"has_more":false}""", c => c.GetPinnedMessagesAsync(Channel, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), 10),
            "GET", "/channels/{channel_id}/messages/pins", $"channels/{Channel}/messages/pins?before=2026-01-02T01%3A04%3A05.000%2B00%3A00&limit=10", $"{Channel}"),
        ["pin"] = new("", c => c.PinMessageAsync(Channel, Message, Why), "PUT", "/channels/{channel_id}/messages/pins/{message_id}", $"channels/{Channel}/messages/pins/{Message}", $"{Channel}", Reason: Why),
        ["unpin"] = new("", c => c.UnpinMessageAsync(Channel, Message, Why), "DELETE", "/channels/{channel_id}/messages/pins/{message_id}", $"channels/{Channel}/messages/pins/{Message}", $"{Channel}", Reason: Why),
        ["thread from message"] = new(ChannelJson, c => c.StartThreadFromMessageAsync(Channel, Message, new() { Name = "t", AutoArchiveDuration = 1440 }, Why),
            "POST", "/channels/{channel_id}/messages/{message_id}/threads", $"channels/{Channel}/messages/{Message}/threads", $"{Channel}", Reason: Why),
        ["thread"] = new(ChannelJson, c => c.StartThreadAsync(Channel, new() { Name = "t", Type = ChannelType.PublicThread }, Why),
            "POST", "/channels/{channel_id}/threads", $"channels/{Channel}/threads", $"{Channel}", Reason: Why),
        ["forum post"] = new(ChannelJson, c => c.StartForumThreadAsync(Channel, new() { Name = "idea", Message = new() { Content = "body" }, AppliedTags = [Role] }),
            "POST", "/channels/{channel_id}/threads", $"channels/{Channel}/threads", $"{Channel}"),
        ["join thread"] = new("", c => c.JoinThreadAsync(Channel), "PUT", "/channels/{channel_id}/thread-members/@me", $"channels/{Channel}/thread-members/@me", $"{Channel}"),
        ["leave thread"] = new("", c => c.LeaveThreadAsync(Channel), "DELETE", "/channels/{channel_id}/thread-members/@me", $"channels/{Channel}/thread-members/@me", $"{Channel}"),
        ["add thread member"] = new("", c => c.AddThreadMemberAsync(Channel, User), "PUT", "/channels/{channel_id}/thread-members/{user_id}", $"channels/{Channel}/thread-members/{User}", $"{Channel}"),
        ["remove thread member"] = new("", c => c.RemoveThreadMemberAsync(Channel, User), "DELETE", "/channels/{channel_id}/thread-members/{user_id}", $"channels/{Channel}/thread-members/{User}", $"{Channel}"),
        ["thread members"] = new("[]", c => c.GetThreadMembersAsync(Channel), "GET", "/channels/{channel_id}/thread-members", $"channels/{Channel}/thread-members", $"{Channel}"),
        ["active threads"] = new(ThreadListJson, c => c.GetActiveThreadsAsync(Guild), "GET", "/guilds/{guild_id}/threads/active", $"guilds/{Guild}/threads/active", $"{Guild}"),
        ["archived public"] = new(ThreadListJson, c => c.GetPublicArchivedThreadsAsync(Channel, limit: 5),
            "GET", "/channels/{channel_id}/threads/archived/public", $"channels/{Channel}/threads/archived/public?limit=5", $"{Channel}"),
        ["archived private"] = new(ThreadListJson, c => c.GetPrivateArchivedThreadsAsync(Channel),
            "GET", "/channels/{channel_id}/threads/archived/private", $"channels/{Channel}/threads/archived/private", $"{Channel}"),
        ["list roles"] = new("[]", c => c.GetRolesAsync(Guild), "GET", "/guilds/{guild_id}/roles", $"guilds/{Guild}/roles", $"{Guild}"),
        ["get role"] = new(RoleJson, c => c.GetRoleAsync(Guild, Role), "GET", "/guilds/{guild_id}/roles/{role_id}", $"guilds/{Guild}/roles/{Role}", $"{Guild}"),
        ["create role"] = new(RoleJson, c => c.CreateRoleAsync(Guild, new() { Name = "Support" }, Why), "POST", "/guilds/{guild_id}/roles", $"guilds/{Guild}/roles", $"{Guild}", Reason: Why),
        ["modify role"] = new(RoleJson, c => c.ModifyRoleAsync(Guild, Role, new() { Hoist = true }, Why), "PATCH", "/guilds/{guild_id}/roles/{role_id}", $"guilds/{Guild}/roles/{Role}", $"{Guild}", Reason: Why),
        ["reorder roles"] = new("[]", c => c.ReorderRolesAsync(Guild, [new(Role, 3)], Why), "PATCH", "/guilds/{guild_id}/roles", $"guilds/{Guild}/roles", $"{Guild}", Reason: Why),
        ["delete role"] = new("", c => c.DeleteRoleAsync(Guild, Role, Why), "DELETE", "/guilds/{guild_id}/roles/{role_id}", $"guilds/{Guild}/roles/{Role}", $"{Guild}", Reason: Why),
        ["get member"] = new(MemberJson, c => c.GetMemberAsync(Guild, User), "GET", "/guilds/{guild_id}/members/{user_id}", $"guilds/{Guild}/members/{User}", $"{Guild}"),
        ["list members"] = new("[]", c => c.ListMembersAsync(Guild, 1000, User), "GET", "/guilds/{guild_id}/members", $"guilds/{Guild}/members?limit=1000&after={User}", $"{Guild}"),
        ["search members"] = new("[]", c => c.SearchMembersAsync(Guild, "lu is&", 5), "GET", "/guilds/{guild_id}/members/search", $"guilds/{Guild}/members/search?query=lu%20is%26&limit=5", $"{Guild}"),
        ["modify member"] = new(MemberJson, c => c.ModifyMemberAsync(Guild, User, new() { Nick = "L" }, Why), "PATCH", "/guilds/{guild_id}/members/{user_id}", $"guilds/{Guild}/members/{User}", $"{Guild}", Reason: Why),
        ["timeout"] = new(MemberJson, c => c.TimeoutMemberAsync(Guild, User, Now.AddHours(1), Why), "PATCH", "/guilds/{guild_id}/members/{user_id}", $"guilds/{Guild}/members/{User}", $"{Guild}", Reason: Why),
        ["kick"] = new("", c => c.KickMemberAsync(Guild, User, Why), "DELETE", "/guilds/{guild_id}/members/{user_id}", $"guilds/{Guild}/members/{User}", $"{Guild}", Reason: Why),
        ["ban"] = new("", c => c.BanMemberAsync(Guild, User, 3600, Why), "PUT", "/guilds/{guild_id}/bans/{user_id}", $"guilds/{Guild}/bans/{User}", $"{Guild}", Reason: Why),
        ["unban"] = new("", c => c.UnbanMemberAsync(Guild, User, Why), "DELETE", "/guilds/{guild_id}/bans/{user_id}", $"guilds/{Guild}/bans/{User}", $"{Guild}", Reason: Why),
        ["list bans"] = new("[]", c => c.GetBansAsync(Guild, 10), "GET", "/guilds/{guild_id}/bans", $"guilds/{Guild}/bans?limit=10", $"{Guild}"),
        ["get ban"] = new("""{"reason":null,"user":""" + UserJson + "}", c => c.GetBanAsync(Guild, User), "GET", "/guilds/{guild_id}/bans/{user_id}", $"guilds/{Guild}/bans/{User}", $"{Guild}"),
        ["add role"] = new("", c => c.AddMemberRoleAsync(Guild, User, Role, Why),
            "PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", $"guilds/{Guild}/members/{User}/roles/{Role}", $"{Guild}", Reason: Why),
        ["remove role"] = new("", c => c.RemoveMemberRoleAsync(Guild, User, Role, Why),
            "DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", $"guilds/{Guild}/members/{User}/roles/{Role}", $"{Guild}", Reason: Why),
        ["create webhook"] = new(WebhookJson, c => c.CreateWebhookAsync(Channel, new() { Name = "deploys" }, Why), "POST", "/channels/{channel_id}/webhooks", $"channels/{Channel}/webhooks", $"{Channel}", Reason: Why),
        ["channel webhooks"] = new("[]", c => c.GetChannelWebhooksAsync(Channel), "GET", "/channels/{channel_id}/webhooks", $"channels/{Channel}/webhooks", $"{Channel}"),
        ["guild webhooks"] = new("[]", c => c.GetGuildWebhooksAsync(Guild), "GET", "/guilds/{guild_id}/webhooks", $"guilds/{Guild}/webhooks", $"{Guild}"),
        ["get webhook"] = new(WebhookJson, c => c.GetWebhookAsync(Webhook), "GET", "/webhooks/{webhook_id}", $"webhooks/{Webhook}", $"{Webhook}"),
        ["modify webhook"] = new(WebhookJson, c => c.ModifyWebhookAsync(Webhook, new() { Name = "ci" }, Why), "PATCH", "/webhooks/{webhook_id}", $"webhooks/{Webhook}", $"{Webhook}", Reason: Why),
        ["delete webhook"] = new("", c => c.DeleteWebhookAsync(Webhook, Why), "DELETE", "/webhooks/{webhook_id}", $"webhooks/{Webhook}", $"{Webhook}", Reason: Why),
        ["execute webhook"] = new(MessageJson, c => c.ExecuteWebhookAsync(Webhook, Token, new() { Content = "deployed" }, threadId: Channel),
            "POST", "/webhooks/{webhook_id}/{webhook_token}", $"webhooks/{Webhook}/{Token}?wait=true&thread_id={Channel}", $"{Webhook}/{Token}", Authenticated: false),
        ["get webhook message"] = new(MessageJson, c => c.GetWebhookMessageAsync(Webhook, Token, Message),
            "GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", $"webhooks/{Webhook}/{Token}/messages/{Message}", $"{Webhook}/{Token}", Authenticated: false),
        ["edit webhook message"] = new(MessageJson, c => c.EditWebhookMessageAsync(Webhook, Token, Message, new() { Content = "x" }),
            "PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", $"webhooks/{Webhook}/{Token}/messages/{Message}", $"{Webhook}/{Token}", Authenticated: false),
        ["delete webhook message"] = new("", c => c.DeleteWebhookMessageAsync(Webhook, Token, Message),
            "DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", $"webhooks/{Webhook}/{Token}/messages/{Message}", $"{Webhook}/{Token}", Authenticated: false),
        ["create invite"] = new(InviteJson, c => c.CreateChannelInviteAsync(Channel, reason: Why), "POST", "/channels/{channel_id}/invites", $"channels/{Channel}/invites", $"{Channel}", Reason: Why),
        ["channel invites"] = new("[]", c => c.GetChannelInvitesAsync(Channel), "GET", "/channels/{channel_id}/invites", $"channels/{Channel}/invites", $"{Channel}"),
        ["guild invites"] = new("[]", c => c.GetGuildInvitesAsync(Guild), "GET", "/guilds/{guild_id}/invites", $"guilds/{Guild}/invites", $"{Guild}"),
        ["get invite"] = new(InviteJson, c => c.GetInviteAsync("https://discord.gg/abc"), "GET", "/invites/{invite_code}", "invites/abc?with_counts=true", null, Authenticated: false),
        ["delete invite"] = new(InviteJson, c => c.DeleteInviteAsync("a b", Why), "DELETE", "/invites/{invite_code}", "invites/a%20b", null, Reason: Why),
        ["list events"] = new("[]", c => c.GetScheduledEventsAsync(Guild, withUserCount: true),
            "GET", "/guilds/{guild_id}/scheduled-events", $"guilds/{Guild}/scheduled-events?with_user_count=true", $"{Guild}"),
        ["get event"] = new(EventJson, c => c.GetScheduledEventAsync(Guild, Event),
            "GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"guilds/{Guild}/scheduled-events/{Event}", $"{Guild}"),
        ["create event"] = new(EventJson, c => c.CreateScheduledEventAsync(Guild, ExternalEvent(), Why),
            "POST", "/guilds/{guild_id}/scheduled-events", $"guilds/{Guild}/scheduled-events", $"{Guild}", Reason: Why),
        ["modify event"] = new(EventJson, c => c.ModifyScheduledEventAsync(Guild, Event, new() { Status = ScheduledEventStatus.Canceled }, Why),
            "PATCH", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"guilds/{Guild}/scheduled-events/{Event}", $"{Guild}", Reason: Why),
        ["delete event"] = new("", c => c.DeleteScheduledEventAsync(Guild, Event),
            "DELETE", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"guilds/{Guild}/scheduled-events/{Event}", $"{Guild}"),
        ["event users"] = new("[]", c => c.GetScheduledEventUsersAsync(Guild, Event, 100, withMember: true),
            "GET", "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users", $"guilds/{Guild}/scheduled-events/{Event}/users?limit=100&with_member=true", $"{Guild}"),
        ["global commands"] = new("[]", c => c.GetCommandsAsync(App), "GET", "/applications/{application_id}/commands", $"applications/{App}/commands", null),
        ["create global command"] = new(CommandJson, c => c.CreateCommandAsync(App, Ping()), "POST", "/applications/{application_id}/commands", $"applications/{App}/commands", null),
        ["get guild command"] = new(CommandJson, c => c.GetCommandAsync(App, Command, Guild),
            "GET", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", $"applications/{App}/guilds/{Guild}/commands/{Command}", $"{Guild}"),
        ["edit guild command"] = new(CommandJson, c => c.EditCommandAsync(App, Command, new() { Description = "Pong" }, Guild),
            "PATCH", "/applications/{application_id}/guilds/{guild_id}/commands/{command_id}", $"applications/{App}/guilds/{Guild}/commands/{Command}", $"{Guild}"),
        ["delete global command"] = new("", c => c.DeleteCommandAsync(App, Command),
            "DELETE", "/applications/{application_id}/commands/{command_id}", $"applications/{App}/commands/{Command}", null),
        ["bulk overwrite guild commands"] = new("[]", c => c.BulkOverwriteCommandsAsync(App, [Ping()], Guild),
            "PUT", "/applications/{application_id}/guilds/{guild_id}/commands", $"applications/{App}/guilds/{Guild}/commands", $"{Guild}"),
        ["interaction callback"] = new("", c => c.CreateInteractionResponseAsync(Event, Token, new() { Type = InteractionCallbackType.DeferredUpdateMessage }),
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback", $"interactions/{Event}/{Token}/callback", $"{Event}", Authenticated: false, Exempt: true),
        ["interaction callback with response"] = new("""{"interaction":{"id":"1100000000000000008","type":2}}""",
            c => c.CreateInteractionResponseAsync(Event, Token, new() { Type = InteractionCallbackType.ChannelMessageWithSource, Data = new() { Content = "ok" } }, withResponse: true),
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback", $"interactions/{Event}/{Token}/callback?with_response=true", $"{Event}", Authenticated: false, Exempt: true),
        ["follow-up"] = new(MessageJson, c => c.CreateFollowupMessageAsync(App, Token, new() { Content = "more" }),
            "POST", "/webhooks/{application_id}/{interaction_token}", $"webhooks/{App}/{Token}", $"{App}/{Token}", Authenticated: false, Exempt: true),
        ["get original"] = new(MessageJson, c => c.GetOriginalInteractionResponseAsync(App, Token),
            "GET", "/webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{App}/{Token}/messages/@original", $"{App}/{Token}", Authenticated: false, Exempt: true),
        ["edit original"] = new(MessageJson, c => c.EditOriginalInteractionResponseAsync(App, Token, new() { Components = Array.Empty<MessageComponent>() }),
            "PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{App}/{Token}/messages/@original", $"{App}/{Token}", Authenticated: false, Exempt: true),
        ["delete original"] = new("", c => c.DeleteOriginalInteractionResponseAsync(App, Token),
            "DELETE", "/webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{App}/{Token}/messages/@original", $"{App}/{Token}", Authenticated: false, Exempt: true),
        ["edit follow-up"] = new(MessageJson, c => c.EditFollowupMessageAsync(App, Token, Message, new() { Content = "x" }),
            "PATCH", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", $"webhooks/{App}/{Token}/messages/{Message}", $"{App}/{Token}", Authenticated: false, Exempt: true),
        ["delete follow-up"] = new("", c => c.DeleteFollowupMessageAsync(App, Token, Message),
            "DELETE", "/webhooks/{application_id}/{interaction_token}/messages/{message_id}", $"webhooks/{App}/{Token}/messages/{Message}", $"{App}/{Token}", Authenticated: false, Exempt: true),
    };

    internal static CreateScheduledEventRequest ExternalEvent() => new()
    {
        Name = "Launch",
        EntityType = ScheduledEventEntityType.External,
        ScheduledStartTime = Now.AddDays(1),
        ScheduledEndTime = Now.AddDays(1).AddHours(1),
        EntityMetadata = new() { Location = "Online" },
    };

    internal static CreateApplicationCommandRequest Ping() => new() { Name = "ping", Description = "Ping the bot" };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Endpoint_builds_the_documented_request(string name)
    {
        var expected = Cases[name];
        var (client, transport) = Create(expected.Response);

        await expected.Call(client);

        var request = transport.Only;
        Assert.Equal(expected.Method, request.Method.Method);
        Assert.Equal(expected.Route, request.Route);
        Assert.Equal(expected.Path, request.Path);
        Assert.Equal(expected.Major, request.MajorParameter);
        Assert.Equal(expected.Authenticated, request.Authenticated);
        Assert.Equal(expected.Reason, request.AuditLogReason);
        Assert.Equal(expected.Exempt, request.ExemptFromGlobalLimit);
        Assert.False(request.Path.StartsWith('/'), "paths are relative to the API base");
        // Route templates never carry concrete ids or tokens: they key the rate-limit buckets.
        Assert.DoesNotContain(Token, request.Route, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d{17,}", request.Route);
    }

    [Fact]
    public void Every_public_endpoint_method_is_covered_by_the_table()
    {
        var methods = typeof(DiscordRestClient).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => m.Name).Distinct().Count();
        // A cheap guard: adding endpoint methods without adding routing cases fails here.
        Assert.True(Cases.Count >= methods, $"{methods} public methods but only {Cases.Count} routing cases.");
    }
}
