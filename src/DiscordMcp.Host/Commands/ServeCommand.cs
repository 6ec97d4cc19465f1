using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp serve</c>: Streamable HTTP.</summary>
internal static class ServeCommand
{
    private static readonly OptionSpec Urls = new("--urls", "urls",
        $"Addresses to listen on, semicolon-separated (default DISCORD_MCP_URLS, else {HostSettings.DefaultUrls}). Anything but loopback exposes the server to the network.");

    private static readonly OptionSpec NoAuth = new("--no-auth", null,
        "Local development only: no API key on /mcp (calls run as the default workspace's local operator). Refused on non-loopback addresses.");

    public static CommandSpec Definition { get; } = new(
        "serve",
        "Run the MCP server over Streamable HTTP (MCP at /mcp, /health, /health/ready).",
        """
        Endpoints:
          POST/GET/DELETE /mcp   MCP Streamable HTTP (sessions for 2025-11-25 clients, stateless for 2026-07-28)
          GET /health            liveness: {"status":"ok","name":"discord-mcp","version":"…"}
          GET /health/ready      readiness per dependency (discord, cache); 503 when one is not ready

        /mcp requires Authorization: Bearer <API key> (dmcp_…); without one: 401 with WWW-Authenticate pointing at
        GET /.well-known/oauth-protected-resource/mcp. --sandbox issues an admin key at start and prints it once with
        the client configuration. --no-auth (loopback only) turns authentication off for local development.

        Requests with a Host other than AllowedHosts (default localhost;127.0.0.1;[::1]) get 400, browser requests
        from a foreign Origin get 403, bodies over Server:MaxRequestBodyBytes (default 1 MiB) get 413.
        Needs DISCORD_BOT_TOKEN, or --sandbox.
        """,
        [HostCommand.Sandbox, Urls, NoAuth],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        var settings = HostCommand.Settings(args, context) with { NoAuth = args.Has(NoAuth.Name), Console = context.Error };
        string? urls;
        string source;
        try
        {
            // --urls wins over DISCORD_MCP_URLS (Server:Urls), which wins over the loopback default.
            (urls, source) = args.Value(Urls.Name) is { } given ? (given, "--urls") : (ConfiguredUrls(settings), "DISCORD_MCP_URLS");
        }
        catch (HostConfigurationException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp serve: {ex.Message}");
            return CommandLine.UsageError;
        }
        if (urls is not null)
        {
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (ParseUrl(url) is null)
                {
                    await context.Error.WriteLineAsync($"discord-mcp serve: {source} must be http(s) addresses such as http://127.0.0.1:8000; got '{url}'.");
                    return CommandLine.UsageError;
                }
            }
            settings = settings with { Urls = urls };
        }
        if (await HostCommand.PreflightAsync("serve", settings, context) is { } exit)
            return exit;
        return await HostCommand.RunAsync("serve", async () => await DiscordMcpHttpHost.BuildAsync(settings), context);
    }

    /// <summary><c>DISCORD_MCP_URLS</c> / <c>Server:Urls</c>, or null when not set.</summary>
    internal static string? ConfiguredUrls(HostSettings settings) =>
        HostConfiguration.Load(settings)["Server:Urls"] is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    /// <summary>An http(s) listen address (wildcard hosts <c>*</c> and <c>+</c> read as 0.0.0.0), or null when it is not one.</summary>
    internal static Uri? ParseUrl(string url) =>
        Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
}
