using DiscordMcp.Testing;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// Committed expected files. A mismatch fails with the path, the first differing line and the command that rewrites
/// the files (<c>UPDATE_SNAPSHOTS=1</c>); review the diff in git before committing the new version.
/// </summary>
internal static class Snapshots
{
    public const string UpdateVariable = "UPDATE_SNAPSHOTS";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    public static string PathOf(string relativePath) => Path.Combine(RepositoryPaths.Root, relativePath);

    public static void Verify(string relativePath, string actual, string regenerateCommand)
    {
        actual = actual.ReplaceLineEndings("\n");
        var path = PathOf(relativePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        var hint = $"Regenerate with: {regenerateCommand}  (then review `git diff {relativePath}`).";
        if (!File.Exists(path))
            Assert.Fail($"{relativePath} does not exist. {hint}");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected == actual)
            return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Max(e.Length, a.Length)).First(i => i >= e.Length || i >= a.Length || e[i] != a[i]);
        Assert.Fail($"{relativePath} is stale (first difference at line {line + 1}).\n" +
            $"  committed: {(line < e.Length ? e[line] : "<end of file>")}\n" +
            $"  actual:    {(line < a.Length ? a[line] : "<end of file>")}\n{hint}");
    }
}
