using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Doctor;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp doctor</c>: checks the configuration against Discord, the database and Redis, and says how to fix each problem.</summary>
internal static class DoctorCommand
{
    /// <summary>Exit code when a check failed (something blocks use).</summary>
    public const int Blocked = 1;

    private static readonly OptionSpec Json = new("--json", null, "Print the checks as JSON (status, check, message, fix).");
    private static readonly OptionSpec Strict = new("--strict", null, "Exit with 1 on warnings too (for CI and deployment gates).");

    public static CommandSpec Definition { get; } = Create(TimeProvider.System);

    /// <summary>The command with the clock it compares Discord's with (tests pass a fake one).</summary>
    public static CommandSpec Create(TimeProvider time) => new(
        "doctor",
        "Check the bot token, guilds, intents, permissions, database, Redis and clock; print the fix for each problem.",
        """
        Reads the same configuration as serve (environment variables, .env) and changes nothing: no migration is
        applied, nothing is installed. One line per check: OK, WARN (worth fixing; the rest works) or FAIL (blocks use).

        Checks: the toolsets enabled (TOOLSETS, READ_ONLY); the database answers and its migrations are applied; Redis
        answers (when REDIS_URL is set); Discord accepts the bot token (never printed); the local clock is within 5 s of
        Discord's; the privileged intents the agent needs; the guilds the bot is in versus the installed ones; for each
        installed guild, the permissions each enabled toolset (and the gateway/agent) needs that the bot lacks,
        guild-wide and in channels where an overwrite denies them.

        Exit codes: 0 no FAIL (warnings possible), 1 a FAIL (or a WARN with --strict), 2 usage error.
        """,
        [Json, Strict],
        (args, context) => RunAsync(args, context, time));

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context, TimeProvider time)
    {
        IConfiguration configuration;
        try
        {
            configuration = HostConfiguration.Load(new HostSettings
            {
                Environment = DotEnvFile.WithProcessEnvironment(context.Environment, Directory.GetCurrentDirectory()),
            });
        }
        catch (HostConfigurationException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp doctor: {ex.Message}");
            return CommandLine.UsageError;
        }
        var report = new DoctorReport(new Redactor([configuration["Discord:Token"]]));
        await new Doctor.Doctor(configuration, time, report).RunAsync(CancellationToken.None);
        await context.Out.WriteAsync(args.Has(Json.Name) ? report.RenderJson() : report.RenderText());
        return report.Failed || (args.Has(Strict.Name) && report.Warned) ? Blocked : 0;
    }
}
