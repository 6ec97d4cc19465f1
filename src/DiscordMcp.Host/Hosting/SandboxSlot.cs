using DiscordMcp.Host.Configuration;
using DiscordMcp.Sandbox;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// The sandbox that <c>--sandbox</c> starts, which may still be starting while the host is composed and built (stdio
/// overlaps the two). Everything known before it listens (its token, the demo guild) is configuration from the start;
/// its address joins the configuration through <see cref="Configuration"/> once it does, before the host starts.
/// </summary>
internal sealed class SandboxSlot(SandboxOptions options)
{
    private SandboxHost? _sandbox;

    public SandboxOptions Options { get; } = options;

    /// <summary>The configuration layer holding the sandbox's values (added by <see cref="HostConfiguration.AddDiscordMcpSources"/>).</summary>
    public SandboxConfigurationSource Configuration { get; } = new();

    /// <summary>The running sandbox; resolving it before it listens is a composition bug.</summary>
    public SandboxHost Sandbox => _sandbox ?? throw new InvalidOperationException("The sandbox has not started yet.");

    public void Fill(SandboxHost sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        _sandbox = sandbox;
        Configuration.Provider.SetAddress(sandbox.ApiBaseUrl);
    }
}
