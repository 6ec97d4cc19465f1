using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DiscordMcp.Discord.Client.Gateway;

namespace DiscordMcp.Discord.Client.Tests.Gateway;

internal static class Scripted
{
    /// <summary>Guard against a hung test only; never reached when the client behaves.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
}

/// <summary>The server side of scripted gateway sessions: every connection the client opens appears in <see cref="NextConnectionAsync"/>.</summary>
internal sealed class ScriptedGatewayServer
{
    private readonly Channel<ScriptedConnection> _connections = Channel.CreateUnbounded<ScriptedConnection>();
    private int _connectFailuresLeft;
    private int _count;

    public int ConnectionCount => Volatile.Read(ref _count);

    /// <summary>The next <paramref name="count"/> connect attempts throw, as if the host were unreachable.</summary>
    public void FailNextConnects(int count) => _connectFailuresLeft = count;

    public IGatewayTransport CreateTransport() => new ScriptedConnection(this);

    public async Task<ScriptedConnection> NextConnectionAsync() =>
        await _connections.Reader.ReadAsync().AsTask().WaitAsync(Scripted.Timeout);

    public bool HasPendingConnection => _connections.Reader.TryPeek(out _);

    internal bool TakeConnectFailure()
    {
        if (_connectFailuresLeft <= 0)
            return false;
        _connectFailuresLeft--;
        return true;
    }

    internal void Connected(ScriptedConnection connection)
    {
        Interlocked.Increment(ref _count);
        _connections.Writer.TryWrite(connection);
    }
}

/// <summary>One scripted connection: the test injects server frames and awaits the frames the client sent.</summary>
internal sealed class ScriptedConnection(ScriptedGatewayServer server) : IGatewayTransport
{
    private readonly Channel<object> _inbound = Channel.CreateUnbounded<object>();
    private readonly Channel<string> _sent = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<int> _closedByClient = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Close(int Code, string Reason);

    private sealed record Drop;

    public Uri? Uri { get; private set; }

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (server.TakeConnectFailure())
            throw new WebSocketException(WebSocketError.Faulted, "scripted connect failure");
        Uri = uri;
        server.Connected(this);
        return Task.CompletedTask;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        Assert.True(utf8Json.Length <= GatewayLimits.MaxClientPayloadBytes);
        _sent.Writer.TryWrite(Encoding.UTF8.GetString(utf8Json.Span));
        return ValueTask.CompletedTask;
    }

    public async ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        var item = await _inbound.Reader.ReadAsync(cancellationToken);
        return item switch
        {
            string json => GatewayReceiveResult.FromMessage(Encoding.UTF8.GetBytes(json)),
            Close close => GatewayReceiveResult.FromClose(close.Code, close.Reason),
            _ => throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "scripted drop"),
        };
    }

    public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken)
    {
        _closedByClient.TrySetResult(closeCode);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // ------------------------------------------------------------ server side

    public void Send(string json) => _inbound.Writer.TryWrite(json);

    public void Hello(int intervalMs = 41_250) => Send($$$"""{"op":10,"d":{"heartbeat_interval":{{{intervalMs}}}},"s":null,"t":null}""");

    public void Ack() => Send("""{"op":11}""");

    public void Dispatch(string eventName, long seq, string data = "{}") => Send($$"""{"op":0,"t":"{{eventName}}","s":{{seq}},"d":{{data}}}""");

    public void Ready(long seq = 1, string sessionId = "session-1", string resumeUrl = "wss://resume.test") =>
        Dispatch("READY", seq, $$$"""{"v":10,"user":{"id":"1100000000000000001","username":"bot"},"guilds":[],"session_id":"{{{sessionId}}}","resume_gateway_url":"{{{resumeUrl}}}","application":{"id":"1100000000000000002","flags":0}}""");

    public void ServerClose(int code, string reason = "") => _inbound.Writer.TryWrite(new Close(code, reason));

    public void DropConnection() => _inbound.Writer.TryWrite(new Drop());

    /// <summary>The next frame the client sent, parsed.</summary>
    public async Task<JsonElement> NextSentAsync()
    {
        var text = await _sent.Reader.ReadAsync().AsTask().WaitAsync(Scripted.Timeout);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>The next frame the client sent; asserts its op.</summary>
    public async Task<JsonElement> NextSentAsync(int expectedOp)
    {
        var frame = await NextSentAsync();
        Assert.Equal(expectedOp, frame.GetProperty("op").GetInt32());
        return frame;
    }

    public bool HasUnreadSent => _sent.Reader.TryPeek(out _);

    public Task<int> ClosedByClient => _closedByClient.Task.WaitAsync(Scripted.Timeout);

    public bool WasClosedByClient => _closedByClient.Task.IsCompleted;
}
