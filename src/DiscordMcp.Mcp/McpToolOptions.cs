using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Mcp;

/// <summary>
/// Which tools are offered. Configuration: <c>TOOLSETS</c> (comma-separated or a list; default: every toolset) and
/// <c>READ_ONLY</c> (true hides and blocks every write tool). Also read from <c>Mcp:Toolsets</c> / <c>Mcp:ReadOnly</c>.
/// </summary>
public sealed class McpToolOptions
{
    public const string ToolsetsKey = "TOOLSETS";
    public const string ReadOnlyKey = "READ_ONLY";

    public IReadOnlySet<string> Toolsets { get; init; } = new HashSet<string>(Mcp.Toolsets.All, StringComparer.OrdinalIgnoreCase);

    public bool ReadOnly { get; init; }

    public static McpToolOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ToolsetsKey);
        if (!section.Exists())
            section = configuration.GetSection("Mcp:Toolsets");
        List<string> names = section.Value is { } raw
            ? [.. raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [.. section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0)];
        var unknown = names.Where(n => !Mcp.Toolsets.All.Contains(n, StringComparer.OrdinalIgnoreCase) && !n.Equals("all", StringComparison.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"{ToolsetsKey} contains unknown toolset(s) {string.Join(", ", unknown)}; allowed: all, {string.Join(", ", Mcp.Toolsets.All)}.");
        var set = names.Count == 0 || names.Contains("all", StringComparer.OrdinalIgnoreCase)
            ? new HashSet<string>(Mcp.Toolsets.All, StringComparer.OrdinalIgnoreCase)
            : new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var ro = configuration[ReadOnlyKey] ?? configuration["Mcp:ReadOnly"];
        bool readOnly = false;
        if (ro is not null && !bool.TryParse(ro, out readOnly))
            throw new InvalidOperationException($"{ReadOnlyKey} must be true or false, got \"{ro}\".");
        return new McpToolOptions { Toolsets = set, ReadOnly = readOnly };
    }
}
