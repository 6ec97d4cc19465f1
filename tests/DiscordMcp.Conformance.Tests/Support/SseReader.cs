using System.Text;

namespace DiscordMcp.Conformance.Tests.Support;

/// <summary>One server-sent event: the fields the MCP Streamable HTTP transport uses.</summary>
internal sealed record SseEvent(string? Id, string? Event, string Data, int? Retry);

/// <summary>A small reader of <c>text/event-stream</c> bodies (the W3C field rules MCP relies on).</summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream body, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null, name = null;
        int? retry = null;
        var data = new StringBuilder();
        var any = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (any)
                    yield return new SseEvent(id, name, data.ToString(), retry);
                id = name = null;
                retry = null;
                data.Clear();
                any = false;
                continue;
            }
            if (line.StartsWith(':'))
                continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            any = true;
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "retry": retry = int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : null; break;
                case "data":
                    if (data.Length > 0)
                        data.Append('\n');
                    data.Append(value);
                    break;
            }
        }
        if (any)
            yield return new SseEvent(id, name, data.ToString(), retry);
    }
}
