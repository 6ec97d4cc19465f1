using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiscordMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    EventId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CallId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    GuildId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Arguments = table.Column<string>(type: "TEXT", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Layer = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    LatencyMicroseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PrevHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "pending_actions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GuildId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ToolName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CanonicalArguments = table.Column<string>(type: "TEXT", nullable: false),
                    ArgumentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_actions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "principals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DiscordUserId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_principals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "workspaces",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RateLimitsJson = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspaces", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LookupId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ToolsetScopes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_api_keys_principals_PrincipalId",
                        column: x => x.PrincipalId,
                        principalTable: "principals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_api_keys_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "guild_installations",
                columns: table => new
                {
                    GuildId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstalledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InstalledBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_guild_installations", x => x.GuildId);
                    table.ForeignKey(
                        name: "FK_guild_installations_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tool_policies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tool_policies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tool_policies_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "workspace_members",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ToolsetScopes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workspace_members", x => new { x.WorkspaceId, x.PrincipalId });
                    table.ForeignKey(
                        name: "FK_workspace_members_principals_PrincipalId",
                        column: x => x.PrincipalId,
                        principalTable: "principals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_workspace_members_workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "channel_policies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GuildId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TargetKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TargetId = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Read = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Write = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    AgentChat = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_channel_policies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_channel_policies_guild_installations_GuildId",
                        column: x => x.GuildId,
                        principalTable: "guild_installations",
                        principalColumn: "GuildId",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_LookupId",
                table: "api_keys",
                column: "LookupId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_PrincipalId",
                table: "api_keys",
                column: "PrincipalId");

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_WorkspaceId",
                table: "api_keys",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_CallId",
                table: "audit_events",
                column: "CallId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Decision_Sequence",
                table: "audit_events",
                columns: new[] { "Decision", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_EventId",
                table: "audit_events",
                column: "EventId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_GuildId_Sequence",
                table: "audit_events",
                columns: new[] { "GuildId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Outcome_Sequence",
                table: "audit_events",
                columns: new[] { "Outcome", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_PrincipalId_Sequence",
                table: "audit_events",
                columns: new[] { "PrincipalId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Time",
                table: "audit_events",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Tool_Sequence",
                table: "audit_events",
                columns: new[] { "Tool", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_WorkspaceId_Sequence",
                table: "audit_events",
                columns: new[] { "WorkspaceId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_channel_policies_GuildId_TargetId",
                table: "channel_policies",
                columns: new[] { "GuildId", "TargetId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_channel_policies_WorkspaceId",
                table: "channel_policies",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_guild_installations_WorkspaceId",
                table: "guild_installations",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_pending_actions_ExpiresAt",
                table: "pending_actions",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_pending_actions_WorkspaceId",
                table: "pending_actions",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_principals_DiscordUserId",
                table: "principals",
                column: "DiscordUserId");

            migrationBuilder.CreateIndex(
                name: "IX_tool_policies_WorkspaceId_TargetKind_Target",
                table: "tool_policies",
                columns: new[] { "WorkspaceId", "TargetKind", "Target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_workspace_members_PrincipalId",
                table: "workspace_members",
                column: "PrincipalId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "channel_policies");

            migrationBuilder.DropTable(
                name: "pending_actions");

            migrationBuilder.DropTable(
                name: "tool_policies");

            migrationBuilder.DropTable(
                name: "workspace_members");

            migrationBuilder.DropTable(
                name: "guild_installations");

            migrationBuilder.DropTable(
                name: "principals");

            migrationBuilder.DropTable(
                name: "workspaces");
        }
    }
}
