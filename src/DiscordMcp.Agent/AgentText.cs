using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DiscordMcp.Policy.Security;

namespace DiscordMcp.Agent;

/// <summary>Text helpers of the agent: fencing untrusted text, neutralising mass mentions, splitting at Discord's limit.</summary>
internal static partial class AgentText
{
    /// <summary>Discord's message length limit.</summary>
    public const int MessageLimit = 2000;

    private const string FenceOpen = "<<<untrusted-channel-data";
    private const string FenceClose = "untrusted-channel-data>>>";

    /// <summary>
    /// Wraps channel text as data. Inside, anything that looks like the fence's own markers is defused, so no message can
    /// close the fence and speak as the system.
    /// </summary>
    public static string Fence(string label, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        text.Append(FenceOpen).Append(' ').Append(Defuse(label)).Append('\n');
        foreach (var line in lines)
            text.Append(Defuse(line)).Append('\n');
        text.Append(FenceClose);
        return text.ToString();
    }

    /// <summary>One line of untrusted text: control characters removed, fence markers defused.</summary>
    public static string Defuse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var clean = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\n' or '\t')
                clean.Append(c == '\n' ? " ⏎ " : " ");
            else if (!char.IsControl(c) && c is not ('\u200e' or '\u200f' or '\u202a' or '\u202b' or '\u202c' or '\u202d' or '\u202e' or '\u2066' or '\u2067' or '\u2068' or '\u2069'))
                clean.Append(c);
        }
        return clean.ToString().Replace("<<<", "‹‹‹", StringComparison.Ordinal).Replace(">>>", "›››", StringComparison.Ordinal);
    }

    /// <summary>Text the bot posts: @everyone, @here and role mentions are broken with a zero-width space (the host also sends with no pings).</summary>
    public static string NoPings(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = MassMention().Replace(text, m => "@\u200b" + m.Groups[1].Value);
        return RoleMention().Replace(text, m => "<@\u200b&" + m.Groups[1].Value + ">");
    }

    /// <summary>
    /// Text safe to post: mass and role mentions neutralised, then every secret the platform's redactor knows (webhook
    /// URLs and tokens, API keys, bot-token shapes, Authorization values, and its literal secrets such as the agent's own
    /// API key) replaced, whatever the model wrote.
    /// </summary>
    public static string Safe(string text, Redactor redactor) => redactor.Redact(NoPings(text));

    /// <summary>The question without the leading mentions of the bot (raw <c>&lt;@id&gt;</c> tokens).</summary>
    public static string Question(string content) => LeadingMentions().Replace(content ?? "", "").Trim();

    /// <summary>Splits at <paramref name="limit"/> characters, preferring line breaks, then spaces.</summary>
    public static IReadOnlyList<string> Split(string text, int limit = MessageLimit)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > limit)
        {
            var cut = rest.LastIndexOf('\n', limit - 1);
            if (cut < limit / 2)
                cut = rest.LastIndexOf(' ', limit - 1);
            if (cut < limit / 2)
                cut = limit;
            // Never split a surrogate pair.
            if (char.IsHighSurrogate(rest[cut - 1]))
                cut--;
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0 || parts.Count == 0)
            parts.Add(rest);
        return parts;
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters, saying so.</summary>
    public static string Cut(string text, int max) =>
        text.Length <= max ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..max]}… (cut at {max} characters)");

    [GeneratedRegex(@"@(everyone|here)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MassMention();

    [GeneratedRegex(@"<@&(\d+)>", RegexOptions.CultureInvariant)]
    private static partial Regex RoleMention();

    [GeneratedRegex(@"^(\s*<@!?\d+>)+", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingMentions();
}
