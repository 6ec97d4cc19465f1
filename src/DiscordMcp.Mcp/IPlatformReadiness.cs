namespace DiscordMcp.Mcp;

/// <summary>
/// Start-up work the platform finishes before a tool may run. The stdio host prepares storage (migrations, bootstrap)
/// while the MCP handshake and <c>tools/list</c> are already answered; the call filter waits here before the policy
/// pipeline touches storage. Without a registration, the platform is taken as ready.
/// </summary>
public interface IPlatformReadiness
{
    /// <summary>Completes when the platform is ready; throws <see cref="PlatformUnavailableException"/> when it cannot be.</summary>
    Task WaitAsync(CancellationToken cancellationToken);
}

/// <summary>The platform could not be prepared (e.g. the database could not be migrated): no tool can run.</summary>
public sealed class PlatformUnavailableException : Exception
{
    public PlatformUnavailableException()
    {
    }

    public PlatformUnavailableException(string message)
        : base(message)
    {
    }

    public PlatformUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
