using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>The gateway WebSocket endpoint. SKELETON: replaced by the gateway implementation.</summary>
public static class SandboxGatewayEndpoint
{
    public const string Path = "/ws";

    public static IEndpointRouteBuilder MapSandboxGateway(this IEndpointRouteBuilder app) => app;
}
