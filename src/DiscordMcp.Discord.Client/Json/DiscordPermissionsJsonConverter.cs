using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Json;

/// <summary>Permission bitfields travel as decimal strings; reads a string (or, leniently, a number), always writes a string.</summary>
public sealed class DiscordPermissionsJsonConverter : JsonConverter<DiscordPermissions>
{
    public override DiscordPermissions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var number))
            return (DiscordPermissions)number;
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.HasValueSequence && !reader.ValueIsEscaped)
            {
                var span = reader.ValueSpan;
                if (span.Length is > 0 and <= 20 && !span.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                    && Utf8Parser.TryParse(span, out ulong raw, out var consumed) && consumed == span.Length)
                    return (DiscordPermissions)raw;
            }
            else if (ulong.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return (DiscordPermissions)parsed;
            }
        }
        throw new JsonException("Expected a permission bitfield as a decimal string.");
    }

    public override void Write(Utf8JsonWriter writer, DiscordPermissions value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[20];
        ((ulong)value).TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
