using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client;

/// <summary>
/// A Discord id: an unsigned 64-bit number whose top 42 bits are milliseconds since the Discord
/// epoch (2015-01-01T00:00:00Z). Always a decimal string on the wire.
/// </summary>
[JsonConverter(typeof(SnowflakeJsonConverter))]
public readonly record struct Snowflake(ulong Value) : IComparable<Snowflake>, ISpanFormattable
{
    /// <summary>Milliseconds from the Unix epoch to the Discord epoch.</summary>
    public const long DiscordEpochMilliseconds = 1_420_070_400_000;

    /// <summary>The instant encoded in the id.</summary>
    public DateTimeOffset CreatedAt =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(Value >> 22) + DiscordEpochMilliseconds);

    /// <summary>The smallest id that Discord could have issued at <paramref name="time"/>; used for before/after paging by time.</summary>
    public static Snowflake FromTime(DateTimeOffset time)
    {
        var ms = time.ToUnixTimeMilliseconds() - DiscordEpochMilliseconds;
        return new Snowflake(ms <= 0 ? 0UL : (ulong)ms << 22);
    }

    public static Snowflake Parse(string value, string fieldName = "id") =>
        TryParse(value, out var id)
            ? id
            : throw new ArgumentException($"{fieldName} must be a Discord id (a decimal number of 1 to 20 digits), got \"{Truncate(value)}\".", fieldName);

    public static bool TryParse([NotNullWhen(true)] string? value, out Snowflake id) =>
        TryParse(value.AsSpan(), out id) && value is not null;

    public static bool TryParse(ReadOnlySpan<char> value, out Snowflake id)
    {
        id = default;
        if (value.IsEmpty || value.Length > 20)
            return false;
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
                return false;
        }
        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
            return false;
        id = new Snowflake(raw);
        return true;
    }

    public int CompareTo(Snowflake other) => Value.CompareTo(other.Value);

    public static bool operator <(Snowflake left, Snowflake right) => left.Value < right.Value;
    public static bool operator >(Snowflake left, Snowflake right) => left.Value > right.Value;
    public static bool operator <=(Snowflake left, Snowflake right) => left.Value <= right.Value;
    public static bool operator >=(Snowflake left, Snowflake right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format, provider);

    private static string Truncate(string? value) =>
        value is null ? "null" : value.Length <= 32 ? value : string.Concat(value.AsSpan(0, 32), "…");
}

/// <summary>Reads a snowflake from a JSON string (or, leniently, a number); always writes a string.</summary>
public sealed class SnowflakeJsonConverter : JsonConverter<Snowflake>
{
    public override Snowflake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var number))
            return new Snowflake(number);
        if (reader.TokenType == JsonTokenType.String)
        {
            // Fast path: an unescaped run of ASCII digits, parsed without allocating.
            if (!reader.HasValueSequence && !reader.ValueIsEscaped)
            {
                var span = reader.ValueSpan;
                if (span.Length is > 0 and <= 20 && !span.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                    && System.Buffers.Text.Utf8Parser.TryParse(span, out ulong raw, out var consumed) && consumed == span.Length)
                    return new Snowflake(raw);
            }
            else if (Snowflake.TryParse(reader.GetString(), out var id))
            {
                return id;
            }
        }
        throw new JsonException("Expected a Discord id (snowflake) as a decimal string.");
    }

    public override void Write(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[20];
        value.Value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }

    public override Snowflake ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Snowflake.TryParse(reader.GetString(), out var id) ? id : throw new JsonException("Expected a Discord id as a property name.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.ToString());
}
