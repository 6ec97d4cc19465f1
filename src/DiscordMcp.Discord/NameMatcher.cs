namespace DiscordMcp.Discord;

/// <summary>A thing a name can resolve to: its id, a label for lists (e.g. <c>#support</c>) and the names it answers to.</summary>
public sealed record NameCandidate<T>(string Id, string Label, IReadOnlyList<string> Names, T Value);

/// <summary>
/// Case-insensitive name matching shared by channels, users and roles: an exact match wins; otherwise a unique prefix;
/// several matches at the same level are ambiguous (error lists them with ids); none → error with close suggestions.
/// </summary>
public static class NameMatcher
{
    private const int MaxListed = 10;

    public static T Resolve<T>(string argument, string kind, string query, IReadOnlyList<NameCandidate<T>> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var exact = candidates.Where(c => c.Names.Any(n => string.Equals(n, query, StringComparison.OrdinalIgnoreCase))).ToList();
        if (exact.Count == 1)
            return exact[0].Value;
        if (exact.Count > 1)
            throw Ambiguous(argument, kind, query, exact);

        var prefix = candidates.Where(c => c.Names.Any(n => n.StartsWith(query, StringComparison.OrdinalIgnoreCase))).ToList();
        if (prefix.Count == 1)
            return prefix[0].Value;
        if (prefix.Count > 1)
            throw Ambiguous(argument, kind, query, prefix);

        var close = candidates
            .Select(c => (c, d: c.Names.Count == 0 ? int.MaxValue : c.Names.Min(n => Distance(n, query))))
            .Where(x => x.d <= Math.Max(2, query.Length / 3) || x.c.Names.Any(n => n.Contains(query, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.d).Take(5).Select(x => x.c).ToList();
        var hint = close.Count > 0 ? " Did you mean: " + List(close) + "?" : $" Use a {kind} id or an exact name.";
        throw new DiscordServiceException(DiscordErrorKind.InvalidArgument,
            $"{argument}: no {kind} named \"{UntrustedText.Inline(query)}\".{hint}", argument);
    }

    private static DiscordServiceException Ambiguous<T>(string argument, string kind, string query, List<NameCandidate<T>> matches) =>
        new(DiscordErrorKind.Ambiguous,
            $"{argument}: \"{UntrustedText.Inline(query)}\" matches {matches.Count} {kind}s: {List(matches)}. Pass the id instead.", argument);

    private static string List<T>(List<NameCandidate<T>> items)
    {
        var shown = string.Join(", ", items.Take(MaxListed).Select(c => $"{UntrustedText.Inline(c.Label)} (id {c.Id})"));
        return items.Count > MaxListed ? shown + $", and {items.Count - MaxListed} more" : shown;
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a = a.ToUpperInvariant();
        b = b.ToUpperInvariant();
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
