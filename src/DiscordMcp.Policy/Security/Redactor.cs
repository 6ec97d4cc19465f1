using System.Buffers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiscordMcp.Policy.Security;

/// <summary>
/// Removes secrets from text and JSON before they reach audit, logs or tool output: Discord webhook URLs and tokens,
/// <c>dmcp_</c> API keys, <c>Bot …</c>/<c>Bearer …</c> authorization values, bot-token- and JWT-shaped strings,
/// values of secret-named JSON properties (token, secret, password, authorization, api_key …), and any configured
/// literal secret (e.g. the configured bot token, which need not have Discord's shape). Pure and thread-safe.
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
                Write(document.RootElement, writer);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
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

    private void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSecretPropertyName(property.Name) && property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array))
                    {
                        writer.WriteStringValue(Mask);
                    }
                    else
                    {
                        Write(property.Value, writer);
                    }
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

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]+", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShape();
}
