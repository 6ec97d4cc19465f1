using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DiscordMcp.Policy.Security;

/// <summary>
/// Canonical JSON for argument binding: compact, object properties sorted by ordinal name, numbers and strings as
/// written by <see cref="Utf8JsonWriter"/>. Two argument sets that differ only in property order or whitespace hash the same.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical form of <paramref name="element"/>.</summary>
    public static string Canonicalize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(element, writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The canonical form of a JSON text. Throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static string Canonicalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Canonicalize(document.RootElement);
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 canonical text (the pending-action argument hash).</summary>
    public static string Hash(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(canonicalJson.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var count = Encoding.UTF8.GetBytes(canonicalJson, rented);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, count), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
