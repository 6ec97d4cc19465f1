using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Host.Admin;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests.Admin;

/// <summary>The YAML policy file: read into the JSON document the one validator checks, with line:column in every problem.</summary>
public sealed class PolicyYamlTests
{
    private static readonly IReadOnlyList<ToolInfo> Catalog = DiscordMcpRegistration.Catalog();
    private static readonly HashSet<string> ToolNames = Catalog.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
    private static readonly HashSet<string> ToolsetNames = Catalog.Select(t => t.Toolset).ToHashSet(StringComparer.Ordinal);
    private static readonly string Tool = Catalog[0].Name;
    private static readonly string Toolset = Catalog[^1].Toolset;

    private static (PolicyDocument? Document, IReadOnlyList<PolicyProblem> Problems) ParseYaml(string yaml, string? workspace = null) =>
        PolicyFile.Parse(PolicyYaml.ToJson(yaml), ToolNames, ToolsetNames, workspace);

    private static PolicyProblem Single(IReadOnlyList<PolicyProblem> problems, string path)
    {
        var matching = problems.Where(p => p.Path == path).ToList();
        Assert.True(matching.Count == 1, $"expected one problem at {path}; got: {string.Join(" | ", problems.Select(p => $"{p.Path} {p.Message}"))}");
        return matching[0];
    }

    [Fact]
    public void Yaml_and_json_of_the_same_policy_validate_to_the_same_document()
    {
        var json = $$"""
            { "workspace": "default",
              "tools": [ { "tool": "{{Tool}}", "mode": "approve" }, { "toolset": "{{Toolset}}", "mode": "deny" } ],
              "channels": [ { "guild": "111222333444555666", "scope": "guild", "write": "deny" },
                            { "guild": "111222333444555666", "scope": "channel", "id": "222", "read": "allow", "agent_chat": "deny" } ] }
            """;
        var yaml = $"""
            # reviewed by ops
            workspace: default
            tools:
              - tool: {Tool}
                mode: approve
              - {"{"} toolset: {Toolset}, mode: deny {"}"}
            channels:
              - guild: 111222333444555666
                scope: guild
                write: deny
              - guild: '111222333444555666'
                scope: channel
                id: 222
                read: allow
                agent_chat: deny
            """;
        var (fromJson, jsonProblems) = PolicyFile.Parse(json, ToolNames, ToolsetNames, null);
        var (fromYaml, yamlProblems) = ParseYaml(yaml);
        Assert.Empty(jsonProblems);
        Assert.Empty(yamlProblems);
        Assert.NotNull(fromJson);
        Assert.NotNull(fromYaml);
        Assert.Equal(fromJson.WorkspaceId, fromYaml.WorkspaceId);
        Assert.Equal(fromJson.Tools, fromYaml.Tools);
        Assert.Equal(fromJson.Channels, fromYaml.Channels);
        // A plain (unquoted) 18-digit id keeps every digit: YAML scalars are read as text, never as numbers.
        Assert.Equal(111222333444555666UL, fromYaml.Channels[0].GuildId);
    }

    [Fact]
    public void The_yaml_example_in_the_admin_doc_spells_the_same_document_as_its_json_example()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "admin.md"));
        string Block(string language)
        {
            var start = doc.IndexOf($"```{language}\n{(language == "json" ? "{" : "# ")}", StringComparison.Ordinal);
            Assert.True(start >= 0, $"no {language} policy example in docs/admin.md");
            start = doc.IndexOf('\n', start) + 1;
            return doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
        }
        var fromYaml = PolicyYaml.ToJson(Block("yaml"));
        Assert.Empty(fromYaml.Problems);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Block("json")), JsonNode.Parse(fromYaml.Json!)), fromYaml.Json);
    }

    [Fact]
    public void Yes_and_no_are_words_not_booleans_so_a_mode_of_no_is_rejected_naming_the_allowed_modes()
    {
        var (_, problems) = ParseYaml($"""
            workspace: default
            tools:
              - tool: {Tool}
                mode: no
            channels:
              - guild: "111"
                scope: guild
                write: off
            """);
        var mode = Single(problems, "$.tools[0].mode");
        Assert.Equal("'no' is not a mode; use allow, confirm, approve or deny.", mode.Message);
        Assert.Equal(new PolicyPosition(4, 5), mode.Position);
        Assert.Equal("'off' is not a rule; use allow, deny or inherit.", Single(problems, "$.channels[0].write").Message);
    }

    [Fact]
    public void Every_kind_of_mistake_is_reported_with_its_field_line_and_column()
    {
        var (document, problems) = ParseYaml($"""
            workspace: default
            tools:
              - tool: discord_get_chanel
                mode: approve
              - toolset: {Toolset[..^1]}
                mode: deny
              - tool: {Tool}
                mdoe: allow
              - tool: {Catalog[1].Name}
                mode: sometimes
            channels:
              - guild: 12x
                scope: channel
                id: "5"
              - guild: "111"
                scope: room
              - guild: "111"
                scope: channel
                id: "6"
                write:
            """);
        Assert.NotNull(document);

        var tool = Single(problems, "$.tools[0].tool");
        Assert.StartsWith("unknown tool 'discord_get_chanel' (did you mean 'discord_get_channel'?)", tool.Message, StringComparison.Ordinal);
        Assert.Equal(new PolicyPosition(3, 5), tool.Position);

        var toolset = Single(problems, "$.tools[1].toolset");
        Assert.StartsWith($"unknown toolset '{Toolset[..^1]}' (did you mean '{Toolset}'?); known: ", toolset.Message, StringComparison.Ordinal);
        Assert.Equal(new PolicyPosition(5, 5), toolset.Position);

        var typo = Single(problems, "$.tools[2].mdoe");
        Assert.StartsWith("unknown key 'mdoe' (did you mean 'mode'?); allowed here: tool, toolset, mode.", typo.Message, StringComparison.Ordinal);
        Assert.Equal(new PolicyPosition(8, 5), typo.Position);
        // A missing field points at the entry that lacks it.
        var missing = Single(problems, "$.tools[2].mode");
        Assert.StartsWith("missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal(new PolicyPosition(7, 5), missing.Position);

        Assert.Equal(new PolicyPosition(10, 5), Single(problems, "$.tools[3].mode").Position);
        var id = Single(problems, "$.channels[0].guild");
        Assert.StartsWith("'12x' is not a Discord id", id.Message, StringComparison.Ordinal);
        Assert.Equal(new PolicyPosition(12, 5), id.Position);
        Assert.StartsWith("'room' is not a scope; use guild, category or channel.", Single(problems, "$.channels[1].scope").Message, StringComparison.Ordinal);
        // An empty value is null, not the empty word.
        var empty = Single(problems, "$.channels[2].write");
        Assert.Equal("must be a string, got null.", empty.Message);
        Assert.Equal(new PolicyPosition(20, 5), empty.Position);
        Assert.Equal(8, problems.Count);
    }

    [Fact]
    public void Duplicate_keys_are_rejected_at_the_second_occurrence()
    {
        var (_, problems) = ParseYaml($"""
            workspace: default
            tools:
              - tool: {Tool}
                mode: allow
                mode: deny
            channels: []
            """);
        var duplicate = Assert.Single(problems);
        Assert.Equal("$.tools[0].mode", duplicate.Path);
        Assert.Equal("key 'mode' is given more than once (first on line 4).", duplicate.Message);
        Assert.Equal(new PolicyPosition(5, 5), duplicate.Position);
    }

    [Fact]
    public void Anchors_aliases_and_tags_are_rejected_so_the_file_reads_as_it_looks()
    {
        var (_, problems) = ParseYaml($"""
            workspace: !!str default
            tools:
              - &strict
                tool: {Tool}
                mode: deny
              - *strict
              - tool: !secret {Catalog[1].Name}
                mode: allow
            channels: []
            """);
        Assert.Contains("tags ('tag:yaml.org,2002:str') are not allowed", Single(problems, "$.workspace").Message, StringComparison.Ordinal);
        var anchor = problems.Single(p => p.Message.StartsWith("anchors ('&strict')", StringComparison.Ordinal));
        Assert.Equal("$.tools[0]", anchor.Path);
        Assert.Equal(new PolicyPosition(3, 5), anchor.Position);
        var alias = problems.Single(p => p.Message.StartsWith("aliases ('*strict')", StringComparison.Ordinal));
        Assert.Equal("$.tools[1]", alias.Path);
        Assert.Equal(new PolicyPosition(6, 5), alias.Position);
        Assert.Contains("tags ('!secret') are not allowed", Single(problems, "$.tools[2].tool").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("workspace: default\ntools: [\n", "not valid YAML")]
    [InlineData("", "the file is empty")]
    [InlineData("- workspace: default\n", "the file must be an object (a YAML mapping)")]
    public void Unreadable_yaml_is_reported_with_a_position_and_validates_to_nothing(string yaml, string expected)
    {
        var (document, problems) = ParseYaml(yaml);
        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Position is { Line: > 0, Column: > 0 }, $"no position: {problem}");
        Assert.Null(document);
    }

    [Theory]
    [InlineData("workspace: default\ntools: []\nchannels: []\n---\nworkspace: other\n", "more than one YAML document", 4)]
    [InlineData("? [a, b]\n: c\nworkspace: default\ntools: []\nchannels: []\n", "keys must be plain words", 1)]
    public void Yaml_beyond_one_plain_mapping_is_a_problem_even_when_the_rest_is_valid(string yaml, string expected, int line)
    {
        var (_, problems) = ParseYaml(yaml);
        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal(line, problem.Position?.Line);
    }

    [Fact]
    public void Deep_nesting_is_bounded()
    {
        var yaml = "workspace: default\ntools: " + new string('[', 40) + new string(']', 40) + "\nchannels: []\n";
        var (_, problems) = ParseYaml(yaml);
        Assert.Contains(problems, p => p.Message.StartsWith("nested more than", StringComparison.Ordinal));
    }

    [Fact]
    public void Rendered_yaml_quotes_values_other_yaml_readers_would_type_and_reads_back_to_the_same_document()
    {
        ToolPolicy[] tools = [new("123", ToolPolicyTarget.Tool, Tool, ToolMode.Confirm), new("123", ToolPolicyTarget.Toolset, Toolset, ToolMode.Deny)];
        ChannelPolicy[] channels =
        [
            new(111222333444555666, ChannelPolicyScope.Guild, 111222333444555666, AccessRule.Inherit, AccessRule.Deny, AccessRule.Inherit),
            new(111222333444555666, ChannelPolicyScope.Channel, 9, AccessRule.Allow, AccessRule.Inherit, AccessRule.Deny),
        ];
        var yaml = PolicyYaml.Render("123", tools, channels);
        Assert.StartsWith("workspace: \"123\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  - guild: \"111222333444555666\"\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    id: \"9\"\n", yaml, StringComparison.Ordinal);

        var (document, problems) = ParseYaml(yaml);
        Assert.Empty(problems);
        Assert.NotNull(document);
        Assert.Equal("123", document.WorkspaceId);
        Assert.Equal(tools.OrderBy(t => t.Target), document.Tools);
        Assert.Equal(channels, document.Channels);
        Assert.Equal("workspace: \"no\"\ntools: []\nchannels: []\n", PolicyYaml.Render("no", [], []));
    }
}

/// <summary>'policies apply' and 'policies export' with YAML, on SQLite and (when configured) PostgreSQL.</summary>
public sealed class PolicyYamlCliTests
{
    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Yaml_export_apply_export_round_trips_and_applies_exactly_like_the_json_of_the_same_policy(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111222333444555666", "--workspace", "default")).Exit);
        var catalog = DiscordMcpRegistration.Catalog();
        var json = admin.WriteFile("policy.json", $$"""
            { "workspace": "default",
              "tools": [ { "tool": "{{catalog[0].Name}}", "mode": "approve" }, { "toolset": "{{catalog[^1].Toolset}}", "mode": "deny" } ],
              "channels": [ { "guild": "111222333444555666", "scope": "guild", "write": "deny" },
                            { "guild": "111222333444555666", "scope": "channel", "id": "222", "read": "allow", "agent_chat": "deny" } ] }
            """);
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", json)).Exit);
        var jsonExport = (await admin.RunAsync("policies", "export", "--workspace", "default")).Out;
        var yamlExport = await admin.RunAsync("policies", "export", "--workspace", "default", "--format", "yaml");
        Assert.Equal(0, yamlExport.Exit);
        Assert.Contains("guild: \"111222333444555666\"", yamlExport.Out, StringComparison.Ordinal);

        // Clear everything, then apply the YAML export: the store ends up exactly as the JSON file left it.
        var empty = admin.WriteFile("empty.yml", "workspace: default\ntools: []\nchannels: []\n");
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", empty)).Exit);
        Assert.DoesNotContain(catalog[0].Name, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out, StringComparison.Ordinal);
        var exported = admin.WriteFile("exported.yaml", yamlExport.Out);
        var apply = await admin.RunAsync("policies", "apply", exported);
        Assert.Equal(0, apply.Exit);
        Assert.Contains("2 tool policies (was 0), 2 channel policies (was 0)", apply.Out, StringComparison.Ordinal);

        Assert.Equal(yamlExport.Out, (await admin.RunAsync("policies", "export", "--workspace", "default", "--format", "yaml")).Out);
        Assert.Equal(jsonExport, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out);

        await using var storage = await admin.OpenStorageAsync();
        var channels = await storage.GetRequiredService<IPlatformStore>().GetChannelPoliciesAsync(111222333444555666, CancellationToken.None);
        Assert.Contains(new ChannelPolicy(111222333444555666, ChannelPolicyScope.Channel, 222, AccessRule.Allow, AccessRule.Inherit, AccessRule.Deny), channels);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Yaml_file_with_problems_is_reported_with_file_line_and_column_and_changes_nothing(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111", "--workspace", "default")).Exit);
        var tool = DiscordMcpRegistration.Catalog()[0].Name;
        var good = admin.WriteFile("good.yaml", $"workspace: default\ntools:\n  - tool: {tool}\n    mode: deny\nchannels:\n  - guild: 111\n    scope: guild\n    read: deny\n");
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", good)).Exit);
        var before = (await admin.RunAsync("policies", "export", "--workspace", "default")).Out;
        Assert.Contains(tool, before, StringComparison.Ordinal);

        // Every entry but the last is valid; the last names a guild that is not installed (found after parsing).
        var bad = admin.WriteFile("bad.yaml", $"""
            workspace: default
            tools:
              - tool: {tool}
                mdoe: allow
            channels:
              - guild: 111
                scope: guild
                write: deny
              - guild: 999
                scope: channel
                id: 5
            """);
        var result = await admin.RunAsync("policies", "apply", bad);
        Assert.Equal(1, result.Exit);
        Assert.Contains("bad.yaml has 3 problems; nothing was changed.", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:4:5: $.tools[0].mdoe: unknown key 'mdoe' (did you mean 'mode'?)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:3:5: $.tools[0].mode: missing", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}:9:5: $.channels[1].guild: guild 999 is not installed", result.Error, StringComparison.Ordinal);

        var report = await admin.RunAsync("policies", "apply", bad, "--json");
        using var parsed = JsonDocument.Parse(report.Out);
        var first = parsed.RootElement.GetProperty("problems")[0];
        Assert.Equal("$.tools[0].mdoe", first.GetProperty("path").GetString());
        Assert.Equal(4, first.GetProperty("line").GetInt32());
        Assert.Equal(5, first.GetProperty("column").GetInt32());

        Assert.Equal(before, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task A_failure_in_the_middle_of_replacing_policies_rolls_back_so_nothing_is_half_applied(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111", "--workspace", "default")).Exit);
        var tool = DiscordMcpRegistration.Catalog()[0].Name;
        var good = admin.WriteFile("good.yaml", $"workspace: default\ntools:\n  - tool: {tool}\n    mode: deny\nchannels:\n  - guild: 111\n    scope: guild\n    read: deny\n");
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", good)).Exit);
        var before = (await admin.RunAsync("policies", "export", "--workspace", "default", "--format", "yaml")).Out;

        // The store deletes the old policies first (inside the transaction), then the insert of a row the database refuses
        // (a tool policy without a name violates NOT NULL) fails: the deletes must be rolled back with it.
        await using (var storage = await admin.OpenStorageAsync())
        {
            var platform = storage.GetRequiredService<IPlatformStore>();
            await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => platform.ReplacePoliciesAsync("default",
                [new ChannelPolicy(111, ChannelPolicyScope.Channel, 5, AccessRule.Allow, AccessRule.Allow, AccessRule.Allow)],
                [new ToolPolicy("default", ToolPolicyTarget.Tool, Catalog1, ToolMode.Allow), new ToolPolicy("default", ToolPolicyTarget.Tool, null!, ToolMode.Allow)],
                CancellationToken.None));
        }
        Assert.Equal(before, (await admin.RunAsync("policies", "export", "--workspace", "default", "--format", "yaml")).Out);
    }

    private static string Catalog1 => DiscordMcpRegistration.Catalog()[1].Name;

    [Fact]
    public async Task Format_option_overrides_the_extension_and_unknown_formats_are_usage_errors()
    {
        await using var admin = new AdminFixture("sqlite");
        var tool = DiscordMcpRegistration.Catalog()[0].Name;
        var yamlInTxt = admin.WriteFile("policy.txt", $"workspace: default\ntools:\n  - tool: {tool}\n    mode: deny\nchannels: []\n");
        Assert.Equal(1, (await admin.RunAsync("policies", "apply", yamlInTxt, "--dry-run")).Exit);
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", yamlInTxt, "--dry-run", "--format", "yaml")).Exit);

        var jsonInYaml = admin.WriteFile("policy.yaml", $$"""{ "workspace": "default", "tools": [ { "tool": "{{tool}}", "mode": "deny" } ], "channels": [] }""");
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", jsonInYaml, "--dry-run", "--format", "json")).Exit);

        var xml = await admin.RunAsync("policies", "apply", yamlInTxt, "--format", "xml");
        Assert.Equal(2, xml.Exit);
        Assert.Contains("--format 'xml' is not supported; use json or yaml.", xml.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await admin.RunAsync("policies", "export", "--workspace", "default", "--format", "toml")).Exit);
    }
}
