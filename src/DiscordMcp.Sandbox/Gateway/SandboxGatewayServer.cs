using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Pipeline;
using Microsoft.AspNetCore.Http;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>The gateway's sessions and live connections; applies injected gateway faults to them.</summary>
internal sealed class SandboxGatewayServer : IDisposable
{
    private readonly ConcurrentDictionary<string, GatewaySession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<GatewayConnection, byte> _connections = new();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly byte[] _tokenBytes;

    public SandboxGatewayServer(SandboxOptions options, ISandboxGatewayData data, SandboxFaults faults)
    {
        Options = options;
        Data = data;
        Faults = faults;
        // Deterministic session ids for repeatable runs; not a security boundary (loopback emulator).
#pragma warning disable CA5394
        _random = new Random(options.RandomSeed);
#pragma warning restore CA5394
        _tokenBytes = Encoding.UTF8.GetBytes(options.BotToken);
        faults.GatewayFaultRaised += ApplyFault;
    }

    public SandboxOptions Options { get; }
    public ISandboxGatewayData Data { get; }
    public SandboxFaults Faults { get; }

    /// <summary>Close codes after which the session can no longer be resumed.</summary>
    public static bool EndsSession(int code) => code is 4003 or 4004 or 4005 or 4007 or 4009 or 4010 or 4011 or 4012 or 4013 or 4014;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"This endpoint expects a WebSocket upgrade.","code":0}""", context.RequestAborted);
            return;
        }
        var query = context.Request.Query;
        int? rejectCode = null;
        string? rejectReason = null;
        if (query["v"] != "10")
            (rejectCode, rejectReason) = (4012, "Invalid API version.");
        else if (query["encoding"].Count > 0 && query["encoding"] != "json")
            (rejectCode, rejectReason) = (4002, "Unsupported encoding: only json.");
        else if (query["compress"].Count > 0)
            (rejectCode, rejectReason) = (4002, "Unsupported compression.");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var resumeUrl = "ws://" + context.Request.Host + SandboxGatewayEndpoint.Path;
        var connection = new GatewayConnection(socket, this, resumeUrl);
        _connections[connection] = 0;
        await connection.RunAsync(rejectCode, rejectReason, context.RequestAborted);
    }

    public bool IsBotToken(JsonNode? token) =>
        token is JsonValue value && value.TryGetValue<string>(out var text)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(text), _tokenBytes);

    public GatewaySession CreateSession(int intents, int shardId, int shardCount, bool shardGiven)
    {
        PurgeExpired();
        string id;
        lock (_randomLock)
        {
            Span<byte> bytes = stackalloc byte[16];
#pragma warning disable CA5394 // see constructor
            _random.NextBytes(bytes);
#pragma warning restore CA5394
            id = Convert.ToHexStringLower(bytes);
        }
        var session = new GatewaySession(id, intents, shardId, shardCount, shardGiven, BotUserId());
        session.Subscribe(Data);
        _sessions[id] = session;
        return session;
    }

    /// <summary>The session if it exists and its connection dropped less than the resume window ago.</summary>
    public GatewaySession? FindResumable(string sessionId)
    {
        PurgeExpired();
        return _sessions.TryGetValue(sessionId, out var session) && !session.Ended ? session : null;
    }

    public void EndSession(GatewaySession session)
    {
        _sessions.TryRemove(session.Id, out _);
        session.End();
    }

    public void Forget(GatewayConnection connection) => _connections.TryRemove(connection, out _);

    /// <summary>Sessions with a live connection right now (identified or resumed, not yet dropped).</summary>
    public int ConnectedSessions => _sessions.Values.Count(s => s.Connection is not null && !s.Ended);

    /// <summary>Drops every connection (host shutdown).</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Keys)
            connection.Abort();
    }

    public void Dispose()
    {
        Faults.GatewayFaultRaised -= ApplyFault;
        foreach (var session in _sessions.Values)
            session.Dispose();
        _sessions.Clear();
    }

    private string BotUserId() => Data.BotUser()["id"]?.GetValue<string>() ?? Data.ApplicationId;

    private void PurgeExpired()
    {
        var now = Options.TimeProvider.GetUtcNow();
        foreach (var session in _sessions.Values)
        {
            if (session.DisconnectedAt is { } at && now - at > Options.GatewayResumeWindow)
                EndSession(session);
        }
    }

    private void ApplyFault(SandboxGatewayFault fault)
    {
        foreach (var connection in _connections.Keys)
        {
            switch (fault.Kind)
            {
                case SandboxGatewayFaultKind.Reconnect:
                    connection.Send("{\"op\":7,\"d\":null,\"s\":null,\"t\":null}");
                    break;
                case SandboxGatewayFaultKind.InvalidSession:
                    connection.Send(fault.Resumable ? "{\"op\":9,\"d\":true,\"s\":null,\"t\":null}" : "{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
                    if (!fault.Resumable && connection.Session is { } session)
                    {
                        connection.Session = null;
                        EndSession(session);
                    }
                    break;
                case SandboxGatewayFaultKind.DropSocket:
                    connection.Abort();
                    break;
                case SandboxGatewayFaultKind.Close:
                    connection.Close(fault.CloseCode, "Closed by the sandbox (injected fault).");
                    break;
                case SandboxGatewayFaultKind.RequestHeartbeat:
                    connection.Send("{\"op\":1,\"d\":null,\"s\":null,\"t\":null}");
                    break;
            }
        }
    }
}
