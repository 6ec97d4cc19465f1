namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// One gateway connection's wire: whole UTF-8 text messages in both directions. One instance per connection;
/// the client never calls <see cref="SendAsync"/> concurrently with itself, nor <see cref="ReceiveAsync"/> with itself,
/// but a send may run concurrently with a receive.
/// </summary>
public interface IGatewayTransport : IAsyncDisposable
{
    Task ConnectAsync(Uri uri, CancellationToken cancellationToken);

    /// <summary>Sends one text message. Payloads above <see cref="GatewayLimits.MaxClientPayloadBytes"/> are refused.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken);

    /// <summary>
    /// Receives one whole text message (reassembled from fragments) or the server's close. The returned
    /// <see cref="GatewayReceiveResult.Message"/> is only valid until the next call. Throws when the connection drops.
    /// </summary>
    ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Closes with <paramref name="closeCode"/>; never throws for an already broken connection.</summary>
    Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken);
}

/// <summary>A received text message, or the close the server sent.</summary>
public readonly record struct GatewayReceiveResult(ReadOnlyMemory<byte> Message, int? CloseCode, string? CloseReason)
{
    public bool IsClose => CloseCode is not null;

    public static GatewayReceiveResult FromMessage(ReadOnlyMemory<byte> message) => new(message, null, null);

    public static GatewayReceiveResult FromClose(int code, string? reason) => new(default, code, reason);
}

/// <summary>Limits of the gateway protocol.</summary>
public static class GatewayLimits
{
    /// <summary>Client payloads above this make Discord close with 4002.</summary>
    public const int MaxClientPayloadBytes = 4096;

    /// <summary>Client events allowed per <see cref="ClientEventWindow"/>; more make Discord close with 4008.</summary>
    public const int MaxClientEventsPerWindow = 120;

    public static readonly TimeSpan ClientEventWindow = TimeSpan.FromSeconds(60);

    /// <summary>Identifies per rate-limit key per this window (times <c>max_concurrency</c> keys).</summary>
    public static readonly TimeSpan IdentifyWindow = TimeSpan.FromSeconds(5);

    /// <summary>Gateway API version this client speaks.</summary>
    public const int ApiVersion = 10;
}
