using System.Net;
using System.Text;
using System.Threading.Channels;

namespace DiscordMcp.Discord.Client.Tests.Rest.Transport;

/// <summary>A request as the handler saw it; headers and body are copied so they outlive the request message.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, byte[]? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// The seam under the REST transport: answers each request with the next scripted responder, or with
/// <see cref="Fallback"/> when the script is empty. Records every request and lets a test await arrivals.
/// </summary>
public sealed class ScriptedHttpHandler : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Queue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();

    /// <summary>Answers requests once the script is used up; by default fails the test loudly.</summary>
    public Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> Fallback { get; set; } =
        (request, _) => throw new InvalidOperationException($"No scripted response for {request.Method} {request.Uri}.");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
                return [.. _requests];
        }
    }

    public ScriptedHttpHandler Then(Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> responder)
    {
        lock (_lock)
            _script.Enqueue(responder);
        return this;
    }

    public ScriptedHttpHandler Then(Func<HttpResponseMessage> response) => Then((_, _) => Task.FromResult(response()));

    public ScriptedHttpHandler ThenThrow(Exception exception) => Then((_, _) => Task.FromException<HttpResponseMessage>(exception));

    /// <summary>A response that never comes: the request waits until its token is cancelled.</summary>
    public ScriptedHttpHandler ThenHang() => Then(async (_, token) =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, token);
        throw new InvalidOperationException("unreachable");
    });

    public void AlwaysRespond(Func<HttpResponseMessage> response) => Fallback = (_, _) => Task.FromResult(response());

    /// <summary>Waits (with a real-time safety net against hangs) for the next request to arrive.</summary>
    public async Task<RecordedRequest> NextRequestAsync() =>
        await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers.NonValidated)
            headers[header.Key] = header.Value.ToString();
        byte[]? body = null;
        string? contentType = null;
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            contentType = request.Content.Headers.ContentType?.ToString();
        }
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, contentType, body);
        Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>> responder;
        lock (_lock)
        {
            _requests.Add(recorded);
            responder = _script.Count > 0 ? _script.Dequeue() : Fallback;
        }
        _arrivals.Writer.TryWrite(recorded);
        return await responder(recorded, cancellationToken);
    }
}

/// <summary>Builds Discord-like responses.</summary>
public static class Responses
{
    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers) =>
        Build(status, new StringContent(json, Encoding.UTF8, "application/json"), headers);

    public static HttpResponseMessage Ok(params (string Name, string Value)[] headers) => Json(HttpStatusCode.OK, "{}", headers);

    public static HttpResponseMessage Status(HttpStatusCode status, params (string Name, string Value)[] headers) =>
        Json(status, $$"""{"code":0,"message":"{{status}}"}""", headers);

    public static HttpResponseMessage Text(HttpStatusCode status, string text, string mediaType) =>
        Build(status, new StringContent(text, Encoding.UTF8, mediaType), []);

    /// <summary>A 429 as Discord sends it: JSON body with <c>retry_after</c> and <c>global</c>, plus headers.</summary>
    public static HttpResponseMessage RateLimited(double? bodyRetryAfter, bool global = false, params (string Name, string Value)[] headers)
    {
        var retry = bodyRetryAfter is { } seconds ? $",\"retry_after\":{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "";
        var json = $$"""{"message":"You are being rate limited."{{retry}},"global":{{(global ? "true" : "false")}}}""";
        return Json(HttpStatusCode.TooManyRequests, json, headers);
    }

    private static HttpResponseMessage Build(HttpStatusCode status, HttpContent content, (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = content };
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        return response;
    }
}
