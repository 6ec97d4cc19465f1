namespace DiscordMcp.Testing;

/// <summary>Locates files of the repository (tools, shared data) from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor folder holding <c>DiscordMcp.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The folder where <c>scripts/test.sh</c> installs the Node tools (Prism, discord.js).</summary>
    public static string NodeTools => Path.Combine(Root, "tools", "node");

    /// <summary>
    /// The shared folder (Discord's OpenAPI spec and references): <c>shared</c> beside the repository, or beside
    /// one of its ancestors (a git worktree nested one level deeper than the main checkout).
    /// </summary>
    public static string Shared { get; } = FindShared();

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(Root).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "discord-api")))
                return candidate;
        }
        return Path.GetFullPath(Path.Combine(Root, "..", "shared"));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DiscordMcp.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find DiscordMcp.slnx above " + AppContext.BaseDirectory);
    }
}
