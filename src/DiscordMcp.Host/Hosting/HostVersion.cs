using System.Reflection;

namespace DiscordMcp.Host;

/// <summary>The product version (from the assembly's informational version, without the commit suffix).</summary>
internal static class HostVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(HostVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
