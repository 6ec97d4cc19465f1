using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiscordMcp.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditEntryPoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EntryPoint",
                table: "audit_events",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EntryPoint",
                table: "audit_events");
        }
    }
}
