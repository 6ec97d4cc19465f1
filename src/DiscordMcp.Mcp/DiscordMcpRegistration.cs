using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Mcp;

/// <summary>One tool of the catalog as the CLI (<c>discord-mcp tools</c>) and <c>docs/tools.md</c> show it.</summary>
public sealed record ToolInfo(string Name, string Toolset, bool ReadOnly, bool Destructive, string Title, string Description);

/// <summary>
/// Composition entry points of the MCP layer. SKELETON: the tools implementation replaces the bodies.
/// </summary>
public static class DiscordMcpRegistration
{
    /// <summary>Options, the Discord service layer and everything the tools need (not the transport).</summary>
    public static IServiceCollection AddDiscordMcpCore(this IServiceCollection services, IConfiguration configuration) => services;

    /// <summary>Tools, prompts, resources and the call filter, on an MCP server builder of any transport.</summary>
    public static IMcpServerBuilder AddDiscordMcpTools(this IMcpServerBuilder builder) => builder;

    /// <summary>The whole catalog (every toolset), for the CLI and the generated docs.</summary>
    public static IReadOnlyList<ToolInfo> Catalog() => [];
}
