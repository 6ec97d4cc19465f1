using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>
/// One gateway WebSocket: HELLO, then the client's payloads in order (heartbeat, identify, resume, request guild
/// members) and everything the server sends, through one writer so frames never interleave.
/// </summary>
internal sealed class GatewayConnection
{
    /// <summary>Client payloads larger than this close the connection with 4002.</summary>
    public const int MaxPayloadBytes = 4096;
    /// <summary>Client events allowed per <see cref="ClientEventWindow"/>; more closes with 4008.</summary>
    public const int ClientEventLimit = 120;
    public static readonly TimeSpan ClientEventWindow = TimeSpan.FromSeconds(60);
    private const int MembersPerChunk = 1000;

    private readonly WebSocket _socket;
    private readonly SandboxGatewayServer _server;
    private readonly string _resumeUrl;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _receiveDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _closing;
    private int _eventCount;
    private DateTimeOffset _eventWindowEnd;

    public GatewayConnection(WebSocket socket, SandboxGatewayServer server, string resumeUrl)
    {
        _socket = socket;
        _server = server;
        _resumeUrl = resumeUrl;
    }

    public GatewaySession? Session { get; set; }

    /// <summary>Queues a text frame (dropped once the connection is closing).</summary>
    public void Send(string frame) => _outbound.Writer.TryWrite(new Outbound(frame, null, null));

    /// <summary>Closes with a Discord close code; fatal and new-session codes end the session.</summary>
    public void Close(int code, string reason)
    {
        if (Session is { } session && SandboxGatewayServer.EndsSession(code))
        {
            _server.EndSession(session);
            Session = null;
        }
        _outbound.Writer.TryWrite(new Outbound(null, code, reason));
    }

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Runs the connection; <paramref name="rejectCode"/> closes it at once (bad query string).</summary>
    public async Task RunAsync(int? rejectCode, string? rejectReason, CancellationToken cancellationToken)
    {
        var writer = WriteLoopAsync(cancellationToken);
        try
        {
            if (rejectCode is { } code)
                Close(code, rejectReason ?? "");
            else
                Send("{\"op\":10,\"d\":{\"heartbeat_interval\":" + ((long)_server.Options.HeartbeatInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "},\"s\":null,\"t\":null}");
            await ReceiveLoopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The peer vanished or the host is stopping; the session stays resumable.
        }
        finally
        {
            _receiveDone.TrySetResult();
            _outbound.Writer.TryComplete();
            if (Session is { } session)
                session.Detach(this, _server.Options.TimeProvider.GetUtcNow());
            _server.Forget(this);
        }
        await writer;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                if (message.Text is { } text)
                {
                    await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    continue;
                }
                _closing = true;
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)message.CloseCode!.Value, message.Reason, cancellationToken);
                // Give the peer a moment to answer the close frame, then drop the connection.
                if (await Task.WhenAny(_receiveDone.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)) != _receiveDone.Task)
                    _socket.Abort();
                return;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxPayloadBytes + 1];
        while (true)
        {
            var length = 0;
            var tooLarge = false;
            ValueWebSocketReceiveResult result;
            do
            {
                var space = tooLarge ? buffer.AsMemory() : buffer.AsMemory(length);
                result = await _socket.ReceiveAsync(space, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        var status = (int?)_socket.CloseStatus ?? 1005;
                        if (Session is { } session && status is 1000 or 1001)
                        {
                            _server.EndSession(session);
                            Session = null;
                        }
                        _outbound.Writer.TryWrite(new Outbound(null, status is 1005 ? 1000 : status, ""));
                    }
                    return;
                }
                if (!tooLarge)
                {
                    length += result.Count;
                    tooLarge = length > MaxPayloadBytes;
                }
            }
            while (!result.EndOfMessage);

            if (_closing)
                continue;
            if (tooLarge)
            {
                Close(4002, "Decode error: payload too large.");
                continue;
            }
            if (!CountClientEvent())
            {
                Close(4008, "Rate limited.");
                continue;
            }
            Handle(buffer.AsSpan(0, length), result.MessageType);
        }
    }

    private bool CountClientEvent()
    {
        var now = _server.Options.TimeProvider.GetUtcNow();
        if (now >= _eventWindowEnd)
        {
            _eventWindowEnd = now + ClientEventWindow;
            _eventCount = 0;
        }
        return ++_eventCount <= ClientEventLimit;
    }

    private void Handle(ReadOnlySpan<byte> payload, WebSocketMessageType type)
    {
        JsonObject? message;
        try
        {
            message = type == WebSocketMessageType.Text ? JsonNode.Parse(payload) as JsonObject : null;
        }
        catch (JsonException)
        {
            message = null;
        }
        if (message is null || message["op"] is not JsonValue opValue || !opValue.TryGetValue<int>(out var op))
        {
            Close(4002, "Decode error.");
            return;
        }
        var data = message["d"];
        switch (op)
        {
            case 1:
                if (!_server.Faults.GatewayZombie)
                    Send("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
                return;
            case 2:
                if (Session is not null)
                    Close(4005, "Already authenticated.");
                else
                    Identify(data as JsonObject);
                return;
            case 6:
                if (Session is not null)
                    Close(4005, "Already authenticated.");
                else
                    Resume(data as JsonObject);
                return;
            case 3 or 4 or 8 or 31 or 43:
                if (Session is null)
                    Close(4003, "Not authenticated.");
                else if (op == 8)
                    RequestGuildMembers(Session, data as JsonObject);
                return;
            default:
                Close(4001, "Unknown opcode.");
                return;
        }
    }

    private void Identify(JsonObject? d)
    {
        if (!_server.IsBotToken(d?["token"]))
        {
            Close(4004, "Authentication failed.");
            return;
        }
        if (d!["intents"] is not JsonValue intentsValue || !intentsValue.TryGetValue<long>(out var intentsLong)
            || intentsLong < 0 || (intentsLong & ~(long)GatewayIntents.AllValid) != 0)
        {
            Close(4013, "Invalid intent(s).");
            return;
        }
        var intents = (int)intentsLong;
        if ((intents & GatewayIntents.Privileged & ~_server.Options.AllowedPrivilegedIntents) != 0)
        {
            Close(4014, "Disallowed intent(s).");
            return;
        }
        int shardId = 0, shardCount = 1;
        var shardGiven = d["shard"] is not null;
        if (shardGiven)
        {
            if (d["shard"] is not JsonArray { Count: 2 } shard
                || shard[0] is not JsonValue idValue || !idValue.TryGetValue(out shardId)
                || shard[1] is not JsonValue countValue || !countValue.TryGetValue(out shardCount)
                || shardCount < 1 || shardId < 0 || shardId >= shardCount)
            {
                Close(4010, "Invalid shard.");
                return;
            }
        }
        var session = _server.CreateSession(intents, shardId, shardCount, shardGiven);
        Session = session;
        // Built outside the session's lock: the state may call the session back while holding its own lock.
        session.Start(this, BuildReadyAndGuilds(session));
    }

    private List<(string EventName, string Json)> BuildReadyAndGuilds(GatewaySession session)
    {
        var data = _server.Data;
        var guildIds = data.BotGuildIds().Where(session.OwnsGuild).ToList();
        var guilds = new JsonArray();
        foreach (var id in guildIds)
            guilds.Add(new JsonObject { ["id"] = id, ["unavailable"] = true });
        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = data.BotUser(),
            ["guilds"] = guilds,
            ["session_id"] = session.Id,
            ["session_type"] = "normal",
            ["resume_gateway_url"] = _resumeUrl,
            ["application"] = new JsonObject { ["id"] = data.ApplicationId, ["flags"] = 0 },
            ["private_channels"] = new JsonArray(),
            ["relationships"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["guild_join_requests"] = new JsonArray(),
            ["geo_ordered_rtc_regions"] = new JsonArray(),
            ["user_settings"] = new JsonObject(),
            ["_trace"] = new JsonArray("discordmcp-sandbox"),
        };
        if (session.ShardGiven)
            ready["shard"] = new JsonArray(session.ShardId, session.ShardCount);
        var initial = new List<(string EventName, string Json)>(guildIds.Count + 1) { ("READY", ready.ToJsonString()) };
        foreach (var id in guildIds)
        {
            var guild = data.BuildGuildCreate(id);
            // Discord marks an available guild explicitly; discord.js keeps a READY guild unavailable without it.
            if (!guild.ContainsKey("unavailable"))
                guild["unavailable"] = false;
            initial.Add(("GUILD_CREATE", guild.ToJsonString()));
        }
        return initial;
    }

    private void Resume(JsonObject? d)
    {
        if (!_server.IsBotToken(d?["token"]))
        {
            Close(4004, "Authentication failed.");
            return;
        }
        var sessionId = d!["session_id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id) ? id : null;
        long seq = 0;
        if (d["seq"] is JsonValue seqValue && !seqValue.TryGetValue(out seq))
        {
            Close(4002, "Decode error: seq must be an integer.");
            return;
        }
        var session = sessionId is null ? null : _server.FindResumable(sessionId);
        if (session is null || !session.Resume(this, seq, out var previous))
        {
            Send("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
            return;
        }
        Session = session;
        if (previous is not null && !ReferenceEquals(previous, this))
        {
            previous.Session = null;
            previous.Close(4009, "Session resumed elsewhere.");
        }
    }

    private void RequestGuildMembers(GatewaySession session, JsonObject? d)
    {
        if (d is null)
        {
            Close(4002, "Decode error: d is required.");
            return;
        }
        var guildIds = StringOrArray(d["guild_id"]);
        var userIds = d["user_ids"] is null ? null : StringOrArray(d["user_ids"]);
        var query = d["query"] is JsonValue q && q.TryGetValue<string>(out var text) ? text : (userIds is null ? "" : null);
        var limit = d["limit"] is JsonValue l && l.TryGetValue<int>(out var n) ? n : 0;
        var nonce = d["nonce"] is JsonValue nv && nv.TryGetValue<string>(out var nonceText) ? nonceText : null;
        var wantPresences = d["presences"] is JsonValue pv && pv.TryGetValue<bool>(out var p) && p;
        var botGuilds = _server.Data.BotGuildIds();
        foreach (var guildId in guildIds)
        {
            if (!botGuilds.Contains(guildId) || !session.OwnsGuild(guildId))
                continue;
            var members = _server.Data.QueryMembers(guildId, userIds is null ? query : null, userIds, limit);
            var chunkCount = Math.Max(1, (members.Count + MembersPerChunk - 1) / MembersPerChunk);
            var found = members.Select(m => (m["user"] as JsonObject)?["id"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            for (var index = 0; index < chunkCount; index++)
            {
                var chunk = new JsonArray();
                foreach (var member in members.Skip(index * MembersPerChunk).Take(MembersPerChunk))
                    chunk.Add(member.DeepClone());
                var payload = new JsonObject
                {
                    ["guild_id"] = guildId,
                    ["members"] = chunk,
                    ["chunk_index"] = index,
                    ["chunk_count"] = chunkCount,
                };
                if (userIds is not null && index == 0)
                {
                    var notFound = new JsonArray();
                    foreach (var userId in userIds.Where(u => !found.Contains(u)))
                        notFound.Add(userId);
                    payload["not_found"] = notFound;
                }
                if (wantPresences)
                    payload["presences"] = new JsonArray();
                if (nonce is not null)
                    payload["nonce"] = nonce;
                session.Dispatch("GUILD_MEMBERS_CHUNK", payload.ToJsonString());
            }
        }
    }

    private static List<string> StringOrArray(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var one) => [one],
        JsonArray array => [.. array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString())],
        _ => [],
    };

    private sealed record Outbound(string? Text, int? CloseCode, string? Reason);
}
