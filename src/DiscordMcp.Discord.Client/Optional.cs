using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DiscordMcp.Discord.Client;

/// <summary>
/// A PATCH-body value that is either absent (<c>default</c>: the field is left out of the JSON) or present,
/// where present may be an explicit <c>null</c> (Discord then clears the field).
/// Properties of this type must carry <c>[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]</c>
/// so that absent values are omitted.
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
#pragma warning disable CA1716 // "Optional" is a VB keyword; the name is the design's vocabulary and the project is C#-only.
public readonly struct Optional<T> : IEquatable<Optional<T>>
{
    private readonly T _value;

    public Optional(T value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>True when the field is to be sent (possibly as null).</summary>
    public bool HasValue { get; }

    public T Value => HasValue ? _value : throw new InvalidOperationException("The optional value is absent.");

    public T? GetValueOrDefault(T? fallback = default) => HasValue ? _value : fallback;

#pragma warning disable CA2225 // The named alternative is the constructor; the operator keeps request initialisers readable.
    public static implicit operator Optional<T>(T value) => new(value);
#pragma warning restore CA2225

    public bool Equals(Optional<T> other) =>
        HasValue == other.HasValue && (!HasValue || EqualityComparer<T>.Default.Equals(_value, other._value));

    public override bool Equals(object? obj) => obj is Optional<T> other && Equals(other);

    public override int GetHashCode() => HasValue ? HashCode.Combine(true, _value) : 0;

    public static bool operator ==(Optional<T> left, Optional<T> right) => left.Equals(right);

    public static bool operator !=(Optional<T> left, Optional<T> right) => !left.Equals(right);

    public override string ToString() => HasValue ? _value?.ToString() ?? "null" : "<absent>";
}
#pragma warning restore CA1716

/// <summary>Creates <see cref="OptionalJsonConverter{T}"/> for each <see cref="Optional{T}"/>.</summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050",
        Justification = "Optional<T> is a value type over T; the closed converter type is instantiated for each T the source-generated context already roots.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2070",
        Justification = "OptionalJsonConverter<T> has a public parameterless constructor that is referenced statically below.")]
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var closed = typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]);
        return (JsonConverter)Activator.CreateInstance(closed)!;
    }
}

/// <summary>Writes the present value (or null); reads any value, including null, as present.</summary>
public sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
{
    public override bool HandleNull => true;

    public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(JsonSerializer.Deserialize(ref reader, Info(options))!);

    public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!value.HasValue || value.Value is null)
        {
            // Absent values are normally skipped by WhenWritingDefault; if not, null is the safest spelling.
            writer.WriteNullValue();
            return;
        }
        JsonSerializer.Serialize(writer, value.Value, Info(options));
    }

    private static JsonTypeInfo<T> Info(JsonSerializerOptions options) =>
        (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
