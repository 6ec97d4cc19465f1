using DiscordMcp.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// The sandbox's Discord state lives in memory and dies with the process, so by default its platform database does
/// too: a fresh SQLite file in a temporary directory, deleted when the host is disposed. Setting
/// <c>Storage:DataDirectory</c> or <c>DATABASE_URL</c> keeps the usual persistent database instead. A throwaway
/// database gets its schema created directly (<c>Storage:Ephemeral</c>), not by replaying migrations.
/// </summary>
internal sealed class SandboxDataDirectory : IDisposable
{
    private SandboxDataDirectory(string path) => Path = path;

    public string Path { get; }

    public static void Apply(IConfigurationManager configuration, IServiceCollection services, bool sandbox)
    {
        if (!sandbox
            || !string.IsNullOrWhiteSpace(configuration[StorageServiceCollectionExtensions.DataDirectoryKey])
            || !string.IsNullOrWhiteSpace(configuration[StorageServiceCollectionExtensions.DatabaseUrlKey]))
            return;
        var directory = new SandboxDataDirectory(Directory.CreateTempSubdirectory("discord-mcp-sandbox-").FullName);
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageServiceCollectionExtensions.DataDirectoryKey] = directory.Path,
            [StorageServiceCollectionExtensions.EphemeralKey] = "true",
        });
        services.AddSingleton(_ => directory); // by factory, so the container disposes (deletes) it
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
