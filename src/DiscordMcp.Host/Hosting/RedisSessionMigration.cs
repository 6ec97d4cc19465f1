using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// Lets an MCP session started on one server process continue on another (several processes behind a load balancer,
/// sharing Redis; docs/scaling.md). After an <c>initialize</c> handshake the session's initialize parameters and its
/// user are kept in Redis under a hash of the session id; a process that gets a request with a session id it does not
/// know restores the session from there — for the same user only (the API key's or token's principal), else the SDK
/// answers 404. What this cannot move is a server-to-client request in flight (an elicitation prompt): its answer must
/// reach the process that asked, so the confirm prompt needs sticky sessions; confirmation ids work on any process.
/// </summary>
internal sealed class RedisSessionMigration(IServiceProvider services) : ISessionMigrationHandler
{
    // Resolved on first use, not when the MCP endpoint is mapped: the connection to Redis is made (and an unreachable
    // Redis reported in one line) by the platform's start-up step, which runs after the host is built.
    private IConnectionMultiplexer Redis => services.GetRequiredService<IConnectionMultiplexer>();

    /// <summary>As long as the SDK keeps an idle session (2 h); each migration starts it again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    private const string Prefix = "dmcp:mcp-session:";

    public async ValueTask OnSessionInitializedAsync(HttpContext context, string sessionId, InitializeRequestParams initializeParams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = new JsonObject
        {
            ["user"] = UserOf(context.User),
            ["init"] = JsonSerializer.SerializeToNode(initializeParams, McpJsonUtilities.DefaultOptions),
        };
        await Redis.GetDatabase().StringSetAsync(Key(sessionId), record.ToJsonString(), Lifetime);
    }

    public async ValueTask<InitializeRequestParams?> AllowSessionMigrationAsync(HttpContext context, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = Key(sessionId);
        var db = Redis.GetDatabase();
        var stored = await db.StringGetAsync(key);
        if (stored.IsNullOrEmpty)
            return null;
        var record = JsonNode.Parse((string)stored!) as JsonObject;
        // Only the user who started the session may continue it elsewhere (the SDK binds a session to its user too).
        if (record?["user"]?.GetValue<string>() is not { } user || !string.Equals(user, UserOf(context.User), StringComparison.Ordinal))
            return null;
        await db.KeyExpireAsync(key, Lifetime);
        return record["init"].Deserialize<InitializeRequestParams>(McpJsonUtilities.DefaultOptions);
    }

    /// <summary>The claim the SDK binds sessions to (NameIdentifier, then sub, then upn); empty without authentication.</summary>
    private static string UserOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? user.FindFirst(ClaimTypes.Upn)?.Value ?? "";

    // The session id is a bearer secret of the client's; Redis holds only its hash.
    private static RedisKey Key(string sessionId) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));
}
