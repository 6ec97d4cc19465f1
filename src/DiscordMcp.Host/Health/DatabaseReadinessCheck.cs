using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage;
using DiscordMcp.Storage.Configuration;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Host.Health;

/// <summary>The platform database answers a query (the provider is named; the connection string never is).</summary>
internal sealed class DatabaseReadinessCheck(IPlatformStore store, IConfiguration configuration) : IReadinessCheck
{
    private readonly string _provider = DatabaseUrl.Parse(configuration[StorageServiceCollectionExtensions.DatabaseUrlKey], ".").Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgresql";

    public string Name => "database";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var provider = _provider;
        try
        {
            await store.ListWorkspacesAsync(cancellationToken);
            return ReadinessResult.Ok(provider);
        }
#pragma warning disable CA1031 // Any failure means "not ready"; the detail names only the exception type.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return ReadinessResult.Failed($"{provider}: {ex.GetType().Name}");
        }
    }
}
