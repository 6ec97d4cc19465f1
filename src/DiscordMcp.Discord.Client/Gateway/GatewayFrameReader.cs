using System.Text;
using System.Text.Json;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>The envelope of a received frame; <see cref="DataStart"/>/<see cref="DataLength"/> locate <c>d</c> in the message.</summary>
internal readonly record struct GatewayFrame(int Op, long? Sequence, string? EventName, int DataStart, int DataLength)
{
    public bool HasData => DataLength > 0;
}

/// <summary>
/// Reads the <c>{op, d, s, t}</c> envelope with one forward pass and no allocation except a new event name
/// (names are cached, so steady state allocates nothing). Not thread-safe: one per receive loop.
/// </summary>
internal sealed class GatewayFrameReader
{
    private const int MaxCachedNames = 512;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public GatewayFrame Read(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new DiscordProtocolException("Gateway frame is not a JSON object.");
        int? op = null;
        long? seq = null;
        string? name = null;
        int dataStart = 0, dataLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("op"u8))
            {
                reader.Read();
                op = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("s"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();
            }
            else if (reader.ValueTextEquals("t"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.Null ? null : Intern(ref reader);
            }
            else if (reader.ValueTextEquals("d"u8))
            {
                reader.Read();
                dataStart = (int)reader.TokenStartIndex;
                reader.Skip();
                dataLength = (int)reader.BytesConsumed - dataStart;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (op is null)
            throw new DiscordProtocolException("Gateway frame has no op.");
        return new GatewayFrame(op.Value, seq, name, dataStart, dataLength);
    }

    private string Intern(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new DiscordProtocolException("Gateway frame field t is not a string.");
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > 64)
            return reader.GetString()!;
        Span<char> chars = stackalloc char[64];
        var count = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..count], out var cached))
            return cached;
        var name = new string(chars[..count]);
        if (_names.Count < MaxCachedNames)
            _names[name] = name;
        return name;
    }
}
