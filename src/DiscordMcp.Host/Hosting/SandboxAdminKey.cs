using System.Globalization;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// <c>serve --sandbox</c>: an admin key for the default workspace, issued at start and printed once (to the console,
/// never through a logger) with the client configuration to paste. The key is kept here for in-process tests.
/// </summary>
internal sealed class SandboxAdminKey(IPlatformStore store, TimeProvider time, TextWriter console)
{
    public const string WorkspaceId = "default";

    /// <summary>The key issued at start, or null before start.</summary>
    public string? Key { get; private set; }

    public async Task IssueAsync(CancellationToken cancellationToken)
    {
        var generated = ApiKeys.Generate();
        var principalId = "key:" + generated.LookupId;
        var now = time.GetUtcNow();
        await store.UpsertPrincipalAsync(new Principal(principalId, PrincipalKind.ApiClient, "sandbox admin"), cancellationToken);
        await store.SetMembershipAsync(new WorkspaceMembership(WorkspaceId, principalId, PlatformRole.Admin), cancellationToken);
        await store.CreateApiKeyAsync(new ApiKeyRecord(
            Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture), WorkspaceId, principalId, PlatformRole.Admin,
            generated.LookupId, generated.SecretHash, now, Description: "issued by serve --sandbox"), cancellationToken);
        Key = generated.Key;
    }

    /// <summary>Prints the key and the client configuration (once the server's address is known).</summary>
    public void Print(Uri mcpUrl)
    {
        if (Key is null)
            return;
        console.WriteLine(Banner(mcpUrl, Key));
        console.Flush();
    }

    public static string Banner(Uri mcpUrl, string key) => $$"""

        Sandbox admin API key for workspace '{{WorkspaceId}}' (shown once; valid for this sandbox run):
          {{key}}

        Paste into .vscode/mcp.json:
        {
          "servers": {
            "discord-sandbox": {
              "type": "http",
              "url": "{{mcpUrl}}",
              "headers": { "Authorization": "Bearer {{key}}" }
            }
          }
        }

        """;
}
