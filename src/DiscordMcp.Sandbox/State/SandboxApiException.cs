using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.State;

/// <summary>
/// A Discord JSON error raised by a state operation: HTTP status, Discord code, message and (for 50035) the
/// nested <c>errors</c> object. The REST layer turns it into the response body; C# callers see it as is.
/// </summary>
public sealed class SandboxApiException : Exception
{
    public SandboxApiException(int status, int code, string message, JsonObject? errors = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Errors = errors;
    }

    public SandboxApiException()
        : this(500, 0, "500: Internal Server Error")
    {
    }

    public SandboxApiException(string message)
        : this(400, 0, message)
    {
    }

    public SandboxApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
    }

    public int Status { get; }

    public int Code { get; }

    public JsonObject? Errors { get; }

    /// <summary>The body Discord sends: <c>{"message","code","errors"?}</c>.</summary>
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["message"] = Message, ["code"] = Code };
        if (Errors is not null)
            body["errors"] = Errors.DeepClone();
        return body;
    }

    internal static SandboxApiException NotFound(int code, string entity) => new(404, code, $"Unknown {entity}");

    internal static SandboxApiException MissingPermissions() => new(403, 50013, "Missing Permissions");

    internal static SandboxApiException MissingAccess() => new(403, 50001, "Missing Access");

    internal static SandboxApiException Bad(int code, string message) => new(400, code, message);
}

/// <summary>Collects 50035 field errors in Discord's nested shape (array indexes as keys).</summary>
internal sealed class FormErrors
{
    private readonly JsonObject _root = new();

    public bool Any => _root.Count > 0;

    public void Add(string path, string code, string message)
    {
        var node = _root;
        foreach (var key in path.Split('.'))
        {
            if (node[key] is not JsonObject child)
            {
                child = new JsonObject();
                node[key] = child;
            }
            node = child;
        }
        if (node["_errors"] is not JsonArray errors)
        {
            errors = [];
            node["_errors"] = errors;
        }
        errors.Add(new JsonObject { ["code"] = code, ["message"] = message });
    }

    public void Required(string path) => Add(path, "BASE_TYPE_REQUIRED", "This field is required");

    public void MaxLength(string path, int max) => Add(path, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");

    public void Length(string path, int min, int max) => Add(path, "BASE_TYPE_BAD_LENGTH", $"Must be between {min} and {max} in length.");

    public void Range(string path, long min, long max) =>
        Add(path, "NUMBER_TYPE_MAX", $"int value should be less than or equal to {max} and greater than or equal to {min}.");

    public void Snowflake(string path) => Add(path, "NUMBER_TYPE_COERCE", "Value is not snowflake.");

    public void Choice(string path) => Add(path, "BASE_TYPE_CHOICES", "Value must be one of the allowed choices.");

    public void ThrowIfAny()
    {
        if (Any)
            throw new SandboxApiException(400, 50035, "Invalid Form Body", _root);
    }
}
