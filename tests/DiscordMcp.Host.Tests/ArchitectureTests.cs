using System.Xml.Linq;
using DiscordMcp.Testing;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// The dependency rules of the architecture (§5), checked from the project files: each project may reference only the
/// projects listed here. Deviations from the design document are listed with their reason.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["DiscordMcp.Discord.Client"] = [],
        ["DiscordMcp.Policy"] = [],
        // Deviation: the sandbox uses the client's pure permission math, so its 403s follow the same rules as the checks.
        ["DiscordMcp.Sandbox"] = ["DiscordMcp.Discord.Client"],
        // The service layer implements the policy's Discord port (IBotPermissionProbe).
        ["DiscordMcp.Discord"] = ["DiscordMcp.Discord.Client", "DiscordMcp.Policy"],
        ["DiscordMcp.Mcp"] = ["DiscordMcp.Discord", "DiscordMcp.Policy"],
        ["DiscordMcp.Storage"] = ["DiscordMcp.Policy"],
        // Deviation: the agent reads the pending-action port and tool modes of the policy (who owns a plan, approve
        // mode). It never references a Discord project: Discord reaches it only through MCP tools and its own ports.
        ["DiscordMcp.Agent"] = ["DiscordMcp.Policy"],
    };

    public static TheoryData<string> Projects() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_what_the_architecture_allows(string project)
    {
        var file = Path.Combine(RepositoryPaths.Root, "src", project, project + ".csproj");
        var references = XDocument.Load(file).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))
            .ToList();

        Assert.All(references, r => Assert.Contains(r, Allowed[project]));
    }

    [Fact]
    public void Every_source_project_has_a_rule()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")).Select(Path.GetFileName)
            .Where(name => name != "DiscordMcp.Host" && File.Exists(Path.Combine(RepositoryPaths.Root, "src", name!, name + ".csproj")));

        Assert.All(projects, p => Assert.True(Allowed.ContainsKey(p!), $"{p} has no dependency rule in ArchitectureTests"));
    }
}
