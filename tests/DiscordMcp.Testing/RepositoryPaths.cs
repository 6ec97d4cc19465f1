namespace DiscordMcp.Testing;

/// <summary>Locates files of the repository (tools, shared data) from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor folder holding <c>DiscordMcp.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The folder where <c>scripts/test.sh</c> installs the Node tools (Prism, discord.js).</summary>
    public static string NodeTools => Path.Combine(Root, "tools", "node");

    /// <summary>The shared folder beside the repository (Discord's OpenAPI spec and references).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiscordMcp.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find DiscordMcp.slnx above " + AppContext.BaseDirectory);
    }
}
