using System.Globalization;
using System.Text;

namespace DiscordMcp.Host.Cli;

/// <summary>One option of a command: a flag (<paramref name="ValueName"/> null) or an option taking a value.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Description)
{
    public bool TakesValue => ValueName is not null;
}

/// <summary>Where a command writes and what environment it sees; tests substitute all three.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment)
{
    public static CliContext FromProcess() => new(Console.Out, Console.Error, ProcessEnvironment());

    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            result[(string)entry.Key] = entry.Value as string;
        return result;
    }
}

/// <summary>A subcommand: its name, help text, options and what it runs.</summary>
internal sealed record CommandSpec(
    string Name,
    string Summary,
    string Details,
    IReadOnlyList<OptionSpec> Options,
    Func<ParsedArguments, CliContext, Task<int>> RunAsync)
{
    /// <summary>
    /// When set, the command parses its own arguments (subcommands and positional values, e.g. <c>keys issue</c>):
    /// it receives everything after the command name, <c>--help</c> included.
    /// </summary>
    public Func<IReadOnlyList<string>, CliContext, Task<int>>? RunRawAsync { get; init; }

    public string Help()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"discord-mcp {Name} — {Summary}\n\n");
        var usage = RunRawAsync is not null ? " <subcommand> [arguments] [options]" : Options.Count > 0 ? " [options]" : "";
        text.Append(CultureInfo.InvariantCulture, $"Usage:\n  discord-mcp {Name}{usage}\n\n");
        if (Details.Length > 0)
            text.Append(Details.TrimEnd()).Append("\n\n");
        text.Append("Options:\n");
        var rows = Options.Select(o => (Left: o.TakesValue ? $"{o.Name} <{o.ValueName}>" : o.Name, o.Description))
            .Append((Left: "-h, --help", Description: "Show this help."))
            .ToList();
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, description) in rows)
            text.Append("  ").Append(left.PadRight(width)).Append(description).Append('\n');
        return text.ToString();
    }
}

/// <summary>The options a command line gave, by name (<c>--urls</c>), after parsing.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public bool HelpRequested { get; private set; }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.GetValueOrDefault(name);

    /// <summary>
    /// Parses <paramref name="args"/> against the command's options. <c>--name value</c> and <c>--name=value</c> are
    /// accepted; anything else is an error that names the offending argument.
    /// </summary>
    public static ParsedArguments Parse(CommandSpec command, IReadOnlyList<string> args, out string? error)
    {
        var parsed = new ParsedArguments();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                parsed.HelpRequested = true;
                continue;
            }
            var (name, inlineValue) = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2
                ? (arg[..eq], arg[(eq + 1)..])
                : (arg, null);
            var option = command.Options.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                error = arg.StartsWith('-')
                    ? $"unknown option '{name}'."
                    : $"unexpected argument '{arg}'.";
                return parsed;
            }
            if (parsed._values.ContainsKey(option.Name))
            {
                error = $"option '{option.Name}' is given more than once.";
                return parsed;
            }
            if (!option.TakesValue)
            {
                if (inlineValue is not null)
                {
                    error = $"option '{option.Name}' is a flag and takes no value (got '{arg}').";
                    return parsed;
                }
                parsed._values[option.Name] = null;
                continue;
            }
            var value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"option '{option.Name}' needs a value: {option.Name} <{option.ValueName}>.";
                    return parsed;
                }
                value = args[++i];
            }
            parsed._values[option.Name] = value;
        }
        return parsed;
    }
}

/// <summary>Dispatches <c>discord-mcp &lt;command&gt; [options]</c> to the commands and prints help and usage errors.</summary>
internal static class CommandLine
{
    /// <summary>Exit code for a usage or configuration error (bad argument, missing token, invalid settings).</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IReadOnlyList<CommandSpec> commands, CliContext context,
        Func<CliContext, string?> defaultCommand)
    {
        var first = args.Count > 0 ? args[0] : null;
        if (first is "-h" or "--help" or "help")
        {
            if (first == "help" && args.Count > 1 && commands.FirstOrDefault(c => c.Name == args[1]) is { } topic)
            {
                await context.Out.WriteAsync(topic.Help());
                return 0;
            }
            await context.Out.WriteAsync(Overview(commands));
            return 0;
        }
        if (first is "--version")
        {
            await context.Out.WriteLineAsync(HostVersion.Current);
            return 0;
        }

        var rest = args.Skip(1).ToList();
        if (first is null || first.StartsWith('-'))
        {
            // No subcommand: MCP_TRANSPORT decides (so an MCP client config can say just `discord-mcp`).
            var name = defaultCommand(context);
            if (name is null)
            {
                if (first is null)
                {
                    await context.Out.WriteAsync(Overview(commands));
                    return 0;
                }
                await context.Error.WriteLineAsync(
                    $"discord-mcp: '{first}' is not a command. Name one (serve, stdio, tools, sandbox) or set MCP_TRANSPORT=stdio|http. See 'discord-mcp --help'.");
                return UsageError;
            }
            first = name;
            rest = [.. args];
        }

        var command = commands.FirstOrDefault(c => c.Name == first);
        if (command is null)
        {
            await context.Error.WriteLineAsync($"discord-mcp: unknown command '{first}'. Commands: {string.Join(", ", commands.Select(c => c.Name))}. See 'discord-mcp --help'.");
            return UsageError;
        }

        if (command.RunRawAsync is { } runRaw)
            return await runRaw(rest, context);

        var parsed = ParsedArguments.Parse(command, rest, out var error);
        if (error is not null)
        {
            await context.Error.WriteLineAsync($"discord-mcp {command.Name}: {error} See 'discord-mcp {command.Name} --help'.");
            return UsageError;
        }
        if (parsed.HelpRequested)
        {
            await context.Out.WriteAsync(command.Help());
            return 0;
        }
        return await command.RunAsync(parsed, context);
    }

    public static string Overview(IReadOnlyList<CommandSpec> commands)
    {
        var text = new StringBuilder("""
            discord-mcp — operate Discord servers from AI clients, through a bot, safely.

            Usage:
              discord-mcp <command> [options]

            Commands:

            """);
        var width = commands.Max(c => c.Name.Length) + 2;
        foreach (var command in commands)
            text.Append("  ").Append(command.Name.PadRight(width)).Append(command.Summary).Append('\n');
        text.Append("""

            Without a command, MCP_TRANSPORT (stdio or http) picks stdio or serve.
            Try it without a bot token:  discord-mcp serve --sandbox
            Help for one command:        discord-mcp <command> --help

            """);
        return text.ToString();
    }
}
