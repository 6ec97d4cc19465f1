using System.Globalization;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp guilds install|uninstall|list</c>. A guild belongs to at most one workspace.</summary>
internal static class GuildsCommand
{
    private static readonly OptionSpec Workspace = new("--workspace", "ID", "Workspace to install into.");
    private static readonly OptionSpec ListWorkspace = new("--workspace", "ID", "Only this workspace's guilds (default: every workspace).");

    public static CommandSpec Definition { get; } = AdminGroup.Define("guilds", "Install guilds into workspaces, uninstall, list.",
    [
        new("install", "Install a guild into a workspace (idempotent; refused if another workspace owns it).", ["guild_id"], [Workspace, AdminGroup.JsonOption], InstallAsync),
        new("uninstall", "Uninstall a guild (removes its channel policies too).", ["guild_id"], [AdminGroup.JsonOption], UninstallAsync),
        new("list", "List installed guilds.", [], [ListWorkspace, AdminGroup.JsonOption], ListAsync),
    ]);

    private static async Task<int> InstallAsync(AdminInvocation call)
    {
        if (!AdminFormat.TryParseSnowflake(call.Positionals[0], out var guildId))
            return await call.UsageErrorAsync($"GUILD_ID '{call.Positionals[0]}' is not a guild id (a positive number, e.g. 1234567890123456789).");
        var workspaceId = call.Value(Workspace.Name);
        if (workspaceId is null || !AdminFormat.IsWorkspaceId(workspaceId))
        {
            return await call.UsageErrorAsync(workspaceId is null
                ? "--workspace is required."
                : $"--workspace '{workspaceId}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        }
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var existing = await services.Platform.GetInstallationAsync(guildId, CancellationToken.None);
        if (existing is not null && existing.WorkspaceId != workspaceId)
        {
            return await call.FailAsync(
                $"guild {guildId} is already installed in workspace '{existing.WorkspaceId}'; a guild belongs to one workspace. Uninstall it there first ('discord-mcp guilds uninstall {guildId}').");
        }
        try
        {
            await services.Platform.InstallGuildAsync(new GuildInstallation(guildId, workspaceId, services.Time.GetUtcNow(), "cli"), CancellationToken.None);
        }
        catch (PlatformConflictException)
        {
            return await call.FailAsync($"guild {guildId} was installed into another workspace meanwhile; nothing changed.");
        }
        await call.Context.Out.WriteAsync(call.Json
            ? AdminFormat.Json(w => { w.WriteStartObject(); w.WriteString("guild_id", Id(guildId)); w.WriteString("workspace", workspaceId); w.WriteBoolean("already_installed", existing is not null); w.WriteEndObject(); })
            : existing is not null
                ? $"Guild {guildId} is already installed in workspace '{workspaceId}'.\n"
                : $"Installed guild {guildId} into workspace '{workspaceId}'.\n");
        return AdminExit.Ok;
    }

    private static async Task<int> UninstallAsync(AdminInvocation call)
    {
        if (!AdminFormat.TryParseSnowflake(call.Positionals[0], out var guildId))
            return await call.UsageErrorAsync($"GUILD_ID '{call.Positionals[0]}' is not a guild id (a positive number).");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var existing = await services.Platform.GetInstallationAsync(guildId, CancellationToken.None);
        if (existing is null || !await services.Platform.UninstallGuildAsync(existing.WorkspaceId, guildId, CancellationToken.None))
            return await call.FailAsync($"guild {guildId} is not installed in any workspace.");
        await call.Context.Out.WriteAsync(call.Json
            ? AdminFormat.Json(w => { w.WriteStartObject(); w.WriteString("guild_id", Id(guildId)); w.WriteString("workspace", existing.WorkspaceId); w.WriteEndObject(); })
            : $"Uninstalled guild {guildId} from workspace '{existing.WorkspaceId}' (its channel policies were removed).\n");
        return AdminExit.Ok;
    }

    private static async Task<int> ListAsync(AdminInvocation call)
    {
        var workspaceId = call.Value(ListWorkspace.Name);
        if (workspaceId is not null && !AdminFormat.IsWorkspaceId(workspaceId))
            return await call.UsageErrorAsync($"--workspace '{workspaceId}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        List<GuildInstallation> installations = [];
        if (workspaceId is not null)
        {
            if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
                return AdminExit.Failed;
            installations.AddRange(await services.Platform.ListInstallationsAsync(workspaceId, CancellationToken.None));
        }
        else
        {
            foreach (var ws in await services.Platform.ListWorkspacesAsync(CancellationToken.None))
                installations.AddRange(await services.Platform.ListInstallationsAsync(ws.Id, CancellationToken.None));
        }
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartArray();
                foreach (var g in installations)
                {
                    w.WriteStartObject();
                    w.WriteString("guild_id", Id(g.GuildId));
                    w.WriteString("workspace", g.WorkspaceId);
                    w.WriteTime("installed_at", g.InstalledAt);
                    w.WriteStringOrNull("installed_by", g.InstalledBy);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
            return AdminExit.Ok;
        }
        await call.Context.Out.WriteAsync(AdminFormat.Table(["GUILD", "WORKSPACE", "INSTALLED", "BY"],
            installations.Select(g => (IReadOnlyList<string>)[Id(g.GuildId), g.WorkspaceId, AdminFormat.Time(g.InstalledAt), g.InstalledBy ?? "-"])));
        return AdminExit.Ok;
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
