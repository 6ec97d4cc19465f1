using DiscordMcp.Testing;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>The built <c>discord-mcp.dll</c> that a stdio client starts with <c>dotnet</c>.</summary>
internal static class HostExecutable
{
    /// <summary>The Host project's own output for this build's configuration and framework (what CI builds), else the
    /// copy beside the tests.</summary>
    public static string DllPath { get; } = Locate();

    private static string Locate()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var built = Path.Combine(RepositoryPaths.Root, "src", "DiscordMcp.Host", "bin", configuration, framework, "discord-mcp.dll");
        if (File.Exists(built))
            return built;
        var beside = Path.Combine(AppContext.BaseDirectory, "discord-mcp.dll");
        return File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "discord-mcp.runtimeconfig.json"))
            ? beside
            : throw new FileNotFoundException("discord-mcp.dll not found: build the solution first.", built);
    }
}
