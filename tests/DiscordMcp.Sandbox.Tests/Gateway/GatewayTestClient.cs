using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.Tests.Gateway;

/// <summary>A raw gateway client over <see cref="ClientWebSocket"/>: send JSON, receive JSON or the close code.</summary>
internal sealed class GatewayTestClient : IAsyncDisposable
{
    // A guard against a hung test, not a wait for behaviour: every receive is answered by an explicit frame.
    private static readonly TimeSpan ReceiveGuard = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket = new();

    public WebSocketState State => _socket.State;

    public static async Task<GatewayTestClient> ConnectAsync(Uri url)
    {
        var client = new GatewayTestClient();
        using var cts = new CancellationTokenSource(ReceiveGuard);
        await client._socket.ConnectAsync(url, cts.Token);
        return client;
    }

    /// <summary>Connects, reads HELLO and identifies; returns READY's <c>d</c> (GUILD_CREATEs follow).</summary>
    public static async Task<(GatewayTestClient Client, JsonObject Ready)> IdentifyAsync(Uri url, string token, int intents, int[]? shard = null)
    {
        var client = await ConnectAsync(url);
        var hello = await client.ReceiveAsync();
        Assert.Equal(10, hello["op"]!.GetValue<int>());
        await client.SendAsync(IdentifyPayload(token, intents, shard));
        var ready = await client.ReceiveAsync();
        Assert.Equal("READY", ready["t"]!.GetValue<string>());
        return (client, ready["d"]!.AsObject());
    }

    public static JsonObject IdentifyPayload(string token, int intents, int[]? shard = null)
    {
        var d = new JsonObject
        {
            ["token"] = token,
            ["intents"] = intents,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "test", ["device"] = "test" },
        };
        if (shard is not null)
            d["shard"] = new JsonArray(shard[0], shard[1]);
        return new JsonObject { ["op"] = 2, ["d"] = d };
    }

    public Task SendAsync(JsonObject payload) => SendTextAsync(payload.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        using var cts = new CancellationTokenSource(ReceiveGuard);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next frame as JSON; fails if the server closes instead.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        var (text, close) = await ReceiveFrameAsync();
        Assert.True(text is not null, "expected a frame but the server closed with " + close);
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The next dispatch (op 0) with event name <paramref name="eventName"/>, failing on any other frame.</summary>
    public async Task<JsonObject> ReceiveDispatchAsync(string eventName)
    {
        var frame = await ReceiveAsync();
        Assert.Equal(0, frame["op"]!.GetValue<int>());
        Assert.Equal(eventName, frame["t"]!.GetValue<string>());
        return frame;
    }

    /// <summary>Waits for the server's close frame (skipping nothing) and returns its code; completes the handshake.</summary>
    public async Task<int> ReceiveCloseAsync()
    {
        while (true)
        {
            var (text, close) = await ReceiveFrameAsync();
            if (text is null)
                return close!.Value;
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status)
    {
        using var cts = new CancellationTokenSource(ReceiveGuard);
        await _socket.CloseAsync(status, "", cts.Token);
    }

    private async Task<(string? Text, int? Close)> ReceiveFrameAsync()
    {
        using var cts = new CancellationTokenSource(ReceiveGuard);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var code = (int)(_socket.CloseStatus ?? WebSocketCloseStatus.Empty);
                if (_socket.State == WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
                return (null, code);
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return (Encoding.UTF8.GetString(message.ToArray()), null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // already gone
            }
        }
        _socket.Dispose();
    }
}
