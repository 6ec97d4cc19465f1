namespace DiscordMcp.Discord;

/// <summary>What went wrong, coarsely: lets the MCP layer pick a status without parsing messages.</summary>
public enum DiscordErrorKind
{
    /// <summary>An argument is malformed, out of range, or names nothing.</summary>
    InvalidArgument,
    /// <summary>A name matched more than one thing.</summary>
    Ambiguous,
    /// <summary>Discord says the thing does not exist (10003, 10008, …).</summary>
    NotFound,
    /// <summary>The bot lacks a permission or access (50001, 50013), or the guild is outside the allowed scope.</summary>
    Forbidden,
    /// <summary>Rate limit longer than the client waits.</summary>
    RateLimited,
    /// <summary>Discord is unreachable or answered nonsense.</summary>
    Unavailable,
}

/// <summary>
/// The one error type the service layer raises. <see cref="Exception.Message"/> is safe to show to a model or a person:
/// it names the argument or resource and says what to do, and never contains tokens or raw response bodies.
/// </summary>
public sealed class DiscordServiceException : Exception
{
    public DiscordServiceException(DiscordErrorKind kind, string message, string? argument = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Argument = argument;
    }

    public DiscordErrorKind Kind { get; }

    /// <summary>The tool argument at fault, when there is one (e.g. <c>channel</c>).</summary>
    public string? Argument { get; }

    public static DiscordServiceException Invalid(string argument, string message) => new(DiscordErrorKind.InvalidArgument, message, argument);
}
