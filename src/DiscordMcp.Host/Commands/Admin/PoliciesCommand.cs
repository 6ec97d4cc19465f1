using System.Globalization;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp policies show|apply|export</c>: a workspace's tool and channel policies.</summary>
internal static class PoliciesCommand
{
    private static readonly OptionSpec Workspace = new("--workspace", "ID", "The workspace.");
    private static readonly OptionSpec ApplyWorkspace = new("--workspace", "ID", "The workspace (must match the file's \"workspace\" when both are given).");
    private static readonly OptionSpec DryRun = new("--dry-run", null, "Validate and report what would change; change nothing.");
    private static readonly OptionSpec Offline = new("--offline", null, "Do not check channel and category ids with Discord, even when a bot token is configured.");
    private static readonly OptionSpec Format = new("--format", "FORMAT", "Output format: json (the default) or yaml; both are file forms 'policies apply' reads.");
    private static readonly OptionSpec ApplyFormat = new("--format", "FORMAT", "The file's format, json or yaml (default: yaml for a .yaml/.yml FILE, else json; stdin is json).");

    public static CommandSpec Definition { get; } = AdminGroup.Define("policies", "Show, apply (from a reviewed file) and export tool and channel policies.",
    [
        new("show", "Show a workspace's tool and channel policies.", [], [Workspace, AdminGroup.JsonOption], ShowAsync),
        new("apply", "Replace a workspace's policies with a JSON or YAML policy file, after validating all of it.", ["file"], [ApplyWorkspace, ApplyFormat, DryRun, Offline, AdminGroup.JsonOption], ApplyAsync,
            """
            The file is the workspace's WHOLE policy: tool and channel policies not in it are removed. Every problem
            (unknown keys, unknown tools or toolsets, invalid modes or rules, malformed ids, guilds not installed in the
            workspace) is reported with its path (and line:column for YAML), and then nothing is changed. A valid file is
            applied in one transaction. When a bot token is configured (DISCORD_BOT_TOKEN, as for 'serve'), each guild's
            channels are listed once and every "category"/"channel" id that is not a category/channel of its guild is a
            problem too; if Discord cannot be asked (unreachable, token rejected) nothing is applied (exit 1). Without a
            token, or with --offline, the ids are not checked and a warning says so. In YAML every value is text (ids keep all digits; yes/no are not booleans);
            duplicate keys, anchors, aliases and tags are refused. Format: see docs/admin.md, or start from
            'discord-mcp policies export --workspace ID [--format yaml]'. Use '-' to read stdin.
            """),
        new("export", "Print a workspace's policies as a policy file.", [], [Workspace, Format], ExportAsync),
    ]);

    private static async Task<int> ShowAsync(AdminInvocation call)
    {
        if (await CheckWorkspaceSyntaxAsync(call, required: true) is { } error)
            return error;
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspaceId = call.Value(Workspace.Name)!;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var (tools, channels) = await LoadAsync(services.Platform, workspaceId);
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(PolicyFile.Render(workspaceId, tools, channels));
            return AdminExit.Ok;
        }
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Tool policies of workspace '{workspaceId}' (tools not listed use their defaults: read → allow, write → confirm, destructive → approve):\n");
        text.Append(tools.Count == 0 ? "  none\n" : AdminFormat.Table(["TARGET", "NAME", "MODE"],
            tools.OrderBy(t => t.Target).ThenBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => (IReadOnlyList<string>)[t.Target.ToString().ToLowerInvariant(), t.Name, t.Mode.ToString().ToLowerInvariant()])));
        text.Append("\nChannel policies (inherit = defer to the enclosing scope; nothing set = allowed):\n");
        text.Append(channels.Count == 0 ? "  none\n" : AdminFormat.Table(["GUILD", "SCOPE", "TARGET", "READ", "WRITE", "AGENT CHAT"],
            channels.OrderBy(c => c.GuildId).ThenBy(c => c.Scope).ThenBy(c => c.TargetId)
                .Select(c => (IReadOnlyList<string>)[Id(c.GuildId), c.Scope.ToString().ToLowerInvariant(), Id(c.TargetId),
                    Word(c.Read), Word(c.Write), Word(c.AgentChat)])));
        await call.Context.Out.WriteAsync(text.ToString());
        return AdminExit.Ok;
    }

    private static async Task<int> ExportAsync(AdminInvocation call)
    {
        if (await CheckWorkspaceSyntaxAsync(call, required: true) is { } error)
            return error;
        var format = call.Value(Format.Name) ?? "json";
        if (format is not ("json" or "yaml"))
            return await call.UsageErrorAsync($"--format '{format}' is not supported; use json or yaml.");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspaceId = call.Value(Workspace.Name)!;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var (tools, channels) = await LoadAsync(services.Platform, workspaceId);
        await call.Context.Out.WriteAsync(format == "yaml"
            ? PolicyYaml.Render(workspaceId, tools, channels)
            : PolicyFile.Render(workspaceId, tools, channels));
        return AdminExit.Ok;
    }

    private static async Task<int> ApplyAsync(AdminInvocation call)
    {
        if (await CheckWorkspaceSyntaxAsync(call, required: false) is { } error)
            return error;
        var file = call.Positionals[0];
        var format = call.Value(ApplyFormat.Name)
                     ?? (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) ? "yaml" : "json");
        if (format is not ("json" or "yaml"))
            return await call.UsageErrorAsync($"--format '{format}' is not supported; use json or yaml.");
        string text;
        try
        {
            text = file == "-" ? await Console.In.ReadToEndAsync() : await File.ReadAllTextAsync(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await call.UsageErrorAsync($"cannot read FILE '{file}': {ex.Message}");
        }

        var catalog = DiscordMcpRegistration.Catalog();
        var toolNames = catalog.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var toolsetNames = catalog.Select(t => t.Toolset).ToHashSet(StringComparer.Ordinal);
        // One validator for both formats: YAML is first turned into the JSON document it spells (with line:column per path).
        var source = format == "yaml" ? PolicyYaml.ToJson(text) : PolicySource.FromJson(text);
        var (document, parseProblems) = PolicyFile.Parse(source, toolNames, toolsetNames, call.Value(ApplyWorkspace.Name));
        var problems = parseProblems.ToList();

        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var notInstalled = new HashSet<ulong>();
        if (document is not null)
        {
            var workspace = await services.Platform.GetWorkspaceAsync(document.WorkspaceId, CancellationToken.None);
            if (workspace is null)
            {
                problems.Add(new("$.workspace", $"workspace '{document.WorkspaceId}' does not exist."));
            }
            else
            {
                var installed = (await services.Platform.ListInstallationsAsync(document.WorkspaceId, CancellationToken.None)).Select(g => g.GuildId).ToHashSet();
                for (var i = 0; i < document.Channels.Count; i++)
                {
                    var guildId = document.Channels[i].GuildId;
                    if (installed.Contains(guildId))
                        continue;
                    notInstalled.Add(guildId);
                    problems.Add(new($"{document.ChannelPaths[i]}.guild", $"guild {guildId} is not installed in workspace '{document.WorkspaceId}' (discord-mcp guilds install {guildId} --workspace {document.WorkspaceId})."));
                }
            }
        }
        var checkedChannels = false;
        if (document is not null && document.Channels.Any(c => c.Scope != ChannelPolicyScope.Guild))
        {
            var (checkFailure, channelProblems) = await CheckChannelsAsync(call, document, notInstalled);
            if (checkFailure is { } failure)
                return failure;
            if (channelProblems is not null)
            {
                problems.AddRange(channelProblems);
                checkedChannels = true;
            }
        }
        if (problems.Count > 0 || document is null)
            return await ReportProblemsAsync(call, file, problems.Select(source.Locate).ToList());

        var (currentTools, currentChannels) = await LoadAsync(services.Platform, document.WorkspaceId);
        var summary = $"{document.Tools.Count} tool polic{(document.Tools.Count == 1 ? "y" : "ies")} (was {currentTools.Count}), " +
                      $"{document.Channels.Count} channel polic{(document.Channels.Count == 1 ? "y" : "ies")} (was {currentChannels.Count})" +
                      (checkedChannels ? "; every category and channel id was checked with Discord" : "");
        var dryRun = call.Has(DryRun.Name);
        if (!dryRun)
        {
            try
            {
                await services.Platform.ReplacePoliciesAsync(document.WorkspaceId, document.Channels, document.Tools, CancellationToken.None);
            }
            catch (Exception ex) when (ex is PlatformNotFoundException or PlatformConflictException)
            {
                return await call.FailAsync($"{ex.Message} Nothing was changed.");
            }
        }
        await call.Context.Out.WriteAsync(call.Json
            ? AdminFormat.Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", true);
                w.WriteBoolean("applied", !dryRun);
                w.WriteString("workspace", document.WorkspaceId);
                w.WriteNumber("tool_policies", document.Tools.Count);
                w.WriteNumber("channel_policies", document.Channels.Count);
                w.WriteBoolean("channels_checked", checkedChannels);
                w.WriteEndObject();
            })
            : dryRun
                ? $"{file} is valid. Dry run: applying it would set workspace '{document.WorkspaceId}' to {summary}. Nothing changed.\n"
                : $"Applied {file} to workspace '{document.WorkspaceId}': {summary}.\n");
        return AdminExit.Ok;
    }

    /// <summary>
    /// Checks the file's category and channel ids with Discord when a bot token is configured and --offline is not given.
    /// Returns the problems found, or null Problems when the check did not run (a warning or note says so), or an exit
    /// code when it could not be done (fail closed: the caller applies nothing).
    /// </summary>
    private static async Task<(int? Failure, List<PolicyProblem>? Problems)> CheckChannelsAsync(AdminInvocation call, PolicyDocument document, IReadOnlySet<ulong> skipGuilds)
    {
        if (call.Has(Offline.Name))
        {
            await call.Context.Error.WriteLineAsync($"discord-mcp {call.CommandPath}: --offline: channel and category ids were not checked with Discord.");
            return (null, null);
        }
        PolicyChannelCheck? check;
        try
        {
            check = PolicyChannelCheck.Create(HostConfiguration.Load(new HostSettings { Environment = call.Context.Environment }));
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or FormatException)
        {
            return (await call.UsageErrorAsync($"invalid Discord client configuration (section Discord): {ex.Message}"), null);
        }
        if (check is null)
        {
            await call.Context.Error.WriteLineAsync(
                $"discord-mcp {call.CommandPath}: warning: channel and category ids were not checked (no bot token is configured). " +
                "Set DISCORD_BOT_TOKEN (as for 'serve') to have each id checked against its guild, or pass --offline to skip the check on purpose.");
            return (null, null);
        }
        await using (check)
        {
            try
            {
                return (null, await check.CheckAsync(document, skipGuilds, CancellationToken.None));
            }
            catch (PolicyChannelCheckException ex)
            {
                return (await call.FailAsync($"{ex.Message} Nothing was changed."), null);
            }
        }
    }

    private static async Task<int> ReportProblemsAsync(AdminInvocation call, string file, List<PolicyProblem> problems)
    {
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", false);
                w.WriteBoolean("applied", false);
                w.WriteStartArray("problems");
                foreach (var p in problems)
                {
                    w.WriteStartObject();
                    w.WriteString("path", p.Path);
                    if (p.Position is { } position)
                    {
                        w.WriteNumber("line", position.Line);
                        w.WriteNumber("column", position.Column);
                    }
                    w.WriteString("message", p.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }));
        }
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"discord-mcp {call.CommandPath}: {file} has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}; nothing was changed.\n");
        foreach (var p in problems)
        {
            // file:line:column: is the form editors and CI annotate; the path names the field either way.
            var where = p.Position is { } position ? $"{file}:{position.Line}:{position.Column}: " : "";
            text.Append(CultureInfo.InvariantCulture, $"  {where}{p.Path}: {p.Message}\n");
        }
        await call.Context.Error.WriteAsync(text.ToString());
        return AdminExit.Failed;
    }

    private static async Task<int?> CheckWorkspaceSyntaxAsync(AdminInvocation call, bool required)
    {
        var id = call.Value("--workspace");
        if (id is null)
            return required ? await call.UsageErrorAsync("--workspace is required.") : null;
        return AdminFormat.IsWorkspaceId(id) ? null : await call.UsageErrorAsync($"--workspace '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
    }

    private static async Task<(IReadOnlyList<ToolPolicy> Tools, IReadOnlyList<ChannelPolicy> Channels)> LoadAsync(IPlatformStore platform, string workspaceId)
    {
        var tools = await platform.GetToolPoliciesAsync(workspaceId, CancellationToken.None);
        var channels = new List<ChannelPolicy>();
        foreach (var installation in await platform.ListInstallationsAsync(workspaceId, CancellationToken.None))
            channels.AddRange(await platform.GetChannelPoliciesAsync(installation.GuildId, CancellationToken.None));
        return (tools, channels);
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Word(AccessRule rule) => rule.ToString().ToLowerInvariant();
}
