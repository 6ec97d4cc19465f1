using System.Text.Encodings.Web;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// What clients see in <c>tools/list</c>: one committed snapshot per tool (input schema, output schema, title,
/// description, annotations), and the annotation contract every tool must meet.
/// </summary>
public sealed class ToolSchemaTests(NoDiscordServerFixture fixture) : IClassFixture<NoDiscordServerFixture>
{
    private const string Folder = "tests/DiscordMcp.Mcp.Tests/Snapshots/tools";
    private const string Regenerate = "UPDATE_SNAPSHOTS=1 dotnet test tests/DiscordMcp.Mcp.Tests -c Release --filter ToolSchemaTests";

    private static readonly JsonSerializerOptions Indented = new(McpJsonUtilities.DefaultOptions)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable snapshots: keep "—" and quotes as they are
    };

    public static TheoryData<string> ToolNames => [.. DiscordMcpRegistration.Catalog().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(ToolNames))]
    public async Task Tool_definition_matches_its_committed_snapshot(string name)
    {
        var tool = (await fixture.Server.ListToolsAsync()).Single(t => t.Name == name);
        Snapshots.Verify($"{Folder}/{name}.json", JsonSerializer.Serialize(tool, Indented) + "\n", Regenerate);
    }

    [Fact]
    public async Task Tools_list_offers_exactly_the_catalog_with_every_toolset_enabled()
    {
        var listed = (await fixture.Server.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(DiscordMcpRegistration.Catalog().Select(t => t.Name).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void No_snapshot_is_left_for_a_tool_that_no_longer_exists()
    {
        var folder = Snapshots.PathOf(Folder);
        var names = DiscordMcpRegistration.Catalog().Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var stale = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Where(n => !names.Contains(n!)).ToList()
            : [];
        Assert.True(stale.Count == 0, $"Snapshots without a tool: {string.Join(", ", stale)}; delete them from {Folder}.");
    }

    [Fact]
    public async Task Every_tool_declares_a_title_and_all_four_annotations_explicitly()
    {
        var tools = await fixture.Server.ListToolsAsync();
        Assert.NotEmpty(tools);
        var problems = new List<string>();
        foreach (var t in tools)
        {
            if (string.IsNullOrWhiteSpace(t.Title))
                problems.Add($"{t.Name}: no title");
            if (string.IsNullOrWhiteSpace(t.Description))
                problems.Add($"{t.Name}: no description");
            var a = t.Annotations;
            if (a?.ReadOnlyHint is null)
                problems.Add($"{t.Name}: readOnlyHint not set");
            if (a?.DestructiveHint is null)
                problems.Add($"{t.Name}: destructiveHint not set");
            if (a?.IdempotentHint is null)
                problems.Add($"{t.Name}: idempotentHint not set");
            if (a?.OpenWorldHint is null)
                problems.Add($"{t.Name}: openWorldHint not set");
            if (a?.Title != t.Title)
                problems.Add($"{t.Name}: annotations.title differs from title");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Annotations_agree_with_the_catalog_and_read_tools_are_safe()
    {
        var catalog = DiscordMcpRegistration.Catalog().ToDictionary(t => t.Name);
        foreach (var t in await fixture.Server.ListToolsAsync())
        {
            var info = catalog[t.Name];
            Assert.Equal(info.ReadOnly, t.Annotations!.ReadOnlyHint);
            Assert.Equal(info.Destructive, t.Annotations.DestructiveHint);
            // Discord tools are discord_*; tools over the platform's own data (platform toolset) are platform_*, except the
            // pending-action tools, which the product names discord_confirm_action / _cancel_action / _list_pending_actions.
            Assert.StartsWith(info.Toolset == Toolsets.Platform && !PolicyBinding.PendingActionTools.Contains(t.Name) ? "platform_" : "discord_", t.Name, StringComparison.Ordinal);
            if (info.ReadOnly)
            {
                Assert.False(t.Annotations.DestructiveHint, $"{t.Name} is read-only but destructive");
                Assert.True(t.Annotations.IdempotentHint, $"{t.Name} is read-only but not idempotent");
            }
        }
    }

    [Fact]
    public async Task Every_tool_publishes_an_object_output_schema_and_returns_structured_content()
    {
        foreach (var t in await fixture.Server.ListToolsAsync())
        {
            Assert.True(t.OutputSchema is { ValueKind: JsonValueKind.Object } s && s.GetProperty("type").GetString() == "object", $"{t.Name}: no object output schema");
            Assert.Equal("object", t.InputSchema.GetProperty("type").GetString());
        }
    }
}
