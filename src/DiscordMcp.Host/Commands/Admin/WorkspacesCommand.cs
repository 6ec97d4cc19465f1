using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp workspaces list|create|show|limits</c>.</summary>
internal static class WorkspacesCommand
{
    private static readonly OptionSpec Id = new("--id", "ID", "Workspace id (default: derived from NAME: lowercase, spaces → '-').");
    private static readonly OptionSpec Reads = new("--reads", "BURST/PER_S", "Read calls per principal: bucket size / refill per second (default 60/10).");
    private static readonly OptionSpec Writes = new("--writes", "BURST/PER_S", "Write calls per principal (default 10/1).");
    private static readonly OptionSpec GuildReads = new("--guild-reads", "BURST/PER_S", "Read calls per guild, all principals together (default 120/20).");
    private static readonly OptionSpec GuildWrites = new("--guild-writes", "BURST/PER_S", "Write calls per guild (default 20/2).");

    /// <summary>Bounds of a budget given on the command line.</summary>
    internal const int MaxBurst = 1_000_000;
    internal const double MaxPerSecond = 1_000_000;

    public static CommandSpec Definition { get; } = AdminGroup.Define("workspaces", "Create, list and show workspaces.",
    [
        new("list", "List workspaces.", [], [AdminGroup.JsonOption], ListAsync),
        new("create", "Create a workspace.", ["name"], [Id, AdminGroup.JsonOption], CreateAsync),
        new("show", "Show a workspace: members, keys (no secrets), installed guilds.", ["id"], [AdminGroup.JsonOption], ShowAsync),
        new("limits", "Show a workspace's rate limits, or set some of them (the others keep their values).", ["id"],
            [Reads, Writes, GuildReads, GuildWrites, AdminGroup.JsonOption], LimitsAsync),
    ]);

    private static async Task<int> ListAsync(AdminInvocation call)
    {
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspaces = await services.Platform.ListWorkspacesAsync(CancellationToken.None);
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartArray();
                foreach (var ws in workspaces)
                {
                    w.WriteStartObject();
                    w.WriteString("id", ws.Id);
                    w.WriteString("name", ws.Name);
                    w.WriteTime("created_at", ws.CreatedAt);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
            return AdminExit.Ok;
        }
        await call.Context.Out.WriteAsync(AdminFormat.Table(["ID", "NAME", "CREATED"],
            workspaces.Select(ws => (IReadOnlyList<string>)[ws.Id, ws.Name, AdminFormat.Time(ws.CreatedAt)])));
        return AdminExit.Ok;
    }

    private static async Task<int> CreateAsync(AdminInvocation call)
    {
        var name = call.Positionals[0].Trim();
        if (name.Length is 0 or > 200)
            return await call.UsageErrorAsync("NAME must be 1-200 characters.");
        var id = call.Value(Id.Name) ?? DeriveId(name);
        if (!AdminFormat.IsWorkspaceId(id))
        {
            return await call.UsageErrorAsync(call.Has(Id.Name)
                ? $"--id '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule})."
                : $"cannot derive a workspace id from NAME '{name}'; give one with --id ({AdminFormat.WorkspaceIdRule}).");
        }
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspace = new Workspace(id, name, services.Time.GetUtcNow());
        try
        {
            await services.Platform.CreateWorkspaceAsync(workspace, CancellationToken.None);
        }
        catch (PlatformConflictException)
        {
            return await call.FailAsync($"workspace '{id}' already exists.");
        }
        await call.Context.Out.WriteAsync(call.Json
            ? AdminFormat.Json(w => { w.WriteStartObject(); w.WriteString("id", id); w.WriteString("name", name); w.WriteEndObject(); })
            : $"Created workspace '{id}' ({name}).\nNext: discord-mcp guilds install GUILD_ID --workspace {id}; discord-mcp keys issue --workspace {id} --role admin\n");
        return AdminExit.Ok;
    }

    private static async Task<int> ShowAsync(AdminInvocation call)
    {
        var id = call.Positionals[0];
        if (!AdminFormat.IsWorkspaceId(id))
            return await call.UsageErrorAsync($"ID '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspace = await WorkspaceArgument.ResolveAsync(call, services, id, "ID");
        if (workspace is null)
            return AdminExit.Failed;
        var members = await services.Platform.ListMembershipsAsync(id, CancellationToken.None);
        var keys = await services.Platform.ListApiKeysAsync(id, CancellationToken.None);
        var guilds = await services.Platform.ListInstallationsAsync(id, CancellationToken.None);
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", workspace.Id);
                w.WriteString("name", workspace.Name);
                w.WriteTime("created_at", workspace.CreatedAt);
                w.WriteStartArray("members");
                foreach (var m in members)
                {
                    w.WriteStartObject();
                    w.WriteString("principal_id", m.PrincipalId);
                    w.WriteString("role", AdminFormat.Word(m.Role));
                    w.WriteStrings("toolsets", m.ToolsetScopes);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNumber("api_keys", keys.Count);
                w.WriteStartArray("guilds");
                foreach (var g in guilds)
                    w.WriteStringValue(g.GuildId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndArray();
                w.WriteEndObject();
            }));
            return AdminExit.Ok;
        }
        var text = new System.Text.StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"Workspace {workspace.Id} ({workspace.Name}), created {AdminFormat.Time(workspace.CreatedAt)}\n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"Guilds: {(guilds.Count == 0 ? "none (install one with 'discord-mcp guilds install GUILD_ID --workspace " + id + "')" : string.Join(", ", guilds.Select(g => g.GuildId)))}\n");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"API keys: {keys.Count} (see 'discord-mcp keys list --workspace {id}')\n\nMembers:\n");
        text.Append(AdminFormat.Table(["PRINCIPAL", "ROLE", "TOOLSETS"],
            members.Select(m => (IReadOnlyList<string>)[m.PrincipalId, AdminFormat.Word(m.Role), m.ToolsetScopes is null ? "all" : string.Join(',', m.ToolsetScopes)])));
        await call.Context.Out.WriteAsync(text.ToString());
        return AdminExit.Ok;
    }

    private static async Task<int> LimitsAsync(AdminInvocation call)
    {
        var id = call.Positionals[0];
        if (!AdminFormat.IsWorkspaceId(id))
            return await call.UsageErrorAsync($"ID '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        // Every value is checked before anything is opened or written, so a typo changes nothing.
        var given = new Dictionary<string, (int Burst, double PerSecond)>(StringComparer.Ordinal);
        foreach (var option in new[] { Reads, Writes, GuildReads, GuildWrites })
        {
            if (call.Value(option.Name) is not { } text)
                continue;
            if (ParseBudget(text) is not { } budget)
            {
                return await call.UsageErrorAsync(
                    $"{option.Name} '{text}' is not a budget: give BURST/PER_S, BURST a whole number 1-{MaxBurst:N0} and PER_S a number above 0 and at most {MaxPerSecond:N0} (e.g. 60/10).");
            }
            given[option.Name] = budget;
        }
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var workspace = await WorkspaceArgument.ResolveAsync(call, services, id, "ID");
        if (workspace is null)
            return AdminExit.Failed;
        var limits = workspace.RateLimits ?? RateLimitSettings.Default;
        if (given.Count > 0)
        {
            if (given.TryGetValue(Reads.Name, out var r))
                limits = limits with { PrincipalReadCapacity = r.Burst, PrincipalReadRefillPerSecond = r.PerSecond };
            if (given.TryGetValue(Writes.Name, out var w))
                limits = limits with { PrincipalWriteCapacity = w.Burst, PrincipalWriteRefillPerSecond = w.PerSecond };
            if (given.TryGetValue(GuildReads.Name, out var gr))
                limits = limits with { GuildReadCapacity = gr.Burst, GuildReadRefillPerSecond = gr.PerSecond };
            if (given.TryGetValue(GuildWrites.Name, out var gw))
                limits = limits with { GuildWriteCapacity = gw.Burst, GuildWriteRefillPerSecond = gw.PerSecond };
            await services.Platform.UpdateWorkspaceAsync(workspace with { RateLimits = limits }, CancellationToken.None);
        }
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(j =>
            {
                j.WriteStartObject();
                j.WriteString("workspace", workspace.Id);
                WriteBudget(j, "reads", limits.PrincipalReadCapacity, limits.PrincipalReadRefillPerSecond);
                WriteBudget(j, "writes", limits.PrincipalWriteCapacity, limits.PrincipalWriteRefillPerSecond);
                WriteBudget(j, "guild_reads", limits.GuildReadCapacity, limits.GuildReadRefillPerSecond);
                WriteBudget(j, "guild_writes", limits.GuildWriteCapacity, limits.GuildWriteRefillPerSecond);
                j.WriteEndObject();
            }));
            return AdminExit.Ok;
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        await call.Context.Out.WriteAsync(
            (given.Count > 0 ? $"Updated the rate limits of workspace '{workspace.Id}'.\n" : $"Rate limits of workspace '{workspace.Id}'{(workspace.RateLimits is null ? " (defaults)" : "")}:\n") +
            AdminFormat.Table(["BUDGET", "BURST", "PER SECOND"],
            [
                ["reads per principal", limits.PrincipalReadCapacity.ToString(inv), limits.PrincipalReadRefillPerSecond.ToString(inv)],
                ["writes per principal", limits.PrincipalWriteCapacity.ToString(inv), limits.PrincipalWriteRefillPerSecond.ToString(inv)],
                ["reads per guild", limits.GuildReadCapacity.ToString(inv), limits.GuildReadRefillPerSecond.ToString(inv)],
                ["writes per guild", limits.GuildWriteCapacity.ToString(inv), limits.GuildWriteRefillPerSecond.ToString(inv)],
            ]));
        return AdminExit.Ok;

        static void WriteBudget(System.Text.Json.Utf8JsonWriter j, string name, int burst, double perSecond)
        {
            j.WriteStartObject(name);
            j.WriteNumber("burst", burst);
            j.WriteNumber("per_second", perSecond);
            j.WriteEndObject();
        }
    }

    /// <summary><c>BURST/PER_S</c>, e.g. <c>60/10</c> or <c>5/0.5</c>; null when it is not one or out of bounds.</summary>
    internal static (int Burst, double PerSecond)? ParseBudget(string text)
    {
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var burst)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var perSecond)
            || burst is < 1 or > MaxBurst
            || !(perSecond > 0 && perSecond <= MaxPerSecond))
            return null;
        return (burst, perSecond);
    }

    internal static string DeriveId(string name)
    {
        var chars = name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        var id = new string(chars).Trim('-');
        while (id.Contains("--", StringComparison.Ordinal))
            id = id.Replace("--", "-", StringComparison.Ordinal);
        return id.Length > 64 ? id[..64].TrimEnd('-') : id;
    }
}
