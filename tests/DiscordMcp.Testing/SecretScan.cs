using System.Text;

namespace DiscordMcp.Testing;

/// <summary>
/// The test suite's secret scan, capture side. When <c>DISCORD_MCP_SECRET_SCAN_DIR</c> is set (scripts/test.sh sets it),
/// tests append what the product showed them (log lines, MCP messages the server sent, output of child processes) to
/// a capture file in that folder, and put their platform databases under it; after the run,
/// <c>scripts/secret-scan.py</c> searches every file there for the sandbox bot token and every token the sandbox issued
/// (<c>DISCORD_SANDBOX_ISSUED_TOKENS_FILE</c>). Without the variable nothing is written and databases go to the
/// temporary folder as before.
/// </summary>
public static class SecretScan
{
    /// <summary>The folder the capture files and databases go to.</summary>
    public const string DirectoryVariable = "DISCORD_MCP_SECRET_SCAN_DIR";

    private static readonly Lock Gate = new();
    private static StreamWriter? _writer;

    /// <summary>The capture folder, or null when the scan is off.</summary>
    public static string? Directory { get; } = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } path ? path : null;

    /// <summary>Appends text the product produced (a log line, a JSON-RPC message, a child's output), tagged with where it came from.</summary>
    public static void Record(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(text);
        if (Directory is null)
            return;
        lock (Gate)
        {
            _writer ??= OpenWriter(Directory);
            _writer.Write('[');
            _writer.Write(source);
            _writer.Write("] ");
            _writer.WriteLine(text);
        }
    }

    /// <summary>A fresh data directory for a host's platform database: under the capture folder when the scan is on.</summary>
    public static string NewDataDirectory(string prefix = "discord-mcp-test-")
    {
        if (Directory is null)
            return System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        var path = Path.Combine(Directory, "data", prefix + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    private static StreamWriter OpenWriter(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        // One file per test process; the assembly name says which test project wrote it.
        var name = $"capture-{AppDomain.CurrentDomain.FriendlyName}-{Environment.ProcessId}.log";
        var stream = new FileStream(Path.Combine(directory, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }
}
