using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DiscordMcp.Discord.Client.Json;

namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// The typed Discord REST v10 surface. Each method validates its arguments against <see cref="DiscordLimits"/>
/// (throwing <see cref="DiscordValidationException"/> before anything is sent), builds one <see cref="RestRequest"/>
/// and hands it to the send loop, then reads the response with the source-generated <see cref="DiscordJsonContext"/>.
/// A response body that does not parse becomes a <see cref="DiscordProtocolException"/>.
/// </summary>
/// <param name="transport">The send loop (rate limits, retries, error translation).</param>
/// <param name="timeProvider">Clock for time-based checks (bulk-delete age, timeout length); the system clock by default.</param>
public sealed partial class DiscordRestClient(IDiscordRestTransport transport, TimeProvider? timeProvider = null)
{
    private readonly IDiscordRestTransport _transport = transport ?? throw new ArgumentNullException(nameof(transport));
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    private static DiscordJsonContext Ctx => DiscordJsonContext.Default;

    private static RestRequest Request(
        HttpMethod method, string route, string path, string? major,
        string? reason = null, ReadOnlyMemory<byte>? body = null, bool authenticated = true, bool exemptFromGlobal = false) =>
        new()
        {
            Method = method,
            Route = route,
            Path = path,
            MajorParameter = major,
            AuditLogReason = DiscordValidation.Reason(reason),
            JsonBody = body,
            Authenticated = authenticated,
            ExemptFromGlobalLimit = exemptFromGlobal,
        };

    private static ReadOnlyMemory<byte> Body<T>(T value, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private async Task<T> SendAsync<T>(RestRequest request, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(request, cancellationToken);
        return Deserialize(response.Body, responseType, request.RouteKey);
    }

    private async Task SendAsync(RestRequest request, CancellationToken cancellationToken) =>
        await _transport.SendAsync(request, cancellationToken);

    /// <summary>Parses a response body; anything unreadable becomes a <see cref="DiscordProtocolException"/> that names only the route.</summary>
    internal static T Deserialize<T>(ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, string routeKey)
    {
        var expected = Describe(typeof(T));
        if (body.IsEmpty)
            throw new DiscordProtocolException($"Discord returned an empty body for {routeKey}; expected {expected}.");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (JsonException ex)
        {
            // The JSON path is safe to show; the body itself is not (it may echo tokens or user content).
            throw new DiscordProtocolException($"Discord returned a malformed body for {routeKey} at {ex.Path ?? "$"}; expected {expected}.", ex);
        }
        return value ?? throw new DiscordProtocolException($"Discord returned null for {routeKey}; expected {expected}.");
    }

    private static string Describe(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            ? $"a list of {type.GetGenericArguments()[0].Name}"
            : type.Name;

    /// <summary>Builds a path with an invariant, URL-encoded query string; null values are skipped.</summary>
    private sealed class PathBuilder(string path)
    {
        private readonly StringBuilder _builder = new(path);
        private bool _hasQuery;

        public PathBuilder Add(string name, string? value)
        {
            if (value is null)
                return this;
            _builder.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _hasQuery = true;
            return this;
        }

        public PathBuilder Add(string name, Snowflake? value) => Add(name, value?.ToString());

        public PathBuilder Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

        public PathBuilder Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

        public PathBuilder Add(string name, DateTimeOffset? value) =>
            Add(name, value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));

        public override string ToString() => _builder.ToString();
    }

    private static PathBuilder Path(string path) => new(path);
}
