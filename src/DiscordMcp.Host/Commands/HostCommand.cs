using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Commands;

/// <summary>What <c>serve</c> and <c>stdio</c> share: the pre-flight checks and the start/run/failure handling.</summary>
internal static class HostCommand
{
    public static readonly OptionSpec Sandbox = new("--sandbox", null,
        "Start the built-in Discord emulator (demo server, no token, no network) and use it instead of Discord.");

    /// <summary>Checks what can be checked without a host; prints the problem and returns an exit code, or null to go on.</summary>
    public static async Task<int?> PreflightAsync(string command, HostSettings settings, CliContext context)
    {
        try
        {
            var configuration = HostConfiguration.Load(settings);
            if (!settings.Sandbox && string.IsNullOrWhiteSpace(configuration["Discord:Token"]))
            {
                await context.Error.WriteLineAsync($"discord-mcp {command}: {Messages.MissingToken}");
                return CommandLine.UsageError;
            }
            return null;
        }
        catch (HostConfigurationException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp {command}: {ex.Message}");
            return CommandLine.UsageError;
        }
    }

    /// <summary>Runs a built host until it stops; invalid options become a list of what to fix and exit code 2.</summary>
    public static async Task<int> RunAsync(string command, Func<Task<IHost>> build, CliContext context)
    {
        try
        {
            using var host = await build();
            // Validate before starting, so a bad setting is reported as a list rather than a "Hosting failed" stack trace.
            host.Services.GetService<IStartupValidator>()?.Validate();
            var platform = host.Services.GetService<PlatformStartup>(); // before RunAsync, which disposes the host
            if (platform is not null)
                await platform.PrepareBeforeStartAsync(CancellationToken.None);
            await host.RunAsync();
            if (platform?.Failure is { } failure)
            {
                // stdio prepares storage in the background; its failure stopped the host.
                await context.Error.WriteLineAsync($"discord-mcp {command}: cannot start: {failure.Message}");
                return 1;
            }
            return 0;
        }
        catch (PlatformStartupException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp {command}: cannot start: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ValidationFailures(ex) is { } failures)
        {
            await context.Error.WriteLineAsync($"discord-mcp {command}: the configuration is not valid:");
            foreach (var failure in failures)
                await context.Error.WriteLineAsync($"  - {failure}");
            return CommandLine.UsageError;
        }
        catch (HostConfigurationException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp {command}: {ex.Message}");
            return CommandLine.UsageError;
        }
        catch (IOException ex)
        {
            // Typically "address already in use" from Kestrel.
            await context.Error.WriteLineAsync($"discord-mcp {command}: cannot start: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Every option validation message in <paramref name="exception"/> (one failed options class, or several in an
    /// <see cref="AggregateException"/>), or null when it is not a validation failure.</summary>
    public static IReadOnlyList<string>? ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => null,
    };

    public static HostSettings Settings(ParsedArguments args, CliContext context) => new()
    {
        Sandbox = args.Has(Sandbox.Name),
        Environment = DotEnvFile.WithProcessEnvironment(context.Environment, Directory.GetCurrentDirectory()),
    };
}
