using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DiscordMcp.Policy.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DiscordMcp.Host.Admin;

/// <summary>
/// The YAML form of the policy file. YAML is only a second spelling of the JSON file: <see cref="ToJson"/> turns it into
/// the same JSON document (keeping the line and column of every node), and <see cref="PolicyFile"/> validates that, so
/// both formats share one validator and one apply path.
/// </summary>
/// <remarks>
/// A reviewed policy file must read exactly as it looks, so the YAML accepted here is plain:
/// <list type="bullet">
/// <item>every scalar is text (the YAML failsafe schema): <c>guild: 111222333444555666</c> keeps all its digits, and
/// <c>mode: no</c> is the word "no" (rejected as a mode), never the boolean false. An empty value (<c>mode:</c>) is null.</item>
/// <item>duplicate keys, anchors (<c>&amp;a</c>), aliases (<c>*a</c>), merge keys through aliases and explicit tags
/// (<c>!!str</c>, <c>!custom</c>) are errors, as are more documents than one and non-scalar keys.</item>
/// </list>
/// </remarks>
internal static class PolicyYaml
{
    /// <summary>Deeper than any policy file needs (3); a bound so a hostile file cannot recurse without end.</summary>
    private const int MaxDepth = 16;

    /// <summary>
    /// Converts <paramref name="yaml"/> to JSON text. <see cref="PolicySource.Positions"/> maps each JSON path
    /// (<c>$.tools[1].mode</c>) to where its node starts; problems found by the conversion are in <see cref="PolicySource.Problems"/>.
    /// </summary>
    public static PolicySource ToJson(string yaml)
    {
        var positions = new Dictionary<string, PolicyPosition>(StringComparer.Ordinal);
        var problems = new List<PolicyProblem>();
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                return new PolicySource(null, positions, [new PolicyProblem("$", "the file is empty; it must be a mapping with workspace, tools and channels.", new PolicyPosition(1, 1))]);
            parser.Consume<DocumentStart>();
            using (var writer = new Utf8JsonWriter(buffer))
                WriteNode(parser, writer, "$", 0, positions, problems);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                problems.Add(new("$", "the file holds more than one YAML document ('---'); a policy file is one document.", At(second.Start)));
        }
        catch (YamlException ex)
        {
            // The parser stops at its first error; what it says is about the text, never about secrets (a policy file has none).
            return new PolicySource(null, positions, [new PolicyProblem("$", $"not valid YAML: {ex.Message.TrimEnd('.')}.", At(ex.Start))]);
        }
        return new PolicySource(Encoding.UTF8.GetString(buffer.WrittenSpan), positions, problems);
    }

    private static void WriteNode(IParser parser, Utf8JsonWriter writer, string path, int depth,
        Dictionary<string, PolicyPosition> positions, List<PolicyProblem> problems)
    {
        var current = parser.Current!;
        positions.TryAdd(path, At(current.Start));
        if (current is AnchorAlias alias)
        {
            problems.Add(new(path, $"aliases ('*{alias.Value}') are not allowed in a policy file; write the value out.", At(alias.Start)));
            writer.WriteNullValue();
            parser.MoveNext();
            return;
        }
        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
                problems.Add(new(path, $"anchors ('&{node.Anchor.Value}') are not allowed in a policy file; write every value out.", At(node.Start)));
            if (!node.Tag.IsEmpty)
                problems.Add(new(path, $"tags ('{node.Tag.Value}') are not allowed in a policy file; every value is read as text.", At(node.Start)));
        }
        if (depth > MaxDepth)
        {
            problems.Add(new(path, $"nested more than {MaxDepth} levels deep.", At(current.Start)));
            writer.WriteNullValue();
            parser.SkipThisAndNestedEvents();
            return;
        }
        switch (current)
        {
            case Scalar scalar:
                if (scalar.Style == ScalarStyle.Plain && scalar.Value.Length == 0)
                    writer.WriteNullValue();
                else
                    writer.WriteStringValue(scalar.Value);
                parser.MoveNext();
                break;
            case SequenceStart:
                writer.WriteStartArray();
                parser.MoveNext();
                for (var i = 0; !parser.TryConsume<SequenceEnd>(out _); i++)
                    WriteNode(parser, writer, $"{path}[{i}]", depth + 1, positions, problems);
                writer.WriteEndArray();
                break;
            case MappingStart:
                writer.WriteStartObject();
                parser.MoveNext();
                var seen = new Dictionary<string, PolicyPosition>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current!;
                    if (keyEvent is not Scalar key || !key.Anchor.IsEmpty || !key.Tag.IsEmpty)
                    {
                        problems.Add(new(path, "keys must be plain words such as 'mode' (no anchors, aliases, tags or nested keys).", At(keyEvent.Start)));
                        parser.SkipThisAndNestedEvents();
                        parser.SkipThisAndNestedEvents();
                        continue;
                    }
                    parser.MoveNext();
                    var keyPath = $"{path}.{key.Value}";
                    var keyAt = At(key.Start);
                    if (seen.TryGetValue(key.Value, out var first))
                    {
                        problems.Add(new(keyPath, $"key '{key.Value}' is given more than once (first on line {first.Line}).", keyAt));
                        parser.SkipThisAndNestedEvents();
                        continue;
                    }
                    seen.Add(key.Value, keyAt);
                    // The key's position stands for the entry: "unknown key" and "bad value" point at the line that has both.
                    positions.TryAdd(keyPath, keyAt);
                    writer.WritePropertyName(key.Value);
                    WriteNode(parser, writer, keyPath, depth + 1, positions, problems);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static PolicyPosition At(Mark mark) => new(mark.Line, mark.Column);

    /// <summary>The YAML form of a workspace's policies: the same document as <see cref="PolicyFile.Render"/>, in the same order.</summary>
    public static string Render(string workspaceId, IEnumerable<ToolPolicy> tools, IEnumerable<ChannelPolicy> channels)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"workspace: {Text(workspaceId)}\n");
        var toolList = tools.OrderBy(t => t.Target).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        text.Append(toolList.Count == 0 ? "tools: []\n" : "tools:\n");
        foreach (var t in toolList)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {(t.Target == ToolPolicyTarget.Tool ? "tool" : "toolset")}: {Text(t.Name)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    mode: {Word(t.Mode)}\n");
        }
        var channelList = channels.OrderBy(c => c.GuildId).ThenBy(c => c.Scope).ThenBy(c => c.TargetId).ToList();
        text.Append(channelList.Count == 0 ? "channels: []\n" : "channels:\n");
        foreach (var c in channelList)
        {
            // Ids are quoted so that other YAML readers (which type plain digits as numbers) keep every digit too.
            text.Append(CultureInfo.InvariantCulture, $"  - guild: \"{c.GuildId}\"\n");
            text.Append(CultureInfo.InvariantCulture, $"    scope: {Word(c.Scope)}\n");
            if (c.Scope != ChannelPolicyScope.Guild)
                text.Append(CultureInfo.InvariantCulture, $"    id: \"{c.TargetId}\"\n");
            text.Append(CultureInfo.InvariantCulture, $"    read: {Word(c.Read)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    write: {Word(c.Write)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    agent_chat: {Word(c.AgentChat)}\n");
        }
        return text.ToString();
    }

    private static string Word<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>
    /// Plain when the value is a simple lowercase word that no YAML reader types as anything but text (not yes/no/on/off,
    /// true/false, null, a number); double-quoted with escapes otherwise.
    /// </summary>
    private static string Text(string value)
    {
        string[] typedWords = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
        var plain = value.Length > 0 && char.IsAsciiLetterLower(value[0]) && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-')
                    && !typedWords.Contains(value);
        if (plain)
            return value;
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                default:
                    if (char.IsControl(c))
                        quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else
                        quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}

/// <summary>Where a node of a policy file starts (1-based line and column), when the format tells (YAML does; JSON only for syntax errors).</summary>
internal readonly record struct PolicyPosition(long Line, long Column);

/// <summary>
/// A policy file read for validation: the JSON text <see cref="PolicyFile"/> validates (null when the file could not be read
/// at all), where each JSON path came from, and problems found while reading.
/// </summary>
internal sealed record PolicySource(string? Json, IReadOnlyDictionary<string, PolicyPosition> Positions, IReadOnlyList<PolicyProblem> Problems)
{
    public static PolicySource FromJson(string json) => new(json, new Dictionary<string, PolicyPosition>(), []);

    /// <summary>The problem with the position of its path, or of the nearest enclosing path the file has (a missing key → its entry).</summary>
    public PolicyProblem Locate(PolicyProblem problem)
    {
        if (problem.Position is not null)
            return problem;
        for (var path = problem.Path; path.Length > 0; path = Parent(path))
        {
            if (Positions.TryGetValue(path, out var position))
                return problem with { Position = position };
        }
        return problem;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
