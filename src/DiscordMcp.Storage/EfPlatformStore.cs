using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace DiscordMcp.Storage;

/// <summary><see cref="IPlatformStore"/> on EF Core (SQLite or PostgreSQL). Each call uses its own short-lived context.</summary>
internal sealed class EfPlatformStore(DiscordMcpDatabase database) : IPlatformStore
{
    public async ValueTask<ApiKeyRecord?> FindApiKeyByLookupIdAsync(string lookupId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var e = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.LookupId == lookupId, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<Workspace?> GetWorkspaceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var e = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<Principal?> GetPrincipalAsync(string principalId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var e = await db.Principals.AsNoTracking().FirstOrDefaultAsync(p => p.Id == principalId, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<WorkspaceMembership?> GetMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var e = await db.WorkspaceMembers.AsNoTracking()
            .FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.PrincipalId == principalId, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<GuildInstallation?> GetInstallationAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var id = Mapping.Snowflake(guildId);
        await using var db = database.CreateContext();
        var e = await db.GuildInstallations.AsNoTracking().FirstOrDefaultAsync(g => g.GuildId == id, cancellationToken);
        return e?.ToRecord();
    }

    public async ValueTask<IReadOnlyList<ChannelPolicy>> GetChannelPoliciesAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var id = Mapping.Snowflake(guildId);
        await using var db = database.CreateContext();
        var rows = await db.ChannelPolicies.AsNoTracking().Where(p => p.GuildId == id).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    public async ValueTask<IReadOnlyList<ToolPolicy>> GetToolPoliciesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.ToolPolicies.AsNoTracking().Where(p => p.WorkspaceId == workspaceId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    public async Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        // Sorted here: SQLite cannot order by a converted DateTimeOffset reliably across providers' conventions.
        return [.. rows.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<GuildInstallation>> ListInstallationsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.GuildInstallations.AsNoTracking().Where(g => g.WorkspaceId == workspaceId).OrderBy(g => g.GuildId).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    public async Task<IReadOnlyList<WorkspaceMembership>> ListMembershipsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var rows = await db.WorkspaceMembers.AsNoTracking().Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.PrincipalId).ToListAsync(cancellationToken);
        return rows.ConvertAll(r => r.ToRecord());
    }

    public async Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        await using var db = database.CreateContext();
        if (await db.Workspaces.AnyAsync(w => w.Id == workspace.Id, cancellationToken))
            throw new PlatformConflictException($"Workspace '{workspace.Id}' already exists.");
        db.Workspaces.Add(new WorkspaceEntity
        {
            Id = workspace.Id,
            Name = workspace.Name,
            CreatedAt = Mapping.Normalize(workspace.CreatedAt),
            RateLimitsJson = Mapping.RateLimitsToJson(workspace.RateLimits),
        });
        await SaveAsync(db, $"Workspace '{workspace.Id}' already exists.", cancellationToken);
    }

    public async Task UpdateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        await using var db = database.CreateContext();
        var e = await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspace.Id, cancellationToken)
            ?? throw new PlatformNotFoundException($"Workspace '{workspace.Id}' does not exist.");
        e.Name = workspace.Name;
        e.RateLimitsJson = Mapping.RateLimitsToJson(workspace.RateLimits);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task UpsertPrincipalAsync(Principal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        await using var db = database.CreateContext();
        var e = await db.Principals.FirstOrDefaultAsync(p => p.Id == principal.Id, cancellationToken);
        if (e is null)
        {
            db.Principals.Add(new PrincipalEntity
            {
                Id = principal.Id,
                Kind = Mapping.Word(principal.Kind),
                DisplayName = principal.DisplayName,
                DiscordUserId = Mapping.Snowflake(principal.DiscordUserId),
            });
        }
        else
        {
            e.Kind = Mapping.Word(principal.Kind);
            e.DisplayName = principal.DisplayName;
            e.DiscordUserId = Mapping.Snowflake(principal.DiscordUserId);
        }
        await SaveAsync(db, $"Principal '{principal.Id}' was created concurrently; retry.", cancellationToken);
    }

    public async Task SetMembershipAsync(WorkspaceMembership membership, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membership);
        await using var db = database.CreateContext();
        if (!await db.Workspaces.AnyAsync(w => w.Id == membership.WorkspaceId, cancellationToken))
            throw new PlatformNotFoundException($"Workspace '{membership.WorkspaceId}' does not exist.");
        if (!await db.Principals.AnyAsync(p => p.Id == membership.PrincipalId, cancellationToken))
            throw new PlatformNotFoundException($"Principal '{membership.PrincipalId}' does not exist.");
        var e = await db.WorkspaceMembers.FirstOrDefaultAsync(
            m => m.WorkspaceId == membership.WorkspaceId && m.PrincipalId == membership.PrincipalId, cancellationToken);
        if (e is null)
        {
            db.WorkspaceMembers.Add(new WorkspaceMemberEntity
            {
                WorkspaceId = membership.WorkspaceId,
                PrincipalId = membership.PrincipalId,
                Role = Mapping.Word(membership.Role),
                ToolsetScopes = Mapping.JoinScopes(membership.ToolsetScopes),
            });
        }
        else
        {
            e.Role = Mapping.Word(membership.Role);
            e.ToolsetScopes = Mapping.JoinScopes(membership.ToolsetScopes);
        }
        await SaveAsync(db, "The membership was created concurrently; retry.", cancellationToken);
    }

    public async Task<bool> RemoveMembershipAsync(string workspaceId, string principalId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId && m.PrincipalId == principalId)
            .ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var db = database.CreateContext();
        if (!await db.Workspaces.AnyAsync(w => w.Id == key.WorkspaceId, cancellationToken))
            throw new PlatformNotFoundException($"Workspace '{key.WorkspaceId}' does not exist.");
        if (!await db.Principals.AnyAsync(p => p.Id == key.PrincipalId, cancellationToken))
            throw new PlatformNotFoundException($"Principal '{key.PrincipalId}' does not exist.");
        if (await db.ApiKeys.AnyAsync(k => k.Id == key.Id || k.LookupId == key.LookupId, cancellationToken))
            throw new PlatformConflictException($"An API key with id '{key.Id}' or the same lookup id already exists.");
        db.ApiKeys.Add(new ApiKeyEntity
        {
            Id = key.Id,
            LookupId = key.LookupId,
            SecretHash = key.SecretHash,
            WorkspaceId = key.WorkspaceId,
            PrincipalId = key.PrincipalId,
            Role = Mapping.Word(key.Role),
            Description = key.Description,
            ToolsetScopes = Mapping.JoinScopes(key.ToolsetScopes),
            CreatedAt = Mapping.Normalize(key.CreatedAt),
            ExpiresAt = Mapping.Normalize(key.ExpiresAt),
            RevokedAt = Mapping.Normalize(key.RevokedAt),
        });
        await SaveAsync(db, $"An API key with id '{key.Id}' or the same lookup id already exists.", cancellationToken);
    }

    public async Task<bool> RevokeApiKeyAsync(string workspaceId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var e = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.WorkspaceId == workspaceId, cancellationToken);
        if (e is null)
            return false;
        e.RevokedAt ??= Mapping.Normalize(revokedAt);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task InstallGuildAsync(GuildInstallation installation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installation);
        var guildId = Mapping.Snowflake(installation.GuildId);
        await using var db = database.CreateContext();
        var existing = await db.GuildInstallations.AsNoTracking().FirstOrDefaultAsync(g => g.GuildId == guildId, cancellationToken);
        if (existing is not null)
        {
            if (existing.WorkspaceId == installation.WorkspaceId)
                return;
            throw GuildTaken(guildId, existing.WorkspaceId);
        }
        if (!await db.Workspaces.AnyAsync(w => w.Id == installation.WorkspaceId, cancellationToken))
            throw new PlatformNotFoundException($"Workspace '{installation.WorkspaceId}' does not exist.");
        db.GuildInstallations.Add(new GuildInstallationEntity
        {
            GuildId = guildId,
            WorkspaceId = installation.WorkspaceId,
            InstalledAt = Mapping.Normalize(installation.InstalledAt),
            InstalledBy = installation.InstalledBy,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race: the unique key decided. Same workspace is fine (idempotent), another is a conflict.
            await using var check = database.CreateContext();
            var winner = await check.GuildInstallations.AsNoTracking().FirstOrDefaultAsync(g => g.GuildId == guildId, cancellationToken);
            if (winner?.WorkspaceId == installation.WorkspaceId)
                return;
            if (winner is not null)
                throw GuildTaken(guildId, winner.WorkspaceId);
            throw;
        }
    }

    public async Task<bool> UninstallGuildAsync(string workspaceId, ulong guildId, CancellationToken cancellationToken)
    {
        var id = Mapping.Snowflake(guildId);
        await using var db = database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.ChannelPolicies.Where(p => p.GuildId == id && p.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        var removed = await db.GuildInstallations.Where(g => g.GuildId == id && g.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return removed > 0;
    }

    public async Task SetChannelPolicyAsync(ChannelPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await using var db = database.CreateContext();
        var workspaceId = await InstalledWorkspaceAsync(db, policy.GuildId, cancellationToken);
        Upsert(db, workspaceId, policy, await FindChannelPolicyAsync(db, policy.GuildId, policy.TargetId, cancellationToken));
        await SaveAsync(db, "The channel policy was written concurrently; retry.", cancellationToken);
    }

    public async Task<bool> RemoveChannelPolicyAsync(ulong guildId, ulong targetId, CancellationToken cancellationToken)
    {
        var g = Mapping.Snowflake(guildId);
        var t = Mapping.Snowflake(targetId);
        await using var db = database.CreateContext();
        return await db.ChannelPolicies.Where(p => p.GuildId == g && p.TargetId == t).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task SetToolPolicyAsync(ToolPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await using var db = database.CreateContext();
        if (!await db.Workspaces.AnyAsync(w => w.Id == policy.WorkspaceId, cancellationToken))
            throw new PlatformNotFoundException($"Workspace '{policy.WorkspaceId}' does not exist.");
        var kind = Mapping.Word(policy.Target);
        var e = await db.ToolPolicies.FirstOrDefaultAsync(
            p => p.WorkspaceId == policy.WorkspaceId && p.TargetKind == kind && p.Target == policy.Name, cancellationToken);
        if (e is null)
            db.ToolPolicies.Add(new ToolPolicyEntity { WorkspaceId = policy.WorkspaceId, TargetKind = kind, Target = policy.Name, Mode = Mapping.Word(policy.Mode) });
        else
            e.Mode = Mapping.Word(policy.Mode);
        await SaveAsync(db, "The tool policy was written concurrently; retry.", cancellationToken);
    }

    public async Task<bool> RemoveToolPolicyAsync(string workspaceId, ToolPolicyTarget target, string name, CancellationToken cancellationToken)
    {
        var kind = Mapping.Word(target);
        await using var db = database.CreateContext();
        return await db.ToolPolicies.Where(p => p.WorkspaceId == workspaceId && p.TargetKind == kind && p.Target == name)
            .ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task ReplacePoliciesAsync(
        string workspaceId,
        IReadOnlyList<ChannelPolicy> channelPolicies,
        IReadOnlyList<ToolPolicy> toolPolicies,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channelPolicies);
        ArgumentNullException.ThrowIfNull(toolPolicies);
        await using var db = database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Workspaces.AnyAsync(w => w.Id == workspaceId, cancellationToken))
            throw new PlatformNotFoundException($"Workspace '{workspaceId}' does not exist.");
        var installed = (await db.GuildInstallations.Where(g => g.WorkspaceId == workspaceId).Select(g => g.GuildId).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var p in channelPolicies)
        {
            if (!installed.Contains(Mapping.Snowflake(p.GuildId)))
                throw new PlatformNotFoundException($"Guild {p.GuildId} is not installed in workspace '{workspaceId}'; nothing was changed.");
        }
        foreach (var p in toolPolicies)
        {
            if (!string.Equals(p.WorkspaceId, workspaceId, StringComparison.Ordinal))
                throw new PlatformNotFoundException($"A tool policy names workspace '{p.WorkspaceId}', not '{workspaceId}'; nothing was changed.");
        }

        await db.ChannelPolicies.Where(p => p.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        await db.ToolPolicies.Where(p => p.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        foreach (var p in channelPolicies)
            Upsert(db, workspaceId, p, db.ChannelPolicies.Local.FirstOrDefault(x => x.GuildId == Mapping.Snowflake(p.GuildId) && x.TargetId == Mapping.Snowflake(p.TargetId)));
        foreach (var p in toolPolicies)
        {
            var kind = Mapping.Word(p.Target);
            var local = db.ToolPolicies.Local.FirstOrDefault(x => x.TargetKind == kind && x.Target == p.Name);
            if (local is null)
                db.ToolPolicies.Add(new ToolPolicyEntity { WorkspaceId = workspaceId, TargetKind = kind, Target = p.Name, Mode = Mapping.Word(p.Mode) });
            else
                local.Mode = Mapping.Word(p.Mode);
        }
        await db.SaveChangesAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    private static void Upsert(DiscordMcpDbContext db, string workspaceId, ChannelPolicy policy, ChannelPolicyEntity? existing)
    {
        if (existing is null)
        {
            db.ChannelPolicies.Add(new ChannelPolicyEntity
            {
                WorkspaceId = workspaceId,
                GuildId = Mapping.Snowflake(policy.GuildId),
                TargetKind = Mapping.Word(policy.Scope),
                TargetId = Mapping.Snowflake(policy.TargetId),
                Read = Mapping.Word(policy.Read),
                Write = Mapping.Word(policy.Write),
                AgentChat = Mapping.Word(policy.AgentChat),
            });
            return;
        }
        existing.TargetKind = Mapping.Word(policy.Scope);
        existing.Read = Mapping.Word(policy.Read);
        existing.Write = Mapping.Word(policy.Write);
        existing.AgentChat = Mapping.Word(policy.AgentChat);
    }

    private static Task<ChannelPolicyEntity?> FindChannelPolicyAsync(DiscordMcpDbContext db, ulong guildId, ulong targetId, CancellationToken cancellationToken)
    {
        var g = Mapping.Snowflake(guildId);
        var t = Mapping.Snowflake(targetId);
        return db.ChannelPolicies.FirstOrDefaultAsync(p => p.GuildId == g && p.TargetId == t, cancellationToken);
    }

    private static async Task<string> InstalledWorkspaceAsync(DiscordMcpDbContext db, ulong guildId, CancellationToken cancellationToken)
    {
        var g = Mapping.Snowflake(guildId);
        return await db.GuildInstallations.Where(x => x.GuildId == g).Select(x => x.WorkspaceId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new PlatformNotFoundException($"Guild {guildId} is not installed in any workspace; install it before setting channel policies.");
    }

    private static PlatformConflictException GuildTaken(string guildId, string owner) =>
        new($"Guild {guildId} is already installed in workspace '{owner}'; a guild belongs to at most one workspace. Uninstall it there first.");

    private static async Task SaveAsync(DiscordMcpDbContext db, string conflictMessage, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new PlatformConflictException(conflictMessage, ex);
        }
    }
}
