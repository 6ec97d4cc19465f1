using System.Text;

namespace DiscordMcp.Mcp;

/// <summary>
/// Renders <c>docs/tools.md</c> from the catalog. The file is generated, never edited by hand: a test in
/// <c>DiscordMcp.Mcp.Tests</c> fails when the committed copy differs and prints the command that rewrites it.
/// </summary>
public static class ToolDocs
{
    public const string RelativePath = "docs/tools.md";

    public const string RegenerateCommand = "UPDATE_SNAPSHOTS=1 dotnet test tests/DiscordMcp.Mcp.Tests -c Release --filter ToolDocsTests";

    public static string RenderMarkdown() => RenderMarkdown(DiscordMcpRegistration.Catalog());

    public static string RenderMarkdown(IReadOnlyList<ToolInfo> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var sb = new StringBuilder();
        sb.Append("# Tools\n\n")
          .Append("<!-- Generated from the tool catalog (src/DiscordMcp.Mcp/ToolCatalog.cs). Do not edit by hand; regenerate with:\n")
          .Append("     ").Append(RegenerateCommand).Append(" -->\n\n")
          .Append("Tools that act on Discord are named `discord_*`; tools over the platform's own data (toolset `platform`, ")
          .Append("workspace admins only) are named `platform_*`. Every tool belongs to one toolset and declares a title and the four MCP annotations ")
          .Append("(`readOnlyHint`, `destructiveHint`, `idempotentHint`, `openWorldHint`). Toolsets are chosen with `TOOLSETS` ")
          .Append("(comma-separated, default: all); `READ_ONLY=true` hides and refuses every write tool. ")
          .Append("Arguments accept ids or names: `#support` / `support` / `<#id>` for channels, `@Luis` / `<@id>` / id for users, ")
          .Append("a role name or id; `guild_id` may be omitted when the bot can use exactly one guild. ")
          .Append("Text written by Discord users comes back sanitized and fenced in `<untrusted-data>` blocks.\n\n");

        sb.Append("| Toolset | Tools |\n|---|---|\n");
        foreach (var toolset in Toolsets.All)
        {
            var names = catalog.Where(t => t.Toolset == toolset).Select(t => $"`{t.Name}`").ToList();
            sb.Append("| ").Append(toolset).Append(" | ").Append(names.Count == 0 ? "(none yet)" : string.Join(", ", names)).Append(" |\n");
        }

        foreach (var toolset in Toolsets.All)
        {
            var tools = catalog.Where(t => t.Toolset == toolset).ToList();
            if (tools.Count == 0)
                continue;
            sb.Append("\n## ").Append(toolset).Append('\n');
            foreach (var tool in tools)
            {
                sb.Append("\n### `").Append(tool.Name).Append("` — ").Append(tool.Title).Append("\n\n")
                  .Append(tool.ReadOnly ? "Read" : "Write").Append(" · ").Append(tool.Destructive ? "destructive" : "not destructive")
                  .Append(tool.Toolset == Toolsets.Platform ? " · workspace admins only" : "").Append("\n\n")
                  .Append(tool.Description).Append("\n\n");
                if (tool.Arguments.Count == 0)
                {
                    sb.Append("No arguments.\n");
                    continue;
                }
                sb.Append("| Argument | Type | Required | Description |\n|---|---|---|---|\n");
                foreach (var a in tool.Arguments)
                    sb.Append("| `").Append(a.Name).Append("` | ").Append(a.Type).Append(" | ").Append(a.Required ? "yes" : "no").Append(" | ")
                      .Append(a.Description.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }
        }
        return sb.ToString();
    }
}
