using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp workspaces list|create|show</c>.</summary>
internal static class WorkspacesCommand
{
    private static readonly OptionSpec Id = new("--id", "ID", "Workspace id (default: derived from NAME: lowercase, spaces → '-').");

    public static CommandSpec Definition { get; } = AdminGroup.Define("workspaces", "Create, list and show workspaces.",
    [
        new("list", "List workspaces.", [], [AdminGroup.JsonOption], ListAsync),
        new("create", "Create a workspace.", ["name"], [Id, AdminGroup.JsonOption], CreateAsync),
        new("show", "Show a workspace: members, keys (no secrets), installed guilds.", ["id"], [AdminGroup.JsonOption], ShowAsync),
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

    internal static string DeriveId(string name)
    {
        var chars = name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray();
        var id = new string(chars).Trim('-');
        while (id.Contains("--", StringComparison.Ordinal))
            id = id.Replace("--", "-", StringComparison.Ordinal);
        return id.Length > 64 ? id[..64].TrimEnd('-') : id;
    }
}
