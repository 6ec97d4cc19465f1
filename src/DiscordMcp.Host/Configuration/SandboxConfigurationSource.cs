using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Host.Configuration;

/// <summary>A configuration layer whose values (the sandbox's token, demo guild and, once it listens, address) are set in code.</summary>
internal sealed class SandboxConfigurationSource : IConfigurationSource
{
    public SandboxConfigurationProvider Provider { get; } = new();

    // The same provider every time: a configuration that rebuilds its providers keeps the values set so far.
    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

internal sealed class SandboxConfigurationProvider : ConfigurationProvider
{
    public void SetValues(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (key, value) in values)
            Data[key] = value;
    }

    public void SetAddress(Uri apiBaseUrl)
    {
        Data["Discord:BaseUrl"] = apiBaseUrl.ToString();
        OnReload();
    }
}
