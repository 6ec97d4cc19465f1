using System.Net.WebSockets;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary><see cref="IGatewayTransport"/> over <see cref="ClientWebSocket"/>: reassembles fragmented messages into one reused buffer.</summary>
public sealed class WebSocketGatewayTransport : IGatewayTransport
{
    private const int InitialBufferSize = 16 * 1024;

    /// <summary>Refuse absurd messages rather than grow without bound (READY of a very large bot stays well below this).</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly ClientWebSocket _socket = new();
    private byte[] _buffer = new byte[InitialBufferSize];

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return _socket.ConnectAsync(uri, cancellationToken);
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        if (utf8Json.Length > GatewayLimits.MaxClientPayloadBytes)
            throw new ArgumentException($"Gateway payload is {utf8Json.Length} bytes; Discord accepts at most {GatewayLimits.MaxClientPayloadBytes} bytes per client payload.", nameof(utf8Json));
        return _socket.SendAsync(utf8Json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    public async ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == _buffer.Length)
            {
                if (_buffer.Length >= MaxMessageBytes)
                    throw new DiscordProtocolException($"Gateway message exceeds {MaxMessageBytes} bytes.");
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxMessageBytes));
            }
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return GatewayReceiveResult.FromClose((int?)_socket.CloseStatus ?? 1005, _socket.CloseStatusDescription);
            if (result.MessageType == WebSocketMessageType.Binary)
                throw new DiscordProtocolException("Gateway sent a binary message; this client requests encoding=json without compression.");
            count += result.Count;
            if (result.EndOfMessage)
                return GatewayReceiveResult.FromMessage(_buffer.AsMemory(0, count));
        }
    }

    public async Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            return;
        try
        {
            // CloseOutputAsync: do not wait for the server's echo; a zombie connection would never answer.
            await _socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, reason, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is already broken; there is nothing left to close.
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
