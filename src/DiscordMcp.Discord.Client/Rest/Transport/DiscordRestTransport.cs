using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Discord.Client.Rest;

/// <summary>
/// The one send loop for every Discord REST call: per-bucket and global rate limits, 429 handling,
/// bounded retries for idempotent requests, and translation of every failure into a <see cref="DiscordException"/>.
/// Logs name routes by their route key only: paths can hold webhook tokens.
/// </summary>
public sealed partial class DiscordRestTransport : IDiscordRestTransport
{
    /// <summary>Discord's limit on <c>X-Audit-Log-Reason</c>, in characters.</summary>
    public const int MaxAuditLogReasonLength = 512;

    private static readonly TimeSpan InvalidWarningInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly string _baseUrl;
    private readonly string? _authorization;
    private readonly string _userAgent;
    private readonly TimeSpan _maxWait;
    private readonly TimeSpan _margin;
    private readonly TimeSpan _retryBaseDelay;
    private readonly TimeSpan _timeout;
    private readonly int _maxRetries;
    private readonly int _maxRateLimitRetries;
    private readonly int _invalidWarningThreshold;
    private readonly GlobalRateLimiter _global;
    private readonly InvalidRequestCounter _invalid = new();
    private readonly ConcurrentDictionary<string, string> _bucketIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<BucketKey, RateLimitBucket> _buckets = new();
    private long _lastInvalidWarningTicks = long.MinValue;
    private volatile bool _tokenRejected;

    /// <summary>Constructor for DI: a typed <see cref="HttpClient"/> without any retry/resilience handler.</summary>
    [ActivatorUtilitiesConstructor]
    public DiscordRestTransport(HttpClient http, IOptions<DiscordClientOptions> options, TimeProvider time, ILogger<DiscordRestTransport> logger)
        : this(http, (options ?? throw new ArgumentNullException(nameof(options))).Value, time, logger, random: null)
    {
    }

    /// <summary>Constructor for use without DI; time defaults to the system clock.</summary>
    public DiscordRestTransport(HttpClient http, DiscordClientOptions options, TimeProvider? time = null, ILogger? logger = null)
        : this(http, options, time, logger, random: null)
    {
    }

    /// <summary>Full constructor; <paramref name="random"/> makes retry jitter reproducible in tests.</summary>
    internal DiscordRestTransport(HttpClient http, DiscordClientOptions options, TimeProvider? time, ILogger? logger, Random? random)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid Discord client options: " + string.Join(" ", errors), nameof(options));

        _http = http;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _random = random ?? Random.Shared;
        var baseUrl = options.BaseUrl.AbsoluteUri;
        _baseUrl = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
        _authorization = options.Token is null ? null : "Bot " + DiscordClientOptions.BareToken(options.Token);
        _userAgent = options.UserAgent;
        _maxWait = options.MaxRateLimitWait;
        _margin = options.PreemptiveResetMargin;
        _retryBaseDelay = options.RetryBaseDelay;
        _timeout = options.RequestTimeout;
        _maxRetries = options.MaxRetries;
        _maxRateLimitRetries = options.MaxRateLimitRetries;
        _invalidWarningThreshold = options.InvalidRequestWarningThreshold;
        _global = new GlobalRateLimiter(options.GlobalRequestsPerSecond, _time.GetUtcNow());
        Diagnostics = new DiscordRestDiagnostics(_invalid, _time);
    }

    /// <summary>Counters of 429s, waits and retries.</summary>
    public DiscordRestDiagnostics Diagnostics { get; }

    /// <summary>True once Discord answered 401 to the bot token; authenticated calls then fail without being sent.</summary>
    public bool TokenRejected => _tokenRejected;

    /// <inheritdoc />
    public Task<RestResponse> SendAsync(RestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var routeKey = request.RouteKey;
        // A child span named by the route template only (webhook routes carry the token in the path, never recorded).
        // Without a listener there is no span and no extra async frame.
        var activity = DiscordClientTelemetry.StartRest(request.Method.Method, request.Route, routeKey);
        return activity is null
            ? SendCoreAsync(request, routeKey, null, cancellationToken)
            : SendTracedAsync(request, routeKey, activity, cancellationToken);
    }

    private async Task<RestResponse> SendTracedAsync(RestRequest request, string routeKey, Activity activity, CancellationToken cancellationToken)
    {
        try
        {
            return await SendCoreAsync(request, routeKey, activity, cancellationToken);
        }
        catch (Exception ex)
        {
            if (ex is DiscordHttpException http)
                activity.SetTag("http.response.status_code", (int)http.StatusCode);
            // The type only: messages are safe by design here, but a span is no place to find that out.
            activity.SetTag("error.type", ex.GetType().Name);
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            if (_bucketIds.TryGetValue(routeKey, out var bucket))
                activity.SetTag("discord.rate_limit.bucket", bucket);
            activity.Dispose();
        }
    }

    private async Task<RestResponse> SendCoreAsync(RestRequest request, string routeKey, Activity? activity, CancellationToken cancellationToken)
    {
        var encodedReason = EncodeAuditLogReason(request.AuditLogReason);
        if (request.Authenticated)
        {
            if (_authorization is null)
                throw new InvalidOperationException($"{nameof(DiscordClientOptions)}.{nameof(DiscordClientOptions.Token)} is not set; {routeKey} needs a bot token.");
            if (_tokenRejected)
                throw TokenRejectedException(routeKey);
        }

        var failures = 0;
        var rateLimitRetries = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attempt = await SendThroughLimitsAsync(request, routeKey, encodedReason, cancellationToken);
            if (attempt.Failure is { } failure)
            {
                if (request.IsIdempotent && failures < _maxRetries)
                {
                    failures++;
                    await BackOffAsync(routeKey, failures, failure.GetType().Name, cancellationToken);
                    continue;
                }
                var what = failure is TimeoutException ? "timed out" : "failed to connect or the connection broke";
                var retried = request.IsIdempotent ? $" after {failures} retries" : " (not retried: the request is not idempotent)";
                throw new DiscordProtocolException($"Discord request {routeKey} {what}{retried}.", failure);
            }

            var status = attempt.Status;
            var code = (int)status;
            activity?.SetTag("http.response.status_code", code);
            if (code is >= 200 and < 300)
                return new RestResponse(status, attempt.Body);

            if (status == HttpStatusCode.TooManyRequests)
            {
                rateLimitRetries++;
                var (retryAfter, scope) = (attempt.RetryAfter, attempt.Scope);
                LogRateLimited(_logger, routeKey, scope, retryAfter.TotalMilliseconds);
                DiscordClientTelemetry.Record429(ScopeName(scope), routeKey);
                if (retryAfter > _maxWait || rateLimitRetries > _maxRateLimitRetries)
                    throw new DiscordRateLimitedException(retryAfter, scope, routeKey);
                if (scope == RateLimitScope.Shared && retryAfter > TimeSpan.Zero)
                {
                    DiscordClientTelemetry.RecordWait(retryAfter, "shared");
                    await Task.Delay(retryAfter, _time, cancellationToken);
                }
                // Bucket and global 429s were recorded in the limiter state; the next pass waits there.
                continue;
            }

            if (code is 500 or 502 or 503 or 504 && request.IsIdempotent && failures < _maxRetries)
            {
                failures++;
                await BackOffAsync(routeKey, failures, code.ToString(CultureInfo.InvariantCulture), cancellationToken);
                continue;
            }

            if (status == HttpStatusCode.Unauthorized && request.Authenticated && !_tokenRejected)
            {
                _tokenRejected = true;
                LogTokenRejected(_logger, routeKey);
            }
            throw DiscordErrorParser.ToException(status, attempt.Body, attempt.MediaType, routeKey);
        }
    }

    /// <summary>One attempt: wait for the bucket and the global limiter, send, read, update the limits.</summary>
    private async Task<Attempt> SendThroughLimitsAsync(RestRequest request, string routeKey, string? encodedReason, CancellationToken cancellationToken)
    {
        var bucket = GetBucket(routeKey, request.MajorParameter);
        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            var wait = bucket.GetWait(_time.GetUtcNow());
            if (wait > TimeSpan.Zero)
            {
                // The cap applies to Discord's own reset time; our safety margin must not turn an allowed wait into an error.
                if (wait > _maxWait)
                    throw new DiscordRateLimitedException(wait + _margin, RateLimitScope.Bucket, routeKey);
                wait += _margin;
                Diagnostics.PreemptiveWait();
                DiscordClientTelemetry.RecordWait(wait, "bucket");
                LogPreemptiveWait(_logger, routeKey, wait.TotalMilliseconds);
                await Task.Delay(wait, _time, cancellationToken);
            }
            if (!request.ExemptFromGlobalLimit)
                await WaitForGlobalAsync(routeKey, cancellationToken);
            return await SendOnceAsync(request, routeKey, encodedReason, bucket, cancellationToken);
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    private RateLimitBucket GetBucket(string routeKey, string? majorParameter)
    {
        var bucketId = _bucketIds.TryGetValue(routeKey, out var learned) ? learned : routeKey;
        return _buckets.GetOrAdd(new BucketKey(bucketId, majorParameter), static _ => new RateLimitBucket());
    }

    private async Task WaitForGlobalAsync(string routeKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = _global.Reserve(_time.GetUtcNow(), out var locked);
            if (wait <= TimeSpan.Zero)
                return;
            if (wait > _maxWait)
            {
                if (!locked)
                    _global.Refund();
                throw new DiscordRateLimitedException(wait, RateLimitScope.Global, routeKey);
            }
            Diagnostics.GlobalWait();
            DiscordClientTelemetry.RecordWait(wait, "global");
            try
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                if (!locked)
                    _global.Refund();
                throw;
            }
            // A paced slot is ours after the wait, unless a global 429 locked everyone meanwhile: then ask again.
            if (!locked && _global.LockWait(_time.GetUtcNow()) <= TimeSpan.Zero)
                return;
            if (!locked)
                _global.Refund();
        }
    }

    private async Task<Attempt> SendOnceAsync(RestRequest request, string routeKey, string? encodedReason, RateLimitBucket bucket, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, BuildUri(request.Path));
        var headers = message.Headers;
        headers.TryAddWithoutValidation("User-Agent", _userAgent);
        if (request.Authenticated)
            headers.TryAddWithoutValidation("Authorization", _authorization);
        if (encodedReason is not null)
            headers.TryAddWithoutValidation("X-Audit-Log-Reason", encodedReason);
        // An empty body is treated as no body: an empty application/json payload is not valid JSON.
        if (request.JsonBody is { IsEmpty: false } json)
        {
            var content = new ReadOnlyMemoryContent(json);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            message.Content = content;
        }

        CancellationTokenSource? timeoutSource = null;
        CancellationTokenSource? linkedSource = null;
        var token = cancellationToken;
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            timeoutSource = new CancellationTokenSource(_timeout, _time);
            if (cancellationToken.CanBeCanceled)
            {
                linkedSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
                token = linkedSource.Token;
            }
            else
            {
                token = timeoutSource.Token;
            }
        }

        try
        {
            Diagnostics.RequestSent();
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
            var body = await response.Content.ReadAsByteArrayAsync(token);
            return Classify(request, routeKey, bucket, response, body);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            // Our own time-out, or HttpClient.Timeout: both are time-outs, not the caller giving up.
            return Attempt.Failed(new TimeoutException($"No answer within {_timeout.TotalSeconds:0.###} s.", ex));
        }
        catch (HttpRequestException ex)
        {
            return Attempt.Failed(ex);
        }
        catch (IOException ex)
        {
            return Attempt.Failed(ex);
        }
        finally
        {
            linkedSource?.Dispose();
            timeoutSource?.Dispose();
        }
    }

    /// <summary>Updates the rate-limit state from a response and decides what it means for the loop.</summary>
    private Attempt Classify(RestRequest request, string routeKey, RateLimitBucket bucket, HttpResponseMessage response, byte[] body)
    {
        var now = _time.GetUtcNow();
        var status = response.StatusCode;
        var headers = response.Headers;

        // Learn the bucket id: from now on this route shares state with every route Discord puts in that bucket.
        var target = bucket;
        var bucketId = Header(headers, "X-RateLimit-Bucket");
        if (!string.IsNullOrEmpty(bucketId))
        {
            if (!_bucketIds.TryGetValue(routeKey, out var known) || !string.Equals(known, bucketId, StringComparison.Ordinal))
            {
                _bucketIds[routeKey] = bucketId;
                LogBucketLearned(_logger, routeKey, bucketId);
            }
            target = _buckets.GetOrAdd(new BucketKey(bucketId, request.MajorParameter), static _ => new RateLimitBucket());
        }

        if (status != HttpStatusCode.TooManyRequests)
        {
            UpdateBucket(target, headers, now);
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                CountInvalid(now);
            return new Attempt(status, body, response.Content.Headers.ContentType?.MediaType, TimeSpan.Zero, RateLimitScope.Bucket, null);
        }

        var (bodyRetryAfter, bodyGlobal) = DiscordErrorParser.ReadRateLimitBody(body);
        var scopeHeader = Header(headers, "X-RateLimit-Scope");
        var scope = bodyGlobal
            || string.Equals(Header(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase)
            || string.Equals(scopeHeader, "global", StringComparison.OrdinalIgnoreCase)
            ? RateLimitScope.Global
            : string.Equals(scopeHeader, "shared", StringComparison.OrdinalIgnoreCase) ? RateLimitScope.Shared : RateLimitScope.Bucket;
        var retryAfter = bodyRetryAfter is { } seconds
            ? TimeSpan.FromSeconds(seconds)
            : Seconds(headers, "Retry-After") ?? Seconds(headers, "X-RateLimit-Reset-After") ?? DefaultRateLimitWait;

        Diagnostics.RateLimitResponse(scope);
        switch (scope)
        {
            case RateLimitScope.Global:
                CountInvalid(now);
                _global.LockUntil(now + retryAfter);
                break;
            case RateLimitScope.Bucket:
                CountInvalid(now);
                UpdateBucket(target, headers, now);
                target.Exhaust(now + retryAfter);
                break;
            default:
                // Shared: a per-resource limit others used up. Our bucket is fine and Discord does not count it as invalid.
                break;
        }
        return new Attempt(status, body, response.Content.Headers.ContentType?.MediaType, retryAfter, scope, null);
    }

    private static void UpdateBucket(RateLimitBucket bucket, HttpResponseHeaders headers, DateTimeOffset now)
    {
        var remainingText = Header(headers, "X-RateLimit-Remaining");
        int? remaining = remainingText is not null && int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r)
            ? Math.Max(0, r)
            : null;
        DateTimeOffset? resetAt = null;
        if (Seconds(headers, "X-RateLimit-Reset-After") is { } after)
        {
            resetAt = now + after;
        }
        else if (Header(headers, "X-RateLimit-Reset") is { } resetText
            && double.TryParse(resetText, NumberStyles.Float, CultureInfo.InvariantCulture, out var epochSeconds)
            && double.IsFinite(epochSeconds) && epochSeconds is > 0 and < 253_402_300_799)
        {
            resetAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(epochSeconds * 1000));
        }
        // A Remaining of 0 without a reset time cannot be waited on; treat it as unknown rather than block forever.
        if (remaining == 0 && resetAt is null)
            remaining = null;
        bucket.Update(remaining, resetAt);
    }

    private void CountInvalid(DateTimeOffset now)
    {
        var count = _invalid.Record(now);
        if (count < _invalidWarningThreshold)
            return;
        var last = Interlocked.Read(ref _lastInvalidWarningTicks);
        if ((last == long.MinValue || now.UtcTicks - last >= InvalidWarningInterval.Ticks)
            && Interlocked.CompareExchange(ref _lastInvalidWarningTicks, now.UtcTicks, last) == last)
            LogInvalidRequestsNearLimit(_logger, count, DiscordClientOptions.DiscordInvalidRequestLimit);
    }

    private async Task BackOffAsync(string routeKey, int failures, string reason, CancellationToken cancellationToken)
    {
        // Exponential back-off, jittered into [half, full] so that clients that failed together do not retry together.
        double jitter;
        lock (_randomLock)
            jitter = 0.5 + (_random.NextDouble() * 0.5);
        var delay = TimeSpan.FromTicks((long)(_retryBaseDelay.Ticks * Math.Pow(2, failures - 1) * jitter));
        Diagnostics.Retry();
        LogRetrying(_logger, routeKey, failures, _maxRetries, reason, delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
            await Task.Delay(delay, _time, cancellationToken);
    }

    private Uri BuildUri(string path)
    {
        var relative = path.AsSpan();
        if (relative.StartsWith("/"))
            relative = relative[1..];
        return new Uri(string.Concat(_baseUrl.AsSpan(), relative), UriKind.Absolute);
    }

    private static string ScopeName(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Global => "global",
        RateLimitScope.Shared => "shared",
        _ => "bucket",
    };

    private static string? EncodeAuditLogReason(string? reason)
    {
        if (reason is null)
            return null;
        if (reason.Length is 0 or > MaxAuditLogReasonLength)
            throw new DiscordValidationException("reason", $"reason must be 1 to {MaxAuditLogReasonLength} characters (got {reason.Length}).");
        return Uri.EscapeDataString(reason);
    }

    private static DiscordHttpException TokenRejectedException(string routeKey) =>
        new(HttpStatusCode.Unauthorized, 0,
            "Discord rejected the bot token earlier (401 Unauthorized); no further requests are sent with it. Replace the token and restart.",
            [], routeKey);

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static TimeSpan? Seconds(HttpResponseHeaders headers, string name)
    {
        var text = Header(headers, name);
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !double.IsFinite(seconds))
            return null;
        // Clamp: negative means "already reset"; cap absurd values so TimeSpan cannot overflow (the wait cap rejects them anyway).
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 86_400));
    }

    /// <summary>What one attempt produced: a response (any status) or a transient failure to retry or report.</summary>
    private readonly record struct Attempt(HttpStatusCode Status, byte[] Body, string? MediaType, TimeSpan RetryAfter, RateLimitScope Scope, Exception? Failure)
    {
        public static Attempt Failed(Exception failure) => new(0, [], null, TimeSpan.Zero, RateLimitScope.Bucket, failure);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Discord rate limited {RouteKey} ({Scope}); retry after {RetryAfterMs} ms")]
    private static partial void LogRateLimited(ILogger logger, string routeKey, RateLimitScope scope, double retryAfterMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Waiting {WaitMs} ms for the bucket of {RouteKey} to reset")]
    private static partial void LogPreemptiveWait(ILogger logger, string routeKey, double waitMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Route {RouteKey} belongs to rate-limit bucket {BucketId}")]
    private static partial void LogBucketLearned(ILogger logger, string routeKey, string bucketId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Retrying {RouteKey} ({Attempt}/{MaxRetries}) after {Reason} in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string routeKey, int attempt, int maxRetries, string reason, double delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Discord rejected the bot token (401 on {RouteKey}); authenticated requests are stopped")]
    private static partial void LogTokenRejected(ILogger logger, string routeKey);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Count} invalid requests (401/403/429) in the last 10 minutes; Discord bans the IP at {Limit}")]
    private static partial void LogInvalidRequestsNearLimit(ILogger logger, int count, int limit);
}
