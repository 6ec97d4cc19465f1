using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Gateway;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Sandbox.Rest;

/// <summary>
/// The REST v10 endpoints under <c>/api/v10</c>. Requests act as the bot (the pipeline authenticates them first);
/// permission failures, unknown entities and invalid bodies answer with Discord's JSON errors.
/// Route parameter names are a contract with the rate-limit middleware (<c>{guild_id}</c>, <c>{channel_id}</c>,
/// <c>{webhook_id}</c>, <c>{webhook_token}</c>, ...). Interaction follow-ups share the webhook routes
/// (<c>/webhooks/{webhook_id}/{webhook_token}</c> with the application id and interaction token).
/// </summary>
public static class SandboxRest
{
    public static IEndpointRouteBuilder MapSandboxRest(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/v10");
        Routes.Map(api);
        return app;
    }
}

/// <summary>One parsed request: route values, query, JSON body and audit-log reason.</summary>
internal sealed class Req(HttpContext http, SandboxState state, JsonNode? body)
{
    public HttpContext Http { get; } = http;
    public SandboxState State { get; } = state;
    public JsonNode? Raw { get; } = body;
    public JsonObject Body => Raw as JsonObject ?? [];

    public string this[string name] => (string)Http.Request.RouteValues[name]!;

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    public bool QueryBool(string name) => Query(name) is "true" or "1" or "True";

    public string? Reason => Http.Request.Headers.TryGetValue("X-Audit-Log-Reason", out var v) && v.ToString().Length > 0 ? Uri.UnescapeDataString(v.ToString()) : null;

    public int Limit(string name, int fallback, int min, int max)
    {
        var text = Query(name);
        if (text is null)
            return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            var errors = new JsonObject { [name] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "NUMBER_TYPE_MAX", ["message"] = $"int value should be less than or equal to {max} and greater than or equal to {min}." }) } };
            throw new SandboxApiException(400, 50035, "Invalid Form Body", errors);
        }
        return value;
    }

    public string? QueryId(string name)
    {
        var text = Query(name);
        if (text is null)
            return null;
        if (!DiscordMcp.Discord.Client.Snowflake.TryParse(text, out _))
            throw new SandboxApiException(400, 50035, "Invalid Form Body", new JsonObject { [name] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "NUMBER_TYPE_COERCE", ["message"] = $"Value \"{text}\" is not snowflake." }) } });
        return text;
    }
}

internal static class Routes
{
    private static readonly string[] MethodsWithBody = ["POST", "PUT", "PATCH"];

    private static void Map(RouteGroupBuilder api, string method, string pattern, Func<Req, (int Status, JsonNode? Body)> handler) =>
        api.MapMethods(pattern, [method], async context =>
        {
            var state = context.RequestServices.GetRequiredService<SandboxState>();
            (int Status, JsonNode? Body) reply;
            try
            {
                JsonNode? body = null;
                if (MethodsWithBody.Contains(context.Request.Method))
                {
                    using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                    var text = await reader.ReadToEndAsync(context.RequestAborted);
                    if (!string.IsNullOrWhiteSpace(text))
                    {
                        try
                        {
                            body = JsonNode.Parse(text);
                        }
                        catch (JsonException)
                        {
                            throw SandboxApiException.Bad(50109, "The request body contains invalid JSON.");
                        }
                    }
                }
                reply = handler(new Req(context, state, body));
            }
            catch (SandboxApiException e)
            {
                reply = (e.Status, e.ToJson());
            }
            context.Response.StatusCode = reply.Status;
            if (reply.Body is not null && reply.Status != 204)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(reply.Body.ToJsonString(), context.RequestAborted);
            }
        });

    private static (int, JsonNode?) Ok(JsonNode? body) => (200, body);

    private static (int, JsonNode?) NoContent() => (204, null);

    public static void Map(RouteGroupBuilder api)
    {
        // users, applications, gateway
        Map(api, "GET", "/users/@me", r => Ok(r.State.CurrentUserApi()));
        Map(api, "GET", "/users/@me/guilds", r => Ok(r.State.MyGuildsApi()));
        Map(api, "POST", "/users/@me/channels", r => Ok(r.State.CreateDmApi(r.Body)));
        Map(api, "GET", "/users/{user_id}", r => Ok(r.State.UserApi(r["user_id"])));
        Map(api, "GET", "/applications/@me", r => Ok(r.State.ApplicationApi()));
        Map(api, "GET", "/gateway", r => Ok(new JsonObject { ["url"] = GatewayUrl(r) }));
        Map(api, "GET", "/gateway/bot", r => Ok(new JsonObject
        {
            ["url"] = GatewayUrl(r),
            ["shards"] = 1,
            ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 999, ["reset_after"] = 86_400_000, ["max_concurrency"] = 1 },
        }));

        // guilds
        Map(api, "GET", "/guilds/{guild_id}", r => Ok(r.State.GetGuildApi(r["guild_id"], r.QueryBool("with_counts"))));
        Map(api, "PATCH", "/guilds/{guild_id}", r => Ok(r.State.ModifyGuildApi(r["guild_id"], r.Body, r.Reason)));
        Map(api, "GET", "/guilds/{guild_id}/channels", r => Ok(r.State.ListChannelsApi(r["guild_id"])));
        Map(api, "POST", "/guilds/{guild_id}/channels", r => (201, r.State.CreateChannelApi(new Actor(SandboxState.BotUserId, true), r["guild_id"], r.Body, r.Reason)));
        Map(api, "PATCH", "/guilds/{guild_id}/channels", r => { r.State.ReorderChannelsApi(r["guild_id"], r.Raw, r.Reason); return NoContent(); });
        Map(api, "GET", "/guilds/{guild_id}/threads/active", r => Ok(r.State.ActiveThreadsApi(r["guild_id"])));
        Map(api, "GET", "/guilds/{guild_id}/audit-logs", r =>
        {
            int? actionType = r.Query("action_type") is { } at ? r.Limit("action_type", 0, 0, 1000) : null;
            return Ok(r.State.AuditLogApi(r["guild_id"], r.QueryId("user_id"), actionType, r.QueryId("before"), r.QueryId("after"), r.QueryId("target_id"), r.Limit("limit", 50, 1, 100)));
        });

        // roles
        Map(api, "GET", "/guilds/{guild_id}/roles", r => Ok(r.State.ListRolesApi(r["guild_id"])));
        Map(api, "POST", "/guilds/{guild_id}/roles", r => Ok(r.State.CreateRoleApi(new Actor(SandboxState.BotUserId, true), r["guild_id"], r.Body, r.Reason)));
        Map(api, "PATCH", "/guilds/{guild_id}/roles", r => Ok(r.State.ReorderRolesApi(r["guild_id"], r.Raw, r.Reason)));
        Map(api, "GET", "/guilds/{guild_id}/roles/{role_id}", r => Ok(r.State.GetRoleApi(r["guild_id"], r["role_id"])));
        Map(api, "PATCH", "/guilds/{guild_id}/roles/{role_id}", r => Ok(r.State.ModifyRoleApi(new Actor(SandboxState.BotUserId, true), r["guild_id"], r["role_id"], r.Body, r.Reason)));
        Map(api, "DELETE", "/guilds/{guild_id}/roles/{role_id}", r => { r.State.DeleteRoleApi(r["guild_id"], r["role_id"], r.Reason); return NoContent(); });

        // members
        Map(api, "GET", "/guilds/{guild_id}/members", r => Ok(r.State.ListMembersApi(r["guild_id"], r.Limit("limit", 1, 1, 1000), r.QueryId("after"))));
        Map(api, "GET", "/guilds/{guild_id}/members/search", r =>
        {
            var query = r.Query("query") ?? throw new SandboxApiException(400, 50035, "Invalid Form Body", new JsonObject { ["query"] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_REQUIRED", ["message"] = "This field is required" }) } });
            return Ok(r.State.SearchMembersApi(r["guild_id"], query, r.Limit("limit", 1, 1, 1000)));
        });
        Map(api, "GET", "/guilds/{guild_id}/members/{user_id}", r => Ok(r.State.GetMemberApi(r["guild_id"], r["user_id"])));
        Map(api, "PATCH", "/guilds/{guild_id}/members/{user_id}", r => Ok(r.State.ModifyMemberApi(r["guild_id"], r["user_id"], r.Body, r.Reason)));
        Map(api, "DELETE", "/guilds/{guild_id}/members/{user_id}", r => { r.State.KickApi(r["guild_id"], r["user_id"], r.Reason); return NoContent(); });
        Map(api, "PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", r => { r.State.MemberRoleApi(new Actor(SandboxState.BotUserId, true), r["guild_id"], r["user_id"], r["role_id"], true, r.Reason); return NoContent(); });
        Map(api, "DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", r => { r.State.MemberRoleApi(new Actor(SandboxState.BotUserId, true), r["guild_id"], r["user_id"], r["role_id"], false, r.Reason); return NoContent(); });

        // bans
        Map(api, "GET", "/guilds/{guild_id}/bans", r => Ok(r.State.GetBansApi(r["guild_id"], null, r.Limit("limit", 1000, 1, 1000))));
        Map(api, "GET", "/guilds/{guild_id}/bans/{user_id}", r => Ok(r.State.GetBansApi(r["guild_id"], r["user_id"], 1)));
        Map(api, "PUT", "/guilds/{guild_id}/bans/{user_id}", r => { r.State.BanApi(r["guild_id"], r["user_id"], r.Body, r.Reason); return NoContent(); });
        Map(api, "DELETE", "/guilds/{guild_id}/bans/{user_id}", r => { r.State.UnbanApi(r["guild_id"], r["user_id"], r.Reason); return NoContent(); });

        // webhooks / invites / events per guild
        Map(api, "GET", "/guilds/{guild_id}/webhooks", r => Ok(r.State.ListWebhooksApi(null, r["guild_id"])));
        Map(api, "GET", "/guilds/{guild_id}/invites", r => Ok(r.State.ListInvitesApi(null, r["guild_id"])));
        Map(api, "GET", "/guilds/{guild_id}/scheduled-events", r => Ok(r.State.ListEventsApi(r["guild_id"], r.QueryBool("with_user_count"))));
        Map(api, "POST", "/guilds/{guild_id}/scheduled-events", r => Ok(r.State.CreateEventApi(r["guild_id"], r.Body, r.Reason)));
        Map(api, "GET", "/guilds/{guild_id}/scheduled-events/{event_id}", r => Ok(r.State.GetEventApi(r["guild_id"], r["event_id"], r.QueryBool("with_user_count"))));
        Map(api, "PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}", r => Ok(r.State.ModifyEventApi(r["guild_id"], r["event_id"], r.Body, r.Reason)));
        Map(api, "DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}", r => { r.State.DeleteEventApi(r["guild_id"], r["event_id"], r.Reason); return NoContent(); });
        Map(api, "GET", "/guilds/{guild_id}/scheduled-events/{event_id}/users", r => Ok(r.State.EventUsersApi(r["guild_id"], r["event_id"], r.Limit("limit", 100, 1, 100), r.QueryBool("with_member"), r.QueryId("before"), r.QueryId("after"))));

        // channels
        Map(api, "GET", "/channels/{channel_id}", r => Ok(r.State.GetChannelApi(r["channel_id"])));
        Map(api, "PATCH", "/channels/{channel_id}", r => Ok(r.State.ModifyChannelApi(r["channel_id"], r.Body, r.Reason)));
        Map(api, "DELETE", "/channels/{channel_id}", r => Ok(r.State.DeleteChannelApi(r["channel_id"], r.Reason)));
        Map(api, "PUT", "/channels/{channel_id}/permissions/{overwrite_id}", r => { r.State.PutOverwriteApi(r["channel_id"], r["overwrite_id"], r.Body, r.Reason); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/permissions/{overwrite_id}", r => { r.State.DeleteOverwriteApi(r["channel_id"], r["overwrite_id"], r.Reason); return NoContent(); });

        // messages
        Map(api, "GET", "/channels/{channel_id}/messages", r =>
        {
            var before = r.QueryId("before");
            var after = r.QueryId("after");
            var around = r.QueryId("around");
            return Ok(r.State.ListMessagesApi(r["channel_id"], before, after, around, r.Limit("limit", 50, 1, 100)));
        });
        Map(api, "POST", "/channels/{channel_id}/messages", r => Ok(r.State.SendMessageApi(new Actor(SandboxState.BotUserId, true), r["channel_id"], r.Body)));
        Map(api, "POST", "/channels/{channel_id}/messages/bulk-delete", r => { r.State.BulkDeleteApi(r["channel_id"], r.Body, r.Reason); return NoContent(); });
        Map(api, "POST", "/channels/{channel_id}/typing", r => { r.State.TypingApi(r["channel_id"]); return NoContent(); });
        Map(api, "GET", "/channels/{channel_id}/messages/pins", r => Ok(r.State.ListPinsApi(r["channel_id"], r.Query("before"), r.Limit("limit", 50, 1, 50))));
        Map(api, "PUT", "/channels/{channel_id}/messages/pins/{message_id}", r => { r.State.PinApi(r["channel_id"], r["message_id"], true, r.Reason); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/messages/pins/{message_id}", r => { r.State.PinApi(r["channel_id"], r["message_id"], false, r.Reason); return NoContent(); });
        Map(api, "GET", "/channels/{channel_id}/messages/{message_id}", r => Ok(r.State.GetMessageApi(r["channel_id"], r["message_id"])));
        Map(api, "PATCH", "/channels/{channel_id}/messages/{message_id}", r => Ok(r.State.EditMessageApi(r["channel_id"], r["message_id"], r.Body)));
        Map(api, "DELETE", "/channels/{channel_id}/messages/{message_id}", r => { r.State.DeleteMessageApi(new Actor(SandboxState.BotUserId, true), r["channel_id"], r["message_id"], r.Reason); return NoContent(); });
        Map(api, "PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", r => { r.State.AddReactionApi(new Actor(SandboxState.BotUserId, true), r["channel_id"], r["message_id"], r["emoji"]); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", r => { r.State.RemoveReactionApi(r["channel_id"], r["message_id"], r["emoji"], SandboxState.BotUserId); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}", r => { r.State.RemoveReactionApi(r["channel_id"], r["message_id"], r["emoji"], r["user_id"]); return NoContent(); });
        Map(api, "GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", r => Ok(r.State.ListReactionUsersApi(r["channel_id"], r["message_id"], r["emoji"], r.QueryId("after"), r.Limit("limit", 25, 1, 100))));
        Map(api, "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", r => { r.State.RemoveAllReactionsApi(r["channel_id"], r["message_id"], r["emoji"]); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/messages/{message_id}/reactions", r => { r.State.RemoveAllReactionsApi(r["channel_id"], r["message_id"], null); return NoContent(); });

        // threads
        Map(api, "POST", "/channels/{channel_id}/messages/{message_id}/threads", r => (201, r.State.CreateThreadApi(new Actor(SandboxState.BotUserId, true), r["channel_id"], r["message_id"], r.Body, r.Reason)));
        Map(api, "POST", "/channels/{channel_id}/threads", r => (201, r.State.CreateThreadApi(new Actor(SandboxState.BotUserId, true), r["channel_id"], null, r.Body, r.Reason)));
        Map(api, "GET", "/channels/{channel_id}/threads/archived/public", r => Ok(r.State.ArchivedThreadsApi(r["channel_id"], false, r.Query("before"), r.Limit("limit", 50, 2, 100))));
        Map(api, "GET", "/channels/{channel_id}/threads/archived/private", r => Ok(r.State.ArchivedThreadsApi(r["channel_id"], true, r.Query("before"), r.Limit("limit", 50, 2, 100))));
        Map(api, "GET", "/channels/{channel_id}/thread-members", r => Ok(r.State.GetThreadMembersApi(r["channel_id"], null, r.QueryBool("with_member"))));
        Map(api, "GET", "/channels/{channel_id}/thread-members/{user_id}", r => Ok(r.State.GetThreadMembersApi(r["channel_id"], Me(r["user_id"]), r.QueryBool("with_member"))));
        Map(api, "PUT", "/channels/{channel_id}/thread-members/{user_id}", r => { r.State.ThreadMemberApi(r["channel_id"], Me(r["user_id"]), true); return NoContent(); });
        Map(api, "DELETE", "/channels/{channel_id}/thread-members/{user_id}", r => { r.State.ThreadMemberApi(r["channel_id"], Me(r["user_id"]), false); return NoContent(); });

        // webhooks
        Map(api, "POST", "/channels/{channel_id}/webhooks", r => Ok(r.State.CreateWebhookApi(r["channel_id"], r.Body, r.Reason)));
        Map(api, "GET", "/channels/{channel_id}/webhooks", r => Ok(r.State.ListWebhooksApi(r["channel_id"], null)));
        Map(api, "GET", "/webhooks/{webhook_id}", r => Ok(r.State.GetWebhookApi(r["webhook_id"], null)));
        Map(api, "PATCH", "/webhooks/{webhook_id}", r => Ok(r.State.ModifyWebhookApi(r["webhook_id"], null, r.Body, r.Reason)));
        Map(api, "DELETE", "/webhooks/{webhook_id}", r => { r.State.DeleteWebhookApi(r["webhook_id"], null, r.Reason); return NoContent(); });
        Map(api, "GET", "/webhooks/{webhook_id}/{webhook_token}", r => Ok(r.State.GetWebhookApi(r["webhook_id"], r["webhook_token"])));
        Map(api, "PATCH", "/webhooks/{webhook_id}/{webhook_token}", r => Ok(r.State.ModifyWebhookApi(r["webhook_id"], r["webhook_token"], r.Body, r.Reason)));
        Map(api, "DELETE", "/webhooks/{webhook_id}/{webhook_token}", r => { r.State.DeleteWebhookApi(r["webhook_id"], r["webhook_token"], r.Reason); return NoContent(); });
        Map(api, "POST", "/webhooks/{webhook_id}/{webhook_token}", r =>
        {
            if (r.State.IsInteractionWebhook(r["webhook_id"], r["webhook_token"]))
                return Ok(r.State.FollowupApi(r["webhook_token"], r.Body));
            var message = r.State.ExecuteWebhookApi(r["webhook_id"], r["webhook_token"], r.Body, r.QueryBool("wait"), r.QueryId("thread_id"));
            return message is null ? NoContent() : Ok(message);
        });
        foreach (var method in (string[])["GET", "PATCH", "DELETE"])
        {
            Map(api, method, "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", r =>
            {
                var result = r.State.IsInteractionWebhook(r["webhook_id"], r["webhook_token"])
                    ? r.State.InteractionMessageApi(r["webhook_token"], r["message_id"], method, r.Body)
                    : r.State.WebhookMessageApi(r["webhook_id"], r["webhook_token"], r["message_id"], method, r.Body);
                return result is null ? NoContent() : Ok(result);
            });
        }

        // invites
        Map(api, "POST", "/channels/{channel_id}/invites", r => Ok(r.State.CreateInviteApi(r["channel_id"], r.Body, r.Reason)));
        Map(api, "GET", "/channels/{channel_id}/invites", r => Ok(r.State.ListInvitesApi(r["channel_id"], null)));
        Map(api, "GET", "/invites/{invite_code}", r => Ok(r.State.GetInviteApi(r["invite_code"], r.QueryBool("with_counts"))));
        Map(api, "DELETE", "/invites/{invite_code}", r => Ok(r.State.DeleteInviteApi(r["invite_code"], r.Reason)));

        // application commands
        MapCommands(api, "/applications/{application_id}/commands", guild: false);
        MapCommands(api, "/applications/{application_id}/guilds/{guild_id}/commands", guild: true);

        // interactions
        Map(api, "POST", "/interactions/{interaction_id}/{interaction_token}/callback", r =>
        {
            var response = r.State.InteractionCallbackApi(r["interaction_id"], r["interaction_token"], r.Body, r.QueryBool("with_response"));
            return response is null ? NoContent() : Ok(response);
        });
    }

    private static void MapCommands(RouteGroupBuilder api, string prefix, bool guild)
    {
        string? G(Req r) => guild ? r["guild_id"] : null;
        Map(api, "GET", prefix, r => Ok(r.State.CommandsGetApi(r["application_id"], G(r), null)));
        Map(api, "POST", prefix, r =>
        {
            var command = r.State.CommandCreateApi(r["application_id"], G(r), r.Body, out var created);
            return (created ? 201 : 200, command);
        });
        Map(api, "PUT", prefix, r => Ok(r.State.CommandsOverwriteApi(r["application_id"], G(r), r.Raw)));
        Map(api, "GET", prefix + "/{command_id}", r => Ok(r.State.CommandsGetApi(r["application_id"], G(r), r["command_id"])));
        Map(api, "PATCH", prefix + "/{command_id}", r => Ok(r.State.CommandEditApi(r["application_id"], G(r), r["command_id"], r.Body)));
        Map(api, "DELETE", prefix + "/{command_id}", r => { r.State.CommandDeleteApi(r["application_id"], G(r), r["command_id"]); return NoContent(); });
    }

    private static string Me(string userId) => userId == "@me" ? SandboxState.BotUserId : userId;

    private static string GatewayUrl(Req r) => $"ws://{r.Http.Request.Host.Value}{SandboxGatewayEndpoint.Path}";
}
