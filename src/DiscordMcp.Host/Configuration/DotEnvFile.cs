namespace DiscordMcp.Host.Configuration;

/// <summary>
/// Reads a <c>.env</c> file (<c>KEY=value</c> lines, <c>#</c> comments, optional quotes, optional <c>export</c>), the way
/// <c>.env.example</c> is written. Real environment variables win over the file.
/// </summary>
internal static class DotEnvFile
{
    public static Dictionary<string, string?> Read(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return values;
        foreach (var rawLine in File.ReadLines(path))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal))
                line = line[7..].TrimStart();
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
                value = value[1..^1];
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and >= 0)
                value = value[..comment].TrimEnd();
            values[key] = value;
        }
        return values;
    }

    /// <summary>The process environment over the <c>.env</c> file of the current directory.</summary>
    public static IReadOnlyDictionary<string, string?> WithProcessEnvironment(IReadOnlyDictionary<string, string?> processEnvironment, string directory)
    {
        var merged = Read(Path.Combine(directory, ".env"));
        foreach (var (key, value) in processEnvironment)
            merged[key] = value;
        return merged;
    }
}
