using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Sandbox.Pipeline;

/// <summary>
/// Middleware in front of the REST API under <c>/api/v10</c>: bot-token authentication, fault injection and
/// rate-limit enforcement (headers on every response, 429 bodies, <c>Retry-After</c>). It runs after routing so
/// the matched route pattern gives the route key (<c>METHOD /channels/{channel_id}/messages</c>) and the major
/// parameter. Works on any app that registered <see cref="SandboxOptions"/> and <see cref="SandboxFaults"/>.
/// </summary>
public static class SandboxPipeline
{
    /// <summary>The REST prefix the pipeline guards.</summary>
    public const string ApiPrefix = "/api/v10";

    public static IApplicationBuilder UseSandboxPipeline(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<SandboxOptions>();
        var faults = app.ApplicationServices.GetRequiredService<SandboxFaults>();
        var middleware = new SandboxPipelineMiddleware(options, faults, new SandboxRateLimiter(options));
        app.Use(next => context => middleware.InvokeAsync(context, next));
        if (app is IEndpointRouteBuilder endpoints)
            endpoints.MapSandboxFaults();
        return app;
    }
}

internal sealed class SandboxPipelineMiddleware(SandboxOptions options, SandboxFaults faults, SandboxRateLimiter limiter)
{
    private static readonly string[] MajorParameters = ["webhook_id", "channel_id", "guild_id"];

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(SandboxPipeline.ApiPrefix, StringComparison.Ordinal, out var rest))
        {
            await next(context);
            return;
        }

        var route = DescribeRoute(context, rest.Value ?? "/");
        if (!route.AuthExempt && !IsAuthorized(context.Request))
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, """{"message":"401: Unauthorized","code":0}""");
            return;
        }

        var fault = faults.Take(route.Key);
        if (fault is not null)
        {
            if (fault.Delay > TimeSpan.Zero)
                await Task.Delay(fault.Delay, options.TimeProvider, context.RequestAborted);
            if (fault.Drop)
            {
                context.Abort();
                return;
            }
            if (fault.ServerErrorStatus is { } status)
            {
                await WriteJsonAsync(context, status, "{\"message\":\"" + status.ToString(CultureInfo.InvariantCulture) + ": " + ReasonPhrases(status) + "\",\"code\":0}");
                return;
            }
            if (fault.RateLimitScope is { } scope)
            {
                await WriteInjected429Async(context, route, scope, fault.RetryAfterSeconds);
                return;
            }
        }

        if (route.Limited)
        {
            if (!route.GlobalExempt)
            {
                var global = limiter.CountGlobal(route.Caller);
                if (!global.Allowed)
                {
                    await Write429Async(context, global.RetryAfter.TotalSeconds, isGlobal: true, scope: "global");
                    return;
                }
            }
            var bucket = limiter.CountBucket(route.Key, route.Major);
            SetBucketHeaders(context.Response, bucket.Limit, bucket.Remaining, bucket.ResetAt, bucket.ResetAfter, bucket.BucketId);
            if (!bucket.Allowed)
            {
                await Write429Async(context, bucket.ResetAfter.TotalSeconds, isGlobal: false, scope: "user");
                return;
            }
        }

        await next(context);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1)
            return false;
        var value = header[0];
        return value is not null
            && value.Length == 4 + options.BotToken.Length
            && value.StartsWith("Bot ", StringComparison.Ordinal)
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(value.AsSpan(4).ToString()), Encoding.UTF8.GetBytes(options.BotToken));
    }

    private async Task WriteInjected429Async(HttpContext context, RouteInfo route, SandboxRateLimitScope scope, double retryAfter)
    {
        switch (scope)
        {
            case SandboxRateLimitScope.Global:
                await Write429Async(context, retryAfter, isGlobal: true, scope: "global");
                return;
            case SandboxRateLimitScope.Shared:
            case SandboxRateLimitScope.User:
                if (route.Limited)
                {
                    // The bucket headers describe the caller's own bucket; a shared limit leaves it untouched.
                    var resetAfter = TimeSpan.FromSeconds(retryAfter);
                    var remaining = scope == SandboxRateLimitScope.User ? 0 : 1;
                    SetBucketHeaders(context.Response, Math.Max(1, remaining), remaining, options.TimeProvider.GetUtcNow() + resetAfter, resetAfter, limiter.BucketId(route.Key));
                }
                await Write429Async(context, retryAfter, isGlobal: false, scope: scope == SandboxRateLimitScope.User ? "user" : "shared");
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(scope), scope, "unknown rate-limit scope");
        }
    }

    private static void SetBucketHeaders(HttpResponse response, int limit, int remaining, DateTimeOffset resetAt, TimeSpan resetAfter, string bucketId)
    {
        var headers = response.Headers;
        headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = FormatSeconds(CeilingMilliseconds((resetAt - DateTimeOffset.UnixEpoch).TotalSeconds));
        headers["X-RateLimit-Reset-After"] = FormatSeconds(CeilingMilliseconds(resetAfter.TotalSeconds));
        headers["X-RateLimit-Bucket"] = bucketId;
    }

    private static Task Write429Async(HttpContext context, double retryAfterSeconds, bool isGlobal, string scope)
    {
        var retryAfter = CeilingMilliseconds(Math.Max(0, retryAfterSeconds));
        var headers = context.Response.Headers;
        headers.RetryAfter = ((long)Math.Ceiling(retryAfter)).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = scope;
        if (isGlobal)
            headers["X-RateLimit-Global"] = "true";
        var body = "{\"message\":\"You are being rate limited.\",\"retry_after\":" + FormatSeconds(retryAfter)
            + ",\"global\":" + (isGlobal ? "true" : "false") + "}";
        return WriteJsonAsync(context, StatusCodes.Status429TooManyRequests, body);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    // Rounded up to the millisecond so a client that waits the advertised time never arrives early.
    private static double CeilingMilliseconds(double seconds) => Math.Ceiling(Math.Round(seconds * 1000, 6)) / 1000;

    private static string FormatSeconds(double seconds) => seconds.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string ReasonPhrases(int status) => status switch
    {
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Internal Server Error",
    };

    /// <summary>Route key, major parameter and exemptions of one request under <c>/api/v10</c>.</summary>
    internal static RouteInfo DescribeRoute(HttpContext context, string pathUnderApi)
    {
        var method = context.Request.Method.ToUpperInvariant();
        // The sandbox accepts one bot token, so every authenticated request shares one global window.
        var caller = context.Request.Headers.Authorization.Count > 0 ? "bot" : "ip:" + context.Connection.RemoteIpAddress;
        if (context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            // No route matched (the REST layer answers 404): authenticate by path shape, do not rate limit.
            var segments = pathUnderApi.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var exempt = segments is ["webhooks", _, _, ..] or ["interactions", ..]
                || (method == "GET" && segments is ["gateway"] or ["invites", _]);
            return new RouteInfo(method + " " + pathUnderApi, "", exempt, exempt && segments is ["interactions", ..], false, caller);
        }

        var template = Template(endpoint.RoutePattern);
        if (template.StartsWith(SandboxPipeline.ApiPrefix, StringComparison.Ordinal))
            template = template[SandboxPipeline.ApiPrefix.Length..];
        if (template.Length == 0)
            template = "/";
        var key = method + " " + template;
        var isWebhookToken = template.StartsWith("/webhooks/{webhook_id}/{webhook_token}", StringComparison.Ordinal);
        var isInteraction = template.StartsWith("/interactions/", StringComparison.Ordinal);
        var authExempt = isWebhookToken || isInteraction
            || key is "GET /gateway" or "GET /invites/{invite_code}";
        return new RouteInfo(key, MajorParameter(context, isWebhookToken), authExempt, isInteraction, true, caller);
    }

    private static string MajorParameter(HttpContext context, bool isWebhookToken)
    {
        var values = context.Request.RouteValues;
        foreach (var name in MajorParameters)
        {
            if (values.TryGetValue(name, out var value) && value is not null)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                if (name == "webhook_id" && isWebhookToken && values.TryGetValue("webhook_token", out var token))
                    text += "/" + Convert.ToString(token, CultureInfo.InvariantCulture);
                return name + "=" + text;
            }
        }
        return "";
    }

    /// <summary>The pattern as <c>/channels/{channel_id}/messages</c>: literals kept, parameters by name, constraints dropped.</summary>
    private static string Template(RoutePattern pattern)
    {
        var builder = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            builder.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        builder.Append(literal.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        builder.Append('{').Append(parameter.Name).Append('}');
                        break;
                    case RoutePatternSeparatorPart separator:
                        builder.Append(separator.Content);
                        break;
                }
            }
        }
        return builder.ToString();
    }

    internal sealed record RouteInfo(string Key, string Major, bool AuthExempt, bool GlobalExempt, bool Limited, string Caller);
}
