using DiscordMcp.Host.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// Refuses, before any endpoint runs: browser requests from foreign origins (403; DNS-rebinding and cross-site calls to a
/// loopback server) and bodies over <see cref="ServerOptions.MaxRequestBodyBytes"/> (413). Host names are checked
/// earlier by ASP.NET Core's host filtering (<c>AllowedHosts</c>, 400).
/// </summary>
internal sealed class RequestGuardMiddleware(RequestDelegate next, IOptions<ServerOptions> options)
{
    private readonly long _maxBody = options.Value.MaxRequestBodyBytes;
    private readonly HashSet<string> _allowedOrigins = new(options.Value.AllowedOrigins.Select(Normalize), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsAllowedOrigin(origin))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "origin_not_allowed",
                "This origin may not call the server. Add it to Server:AllowedOrigins to allow it.");
            return;
        }
        if (context.Request.ContentLength > _maxBody)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "body_too_large",
                $"The request body is larger than {_maxBody} bytes (Server:MaxRequestBodyBytes).");
            return;
        }
        // Bodies without a Content-Length (chunked) are cut off by Kestrel's limit, which answers 413 itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = _maxBody;
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A chunked body went over the limit while an endpoint read it: answer 413 without an error log and stack trace.
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "body_too_large",
                $"The request body is larger than {_maxBody} bytes (Server:MaxRequestBodyBytes).");
        }
    }

    private bool IsAllowedOrigin(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
            return false;
        return _allowedOrigins.Count > 0 ? _allowedOrigins.Contains(Normalize(origin)) : uri.IsLoopback;
    }

    private static string Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : origin;

    private static Task RefuseAsync(HttpContext context, int status, string error, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorResponse(error, message), HostJsonContext.Default.ErrorResponse);
    }
}
