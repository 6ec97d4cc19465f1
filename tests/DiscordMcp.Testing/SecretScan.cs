using System.Data.Common;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Xunit.Sdk;

namespace DiscordMcp.Testing;

/// <summary>
/// The test suite's secret scan, capture side. When <c>DISCORD_MCP_SECRET_SCAN_DIR</c> is set (scripts/test.sh sets it),
/// tests append what the product showed them (log lines, MCP messages the server sent, tool results, audit rows,
/// output of child processes) to a capture file in that folder, and put their platform databases under it; after the
/// run, <c>scripts/secret-scan.py</c> searches every file there for the sandbox bot token and every token the sandbox
/// issued (<c>DISCORD_SANDBOX_ISSUED_TOKENS_FILE</c>). Without the variable nothing is written and databases go to the
/// temporary folder as before. Every test assembly uses these same entry points (<see cref="Record"/>,
/// <see cref="RecordJson"/>, <see cref="CreateLogger"/>); a test that must write a secret on purpose uses its own
/// <see cref="SecretScanSink"/> on a folder outside the real one.
/// </summary>
public static class SecretScan
{
    /// <summary>The folder the capture files and databases go to.</summary>
    public const string DirectoryVariable = "DISCORD_MCP_SECRET_SCAN_DIR";

    /// <summary>The capture folder, or null when the scan is off.</summary>
    public static string? Directory { get; } = Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } path ? path : null;

    /// <summary>The sink writing to <see cref="Directory"/>, or null when the scan is off.</summary>
    public static SecretScanSink? Sink { get; } = Directory is null ? null : new SecretScanSink(Directory);

    /// <summary>Appends text the product produced (a log line, a JSON-RPC message, a child's output), tagged with where it came from.</summary>
    public static void Record(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(text);
        Sink?.Record(source, text);
    }

    /// <summary>Appends a value the product produced (audit rows, a tool result, a pending action) as one JSON line.</summary>
    public static void RecordJson<T>(string source, T value)
    {
        ArgumentNullException.ThrowIfNull(source);
        Sink?.RecordJson(source, value);
    }

    /// <summary>A logger whose lines (every level) go to the capture; a no-op logger when the scan is off.</summary>
    public static ILogger CreateLogger(string source, string category) =>
        Sink is null ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : new SecretScanLoggerProvider(source, Sink).CreateLogger(category);

    private static readonly Lock TrackGate = new();
    private static readonly List<Tracked> TrackedSnapshots = [];

    /// <summary>
    /// Registers an in-memory store (audit log, pending actions) whose rows are recorded after each test: the entries
    /// added since the last flush, by <see cref="FlushTracked"/> (run by <see cref="RecordTrackedAfterEachTestAttribute"/>).
    /// Does nothing when the scan is off.
    /// </summary>
    public static void Track<T>(string source, Func<IReadOnlyList<T>> snapshot)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (Sink is null)
            return;
        lock (TrackGate)
            TrackedSnapshots.Add(new Tracked(source, () => [.. snapshot().Cast<object?>()]));
    }

    /// <summary>Records the rows added to every tracked store since the previous flush.</summary>
    public static void FlushTracked()
    {
        if (Sink is null)
            return;
        lock (TrackGate)
        {
            foreach (var tracked in TrackedSnapshots)
            {
                var rows = tracked.Snapshot();
                for (var i = tracked.Recorded; i < rows.Count; i++)
                    Sink.RecordJson(tracked.Source, rows[i]);
                tracked.Recorded = Math.Max(tracked.Recorded, rows.Count);
            }
        }
    }

    /// <summary>
    /// Records every row of the platform tables that hold output (<c>audit_events</c>, <c>pending_actions</c>) of an open
    /// SQLite or PostgreSQL connection, one JSON object a row; call it before a test drops or deletes the database.
    /// A table that does not exist (database never migrated) records nothing. <paramref name="sink"/>: another folder
    /// (the scanner's own tests); by default the real one, and nothing when the scan is off.
    /// </summary>
    public static async Task RecordDatabaseRowsAsync(DbConnection connection, string source, SecretScanSink? sink = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(source);
        sink ??= Sink;
        if (sink is null)
            return;
        foreach (var table in (string[])["audit_events", "pending_actions"])
        {
            try
            {
                await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // the table name is one of the two constants above, never input
                command.CommandText = $"SELECT * FROM {table}";
#pragma warning restore CA2100
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                        {
                            byte[] bytes => Encoding.UTF8.GetString(bytes), // raw bytes, so a secret inside is still found
                            var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
                        };
                    }
                    sink.RecordJson($"{source} {table}", row);
                }
            }
            catch (DbException)
            {
                // No such table: nothing was stored there.
            }
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
}

/// <summary>
/// Put on a test assembly (<c>[assembly: RecordTrackedAfterEachTest]</c>) that registers stores with
/// <see cref="SecretScan.Track"/>: after every test the rows added since the last flush are recorded. The last test to
/// finish flushes after every test body has run, so no row is missed.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RecordTrackedAfterEachTestAttribute : BeforeAfterTestAttribute
{
    /// <inheritdoc/>
    public override void After(MethodInfo methodUnderTest) => SecretScan.FlushTracked();
}

/// <summary>Appends captured text to one file per test process in a capture folder.</summary>
public sealed class SecretScanSink(string directory)
{
    // Minimal escaping, so a secret is recorded as the same bytes the scan searches for.
    private static readonly JsonSerializerOptions Unescaped = new(ModelContextProtocol.McpJsonUtilities.DefaultOptions)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    /// <summary>The folder this sink writes to.</summary>
    public string Directory { get; } = directory ?? throw new ArgumentNullException(nameof(directory));

    /// <summary>Appends one tagged line (or block) of text.</summary>
    public void Record(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            _writer ??= OpenWriter(Directory);
            _writer.Write('[');
            _writer.Write(source);
            _writer.Write("] ");
            _writer.WriteLine(text);
        }
    }

    /// <summary>Appends a value serialized as JSON with minimal escaping.</summary>
    public void RecordJson<T>(string source, T value) => Record(source, JsonSerializer.Serialize(value, Unescaped));

    private static StreamWriter OpenWriter(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        // One file per test process (named after the test host and its id); the [source] tag of each line says which test project wrote it.
        var name = $"capture-{AppDomain.CurrentDomain.FriendlyName}-{Environment.ProcessId}.log";
        var stream = new FileStream(Path.Combine(directory, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }
}

/// <summary>A logger provider writing every log line (level, category, message, exception) to a capture sink.</summary>
public sealed class SecretScanLoggerProvider(string source, SecretScanSink sink) : ILoggerProvider
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(source, sink, categoryName);

    /// <inheritdoc/>
    public void Dispose() { }

    private sealed class Logger(string source, SecretScanSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Record(source + " log", $"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

internal sealed class Tracked(string source, Func<IReadOnlyList<object?>> snapshot)
{
    public string Source { get; } = source;

    public Func<IReadOnlyList<object?>> Snapshot { get; } = snapshot;

    public int Recorded { get; set; }
}
