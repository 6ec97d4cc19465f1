namespace DiscordMcp.Mcp.Tests;

/// <summary>One server per test class, Discord played by the sandbox's demo guild (read tools do not change it).</summary>
public sealed class SandboxServerFixture : IAsyncLifetime
{
    internal McpTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await McpTestServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One server per test class with no Discord at all: the client points at a closed port.</summary>
public sealed class NoDiscordServerFixture : IAsyncLifetime
{
    internal McpTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await McpTestServer.StartAsync(withSandbox: false);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
