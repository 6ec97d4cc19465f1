using System.Diagnostics;
using System.Text.Json;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Testing;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests;

/// <summary>The built executable as a child process: exit codes, stdout purity, shutdown. Kept few: each starts a runtime.</summary>
public sealed class ProcessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("serve")]
    [InlineData("stdio")]
    public async Task Without_a_token_or_sandbox_it_exits_2_explaining_both_ways_out(string command)
    {
        using var process = Process.Start(HostProcess.StartInfo(null, command))!;
        using var timeout = new CancellationTokenSource(Limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await stdout);
        var message = await stderr;
        Assert.Contains("DISCORD_BOT_TOKEN", message, StringComparison.Ordinal);
        Assert.Contains("--sandbox", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal); // a message, not a stack trace
    }

    [Fact]
    public async Task Stdio_sandbox_serves_the_sdk_client()
    {
        var options = new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [HostProcess.DllPath, "stdio", "--sandbox"],
            WorkingDirectory = Path.GetTempPath(),
            EnvironmentVariables = DocumentedEnvironment.Variables.ToDictionary(v => v.Name, _ => (string?)null),
        };
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(options));

        var tools = await client.ListToolsAsync();

        Assert.Equal("discord-mcp", client.ServerInfo!.Name);
        Assert.Equal(DiscordMcp.Mcp.DiscordMcpRegistration.Catalog().Count, tools.Count);
    }

    [Fact]
    public async Task Stdio_writes_only_json_rpc_to_stdout_and_exits_0_when_stdin_closes()
    {
        using var process = Process.Start(HostProcess.StartInfo(null, "stdio", "--sandbox"))!;
        using var timeout = new CancellationTokenSource(Limit);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var lines = new List<string>();

        async Task<JsonElement> RequestAsync(string json, int id)
        {
            await process.StandardInput.WriteLineAsync(json);
            await process.StandardInput.FlushAsync();
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("stdout closed early");
                lines.Add(line);
                var message = JsonDocument.Parse(line).RootElement.Clone();
                if (message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
                    return message;
            }
        }

        var initialized = await RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""", 1);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        var listed = await RequestAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", 2);
        process.StandardInput.Close();
        var rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("discord-mcp", initialized.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Array, listed.GetProperty("result").GetProperty("tools").ValueKind);
        lines.AddRange(rest.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        SecretScan.Record("Host.Tests stdio stdout", string.Join('\n', lines));
        SecretScan.Record("Host.Tests stdio stderr", await stderr);
        Assert.All(lines, line => Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString()));
        Assert.Contains("started against the sandbox", await stderr, StringComparison.Ordinal); // the logs went to stderr
    }

    [Fact]
    public async Task Stdio_exits_1_with_a_message_when_storage_cannot_be_prepared()
    {
        // A data directory that is a file: the SQLite database cannot be created, which stdio finds out in the
        // background, after the handshake has already been answered.
        var blocker = Path.GetTempFileName();
        try
        {
            using var process = Process.Start(HostProcess.StartInfo(new Dictionary<string, string?> { ["Storage__DataDirectory"] = blocker }, "stdio", "--sandbox"))!;
            using var timeout = new CancellationTokenSource(Limit);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""");
            await process.StandardInput.FlushAsync();
            await process.WaitForExitAsync(timeout.Token); // the server stops itself; stdin stays open

            Assert.Equal(1, process.ExitCode);
            var message = await stderr;
            Assert.Contains("discord-mcp stdio: cannot start: The platform's storage could not be prepared", message, StringComparison.Ordinal);
            Assert.All((await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                line => Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString())); // still only protocol
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task Stdio_exits_0_on_SIGTERM() // Unix signal; the project builds and tests on Linux
    {
        using var process = Process.Start(HostProcess.StartInfo(null, "stdio", "--sandbox"))!;
        using var timeout = new CancellationTokenSource(Limit);
        _ = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        await process.StandardInput.FlushAsync();
        Assert.NotNull(await process.StandardOutput.ReadLineAsync(timeout.Token)); // up and answering

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Standalone_sandbox_exits_0_on_SIGTERM()
    {
        using var process = Process.Start(HostProcess.StartInfo(null, "sandbox"))!;
        using var timeout = new CancellationTokenSource(Limit);
        _ = process.StandardError.ReadToEndAsync(timeout.Token);
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.Contains("Bot token", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line); // up and printing its URLs

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, process.ExitCode);
    }
}
