using System.Diagnostics;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;

namespace DiscordMcp.Host.Tests;

/// <summary>The suite-wide secret scan (<c>scripts/secret-scan.py</c>) finds planted secrets, so its green means something.</summary>
public sealed class SecretScanTests : IDisposable
{
    private const string IssuedToken = "aB3_dEf-GhIjKlMnOpQrStUvWxYz0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("secret-scan-test-");

    private string ScanDir => Path.Combine(_work.FullName, "scan");

    private string TokensFile => Path.Combine(_work.FullName, "issued-tokens.txt");

    public SecretScanTests()
    {
        Directory.CreateDirectory(ScanDir);
        File.WriteAllText(TokensFile, IssuedToken + "\n");
        File.WriteAllText(Path.Combine(ScanDir, "capture-clean.log"), "[Host.Tests log] Information DiscordMcp.Mcp.ToolCalls: Tool discord_list_guilds finished: ok\n");
    }

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<(int ExitCode, string Output)> ScanAsync()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "scripts", "secret-scan.py"));
        start.ArgumentList.Add(ScanDir);
        start.ArgumentList.Add(TokensFile);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_clean_capture_passes()
    {
        var (exitCode, output) = await ScanAsync();
        Assert.True(exitCode == 0, output);
        Assert.Contains("none found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_bot_token_in_a_log_capture_fails_the_scan_naming_the_file_and_line()
    {
        File.WriteAllText(Path.Combine(ScanDir, "capture-leaky.log"), $"line one\n[Host.Tests log] Debug X: sent Bot {SandboxOptions.DefaultBotToken} upstream\n");

        var (exitCode, output) = await ScanAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("the sandbox bot token appears 1x in capture-leaky.log (first at line 2)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxOptions.DefaultBotToken, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_bot_token_in_a_log_line_and_an_audit_row_recorded_by_the_shared_helper_fails_the_scan()
    {
        // The same sink, logger provider and JSON recording the Mcp, Policy, Storage, Client and Integration tests use,
        // pointed at this test's own folder (never the real capture folder).
        var sink = new SecretScanSink(ScanDir);
        new SecretScanLoggerProvider("Mcp.Tests", sink).CreateLogger("DiscordRestTransport")
            .Log(Microsoft.Extensions.Logging.LogLevel.Debug, default, "sent Bot " + SandboxOptions.DefaultBotToken, null, (s, _) => s);
        sink.RecordJson("Policy.Tests audit", new { Tool = "discord_send_webhook", ArgumentsJson = "{\"url\":\"https://x/" + IssuedToken + "\"}" });

        var (exitCode, output) = await ScanAsync();

        Assert.Equal(1, exitCode);
        var capture = Path.GetFileName(Assert.Single(Directory.GetFiles(ScanDir, "capture-*-*.log")));
        Assert.Contains($"the sandbox bot token appears 1x in {capture} (first at line 1)", output, StringComparison.Ordinal);
        Assert.Contains($"sandbox-issued token #1 (line 1 of the sorted tokens file) appears 1x in {capture} (first at line 2)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxOptions.DefaultBotToken, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issued_token_in_an_audit_row_recorded_before_the_database_is_dropped_fails_the_scan()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE audit_events (id INTEGER, arguments_json TEXT); INSERT INTO audit_events VALUES (1, '{\"token\":\"" + IssuedToken + "\"}');";
            await command.ExecuteNonQueryAsync();
        }

        // No pending_actions table here: the helper records the audit row and skips the missing table.
        await SecretScan.RecordDatabaseRowsAsync(connection, "Storage.Tests sqlite", new SecretScanSink(ScanDir));

        var (exitCode, output) = await ScanAsync();
        Assert.Equal(1, exitCode);
        Assert.Contains("sandbox-issued token #1 (line 1 of the sorted tokens file) appears 1x in capture-", output, StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedToken, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issued_webhook_token_inside_a_binary_database_file_fails_the_scan()
    {
        var data = Path.Combine(ScanDir, "data", "discord-mcp-test-1");
        Directory.CreateDirectory(data);
        byte[] page = [0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x00, 0x01, .. System.Text.Encoding.UTF8.GetBytes("{\"url\":\"http://127.0.0.1:1/api/v10/webhooks/1/" + IssuedToken + "\"}"), 0x00, 0xFF];
        File.WriteAllBytes(Path.Combine(data, "discord-mcp.db"), page);

        var (exitCode, output) = await ScanAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("sandbox-issued token #1", output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("data", "discord-mcp-test-1", "discord-mcp.db"), output, StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedToken, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_capture_folder_fails_the_scan_instead_of_passing_silently()
    {
        foreach (var file in Directory.GetFiles(ScanDir))
            File.Delete(file);

        var (exitCode, output) = await ScanAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains("nothing to scan", output, StringComparison.Ordinal);
    }
}
