using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiscordMcp.Policy.Security;

/// <summary>
/// Removes secrets from text and JSON before they reach audit, logs or tool output: Discord webhook URLs and tokens
/// (bare 68-character webhook tokens too), interaction tokens, <c>dmcp_</c> API keys, <c>Authorization:</c> values and
/// <c>Bot …</c>/<c>Bearer …</c> credentials, bot-token- and JWT-shaped strings, values of secret-named JSON properties
/// (token, secret, password, authorization, api_key …), and any configured literal secret (e.g. the configured bot
/// token, which need not have Discord's shape). Pure and thread-safe; the patterns are source-generated once, and text
/// in which nothing matches is returned as the same instance without copying.
/// </summary>
public sealed partial class Redactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    private readonly string[] _knownSecrets;

    /// <summary>A redactor that also removes these literal secrets (values shorter than 8 characters are ignored).</summary>
    public Redactor(IEnumerable<string?>? knownSecrets = null)
    {
        _knownSecrets = knownSecrets is null
            ? []
            : [.. knownSecrets.Where(s => s is { Length: >= 8 }).Select(s => s!).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>A redactor with only the built-in patterns.</summary>
    public static Redactor Default { get; } = new();

    /// <summary>Redacts secrets in free text. Returns the same instance when nothing matched.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = text;
        foreach (var secret in _knownSecrets)
        {
            if (result.Contains(secret, StringComparison.Ordinal))
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        if (result.Contains("webhooks", StringComparison.OrdinalIgnoreCase))
        {
            result = DiscordWebhookUrl().Replace(result, Mask);
            result = WebhookPath().Replace(result, "${prefix}" + Mask);
        }

        if (result.Contains("dmcp_", StringComparison.Ordinal))
        {
            result = ApiKey().Replace(result, Mask);
        }

        if (result.Contains("Bot", StringComparison.OrdinalIgnoreCase) || result.Contains("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            result = AuthorizationValue().Replace(result, "${scheme} " + Mask);
        }

        if (result.Contains("Authorization", StringComparison.OrdinalIgnoreCase))
        {
            result = AuthorizationHeader().Replace(result, "${name}" + Mask);
        }

        if (result.Contains(InteractionTokenPrefix, StringComparison.Ordinal))
        {
            result = InteractionToken().Replace(result, Mask);
        }

        if (result.Length >= WebhookTokenLength)
        {
            result = BareWebhookToken().Replace(result, Mask);
        }

        if (result.Contains('.', StringComparison.Ordinal))
        {
            result = BotTokenShape().Replace(result, Mask);
            result = JwtShape().Replace(result, Mask);
        }

        return result;
    }

    /// <summary>
    /// Redacts a JSON document: values of secret-named properties become <see cref="Mask"/>, every other string is
    /// passed through <see cref="Redact"/>. Output is compact. Text that is not valid JSON is redacted as free text.
    /// </summary>
    public string RedactJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return Redact(json);
        }

        using (document)
        {
            var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(document.RootElement, writer, maskNonStrings: true);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>
    /// Redacts a JSON value for output that must keep its shape (a tool's <c>structuredContent</c>, which is checked
    /// against an output schema): string values of secret-named properties become <see cref="Mask"/>, every other
    /// string is passed through <see cref="Redact"/>, and numbers, booleans and structure stay as they are. Returns the
    /// same element when nothing needed redacting, so the common case writes nothing.
    /// </summary>
    public JsonElement RedactJson(JsonElement element)
    {
        if (!NeedsRedaction(element))
            return element;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(element, writer, maskNonStrings: false);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private bool NeedsRedaction(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && IsSecretPropertyName(property.Name) && !property.Value.ValueEquals(Mask))
                        return true;
                    if (NeedsRedaction(property.Value))
                        return true;
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (NeedsRedaction(item))
                        return true;
                }

                return false;
            case JsonValueKind.String:
                var text = element.GetString()!;
                return !ReferenceEquals(text, Redact(text));
            default:
                return false;
        }
    }

    /// <summary>True when a JSON property with this name holds a secret.</summary>
    public static bool IsSecretPropertyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains("token", StringComparison.OrdinalIgnoreCase)
            || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || name.Contains("password", StringComparison.OrdinalIgnoreCase)
            || name.Contains("authorization", StringComparison.OrdinalIgnoreCase)
            || name.Equals("api_key", StringComparison.OrdinalIgnoreCase)
            || name.Equals("apikey", StringComparison.OrdinalIgnoreCase)
            || name.Equals("webhook_url", StringComparison.OrdinalIgnoreCase);
    }

    private void Write(JsonElement element, Utf8JsonWriter writer, bool maskNonStrings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    var maskable = maskNonStrings
                        ? property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array)
                        : property.Value.ValueKind == JsonValueKind.String;
                    if (maskable && IsSecretPropertyName(property.Name))
                    {
                        writer.WriteStringValue(Mask);
                    }
                    else
                    {
                        Write(property.Value, writer, maskNonStrings);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer, maskNonStrings);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Redact(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    // https://discord.com/api/v10/webhooks/ID/TOKEN, discordapp.com, ptb./canary. hosts: the whole URL goes.
    [GeneratedRegex(@"(?:https?://)?(?:[a-z0-9-]+\.)*discord(?:app)?\.com/api(?:/v\d+)?/webhooks/\d+/[A-Za-z0-9_.\-]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiscordWebhookUrl();

    // Any other host (e.g. the sandbox on loopback): keep the id, drop the token.
    [GeneratedRegex(@"(?<prefix>/webhooks/\d+/)[A-Za-z0-9_.\-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookPath();

    [GeneratedRegex(@"dmcp_[A-Za-z0-9_\-]{4,}", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    // Only token-like values (≥ 16 characters) so prose such as "Bot permissions" survives.
    [GeneratedRegex(@"\b(?<scheme>Bot|Bearer)\s+[A-Za-z0-9_\-.=+/~]{16,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();

    // Discord bot token: base64(user id).timestamp.hmac.
    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{23,30}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,45}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant)]
    private static partial Regex BotTokenShape();

    // Authorization: <value> (header or key=value form, any scheme or none); the scheme word is kept, the value goes.
    // A value already masked by the pattern above is left alone.
    [GeneratedRegex(@"(?<name>\bAuthorization""?\s*[:=]\s*""?(?>(?:(?:Bot|Bearer|Basic)\s+)?))(?!\[redacted\])[^\s"",;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    // Discord interaction tokens are base64("interaction:") followed by the token proper.
    private const string InteractionTokenPrefix = "aW50ZXJhY3Rpb246";

    [GeneratedRegex(@"aW50ZXJhY3Rpb246[A-Za-z0-9_\-.]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex InteractionToken();

    // A bare webhook token: exactly 68 URL-safe characters mixing upper case, lower case and digits. Snowflakes (digits),
    // hex digests (64 characters, no upper case) and channel-name slugs (lower case) do not qualify.
    private const int WebhookTokenLength = 68;

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]{0,67}[A-Z])(?=[A-Za-z0-9_\-]{0,67}[a-z])(?=[A-Za-z0-9_\-]{0,67}[0-9])[A-Za-z0-9_\-]{68}(?![A-Za-z0-9_\-])", RegexOptions.CultureInvariant)]
    private static partial Regex BareWebhookToken();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShape();
}
