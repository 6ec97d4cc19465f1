using DiscordMcp.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DiscordMcp.Host.Hosting;

/// <summary>What start-up installs besides <c>ALLOWED_GUILD_IDS</c>: with <c>--sandbox</c>, the demo guild.</summary>
internal sealed record PlatformStartupOptions(ulong? SandboxGuildId, bool IssueSandboxKey = false);

/// <summary>
/// Migrates and bootstraps storage (default workspace, allowed guilds, interrupted writes → <c>outcome_unknown</c>)
/// before the MCP transports start; a failure stops the host (nothing serves without its audit log).
/// </summary>
internal sealed class PlatformStartup(IStorageInitializer storage, PlatformStartupOptions options, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.InitializeAsync(cancellationToken);
        if (options.SandboxGuildId is { } guildId)
            await storage.InstallIntoDefaultWorkspaceAsync(guildId, cancellationToken);
        if (options.IssueSandboxKey)
            await services.GetRequiredService<SandboxAdminKey>().IssueAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
