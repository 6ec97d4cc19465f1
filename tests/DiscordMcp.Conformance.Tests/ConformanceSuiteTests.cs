using DiscordMcp.Conformance.Tests.Support;
using ModelContextProtocol.Client;
using Xunit.Abstractions;

namespace DiscordMcp.Conformance.Tests;

/// <summary>
/// The official MCP conformance suite (<c>@modelcontextprotocol/conformance</c> 0.1.16, pinned in tools/node, run by
/// Node 22) against the real HTTP host with the sandbox and the fixtures of this test composition.
/// </summary>
public sealed class ConformanceSuiteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>Every server scenario of <c>--suite all</c> in 0.1.16 (30 active + 2 pending).</summary>
    public static readonly string[] AllScenarios =
    [
        "server-initialize", "logging-set-level", "ping", "completion-complete", "tools-list",
        "tools-call-simple-text", "tools-call-image", "tools-call-audio", "tools-call-embedded-resource",
        "tools-call-mixed-content", "tools-call-with-logging", "tools-call-error", "tools-call-with-progress",
        "tools-call-sampling", "tools-call-elicitation", "json-schema-2020-12", "elicitation-sep1034-defaults",
        "elicitation-sep1330-enums", "server-sse-polling", "server-sse-multiple-streams", "resources-list",
        "resources-read-text", "resources-read-binary", "resources-templates-read", "resources-subscribe",
        "resources-unsubscribe", "prompts-list", "prompts-get-simple", "prompts-get-with-args",
        "prompts-get-embedded-resource", "prompts-get-with-image", "dns-rebinding-protection",
    ];

    [Fact]
    public async Task Every_server_scenario_of_the_official_suite_passes_against_the_real_host()
    {
        await using var host = await McpHosts.StartWithConformanceFixturesAsync();
        var results = Directory.CreateTempSubdirectory("discordmcp-conformance-");
        try
        {
            var run = await NodeTools.RunAsync(
                [NodeTools.ConformanceCli, "server", "--url", host.McpUrl.AbsoluteUri, "--suite", "all", "-o", results.FullName], Limit);
            var scenarios = ConformanceReport.Load(results.FullName);
            var clean = scenarios.Count(s => s.Passed);
            var accepted = scenarios.Count(s => s.Passed || IsKnownProtocolVersionPinning(s));
            output.WriteLine($"conformance 0.1.16 against {host.McpUrl}: {accepted}/{scenarios.Count} scenarios passed " +
                $"({clean} without any warning), {scenarios.Sum(s => s.Successes)} checks succeeded, " +
                $"{scenarios.Sum(s => s.Checks.Count(c => c.Status == "FAILURE"))} failed, {run.Elapsed.TotalSeconds:0.0} s");

            Assert.False(run.TimedOut, run.Describe());
            Assert.Equal(AllScenarios.Order(StringComparer.Ordinal), scenarios.Select(s => s.Name).Order(StringComparer.Ordinal));
            Assert.True(accepted == scenarios.Count,
                "Failing conformance scenarios:\n" + ConformanceReport.DescribeFailures(scenarios.Where(s => !IsKnownProtocolVersionPinning(s))) + "\n\n" + run.Describe());
            Assert.True(run.ExitCode == 0, run.Describe());
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("DISCORDMCP_KEEP_CONFORMANCE") is null)
                results.Delete(recursive: true);
            else
                output.WriteLine("conformance results kept in " + results.FullName);
        }
    }

    /// <summary>
    /// <c>server-sse-polling</c> of 0.1.16 sends its raw <c>test_reconnection</c> call with <c>MCP-Protocol-Version:
    /// 2025-03-26</c> inside a session that negotiated 2025-11-25; the C# SDK refuses a version change within a session
    /// (-32600), so the tool never runs and the scenario reports two WARNINGs (no retry field, no resumed result) — the
    /// suite's summary still counts it as passed. Tolerated only with that exact evidence; <see cref="ReconnectionTests"/>
    /// drives the same polling flow with the negotiated version and asserts it works.
    /// </summary>
    private static bool IsKnownProtocolVersionPinning(ConformanceScenario scenario) =>
        scenario.Name == "server-sse-polling"
        && scenario.Checks.Any(c => c.Details?.Contains("negotiated protocol version cannot change", StringComparison.Ordinal) == true)
        && scenario.Problems.All(p => p is { Status: "WARNING", Name: "ServerSendsRetryField" or "ServerDisconnectResume" });

    [Fact]
    public async Task The_product_host_does_not_offer_the_conformance_fixtures()
    {
        await using var host = await McpHosts.StartProductAsync();
        await using var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = host.McpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + host.ApiKey },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });

        var tools = await client.ListToolsAsync();

        Assert.DoesNotContain(tools, t => t.Name.StartsWith("test_", StringComparison.Ordinal) || t.Name == "json_schema_2020_12_tool");
        Assert.All(tools, t => Assert.True(t.Name.StartsWith("discord_", StringComparison.Ordinal) || t.Name.StartsWith("platform_", StringComparison.Ordinal), t.Name));
    }
}
