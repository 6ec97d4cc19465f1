using System.Net;

namespace DiscordMcp.Benchmarks;

/// <summary>
/// Answers every request at once with a canned 200 and Discord's rate-limit headers (a bucket that never runs dry),
/// so a benchmark measures only what happens in the process: no socket, no server.
/// </summary>
internal sealed class InMemoryDiscordHandler : HttpMessageHandler
{
    private readonly byte[] _channel = CannedPayloads.Channel;
    private readonly byte[] _message = CannedPayloads.SingleMessage;
    private readonly byte[] _messages = CannedPayloads.FiftyMessages;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Method == HttpMethod.Post ? _message : path.EndsWith("/messages", StringComparison.Ordinal) ? _messages : _channel;
        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(body),
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var headers = response.Headers;
        headers.TryAddWithoutValidation("X-RateLimit-Limit", "100000");
        headers.TryAddWithoutValidation("X-RateLimit-Remaining", "99999");
        headers.TryAddWithoutValidation("X-RateLimit-Reset", "1893456000.000");
        headers.TryAddWithoutValidation("X-RateLimit-Reset-After", "1.000");
        headers.TryAddWithoutValidation("X-RateLimit-Bucket", "bench-bucket-" + (request.Method == HttpMethod.Post ? "post" : "get"));
        return Task.FromResult(response);
    }
}
