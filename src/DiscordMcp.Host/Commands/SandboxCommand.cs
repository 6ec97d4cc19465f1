using System.Globalization;
using DiscordMcp.Host.Cli;
using DiscordMcp.Sandbox;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp sandbox</c>: the standalone Discord emulator, for trying the client or other tools against it.</summary>
internal static class SandboxCommand
{
    private static readonly OptionSpec Port = new("--port", "N", "TCP port on 127.0.0.1 (default 0: a free port).");

    public static CommandSpec Definition { get; } = new(
        "sandbox",
        "Run the local Discord emulator (no token, no network) and print its URLs.",
        "Serves Discord's REST API v10, a gateway and a control API on 127.0.0.1 with the seeded \"DiscordMCP Demo\" server. Stop with Ctrl+C.",
        [Port],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        var options = new SandboxOptions();
        if (args.Value(Port.Name) is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
            {
                await context.Error.WriteLineAsync($"discord-mcp sandbox: --port must be a number from 0 to 65535 (0 picks a free port); got '{text}'.");
                return CommandLine.UsageError;
            }
            options.Port = port;
        }

        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM end the wait below; the sandbox is then disposed and the process exits 0.
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        void Stop(System.Runtime.InteropServices.PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        await using var sandbox = await SandboxHost.StartAsync(options, cancellationToken: stop.Token);
        await context.Out.WriteLineAsync($"""
            DiscordMCP sandbox is running (a local Discord; nothing leaves this machine).
              REST base URL:   {sandbox.ApiBaseUrl}
              Gateway URL:     {sandbox.GatewayUrl}
              Control API:     {sandbox.ControlBaseUrl}
              Bot token:       {sandbox.BotToken}
            Press Ctrl+C to stop.
            """);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: fall through to dispose.
        }
        return 0;
    }
}
