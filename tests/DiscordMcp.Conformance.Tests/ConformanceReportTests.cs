using DiscordMcp.Conformance.Tests.Support;

namespace DiscordMcp.Conformance.Tests;

/// <summary>The reader of the suite's output decides pass or fail, so it is tested on its own.</summary>
public sealed class ConformanceReportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("discordmcp-report-");

    public void Dispose() => _dir.Delete(recursive: true);

    private void Write(string scenario, string checksJson)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir.FullName, $"server-{scenario}-2026-03-01T10-20-30-456Z"));
        File.WriteAllText(Path.Combine(folder.FullName, "checks.json"), checksJson);
    }

    [Fact]
    public void Scenario_names_are_read_from_the_folder_names_without_the_timestamp()
    {
        Write("tools-call-with-logging", """[{"id":"a","name":"A","status":"SUCCESS"}]""");
        Write("ping", """[{"id":"p","name":"P","status":"SUCCESS"}]""");
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "unrelated"));

        var scenarios = ConformanceReport.Load(_dir.FullName);

        Assert.Equal(["ping", "tools-call-with-logging"], scenarios.Select(s => s.Name));
        Assert.All(scenarios, s => Assert.True(s.Passed));
    }

    [Theory]
    [InlineData("FAILURE")]
    [InlineData("WARNING")]
    public void A_failure_or_a_warning_fails_the_scenario_and_is_described(string status)
    {
        Write("server-sse-polling", $$"""
            [{"id":"ok","name":"Fine","status":"SUCCESS"},
             {"id":"x","name":"ServerSendsRetryField","status":"{{status}}","errorMessage":"Server did not send retry field."},
             {"id":"i","name":"Info","status":"INFO"}]
            """);

        var scenario = Assert.Single(ConformanceReport.Load(_dir.FullName));

        Assert.False(scenario.Passed);
        var described = ConformanceReport.DescribeFailures([scenario]);
        Assert.Contains("server-sse-polling", described, StringComparison.Ordinal);
        Assert.Contains($"[{status}] ServerSendsRetryField: Server did not send retry field.", described, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_with_only_informational_checks_does_not_pass()
    {
        Write("server-initialize", """[{"id":"i","name":"Info","status":"INFO"}]""");

        var scenario = Assert.Single(ConformanceReport.Load(_dir.FullName));

        Assert.False(scenario.Passed);
        Assert.Contains("no SUCCESS check", ConformanceReport.DescribeFailures([scenario]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_checks_file_is_a_failure()
    {
        Directory.CreateDirectory(Path.Combine(_dir.FullName, "server-ping-2026-03-01T10-20-30-456Z"));

        var scenario = Assert.Single(ConformanceReport.Load(_dir.FullName));

        Assert.False(scenario.Passed);
    }
}
