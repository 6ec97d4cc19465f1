using System.Globalization;
using System.Text;
using DiscordMcp.Host.Cli;

namespace DiscordMcp.Host.Admin;

/// <summary>Exit codes of the admin commands (documented in <c>docs/admin.md</c>).</summary>
internal static class AdminExit
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>
    /// The command was well-formed but could not be done: unknown workspace or key, a conflict (guild owned by another
    /// workspace), a policy file with problems, a broken audit chain.
    /// </summary>
    public const int Failed = 1;

    /// <summary>Usage error: unknown option, missing or malformed argument, bad configuration (same as the other commands).</summary>
    public const int Usage = CommandLine.UsageError;
}

/// <summary>One subcommand of an admin group, e.g. <c>keys issue</c>.</summary>
internal sealed record AdminVerb(
    string Name,
    string Summary,
    IReadOnlyList<string> Positionals,
    IReadOnlyList<OptionSpec> Options,
    Func<AdminInvocation, Task<int>> RunAsync,
    string Details = "");

/// <summary>A parsed admin command line: positional values by position, options by name.</summary>
internal sealed class AdminInvocation(CliContext context, string commandPath, IReadOnlyList<string> positionals, IReadOnlyDictionary<string, string?> options)
{
    public CliContext Context => context;

    public string CommandPath => commandPath;

    public IReadOnlyList<string> Positionals => positionals;

    public bool Has(string name) => options.ContainsKey(name);

    public string? Value(string name) => options.GetValueOrDefault(name);

    public bool Json => Has("--json");

    /// <summary>Writes a usage error naming the argument and returns exit code 2.</summary>
    public async Task<int> UsageErrorAsync(string message)
    {
        await context.Error.WriteLineAsync($"discord-mcp {commandPath}: {message} See 'discord-mcp {commandPath} --help'.");
        return AdminExit.Usage;
    }

    /// <summary>Writes a failure (unknown workspace, conflict, …) and returns exit code 1.</summary>
    public async Task<int> FailAsync(string message)
    {
        await context.Error.WriteLineAsync($"discord-mcp {commandPath}: {message}");
        return AdminExit.Failed;
    }
}

/// <summary>Builds a top-level command (<c>workspaces</c>, <c>keys</c>, …) that dispatches to its verbs.</summary>
internal static class AdminGroup
{
    public static readonly OptionSpec JsonOption = new("--json", null, "Print JSON instead of a table.");

    public static CommandSpec Define(string name, string summary, IReadOnlyList<AdminVerb> verbs)
    {
        var spec = new CommandSpec(name, summary, VerbList(name, verbs), [], (_, _) => Task.FromResult(AdminExit.Usage));
        return spec with { RunRawAsync = (args, context) => DispatchAsync(spec, verbs, args, context) };
    }

    private static string VerbList(string group, IReadOnlyList<AdminVerb> verbs)
    {
        var text = new StringBuilder("Subcommands:\n");
        var rows = verbs.Select(v => (Left: Usage(group, v), v.Summary)).ToList();
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, description) in rows)
            text.Append("  ").Append(left.PadRight(width)).Append(description).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"\nHelp for one subcommand: discord-mcp {group} <subcommand> --help\n");
        text.Append("Works directly on the configured database (DATABASE_URL, or the SQLite file in the data directory).\n");
        return text.ToString();
    }

    private static string Usage(string group, AdminVerb verb) =>
        string.Join(' ', new[] { group, verb.Name }.Concat(verb.Positionals.Select(p => p.ToUpperInvariant()))) +
        (verb.Options.Count > 0 ? " [options]" : "");

    public static string VerbHelp(string group, AdminVerb verb)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"discord-mcp {group} {verb.Name} — {verb.Summary}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Usage:\n  discord-mcp {Usage(group, verb)}\n\n");
        if (verb.Details.Length > 0)
            text.Append(verb.Details.TrimEnd()).Append("\n\n");
        text.Append("Options:\n");
        var rows = verb.Options.Select(o => (Left: o.TakesValue ? $"{o.Name} <{o.ValueName}>" : o.Name, o.Description))
            .Append((Left: "-h, --help", Description: "Show this help."))
            .ToList();
        var width = rows.Max(r => r.Left.Length) + 2;
        foreach (var (left, description) in rows)
            text.Append("  ").Append(left.PadRight(width)).Append(description).Append('\n');
        return text.ToString();
    }

    private static async Task<int> DispatchAsync(CommandSpec group, IReadOnlyList<AdminVerb> verbs, IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            await context.Out.WriteAsync(group.Help());
            return args.Count == 0 ? AdminExit.Usage : AdminExit.Ok;
        }
        var verb = verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            await context.Error.WriteLineAsync(
                $"discord-mcp {group.Name}: unknown subcommand '{args[0]}'. Subcommands: {string.Join(", ", verbs.Select(v => v.Name))}. See 'discord-mcp {group.Name} --help'.");
            return AdminExit.Usage;
        }
        var path = $"{group.Name} {verb.Name}";
        var positionals = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                await context.Out.WriteAsync(VerbHelp(group.Name, verb));
                return AdminExit.Ok;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, inline) = eq > 2 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            var option = verb.Options.FirstOrDefault(o => o.Name == name);
            string? error = null;
            if (option is null)
                error = $"unknown option '{name}'.";
            else if (options.ContainsKey(name))
                error = $"option '{name}' is given more than once.";
            else if (!option.TakesValue && inline is not null)
                error = $"option '{name}' is a flag and takes no value (got '{arg}').";
            else if (option.TakesValue && inline is null && (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                error = $"option '{name}' needs a value: {name} <{option.ValueName}>.";
            if (error is not null)
                return await new AdminInvocation(context, path, [], options).UsageErrorAsync(error);
            options[name] = option!.TakesValue ? inline ?? args[++i] : null;
        }
        var invocation = new AdminInvocation(context, path, positionals, options);
        if (positionals.Count < verb.Positionals.Count)
            return await invocation.UsageErrorAsync($"missing argument {verb.Positionals[positionals.Count].ToUpperInvariant()}.");
        if (positionals.Count > verb.Positionals.Count)
            return await invocation.UsageErrorAsync($"unexpected argument '{positionals[verb.Positionals.Count]}'.");
        return await verb.RunAsync(invocation);
    }
}
