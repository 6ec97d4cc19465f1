using System.Security.Claims;
using System.Text.Encodings.Web;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// <c>Authorization: Bearer dmcp_…</c>: the key must parse, exist, match its stored hash, and be neither revoked nor
/// expired. Anything else is "not authenticated" (the MCP challenge answers 401 with the protected-resource metadata).
/// The policy pipeline checks the key again on every tool call, so a key revoked mid-session stops working at once.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IPlatformStore store, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DiscordMcpApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ApiKeyHeader.Read(Request.Headers);
        if (key is null)
            return AuthenticateResult.NoResult();
        if (!ApiKeys.TryParse(key, out var lookupId, out var secret))
            return AuthenticateResult.Fail("The bearer token is not a DiscordMCP API key.");
        var record = await store.FindApiKeyByLookupIdAsync(lookupId, Context.RequestAborted);
        if (record is null || !ApiKeys.VerifySecret(secret, record.SecretHash))
            return AuthenticateResult.Fail("Unknown API key.");
        var now = time.GetUtcNow();
        if (record.RevokedAt is { } revoked && revoked <= now)
            return AuthenticateResult.Fail("The API key was revoked.");
        if (record.ExpiresAt is { } expires && expires <= now)
            return AuthenticateResult.Fail("The API key expired.");
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, record.PrincipalId),
            new Claim("workspace", record.WorkspaceId),
            new Claim(ClaimTypes.Role, record.Role.ToString().ToLowerInvariant()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>The bearer value of an <c>Authorization</c> header, or null.</summary>
internal static class ApiKeyHeader
{
    public static string? Read(IHeaderDictionary headers)
    {
        var value = headers[HeaderNames.Authorization].ToString();
        const string Bearer = "Bearer ";
        return value.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) && value.Length > Bearer.Length ? value[Bearer.Length..].Trim() : null;
    }
}

/// <summary>HTTP callers: the API key of the current request (re-verified by the pipeline's authentication layer).</summary>
internal sealed class HttpCallerIdentity(IHttpContextAccessor accessor) : IToolCallerIdentity
{
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context) =>
        new ApiKeyCredential(accessor.HttpContext is { } http ? ApiKeyHeader.Read(http.Request.Headers) : null);

    public PolicyCredential GetResourceCredential(RequestContext<ReadResourceRequestParams> context) =>
        new ApiKeyCredential(accessor.HttpContext is { } http ? ApiKeyHeader.Read(http.Request.Headers) : null);
}
