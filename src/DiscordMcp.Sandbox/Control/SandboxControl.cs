using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace DiscordMcp.Sandbox.Control;

/// <summary>The control API under <c>/_sandbox</c>. SKELETON: replaced by the control implementation.</summary>
public static class SandboxControl
{
    public static IEndpointRouteBuilder MapSandboxControl(this IEndpointRouteBuilder app) => app;
}
