using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DiscordMcp.Sandbox.Rest;

/// <summary>The REST v10 endpoints under <c>/api/v10</c>. SKELETON: replaced by the REST implementation.</summary>
public static class SandboxRest
{
    public static IEndpointRouteBuilder MapSandboxRest(this IEndpointRouteBuilder app) => app;
}
