using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Sandbox.Pipeline;

/// <summary>
/// Control endpoints for fault injection: <c>POST /_sandbox/faults</c> with a JSON fault, <c>DELETE /_sandbox/faults</c>
/// to clear them. Body fields: <c>kind</c> (rate_limit | server_error | slow | drop | gateway_reconnect |
/// gateway_invalid_session | gateway_zombie | gateway_drop | gateway_close | gateway_heartbeat), <c>count</c> (default 1),
/// <c>route</c> (route key, optional), <c>scope</c> (user | global | shared), <c>retry_after</c> (seconds),
/// <c>status</c> (500/502/503/504), <c>delay_ms</c>, <c>resumable</c>, <c>close_code</c>, <c>enabled</c> (zombie).
/// </summary>
public static class SandboxFaultEndpoints
{
    public const string Path = "/_sandbox/faults";

    public static IEndpointRouteBuilder MapSandboxFaults(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, async (HttpContext context) =>
        {
            var faults = context.RequestServices.GetRequiredService<SandboxFaults>();
            FaultRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync(context.Request.Body, FaultJsonContext.Default.FaultRequest, context.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Results.Json(new FaultError("body is not a valid fault JSON object: " + ex.Message), FaultJsonContext.Default.FaultError, statusCode: StatusCodes.Status400BadRequest);
            }
            if (request is null)
                return Results.Json(new FaultError("body must be a JSON object with a 'kind'"), FaultJsonContext.Default.FaultError, statusCode: StatusCodes.Status400BadRequest);
            try
            {
                return Apply(faults, request) is { } error ? Results.Json(new FaultError(error), FaultJsonContext.Default.FaultError, statusCode: StatusCodes.Status400BadRequest) : Results.NoContent();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                return Results.Json(new FaultError(ex.Message), FaultJsonContext.Default.FaultError, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        app.MapDelete(Path, (HttpContext context) =>
        {
            context.RequestServices.GetRequiredService<SandboxFaults>().Clear();
            return Results.NoContent();
        });
        return app;
    }

    private static string? Apply(SandboxFaults faults, FaultRequest request)
    {
        var count = request.Count ?? 1;
        switch (request.Kind)
        {
            case "rate_limit":
                SandboxRateLimitScope scope;
                switch (request.Scope ?? "user")
                {
                    case "user": scope = SandboxRateLimitScope.User; break;
                    case "global": scope = SandboxRateLimitScope.Global; break;
                    case "shared": scope = SandboxRateLimitScope.Shared; break;
                    default: return "scope must be user, global or shared";
                }
                faults.Inject429Storm(count, scope, request.RetryAfter ?? 1.0, request.Route);
                return null;
            case "server_error":
                faults.InjectServerErrors(count, request.Status ?? 500, request.Route);
                return null;
            case "slow":
                faults.InjectSlowResponses(count, TimeSpan.FromMilliseconds(request.DelayMs ?? 1000), request.Route);
                return null;
            case "drop":
                faults.InjectConnectionDrops(count, request.Route);
                return null;
            case "gateway_reconnect":
                faults.GatewayReconnect();
                return null;
            case "gateway_invalid_session":
                faults.GatewayInvalidSession(request.Resumable ?? false);
                return null;
            case "gateway_zombie":
                faults.GatewayZombie = request.Enabled ?? true;
                return null;
            case "gateway_drop":
                faults.GatewayDropSocket();
                return null;
            case "gateway_close":
                faults.GatewayClose(request.CloseCode ?? 4000);
                return null;
            case "gateway_heartbeat":
                faults.GatewayRequestHeartbeat();
                return null;
            default:
                return "kind must be one of rate_limit, server_error, slow, drop, gateway_reconnect, gateway_invalid_session, gateway_zombie, gateway_drop, gateway_close, gateway_heartbeat";
        }
    }
}

internal sealed record FaultRequest(
    string? Kind,
    int? Count,
    string? Route,
    string? Scope,
    double? RetryAfter,
    int? Status,
    double? DelayMs,
    bool? Resumable,
    int? CloseCode,
    bool? Enabled);

internal sealed record FaultError(string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultError))]
internal sealed partial class FaultJsonContext : JsonSerializerContext;
