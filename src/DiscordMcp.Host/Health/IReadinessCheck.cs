namespace DiscordMcp.Host.Health;

/// <summary>
/// One dependency <c>/health/ready</c> reports on (Discord, cache, later the database). Implementations must be cheap
/// to call repeatedly (cache their answer) and must never put secrets in <see cref="ReadinessResult.Detail"/>.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Name in the readiness JSON, e.g. <c>discord</c>.</summary>
    string Name { get; }

    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Whether a dependency is usable, with a short safe explanation.</summary>
public sealed record ReadinessResult(bool Ready, string Detail)
{
    public static ReadinessResult Ok(string detail) => new(true, detail);

    public static ReadinessResult Failed(string detail) => new(false, detail);
}
