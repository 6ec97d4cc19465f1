using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiscordMcp.Host.Cli;
using DiscordMcp.Mcp;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp tools</c>: the tool catalog as a table or JSON.</summary>
internal static class ToolsCommand
{
    private static readonly OptionSpec Json = new("--json", null, "Print the catalog as a JSON array instead of a table.");

    public static CommandSpec Definition { get; } = new(
        "tools",
        "List every tool: name, toolset, read or write, description.",
        "The catalog covers every toolset, including ones a configuration may switch off.",
        [Json],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        var catalog = DiscordMcpRegistration.Catalog();
        await context.Out.WriteAsync(args.Has(Json.Name) ? RenderJson(catalog) : RenderTable(catalog));
        return 0;
    }

    internal static string RenderTable(IReadOnlyList<ToolInfo> catalog)
    {
        if (catalog.Count == 0)
            return "No tools are registered.\n";
        var rows = catalog
            .OrderBy(t => t.Toolset, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new[] { t.Name, t.Toolset, Access(t), OneLine(t.Description) })
            .Prepend(["NAME", "TOOLSET", "ACCESS", "DESCRIPTION"])
            .ToList();
        var widths = Enumerable.Range(0, 3).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < 3; i++)
                text.Append(row[i].PadRight(widths[i] + 2));
            text.Append(row[3]).Append('\n');
        }
        return text.ToString();
    }

    internal static string RenderJson(IReadOnlyList<ToolInfo> catalog) =>
        JsonSerializer.Serialize(
            catalog.Select(t => new CatalogEntry(t.Name, t.Toolset, Access(t), t.ReadOnly, t.Destructive, t.Title, t.Description)).ToList(),
            CatalogJsonContext.Default.ListCatalogEntry) + "\n";

    private static string Access(ToolInfo tool) => tool.ReadOnly ? "read" : tool.Destructive ? "write (destructive)" : "write";

    private static string OneLine(string text) => string.Join(' ', text.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

internal sealed record CatalogEntry(string Name, string Toolset, string Access, bool ReadOnly, bool Destructive, string Title, string Description);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(List<CatalogEntry>))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
