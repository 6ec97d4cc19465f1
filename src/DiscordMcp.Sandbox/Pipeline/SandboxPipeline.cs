using Microsoft.AspNetCore.Builder;

namespace DiscordMcp.Sandbox.Pipeline;

/// <summary>
/// Middleware in front of the REST API: bot-token authentication, fault injection and rate-limit
/// enforcement (headers, 429 bodies, Retry-After). SKELETON: replaced by the pipeline implementation.
/// </summary>
public static class SandboxPipeline
{
    public static IApplicationBuilder UseSandboxPipeline(this IApplicationBuilder app) => app;
}

/// <summary>Fault-injection switches. SKELETON: replaced by the pipeline implementation.</summary>
public sealed class SandboxFaults
{
}
