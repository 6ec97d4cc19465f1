using DiscordMcp.Storage.Configuration;
using DiscordMcp.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DiscordMcp.Storage;

/// <summary>
/// The platform's database: workspaces, principals, API keys, guild installations, policies, pending actions and
/// the audit log. The model is shared; each provider has its own derived context type so that each keeps its own
/// migration set (<c>Migrations/Sqlite</c>, <c>Migrations/Postgres</c>), the layout EF Core documents for
/// "migrations with multiple providers".
/// </summary>
internal abstract class DiscordMcpDbContext(DbContextOptions options) : DbContext(options)
{
    public const int IdLength = 64;
    public const int SnowflakeLength = 20;
    public const int NameLength = 200;
    public const int HashLength = 64;

    public DbSet<WorkspaceEntity> Workspaces => Set<WorkspaceEntity>();
    public DbSet<PrincipalEntity> Principals => Set<PrincipalEntity>();
    public DbSet<WorkspaceMemberEntity> WorkspaceMembers => Set<WorkspaceMemberEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<GuildInstallationEntity> GuildInstallations => Set<GuildInstallationEntity>();
    public DbSet<ChannelPolicyEntity> ChannelPolicies => Set<ChannelPolicyEntity>();
    public DbSet<ToolPolicyEntity> ToolPolicies => Set<ToolPolicyEntity>();
    public DbSet<PendingActionEntity> PendingActions => Set<PendingActionEntity>();
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();
    public DbSet<AutomationDraftEntity> AutomationDrafts => Set<AutomationDraftEntity>();

    /// <summary>Which provider this context talks to.</summary>
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkspaceEntity>(e =>
        {
            e.ToTable("workspaces");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.Name).HasMaxLength(NameLength);
            e.Property(x => x.RateLimitsJson).HasMaxLength(2000);
        });

        modelBuilder.Entity<PrincipalEntity>(e =>
        {
            e.ToTable("principals");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.DisplayName).HasMaxLength(NameLength);
            e.Property(x => x.DiscordUserId).HasMaxLength(SnowflakeLength);
            e.HasIndex(x => x.DiscordUserId);
        });

        modelBuilder.Entity<WorkspaceMemberEntity>(e =>
        {
            e.ToTable("workspace_members");
            e.HasKey(x => new { x.WorkspaceId, x.PrincipalId });
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.PrincipalId).HasMaxLength(IdLength);
            e.Property(x => x.Role).HasMaxLength(16);
            e.Property(x => x.ToolsetScopes).HasMaxLength(1000);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<PrincipalEntity>().WithMany().HasForeignKey(x => x.PrincipalId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.PrincipalId);
        });

        modelBuilder.Entity<ApiKeyEntity>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.LookupId).HasMaxLength(IdLength);
            e.Property(x => x.SecretHash).HasMaxLength(HashLength);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.PrincipalId).HasMaxLength(IdLength);
            e.Property(x => x.Role).HasMaxLength(16);
            e.Property(x => x.Description).HasMaxLength(NameLength);
            e.Property(x => x.ToolsetScopes).HasMaxLength(1000);
            e.HasIndex(x => x.LookupId).IsUnique();
            e.HasIndex(x => x.WorkspaceId);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<PrincipalEntity>().WithMany().HasForeignKey(x => x.PrincipalId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<GuildInstallationEntity>(e =>
        {
            e.ToTable("guild_installations");
            e.HasKey(x => x.GuildId);
            e.Property(x => x.GuildId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.InstalledBy).HasMaxLength(IdLength);
            e.HasIndex(x => x.WorkspaceId);
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ChannelPolicyEntity>(e =>
        {
            e.ToTable("channel_policies");
            e.HasKey(x => x.Id);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.GuildId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.TargetKind).HasMaxLength(16);
            e.Property(x => x.TargetId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.Read).HasMaxLength(8);
            e.Property(x => x.Write).HasMaxLength(8);
            e.Property(x => x.AgentChat).HasMaxLength(8);
            e.HasIndex(x => new { x.GuildId, x.TargetId }).IsUnique();
            e.HasIndex(x => x.WorkspaceId);
            e.HasOne<GuildInstallationEntity>().WithMany().HasForeignKey(x => x.GuildId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ToolPolicyEntity>(e =>
        {
            e.ToTable("tool_policies");
            e.HasKey(x => x.Id);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.TargetKind).HasMaxLength(16);
            e.Property(x => x.Target).HasMaxLength(100);
            e.Property(x => x.Mode).HasMaxLength(16);
            e.HasIndex(x => new { x.WorkspaceId, x.TargetKind, x.Target }).IsUnique();
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PendingActionEntity>(e =>
        {
            e.ToTable("pending_actions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.PrincipalId).HasMaxLength(IdLength);
            e.Property(x => x.GuildId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.ToolName).HasMaxLength(100);
            e.Property(x => x.ArgumentHash).HasMaxLength(HashLength);
            e.Property(x => x.Mode).HasMaxLength(16);
            e.Property(x => x.ApprovedBy).HasMaxLength(IdLength);
            e.HasIndex(x => x.WorkspaceId);
            e.HasIndex(x => x.ExpiresAt);
        });

        modelBuilder.Entity<AutomationDraftEntity>(e =>
        {
            e.ToTable("automation_drafts");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(IdLength);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.GuildId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.CreatedBy).HasMaxLength(IdLength);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Trigger).HasMaxLength(32);
            e.HasIndex(x => new { x.WorkspaceId, x.GuildId });
            e.HasOne<WorkspaceEntity>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEventEntity>(e =>
        {
            e.ToTable("audit_events");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            e.Property(x => x.EventId).HasMaxLength(IdLength);
            e.Property(x => x.CallId).HasMaxLength(IdLength);
            e.Property(x => x.Outcome).HasMaxLength(32);
            e.Property(x => x.EntryPoint).HasMaxLength(16);
            e.Property(x => x.WorkspaceId).HasMaxLength(IdLength);
            e.Property(x => x.PrincipalId).HasMaxLength(IdLength);
            e.Property(x => x.GuildId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.ChannelId).HasMaxLength(SnowflakeLength);
            e.Property(x => x.Tool).HasMaxLength(100);
            e.Property(x => x.Decision).HasMaxLength(32);
            e.Property(x => x.Layer).HasMaxLength(64);
            e.Property(x => x.ReasonCode).HasMaxLength(64);
            e.Property(x => x.PrevHash).HasMaxLength(HashLength);
            e.Property(x => x.Hash).HasMaxLength(HashLength);
            e.HasIndex(x => x.EventId).IsUnique();
            // Filters of `audit list` (results ordered by sequence), time ranges, and the outcome lookup by call id.
            e.HasIndex(x => new { x.WorkspaceId, x.Sequence });
            e.HasIndex(x => x.Time);
            e.HasIndex(x => new { x.GuildId, x.Sequence });
            e.HasIndex(x => new { x.PrincipalId, x.Sequence });
            e.HasIndex(x => new { x.Tool, x.Sequence });
            e.HasIndex(x => new { x.Decision, x.Sequence });
            e.HasIndex(x => new { x.Outcome, x.Sequence });
            e.HasIndex(x => x.CallId);
        });
    }
}

/// <summary>SQLite flavour. DateTimeOffset is stored as a sortable integer (SQLite cannot compare offset text).</summary>
internal sealed class SqliteDiscordMcpDbContext(DbContextOptions<SqliteDiscordMcpDbContext> options) : DiscordMcpDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>PostgreSQL flavour (timestamptz, UTC only).</summary>
internal sealed class PostgresDiscordMcpDbContext(DbContextOptions<PostgresDiscordMcpDbContext> options) : DiscordMcpDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
