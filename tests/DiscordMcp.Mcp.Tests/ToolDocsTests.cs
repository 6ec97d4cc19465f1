namespace DiscordMcp.Mcp.Tests;

/// <summary><c>docs/tools.md</c> is generated from the catalog; the committed copy must be current.</summary>
public sealed class ToolDocsTests
{
    [Fact]
    public void Committed_tools_doc_matches_the_catalog() =>
        Snapshots.Verify(ToolDocs.RelativePath, ToolDocs.RenderMarkdown(), ToolDocs.RegenerateCommand);

    [Fact]
    public void Tools_doc_lists_every_tool_with_its_arguments_under_its_toolset()
    {
        var doc = ToolDocs.RenderMarkdown();
        foreach (var tool in DiscordMcpRegistration.Catalog())
            Assert.Contains($"### `{tool.Name}` — {tool.Title}", doc, StringComparison.Ordinal);
        var messages = doc[doc.IndexOf("\n## messages\n", StringComparison.Ordinal)..];
        Assert.Contains("### `discord_list_messages` — List messages\n\nRead · not destructive", messages, StringComparison.Ordinal);
        Assert.Contains("| `channel` | string | yes | Channel: #name, name, <#id> mention, or id. |", messages, StringComparison.Ordinal);
        Assert.Contains("| `limit` | integer | no | How many messages, 1 to 100 (default 50). |", messages, StringComparison.Ordinal);
    }
}
