using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands;
using DiscordMcp.Host.Commands.Admin;
using DiscordMcp.Host.Configuration;

// discord-mcp: the composition root. Commands live in Commands/, composition in Hosting/ (Add… extensions),
// configuration and its validation in Configuration/.
CommandSpec[] commands =
[
    ServeCommand.Definition,    // Streamable HTTP at /mcp, /health, /health/ready
    StdioCommand.Definition,    // MCP over stdin/stdout
    ToolsCommand.Definition,    // the tool catalog
    SandboxCommand.Definition,  // the local Discord emulator
    HealthcheckCommand.Definition, // GET /health of a running server (container health checks)
    DoctorCommand.Definition,   // checks token, guilds, intents, permissions, database, Redis, clock
    InviteUrlCommand.Definition, // the bot invite URL with the permissions the enabled toolsets need
    WorkspacesCommand.Definition, // admin CLI (docs/admin.md): works directly on the configured database
    KeysCommand.Definition,
    GuildsCommand.Definition,
    PoliciesCommand.Definition,
    AuditCommand.Definition,
    ApprovalsCommand.Definition,
    WebhooksCommand.Definition,
];

return await CommandLine.RunAsync(args, commands, CliContext.FromProcess(), DefaultCommand.FromTransport);
