using System.Net;

namespace DiscordMcp.Integration.Tests.Fixtures;

/// <summary>
/// Records every response that tells of a contract violation: an <c>sl-violations</c> header (Prism's verdict on our
/// request or on the sandbox's response), a Prism 422 (our request broke the spec, not forwarded) or a Prism 500
/// "Request/Response not valid" (the sandbox's response broke the spec). Sits between the transport and the network.
/// </summary>
public sealed class SpecViolationRecorder : DelegatingHandler
{
    private readonly List<RecordedViolation> _violations = [];

    public SpecViolationRecorder()
        : base(new SocketsHttpHandler())
    {
    }

    public IReadOnlyList<RecordedViolation> Violations
    {
        get
        {
            lock (_violations)
                return [.. _violations];
        }
    }

    /// <summary>Removes and returns everything recorded so far (for a test that checks a documented disagreement itself).</summary>
    public IReadOnlyList<RecordedViolation> TakeAll()
    {
        lock (_violations)
        {
            var all = _violations.ToArray();
            _violations.Clear();
            return all;
        }
    }

    /// <summary>Fails with every recorded violation (operation, status, Prism's text) in the message.</summary>
    public void AssertNone()
    {
        var violations = Violations;
        Assert.True(violations.Count == 0, $"{violations.Count} contract violation(s):\n" + string.Join("\n---\n", violations));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var header = response.Headers.NonValidated.TryGetValues("sl-violations", out var values) ? values.ToString() : null;
        var prismProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        if (header is null && !prismProblem)
            return response;

        // Buffer the body so the transport can still read it after we looked.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var isPrismVerdict = header is not null
            || response.StatusCode == HttpStatusCode.UnprocessableEntity
            || body.Contains("Request/Response not valid", StringComparison.Ordinal);
        if (isPrismVerdict)
        {
            // The path is shown without query and without webhook/interaction tokens: only the method and the route shape matter here.
            var violation = new RecordedViolation(request.Method.Method, Redact(request.RequestUri), (int)response.StatusCode, header, body);
            lock (_violations)
                _violations.Add(violation);
        }
        return response;
    }

    private static string Redact(Uri? uri)
    {
        if (uri is null)
            return "?";
        var segments = uri.AbsolutePath.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            // Tokens are long and not numeric; ids are numeric. Keep the route readable, hide anything token-like.
            if (segments[i].Length > 40 && !segments[i].All(char.IsAsciiDigit))
                segments[i] = "{token}";
        }
        return string.Join('/', segments);
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>One response that carried Prism's verdict. <see cref="Body"/> is Prism's problem document (with <c>validation[]</c>).</summary>
public sealed record RecordedViolation(string Method, string Path, int Status, string? SlViolations, string Body)
{
    /// <summary>Each entry of Prism's <c>validation[]</c> as (dotted location, message).</summary>
    public IReadOnlyList<(string Location, string Message)> Entries()
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(Body);
            if (!doc.RootElement.TryGetProperty("validation", out var validation))
                return [];
            return [.. validation.EnumerateArray().Select(v => (
                string.Join('.', v.GetProperty("location").EnumerateArray().Select(x => x.ToString())),
                v.GetProperty("message").GetString() ?? ""))];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public override string ToString() =>
        $"{Method} {Path} -> {Status}\n  sl-violations: {SpecViolationRecorder.Truncate(SlViolations ?? "(none)", 4000)}\n  body: {SpecViolationRecorder.Truncate(Body, 4000)}";
}
