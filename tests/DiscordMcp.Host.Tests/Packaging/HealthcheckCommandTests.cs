using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands;
using DiscordMcp.Host.Hosting;

namespace DiscordMcp.Host.Tests.Packaging;

public sealed class HealthcheckCommandTests
{
    private static async Task<(int Exit, string Out, string Error)> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, [HealthcheckCommand.Definition, ServeCommand.Definition], new CliContext(output, error, environment), _ => null);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("http://0.0.0.0:8000", "http://127.0.0.1:8000/health")]
    [InlineData("http://[::]:9000", "http://[::1]:9000/health")]
    [InlineData("http://localhost:5000/", "http://localhost:5000/health")]
    [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443/health")]
    public void Liveness_url_calls_a_wildcard_address_on_loopback(string listen, string expected) =>
        Assert.Equal(new Uri(expected), HealthcheckCommand.LivenessUrl(ServeCommand.ParseUrl(listen)!));

    [Fact]
    public async Task A_url_that_is_not_http_is_a_usage_error_naming_the_option()
    {
        var (exit, _, error) = await RunAsync([], "healthcheck", "--url", "ftp://127.0.0.1/health");

        Assert.Equal(CommandLine.UsageError, exit);
        Assert.Contains("--url must be an http(s) URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_configured_address_is_a_usage_error_naming_the_variable_for_healthcheck_and_serve()
    {
        var environment = new Dictionary<string, string?> { ["DISCORD_MCP_URLS"] = "not a url" };

        var check = await RunAsync(environment, "healthcheck");
        var serve = await RunAsync(environment, "serve", "--sandbox");

        Assert.Equal(CommandLine.UsageError, check.Exit);
        Assert.Contains("DISCORD_MCP_URLS must be http(s) addresses", check.Error, StringComparison.Ordinal);
        Assert.Equal(CommandLine.UsageError, serve.Exit);
        Assert.Contains("DISCORD_MCP_URLS must be http(s) addresses", serve.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_is_unhealthy_with_exit_1_and_says_where_it_called()
    {
        var port = DotnetCli.FreePort();

        var (exit, _, error) = await RunAsync(new() { ["DISCORD_MCP_URLS"] = $"http://0.0.0.0:{port}" }, "healthcheck");

        Assert.Equal(HealthcheckCommand.Unhealthy, exit);
        Assert.Contains($"http://127.0.0.1:{port}/health", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_the_loopback_host_is_unhealthy_and_the_check_says_why()
    {
        // The healthy case runs against the published build in DeploymentTests.
        await using var named = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: false,
            overrides: new Dictionary<string, string?>(TestHosts.UnreachableDiscord()) { ["AllowedHosts"] = "mcp.example.com" }));
        await named.StartAsync();

        var refused = await RunAsync([], "healthcheck", "--url", new Uri(new Uri(named.Urls.Single()), "health").ToString());

        Assert.Equal(HealthcheckCommand.Unhealthy, refused.Exit);
        Assert.Contains("answered 400", refused.Error, StringComparison.Ordinal);
        Assert.Contains("keep 127.0.0.1 in AllowedHosts", refused.Error, StringComparison.Ordinal);
    }
}
