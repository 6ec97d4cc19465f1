using DiscordMcp.Discord;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Mcp;

/// <summary>
/// The guilds the current caller may use (<see cref="ICallerGuilds"/>): those installed in its workspace.
/// <list type="bullet">
/// <item>Inside a tool call: the workspace the pipeline authenticated (<see cref="PolicyCallContext"/>); when the pipeline
/// authorised a specific guild, only that guild, so the tool cannot act on any other.</item>
/// <item>Before the pipeline (<see cref="PolicyBinding"/> resolving a guild or channel name) and for resource reads: the
/// workspace identified by <see cref="PolicyPipeline.IdentifyWorkspaceAsync"/>, set with <see cref="RunAsAsync{T}"/>.</item>
/// <item>Anywhere else: no guild at all (fail closed).</item>
/// </list>
/// Only the MCP layer's own tests (<see cref="WithoutPlatformForTests"/>, no pipeline) leave the scope unrestricted.
/// </summary>
internal sealed class WorkspaceGuilds(PolicyCallContext calls, IServiceProvider services) : ICallerGuilds
{
    private static readonly IReadOnlySet<ulong> None = new HashSet<ulong>();
    private readonly AsyncLocal<string?> _identified = new();

    public async ValueTask<IReadOnlySet<ulong>?> GetGuildIdsAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<PolicyPipeline>() is null)
            return services.GetService<WithoutPlatformForTests>() is null ? None : null;
        var call = calls.Current;
        var workspace = call?.WorkspaceId ?? _identified.Value;
        if (workspace is null)
            return None;
        var installed = (await services.GetRequiredService<IPlatformStore>().ListInstallationsAsync(workspace, cancellationToken))
            .Select(i => i.GuildId).ToHashSet();
        if (call?.Request.GuildId is { } authorised)
            return installed.Contains(authorised) ? new HashSet<ulong> { authorised } : None;
        return installed;
    }

    /// <summary>Runs <paramref name="run"/> as a caller of <paramref name="workspaceId"/> (already authenticated by the caller of this method).</summary>
    public async ValueTask<T> RunAsAsync<T>(string workspaceId, Func<ValueTask<T>> run)
    {
        var previous = _identified.Value;
        _identified.Value = workspaceId;
        try
        {
            return await run();
        }
        finally
        {
            _identified.Value = previous;
        }
    }
}
