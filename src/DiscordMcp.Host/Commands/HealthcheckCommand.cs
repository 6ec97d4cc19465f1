using System.Net;
using System.Text.Json;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;

namespace DiscordMcp.Host.Commands;

/// <summary>
/// <c>discord-mcp healthcheck</c>: GET <c>/health</c> of a running <c>serve</c> and exit 0 when it answers ok, 1 otherwise.
/// For container health checks: the runtime image has no curl, and this reads the same <c>DISCORD_MCP_URLS</c> the server does.
/// </summary>
internal static class HealthcheckCommand
{
    public const int Unhealthy = 1;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly OptionSpec Url = new("--url", "url",
        "The liveness URL to call (default: /health on the first address of DISCORD_MCP_URLS, else http://127.0.0.1:8000; a wildcard host is called on loopback).");

    public static CommandSpec Definition { get; } = new(
        "healthcheck",
        "Call /health of a running server; exit 0 when it answers ok, 1 when not (for container health checks).",
        """
        Waits at most 5 seconds. The request goes to loopback with that Host header, so AllowedHosts must keep 127.0.0.1
        (or localhost) when the server runs behind a proxy under another name. Exit codes: 0 healthy; 1 unreachable, not
        ok or too slow; 2 bad argument.
        """,
        [Url],
        RunAsync);

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        Uri target;
        if (args.Value(Url.Name) is { } given)
        {
            if (!Uri.TryCreate(given, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                await context.Error.WriteLineAsync($"discord-mcp healthcheck: --url must be an http(s) URL such as http://127.0.0.1:8000/health; got '{given}'.");
                return CommandLine.UsageError;
            }
            target = uri;
        }
        else
        {
            string urls;
            try
            {
                var settings = new HostSettings { Environment = DotEnvFile.WithProcessEnvironment(context.Environment, Directory.GetCurrentDirectory()) };
                urls = ServeCommand.ConfiguredUrls(settings) ?? HostSettings.DefaultUrls;
            }
            catch (HostConfigurationException ex)
            {
                await context.Error.WriteLineAsync($"discord-mcp healthcheck: {ex.Message}");
                return CommandLine.UsageError;
            }
            var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            if (ServeCommand.ParseUrl(first) is not { } listen)
            {
                await context.Error.WriteLineAsync($"discord-mcp healthcheck: DISCORD_MCP_URLS must be http(s) addresses such as http://0.0.0.0:8000; got '{first}'.");
                return CommandLine.UsageError;
            }
            target = LivenessUrl(listen);
        }

        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(target);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && StatusOf(body) == "ok")
            {
                await context.Out.WriteLineAsync($"healthy: {target} answered ok");
                return 0;
            }
            var hint = response.StatusCode == HttpStatusCode.BadRequest
                ? $" (the server refused the Host '{target.Authority}': keep {target.Host} in AllowedHosts)"
                : "";
            await context.Error.WriteLineAsync($"discord-mcp healthcheck: {target} answered {(int)response.StatusCode}{hint}.");
            return Unhealthy;
        }
        catch (HttpRequestException ex)
        {
            await context.Error.WriteLineAsync($"discord-mcp healthcheck: cannot reach {target}: {ex.Message}");
            return Unhealthy;
        }
        catch (TaskCanceledException)
        {
            await context.Error.WriteLineAsync($"discord-mcp healthcheck: {target} did not answer within {Timeout.TotalSeconds:0} seconds.");
            return Unhealthy;
        }
    }

    /// <summary><c>/health</c> on a listen address; a wildcard host (0.0.0.0, [::]) is called on the matching loopback address.</summary>
    internal static Uri LivenessUrl(Uri listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var host = listen.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var other => other,
        };
        return new UriBuilder(listen) { Host = host, Path = "/health", Query = "" }.Uri;
    }

    private static string? StatusOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
