using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

/// <summary>Lenient readers over a request body (unknown fields ignored, wrong types reported as 50035).</summary>
internal static class Body
{
    public static string? Str(this JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool Has(this JsonObject body, string key) => body.ContainsKey(key);

    public static bool IsNull(this JsonObject body, string key) => body.ContainsKey(key) && body[key] is null;

    public static int? Int(this JsonObject body, string key, FormErrors errors)
    {
        var node = body[key];
        if (node is null)
            return null;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i))
            return i;
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && int.TryParse(s.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var j))
            return j;
        errors.Add(key, "NUMBER_TYPE_COERCE", $"Value \"{node.ToJsonString()}\" is not int.");
        return null;
    }

    public static bool? Bool(this JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? v.GetValue<bool>() : null;

    /// <summary>A permissions field: decimal string (documented) or integer (as the spec declares).</summary>
    public static DiscordPermissions? Perms(this JsonObject body, string key, FormErrors errors, string? path = null)
    {
        var node = body[key];
        if (node is null)
            return null;
        if (node is JsonValue v)
        {
            if (v.GetValueKind() == JsonValueKind.String && DiscordPermissionSet.TryParse(v.GetValue<string>(), out var p))
                return p;
            if (v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<ulong>(out var n))
                return (DiscordPermissions)n;
        }
        errors.Add(path ?? key, "NUMBER_TYPE_COERCE", $"Value \"{node.ToJsonString()}\" is not snowflake.");
        return null;
    }

    public static string? Id(this JsonObject body, string key, FormErrors errors, string? path = null)
    {
        var node = body[key];
        if (node is null)
            return null;
        if (node is JsonValue v)
        {
            var text = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null;
            if (text is not null && DiscordMcp.Discord.Client.Snowflake.TryParse(text, out _))
                return text;
        }
        errors.Snowflake(path ?? key);
        return null;
    }

    public static void CheckString(this JsonObject body, string key, int min, int max, FormErrors errors, bool required = false, string? path = null)
    {
        var name = path ?? key;
        var node = body[key];
        if (node is null)
        {
            if (required)
                errors.Required(name);
            return;
        }
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(name, "BASE_TYPE_STRING", "Could not interpret value as string.");
            return;
        }
        var length = v.GetValue<string>().Length;
        if (length > max)
        {
            if (min == 0)
                errors.MaxLength(name, max);
            else
                errors.Length(name, min, max);
        }
        else if (length < min)
        {
            errors.Length(name, min, max);
        }
    }
}
