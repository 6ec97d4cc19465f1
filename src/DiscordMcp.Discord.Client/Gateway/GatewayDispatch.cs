using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// One dispatch (op 0): the event name (<c>t</c>), its sequence number (<c>s</c>) and the raw UTF-8 JSON of <c>d</c>.
/// Consumers deserialise only what they need, e.g. with their own source-generated <see cref="JsonTypeInfo{T}"/>.
/// </summary>
public sealed class GatewayDispatch
{
    public GatewayDispatch(string eventName, long sequence, ReadOnlyMemory<byte> data)
    {
        EventName = eventName;
        Sequence = sequence;
        Data = data;
    }

    /// <summary>E.g. <c>MESSAGE_CREATE</c>.</summary>
    public string EventName { get; }

    public long Sequence { get; }

    /// <summary>The <c>d</c> value as UTF-8 JSON, owned by this object.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    public T? Deserialize<T>(JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(Data.Span, typeInfo);

    /// <summary>Parses <see cref="Data"/>; the caller owns (and should dispose) the document.</summary>
    public JsonDocument ParseData() => JsonDocument.Parse(Data);

    public override string ToString() => $"{EventName} #{Sequence} ({Data.Length} bytes)";
}
