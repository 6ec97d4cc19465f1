using System.Globalization;
using System.Text.Json;
using DiscordMcp.Policy.Model;

namespace DiscordMcp.Host.Admin;

/// <summary>
/// One problem in a policy file, at a JSON path such as <c>$.tools[2].mode</c> (the same path for a YAML file), and where
/// in the file that is when the format tells (<see cref="PolicySource.Locate"/>).
/// </summary>
internal sealed record PolicyProblem(string Path, string Message, PolicyPosition? Position = null);

/// <summary>A policy file's content once every part of it validated.</summary>
/// <remarks><see cref="ChannelPaths"/>[i] is the file path of <see cref="Channels"/>[i] (for problems found later, e.g. a guild not installed).</remarks>
internal sealed record PolicyDocument(string WorkspaceId, IReadOnlyList<ToolPolicy> Tools, IReadOnlyList<ChannelPolicy> Channels, IReadOnlyList<string> ChannelPaths);

/// <summary>
/// The policy file (JSON, or the same document in YAML: <see cref="PolicyYaml"/>): the whole tool and channel policy of one workspace.
/// <code>
/// { "workspace": "default",
///   "tools":    [ { "tool": "discord_delete_channel", "mode": "approve" }, { "toolset": "moderation", "mode": "deny" } ],
///   "channels": [ { "guild": "111", "scope": "guild", "write": "deny" },
///                 { "guild": "111", "scope": "channel", "id": "222", "read": "allow", "write": "allow", "agent_chat": "deny" } ] }
/// </code>
/// Parsing never stops at the first problem: every problem is collected with its path.
/// </summary>
internal static class PolicyFile
{
    private static readonly string[] TopKeys = ["workspace", "tools", "channels"];
    private static readonly string[] ToolKeys = ["tool", "toolset", "mode"];
    private static readonly string[] ChannelKeys = ["guild", "scope", "id", "read", "write", "agent_chat"];

    /// <summary>
    /// Parses and validates <paramref name="json"/>. <paramref name="toolNames"/> and <paramref name="toolsetNames"/> are
    /// the catalog; <paramref name="workspaceOverride"/> (from <c>--workspace</c>) must agree with the file when both are given.
    /// </summary>
    public static (PolicyDocument? Document, IReadOnlyList<PolicyProblem> Problems) Parse(
        string json, IReadOnlySet<string> toolNames, IReadOnlySet<string> toolsetNames, string? workspaceOverride) =>
        Parse(PolicySource.FromJson(json), toolNames, toolsetNames, workspaceOverride);

    /// <summary>
    /// Validates a policy file read as JSON or YAML (<see cref="PolicySource"/>): one validator for both formats. The problems
    /// include those found while reading, and carry the file position of their path where the source knows it.
    /// </summary>
    public static (PolicyDocument? Document, IReadOnlyList<PolicyProblem> Problems) Parse(
        PolicySource source, IReadOnlySet<string> toolNames, IReadOnlySet<string> toolsetNames, string? workspaceOverride)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Json is null)
            return (null, source.Problems.Select(source.Locate).ToList());
        var (document, problems) = Validate(source.Json, toolNames, toolsetNames, workspaceOverride);
        return (document, source.Problems.Concat(problems).Select(source.Locate).ToList());
    }

    private static (PolicyDocument? Document, List<PolicyProblem> Problems) Validate(
        string json, IReadOnlySet<string> toolNames, IReadOnlySet<string> toolsetNames, string? workspaceOverride)
    {
        var problems = new List<PolicyProblem>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            return (null, [new PolicyProblem("$", $"not valid JSON: {FirstSentence(ex.Message)}",
                new PolicyPosition((ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1))]);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, [new PolicyProblem("$", "the file must be an object (a YAML mapping) with \"workspace\", \"tools\" and \"channels\".")]);
            CheckKeys(root, "$", TopKeys, problems);

            string? workspaceId = null;
            if (root.TryGetProperty("workspace", out var ws))
            {
                if (ws.ValueKind != JsonValueKind.String || !AdminFormat.IsWorkspaceId(ws.GetString()))
                    problems.Add(new("$.workspace", $"must be a workspace id string ({AdminFormat.WorkspaceIdRule})."));
                else
                    workspaceId = ws.GetString();
            }
            if (workspaceOverride is not null && workspaceId is not null && workspaceOverride != workspaceId)
                problems.Add(new("$.workspace", $"the file is for workspace '{workspaceId}' but --workspace says '{workspaceOverride}'."));
            workspaceId ??= workspaceOverride;
            if (workspaceId is null && !root.TryGetProperty("workspace", out _))
                problems.Add(new("$.workspace", "missing: name the workspace in the file or with --workspace."));

            var tools = new List<ToolPolicy>();
            if (root.TryGetProperty("tools", out var toolsElement))
            {
                if (toolsElement.ValueKind != JsonValueKind.Array)
                    problems.Add(new("$.tools", "must be an array."));
                else
                    ParseTools(toolsElement, workspaceId ?? "", toolNames, toolsetNames, tools, problems);
            }

            var channels = new List<ChannelPolicy>();
            var channelPaths = new List<string>();
            if (root.TryGetProperty("channels", out var channelsElement))
            {
                if (channelsElement.ValueKind != JsonValueKind.Array)
                    problems.Add(new("$.channels", "must be an array."));
                else
                    ParseChannels(channelsElement, channels, channelPaths, problems);
            }

            // The document is returned even with problems (so later checks can add theirs); valid only when none.
            return workspaceId is not null
                ? (new PolicyDocument(workspaceId, tools, channels, channelPaths), problems)
                : (null, problems);
        }
    }

    private static void ParseTools(JsonElement array, string workspaceId, IReadOnlySet<string> toolNames, IReadOnlySet<string> toolsetNames,
        List<ToolPolicy> tools, List<PolicyProblem> problems)
    {
        var seen = new HashSet<(ToolPolicyTarget, string)>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"$.tools[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(path, "must be an object such as {\"tool\": \"discord_delete_channel\", \"mode\": \"approve\"}."));
                continue;
            }
            CheckKeys(item, path, ToolKeys, problems);
            var hasTool = item.TryGetProperty("tool", out var tool);
            var hasToolset = item.TryGetProperty("toolset", out var toolset);
            ToolPolicyTarget target = ToolPolicyTarget.None;
            string? name = null;
            if (hasTool == hasToolset)
            {
                problems.Add(new(path, "give exactly one of \"tool\" or \"toolset\"."));
            }
            else if (hasTool)
            {
                name = String(tool, $"{path}.tool", problems);
                if (name is not null && !toolNames.Contains(name))
                    problems.Add(new($"{path}.tool", $"unknown tool '{name}'{Suggest(name, toolNames)}. See 'discord-mcp tools'."));
                else
                    target = ToolPolicyTarget.Tool;
            }
            else
            {
                name = String(toolset, $"{path}.toolset", problems);
                if (name is not null && !toolsetNames.Contains(name))
                    problems.Add(new($"{path}.toolset", $"unknown toolset '{name}'{Suggest(name, toolsetNames)}; known: {string.Join(", ", toolsetNames.Order(StringComparer.Ordinal))}."));
                else
                    target = ToolPolicyTarget.Toolset;
            }

            ToolMode mode = ToolMode.Default;
            if (!item.TryGetProperty("mode", out var modeElement))
            {
                problems.Add(new($"{path}.mode", "missing: allow, confirm, approve or deny."));
            }
            else if (String(modeElement, $"{path}.mode", problems) is { } modeText)
            {
                mode = modeText switch
                {
                    "allow" => ToolMode.Allow,
                    "confirm" => ToolMode.Confirm,
                    "approve" => ToolMode.Approve,
                    "deny" => ToolMode.Deny,
                    _ => ToolMode.Default,
                };
                if (mode == ToolMode.Default)
                    problems.Add(new($"{path}.mode", $"'{modeText}' is not a mode; use allow, confirm, approve or deny."));
            }
            if (target != ToolPolicyTarget.None && name is not null && !seen.Add((target, name)))
                problems.Add(new(path, $"duplicate entry for {(target == ToolPolicyTarget.Tool ? "tool" : "toolset")} '{name}'."));
            if (target != ToolPolicyTarget.None && name is not null && mode != ToolMode.Default)
                tools.Add(new ToolPolicy(workspaceId, target, name, mode));
        }
    }

    private static void ParseChannels(JsonElement array, List<ChannelPolicy> channels, List<string> paths, List<PolicyProblem> problems)
    {
        var seen = new HashSet<(ulong, ulong)>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"$.channels[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(path, "must be an object such as {\"guild\": \"111\", \"scope\": \"channel\", \"id\": \"222\", \"write\": \"deny\"}."));
                continue;
            }
            var before = problems.Count;
            CheckKeys(item, path, ChannelKeys, problems);
            ulong guildId = 0;
            if (!item.TryGetProperty("guild", out var guild))
                problems.Add(new($"{path}.guild", "missing: the guild id."));
            else
                guildId = Snowflake(guild, $"{path}.guild", problems);

            var scope = ChannelPolicyScope.None;
            if (!item.TryGetProperty("scope", out var scopeElement))
            {
                problems.Add(new($"{path}.scope", "missing: guild, category or channel."));
            }
            else if (String(scopeElement, $"{path}.scope", problems) is { } scopeText)
            {
                scope = scopeText switch
                {
                    "guild" => ChannelPolicyScope.Guild,
                    "category" => ChannelPolicyScope.Category,
                    "channel" => ChannelPolicyScope.Channel,
                    _ => ChannelPolicyScope.None,
                };
                if (scope == ChannelPolicyScope.None)
                    problems.Add(new($"{path}.scope", $"'{scopeText}' is not a scope; use guild, category or channel."));
            }

            ulong targetId = 0;
            if (item.TryGetProperty("id", out var idElement))
                targetId = Snowflake(idElement, $"{path}.id", problems);
            if (scope == ChannelPolicyScope.Guild)
            {
                if (targetId != 0 && guildId != 0 && targetId != guildId)
                    problems.Add(new($"{path}.id", "a guild-scope policy's id must be the guild id (or be left out)."));
                targetId = guildId;
            }
            else if (scope != ChannelPolicyScope.None && !item.TryGetProperty("id", out _))
            {
                problems.Add(new($"{path}.id", $"missing: the {(scope == ChannelPolicyScope.Category ? "category" : "channel")} id."));
            }

            var read = Rule(item, "read", path, problems);
            var write = Rule(item, "write", path, problems);
            var chat = Rule(item, "agent_chat", path, problems);
            if (problems.Count != before)
                continue;
            if (!seen.Add((guildId, targetId)))
            {
                problems.Add(new(path, $"duplicate entry for guild {guildId}, target {targetId}."));
                continue;
            }
            channels.Add(new ChannelPolicy(guildId, scope, targetId, read, write, chat));
            paths.Add(path);
        }
    }

    private static AccessRule Rule(JsonElement item, string key, string path, List<PolicyProblem> problems)
    {
        if (!item.TryGetProperty(key, out var element))
            return AccessRule.Inherit;
        var text = String(element, $"{path}.{key}", problems);
        switch (text)
        {
            case null:
                return AccessRule.Inherit;
            case "allow":
                return AccessRule.Allow;
            case "deny":
                return AccessRule.Deny;
            case "inherit":
                return AccessRule.Inherit;
            default:
                problems.Add(new($"{path}.{key}", $"'{text}' is not a rule; use allow, deny or inherit."));
                return AccessRule.Inherit;
        }
    }

    private static string? String(JsonElement element, string path, List<PolicyProblem> problems)
    {
        if (element.ValueKind == JsonValueKind.String)
            return element.GetString();
        problems.Add(new(path, $"must be a string, got {element.ValueKind.ToString().ToLowerInvariant()}."));
        return null;
    }

    private static ulong Snowflake(JsonElement element, string path, List<PolicyProblem> problems)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        if (AdminFormat.TryParseSnowflake(text, out var id))
            return id;
        problems.Add(new(path, $"'{text ?? element.ValueKind.ToString().ToLowerInvariant()}' is not a Discord id (a positive number, best written as a string)."));
        return 0;
    }

    private static void CheckKeys(JsonElement obj, string path, string[] allowed, List<PolicyProblem> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                problems.Add(new($"{path}.{property.Name}", "is given more than once."));
            else if (!allowed.Contains(property.Name))
                problems.Add(new($"{path}.{property.Name}", $"unknown key '{property.Name}'{Suggest(property.Name, allowed)}; allowed here: {string.Join(", ", allowed)}."));
        }
    }

    /// <summary>" (did you mean 'x'?)" for the closest candidate within edit distance 2, else empty.</summary>
    private static string Suggest(string value, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: Distance(value, c))).Where(x => x.d <= 2).OrderBy(x => x.d).ThenBy(x => x.c, StringComparer.Ordinal).FirstOrDefault();
        return best.c is null ? "" : $" (did you mean '{best.c}'?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.') + ".";

    /// <summary>The file form of a workspace's policies (what <c>policies export</c> prints and <c>policies apply</c> reads).</summary>
    public static string Render(string workspaceId, IEnumerable<ToolPolicy> tools, IEnumerable<ChannelPolicy> channels) =>
        AdminFormat.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("workspace", workspaceId);
            w.WriteStartArray("tools");
            foreach (var t in tools.OrderBy(t => t.Target).ThenBy(t => t.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString(t.Target == ToolPolicyTarget.Tool ? "tool" : "toolset", t.Name);
                w.WriteString("mode", t.Mode.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("channels");
            foreach (var c in channels.OrderBy(c => c.GuildId).ThenBy(c => c.Scope).ThenBy(c => c.TargetId))
            {
                w.WriteStartObject();
                w.WriteString("guild", c.GuildId.ToString(CultureInfo.InvariantCulture));
                w.WriteString("scope", c.Scope.ToString().ToLowerInvariant());
                if (c.Scope != ChannelPolicyScope.Guild)
                    w.WriteString("id", c.TargetId.ToString(CultureInfo.InvariantCulture));
                w.WriteString("read", c.Read.ToString().ToLowerInvariant());
                w.WriteString("write", c.Write.ToString().ToLowerInvariant());
                w.WriteString("agent_chat", c.AgentChat.ToString().ToLowerInvariant());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
