using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Conformance.Tests.Fixtures;

/// <summary>
/// What the conformance run adds to the real HTTP host through its two hooks (<c>configureMcp</c>,
/// <c>configureServices</c> of <c>DiscordMcpHttpHost.BuildAsync</c>): the fixture tools, resources and prompts, the
/// subscribe/unsubscribe and completion handlers, and an in-memory event stream store for SSE resumability
/// (<c>test_reconnection</c>). Everything else — transport, session mode, host and origin guards — is the product's.
/// </summary>
internal static class ConformanceComposition
{
    public static void ConfigureMcp(IMcpServerBuilder mcp)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        IEnumerable<McpServerTool> rawSchemaTools = [ConformanceTools.JsonSchema202012Tool()];
        mcp.WithTools<ConformanceTools>()
            .WithTools(rawSchemaTools)
            .WithResources<ConformanceResources>()
            .WithPrompts<ConformancePrompts>()
            .WithSubscribeToResourcesHandler((context, _) =>
            {
                context.Services!.GetRequiredService<ResourceSubscriptions>().Subscribe(SessionOf(context.Server), context.Params!.Uri);
                return ValueTask.FromResult(new EmptyResult());
            })
            .WithUnsubscribeFromResourcesHandler((context, _) =>
            {
                context.Services!.GetRequiredService<ResourceSubscriptions>().Unsubscribe(SessionOf(context.Server), context.Params!.Uri);
                return ValueTask.FromResult(new EmptyResult());
            })
            .WithCompleteHandler((context, _) => ValueTask.FromResult(Complete(context.Params!)));

        // Resumable SSE streams (SEP-1699) exist only in stateful sessions; the SDK marks these options obsolete
        // because 2026-07-28 drops sessions. The product does not enable them; the polling fixture needs them.
        mcp.Services.AddDistributedMemoryCache();
#pragma warning disable MCP9006
        mcp.WithDistributedCacheEventStreamStore();
#pragma warning restore MCP9006
    }

    public static void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ResourceSubscriptions>();
        services.AddHttpContextAccessor(); // test_reconnection waits for its POST response to end
    }

    private static string SessionOf(McpServer server) =>
        server.SessionId ?? throw new McpException("Resource subscriptions need a session (initialize first).");

    private static readonly string[] CompletionWords = ["paris", "park", "party", "test", "testing"];

    private static CompleteResult Complete(CompleteRequestParams request)
    {
        var prefix = request.Argument.Value ?? "";
        var values = CompletionWords.Where(w => w.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return new CompleteResult { Completion = new Completion { Values = values, Total = values.Count, HasMore = false } };
    }
}

/// <summary>Which resource URIs each session subscribed to.</summary>
internal sealed class ResourceSubscriptions
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _bySession = new(StringComparer.Ordinal);

    public void Subscribe(string sessionId, string uri) => _bySession.GetOrAdd(sessionId, _ => new(StringComparer.Ordinal)).TryAdd(uri, 0);

    public void Unsubscribe(string sessionId, string uri)
    {
        if (_bySession.TryGetValue(sessionId, out var uris))
            uris.TryRemove(uri, out _);
    }

    public IReadOnlyCollection<string> Of(string sessionId) =>
        _bySession.TryGetValue(sessionId, out var uris) ? uris.Keys.ToList() : [];
}
