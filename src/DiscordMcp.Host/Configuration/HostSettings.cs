namespace DiscordMcp.Host.Configuration;

/// <summary>
/// How the host is started: what the command line said, plus seams for tests (environment and extra configuration).
/// </summary>
public sealed record HostSettings
{
    /// <summary>The default HTTP address: loopback only, so nothing is exposed to the network unless asked for.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8000";

    /// <summary>Start the in-process sandbox and point the Discord client at it.</summary>
    public bool Sandbox { get; init; }

    /// <summary>Kestrel addresses for <c>serve</c> (<c>--urls</c>); semicolon-separated.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>Environment variables to read; null reads the process environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Configuration keys applied last (tests, the conformance composition); they win over everything.</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    /// <summary><c>serve --no-auth</c>: no API key on <c>/mcp</c>; calls run as the local operator of the default workspace. Loopback only.</summary>
    public bool NoAuth { get; init; }

    /// <summary>Where <c>serve --sandbox</c> prints the admin key it issued (never a logger); null = standard error.</summary>
    public TextWriter? Console { get; init; }

    /// <summary>Read <c>appsettings.json</c> from the application folder (tests turn it off to be independent of it).</summary>
    public bool UseAppSettingsFile { get; init; } = true;
}
