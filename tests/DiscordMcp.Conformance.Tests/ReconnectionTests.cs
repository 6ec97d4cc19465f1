using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DiscordMcp.Conformance.Tests.Support;

namespace DiscordMcp.Conformance.Tests;

/// <summary>
/// SSE polling (SEP-1699) through <c>test_reconnection</c>, driven by hand with the negotiated protocol version. The
/// suite's own <c>server-sse-polling</c> scenario sends <c>MCP-Protocol-Version: 2025-03-26</c> inside a session that
/// negotiated 2025-11-25, which the SDK refuses, so this test covers what that scenario cannot reach.
/// </summary>
public sealed class ReconnectionTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Test_reconnection_ends_the_post_stream_with_a_retry_hint_and_the_result_arrives_after_reconnecting()
    {
        await using var host = await McpHosts.StartWithConformanceFixturesAsync();
        using var http = new HttpClient();
        using var timeout = new CancellationTokenSource(Limit);
        var ct = timeout.Token;

        using var initialize = await PostAsync(http, host.McpUrl, null, """
            {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"reconnection-test","version":"1"}}}
            """, ct);
        var session = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        await foreach (var _ in SseReader.ReadAsync(await initialize.Content.ReadAsStreamAsync(ct), ct)) { }
        using (var initialized = await PostAsync(http, host.McpUrl, session, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", ct))
            Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);

        using var call = await PostAsync(http, host.McpUrl, session, """
            {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"test_reconnection","arguments":{}}}
            """, ct);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var postEvents = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(await call.Content.ReadAsStreamAsync(ct), ct))
            postEvents.Add(e);

        Assert.Contains(postEvents, e => e.Retry == 500);
        Assert.DoesNotContain(postEvents, e => ResultId(e) == 1); // the stream closed before the result
        var lastEventId = postEvents.Last(e => e.Id is not null).Id!;

        // A polling client reconnects with the last event id it saw until the result arrives (SEP-1699): the result may
        // not be stored yet when a reconnect comes in, and then that stream ends empty. Like any polling client it waits
        // the retry interval the server announced before reconnecting (protocol behaviour, not a guess at timing); on a
        // loaded machine that can take several rounds. Bounded by the test's timeout, not by a count of attempts.
        var retry = TimeSpan.FromMilliseconds(postEvents.Last(e => e.Retry is not null).Retry!.Value);
        string? text = null;
        var seen = new List<string>();
        for (var attempt = 1; text is null; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(retry, ct);
            using var resume = new HttpRequestMessage(HttpMethod.Get, host.McpUrl);
            resume.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            resume.Headers.Add("Mcp-Session-Id", session);
            resume.Headers.Add("MCP-Protocol-Version", "2025-11-25");
            resume.Headers.Add("Last-Event-ID", lastEventId);
            using var resumed = await http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            await foreach (var e in SseReader.ReadAsync(await resumed.Content.ReadAsStreamAsync(ct), ct))
            {
                seen.Add(e.Data);
                if (e.Id is not null)
                    lastEventId = e.Id;
                if (ResultId(e) != 1)
                    continue;
                using var message = JsonDocument.Parse(e.Data);
                text = message.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString();
                break;
            }
        }

        Assert.True(text == "Reconnection test completed successfully.", "resumed stream: " + string.Join(" | ", seen));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, string? session, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private static int? ResultId(SseEvent e)
    {
        if (e.Data.Length == 0 || e.Data[0] != '{')
            return null;
        using var message = JsonDocument.Parse(e.Data);
        var root = message.RootElement;
        return root.TryGetProperty("result", out _) && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetInt32() : null;
    }
}
