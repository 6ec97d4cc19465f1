using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Sandbox.Control;

/// <summary>
/// The control API under <c>/_sandbox</c> (no bot auth), for tests and demos:
/// <list type="bullet">
/// <item><c>POST /_sandbox/channels/{channel_id}/messages</c> <c>{user_id, content, message_reference?: {message_id}}</c>: post as a user (MESSAGE_CREATE); returns the message.</item>
/// <item><c>POST /_sandbox/interactions/command</c> <c>{guild_id, channel_id, user_id, name, options?}</c>: a slash command (INTERACTION_CREATE type 2); returns <c>{id, token}</c>.</item>
/// <item><c>POST /_sandbox/interactions/component</c> <c>{message_id, user_id, custom_id}</c>: a button click (type 3); returns <c>{id, token}</c>.</item>
/// <item><c>GET /_sandbox/interactions/{interaction_id}</c>: the recorded callback, original response and follow-ups.</item>
/// <item><c>GET /_sandbox/state/summary</c>: guilds with counts.</item>
/// </list>
/// Errors use Discord's JSON error shape. The same operations exist on <see cref="SandboxState"/>.
/// </summary>
public static class SandboxControl
{
    public static IEndpointRouteBuilder MapSandboxControl(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var control = app.MapGroup("/_sandbox");
        Map(control, "POST", "/channels/{channel_id}/messages", (s, r, b) =>
            s.PostMessageAsUser((string)r.RouteValues["channel_id"]!, Required(b, "user_id"), Required(b, "content"), (b["message_reference"] as JsonObject)?.Str("message_id")));
        Map(control, "POST", "/interactions/command", (s, _, b) =>
            Handle(s.SimulateSlashCommand(Required(b, "guild_id"), Required(b, "channel_id"), Required(b, "user_id"), Required(b, "name"), b["options"] as JsonArray)));
        Map(control, "POST", "/interactions/component", (s, _, b) =>
            Handle(s.SimulateButtonClick(Required(b, "message_id"), Required(b, "user_id"), Required(b, "custom_id"))));
        Map(control, "GET", "/interactions/{interaction_id}", (s, r, _) => s.GetInteractionRecord((string)r.RouteValues["interaction_id"]!));
        Map(control, "GET", "/state/summary", (s, _, _) => s.Summary());
        return app;
    }

    private static JsonObject Handle(SandboxInteractionHandle handle) => new() { ["id"] = handle.Id, ["token"] = handle.Token };

    private static string Required(JsonObject body, string key)
    {
        if (body.Str(key) is { } value)
            return value;
        var errors = new FormErrors();
        errors.Required(key);
        errors.ThrowIfAny();
        return string.Empty;
    }

    private static void Map(RouteGroupBuilder group, string method, string pattern, Func<SandboxState, HttpRequest, JsonObject, JsonObject> handler) =>
        group.MapMethods(pattern, [method], async context =>
        {
            var state = context.RequestServices.GetRequiredService<SandboxState>();
            int status;
            JsonNode body;
            try
            {
                JsonObject input = [];
                if (method != "GET")
                {
                    try
                    {
                        input = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
                    }
                    catch (JsonException)
                    {
                        throw new SandboxApiException(400, 50109, "The request body contains invalid JSON.");
                    }
                }
                body = handler(state, context.Request, input);
                status = 200;
            }
            catch (SandboxApiException e)
            {
                status = e.Status;
                body = e.ToJson();
            }
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        });
}
