using System.Net;
using System.Text.Json;

namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// Reads Discord's error bodies: <c>{code, message, errors}</c> and 429 bodies <c>{message, retry_after, global}</c>.
/// Any body — truncated, HTML from a proxy, empty — yields a result; parsing never throws.
/// The body text itself is never copied into messages (a proxy could echo request headers).
/// </summary>
internal static class DiscordErrorParser
{
    /// <summary>Field path used for <c>_errors</c> directly under <c>errors</c> (the body as a whole).</summary>
    public const string RootPath = "(body)";

    private const int MaxFieldErrors = 100;
    private const string NoMessage = "error body without a message";

    public static DiscordHttpException ToException(HttpStatusCode status, ReadOnlyMemory<byte> body, string? mediaType, string routeKey)
    {
        if (body.IsEmpty)
            return new DiscordHttpException(status, 0, "empty error body", [], routeKey);
        if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
            return new DiscordHttpException(status, 0, $"non-JSON error body ({mediaType}, {body.Length} bytes)", [], routeKey);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new DiscordHttpException(status, 0, "unexpected JSON error body (not an object)", [], routeKey);
            var code = 0;
            if (root.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.Number)
                codeElement.TryGetInt32(out code);
            var message = root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String
                ? messageElement.GetString() ?? NoMessage
                : NoMessage;
            var fieldErrors = new List<DiscordFieldError>();
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                Flatten(errors, "", fieldErrors);
            return new DiscordHttpException(status, code, message, fieldErrors, routeKey);
        }
        catch (JsonException)
        {
            return new DiscordHttpException(status, 0, $"malformed JSON error body ({body.Length} bytes)", [], routeKey);
        }
    }

    /// <summary>The <c>retry_after</c> seconds and <c>global</c> flag of a 429 body; nulls when absent or unreadable.</summary>
    public static (double? RetryAfterSeconds, bool Global) ReadRateLimitBody(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            return (null, false);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, false);
            double? retryAfter = root.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetDouble(out var seconds)
                && double.IsFinite(seconds) ? Math.Max(0, seconds) : null;
            var global = root.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;
            return (retryAfter, global);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private static void Flatten(JsonElement node, string path, List<DiscordFieldError> output)
    {
        foreach (var property in node.EnumerateObject())
        {
            if (output.Count >= MaxFieldErrors)
                return;
            if (property.NameEquals("_errors"))
            {
                if (property.Value.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var leaf in property.Value.EnumerateArray())
                {
                    if (leaf.ValueKind != JsonValueKind.Object)
                        continue;
                    output.Add(new DiscordFieldError(path.Length == 0 ? RootPath : path, ReadString(leaf, "code"), ReadString(leaf, "message")));
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(property.Value, path.Length == 0 ? property.Name : string.Concat(path, ".", property.Name), output);
            }
        }
    }

    private static string ReadString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
            return "";
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Number => value.GetRawText(),
            _ => "",
        };
    }
}
