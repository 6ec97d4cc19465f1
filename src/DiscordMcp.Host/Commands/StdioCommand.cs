using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Hosting;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp stdio</c>: MCP over stdin/stdout, for clients that start the server themselves.</summary>
internal static class StdioCommand
{
    public static CommandSpec Definition { get; } = new(
        "stdio",
        "Run the MCP server over stdin/stdout (Claude Desktop, VS Code, Cursor start it like this).",
        """
        stdout carries only MCP (JSON-RPC); logs go to stderr. The server exits when stdin closes or on SIGTERM.
        Needs DISCORD_BOT_TOKEN, or --sandbox.
        """,
        [HostCommand.Sandbox],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        var settings = HostCommand.Settings(args, context);
        if (await HostCommand.PreflightAsync("stdio", settings, context) is { } exit)
            return exit;
        return await HostCommand.RunAsync("stdio", () => DiscordMcpStdioHost.BuildAsync(settings), context);
    }
}
