using System.Globalization;
using DiscordMcp.Sandbox;

// discord-mcp: the composition root. Subcommands are added as the product grows (serve, stdio, tools).
return args.FirstOrDefault() switch
{
    "sandbox" => await SandboxCommand.RunAsync(args[1..]),
    null or "-h" or "--help" or "help" => Usage(0),
    _ => Usage(2),
};

static int Usage(int exitCode)
{
    var text = """
        discord-mcp — operate Discord servers from AI clients, safely.

        Usage:
          discord-mcp sandbox [--port N]   Run the local Discord emulator (no token, no network) and print its URLs.
          discord-mcp --help               This text.
        """;
    (exitCode == 0 ? Console.Out : Console.Error).WriteLine(text);
    return exitCode;
}

internal static class SandboxCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--port" && i + 1 < args.Length
                && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535)
            {
                options.Port = port;
                i++;
            }
            else
            {
                await Console.Error.WriteLineAsync($"discord-mcp sandbox: unknown or invalid argument '{args[i]}'. Use --port N with N from 0 to 65535 (0 picks a free port).");
                return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        await using var sandbox = await SandboxHost.StartAsync(options, cancellationToken: stop.Token);
        Console.WriteLine($"""
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
