namespace DiscordMcp.Mcp;

/// <summary>
/// Registered only by the MCP layer's own unit tests to run tools without the policy platform. Without it, and
/// without a <c>PolicyPipeline</c>, every tool call is refused (fail closed).
/// </summary>
internal sealed class WithoutPlatformForTests;
