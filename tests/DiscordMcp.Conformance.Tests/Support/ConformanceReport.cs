using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>One check of a scenario as the suite writes it to <c>checks.json</c>; <see cref="Details"/> is its raw <c>details</c> JSON.</summary>
internal sealed record ConformanceCheck(string Id, string Name, string Status, string? Description, string? ErrorMessage, string? Details = null);

/// <summary>A scenario passes when it has at least one SUCCESS check and no FAILURE or WARNING (the suite's own
/// baseline mode counts warnings as failures too).</summary>
internal sealed record ConformanceScenario(string Name, IReadOnlyList<ConformanceCheck> Checks)
{
    public IEnumerable<ConformanceCheck> Problems => Checks.Where(c => c.Status is "FAILURE" or "WARNING");

    public int Successes => Checks.Count(c => c.Status == "SUCCESS");

    public bool Passed => Successes > 0 && !Problems.Any();
}

/// <summary>
/// Reads the output folder of <c>conformance server -o DIR</c>: one <c>server-&lt;scenario&gt;-&lt;timestamp&gt;</c> folder per
/// scenario, each with a <c>checks.json</c> array.
/// </summary>
internal static partial class ConformanceReport
{
    [GeneratedRegex(@"^server-(?<name>.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$")]
    private static partial Regex ScenarioFolder();

    public static IReadOnlyList<ConformanceScenario> Load(string outputDirectory)
    {
        var scenarios = new List<ConformanceScenario>();
        foreach (var folder in Directory.EnumerateDirectories(outputDirectory).Order(StringComparer.Ordinal))
        {
            var match = ScenarioFolder().Match(Path.GetFileName(folder));
            if (!match.Success)
                continue;
            var file = Path.Combine(folder, "checks.json");
            var checks = File.Exists(file) ? ParseChecks(File.ReadAllText(file)) : [new ConformanceCheck("missing", "checks.json", "FAILURE", null, "the suite wrote no checks.json")];
            scenarios.Add(new ConformanceScenario(match.Groups["name"].Value, checks));
        }
        return scenarios;
    }

    public static IReadOnlyList<ConformanceCheck> ParseChecks(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(c => new ConformanceCheck(
            Text(c, "id") ?? "?", Text(c, "name") ?? "?", Text(c, "status") ?? "?", Text(c, "description"), Text(c, "errorMessage"),
            c.TryGetProperty("details", out var details) ? details.GetRawText() : null)).ToList();
    }

    /// <summary>Failing scenarios with each offending check, for the assertion message.</summary>
    public static string DescribeFailures(IEnumerable<ConformanceScenario> scenarios) => string.Join('\n', scenarios.Where(s => !s.Passed).Select(s =>
        $"✗ {s.Name}: " + (s.Successes == 0 && !s.Problems.Any()
            ? "no SUCCESS check"
            : string.Join("; ", s.Problems.Select(p => $"[{p.Status}] {p.Name}: {p.ErrorMessage ?? p.Description}")))));

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
