using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DiscordMcp.Storage;

// Used only by `dotnet ef migrations add`; no server is contacted while generating.
// dotnet ef migrations add NAME --project src/DiscordMcp.Storage --context SqliteDiscordMcpDbContext --output-dir Migrations/Sqlite
// dotnet ef migrations add NAME --project src/DiscordMcp.Storage --context PostgresDiscordMcpDbContext --output-dir Migrations/Postgres

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDiscordMcpDbContext>
{
    public SqliteDiscordMcpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDiscordMcpDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDiscordMcpDbContext>
{
    public PostgresDiscordMcpDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDiscordMcpDbContext>().UseNpgsql("Host=127.0.0.1;Database=design").Options);
}
