namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// One HTTP call to Discord, as the typed API surface hands it to the send loop.
/// The send loop owns rate limiting, retries and error translation; the surface owns paths and bodies.
/// </summary>
public sealed class RestRequest
{
    /// <summary>HTTP method.</summary>
    public required HttpMethod Method { get; init; }

    /// <summary>
    /// The route template with placeholders for ids, e.g. <c>/channels/{channel_id}/messages/{message_id}</c>.
    /// Together with <see cref="Method"/> it is the route key that rate-limit buckets are learned for.
    /// Reaction emoji and webhook tokens are placeholders too.
    /// </summary>
    public required string Route { get; init; }

    /// <summary>The concrete path relative to the API base, with query string, e.g. <c>channels/123/messages?limit=50</c>.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The major parameter of the route: the channel id, guild id, or webhook id + token
    /// (as <c>id/token</c>, never logged) that Discord scopes the bucket by; null when the route has none.
    /// </summary>
    public string? MajorParameter { get; init; }

    /// <summary>UTF-8 JSON body, already serialised; null for no body.</summary>
    public ReadOnlyMemory<byte>? JsonBody { get; init; }

    /// <summary>Reason stored in the guild audit log; sent URL-encoded as <c>X-Audit-Log-Reason</c>.</summary>
    public string? AuditLogReason { get; init; }

    /// <summary>False for routes that take no bot authorisation (webhook-token routes, interaction callbacks, <c>GET /invites/{code}</c>).</summary>
    public bool Authenticated { get; init; } = true;

    /// <summary>Interaction callbacks and follow-ups are exempt from the global limit.</summary>
    public bool ExemptFromGlobalLimit { get; init; }

    /// <summary>
    /// Whether repeating the request cannot change the outcome. Defaults to GET, HEAD, PUT and DELETE;
    /// only idempotent requests are retried after 5xx, time-outs and connection resets.
    /// </summary>
    public bool? Idempotent { get; init; }

    /// <summary>The effective idempotency used by the retry policy.</summary>
    public bool IsIdempotent =>
        Idempotent ?? (Method == HttpMethod.Get || Method == HttpMethod.Head || Method == HttpMethod.Put || Method == HttpMethod.Delete);

    /// <summary>The route key: method and template, e.g. <c>POST /channels/{channel_id}/messages</c>.</summary>
    public string RouteKey => string.Concat(Method.Method, " ", Route);
}

/// <summary>A successful response: status and the raw body (possibly empty for 204).</summary>
public readonly record struct RestResponse(System.Net.HttpStatusCode StatusCode, ReadOnlyMemory<byte> Body);

/// <summary>The send loop. Throws <see cref="DiscordException"/> subclasses on every non-success outcome.</summary>
public interface IDiscordRestTransport
{
    Task<RestResponse> SendAsync(RestRequest request, CancellationToken cancellationToken = default);
}
