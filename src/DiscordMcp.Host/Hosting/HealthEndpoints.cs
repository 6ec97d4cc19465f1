using System.Text.Json.Serialization;
using DiscordMcp.Host.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Hosting;

/// <summary><c>/health</c> (the process answers) and <c>/health/ready</c> (every dependency answers; 503 otherwise).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", () =>
            Results.Json(new LivenessResponse("ok", "discord-mcp", HostVersion.Current), HostJsonContext.Default.LivenessResponse));

        endpoints.MapGet("/health/ready", async (HttpContext context) =>
        {
            var checks = context.RequestServices.GetServices<IReadinessCheck>().ToList();
            var results = await Task.WhenAll(checks.Select(c => c.CheckAsync(context.RequestAborted)));
            var ready = results.All(r => r.Ready);
            var body = new ReadinessResponse(
                ready ? "ready" : "not_ready",
                HostVersion.Current,
                checks.Zip(results).ToDictionary(p => p.First.Name, p => new DependencyStatus(p.Second.Ready ? "ok" : "failed", p.Second.Detail)));
            return Results.Json(body, HostJsonContext.Default.ReadinessResponse,
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }
}

internal sealed record LivenessResponse(string Status, string Name, string Version);

internal sealed record ReadinessResponse(string Status, string Version, Dictionary<string, DependencyStatus> Checks);

internal sealed record DependencyStatus(string Status, string Detail);

internal sealed record ErrorResponse(string Error, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LivenessResponse))]
[JsonSerializable(typeof(ReadinessResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
