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
/// expired. Anything else is "not authenticated" (the MCP challenge answers 401 with the protected-resource metadata),
/// with an <see cref="AuthenticationRejectedException"/> saying why, for the audit of rejected requests.
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
            return Reject(ReasonCodes.KeyMalformed, $"the bearer token is not a DiscordMCP API key ({ApiKeys.Prefix}…).");
        var keyId = $"{ApiKeys.Prefix}{lookupId}_…";
        var record = await store.FindApiKeyByLookupIdAsync(lookupId, Context.RequestAborted);
        if (record is null || !ApiKeys.VerifySecret(secret, record.SecretHash))
            return Reject(ReasonCodes.KeyUnknown, $"unknown API key {keyId}.");
        var now = time.GetUtcNow();
        // Revocation and expiry only once the secret matched: a guesser learns nothing about existing keys.
        if (record.RevokedAt is { } revoked && revoked <= now)
            return Reject(ReasonCodes.KeyRevoked, $"the API key {keyId} was revoked.", record.PrincipalId, record.WorkspaceId);
        if (record.ExpiresAt is { } expires && expires <= now)
            return Reject(ReasonCodes.KeyExpired, $"the API key {keyId} expired.", record.PrincipalId, record.WorkspaceId);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, record.PrincipalId),
            new Claim("workspace", record.WorkspaceId),
            new Claim(ClaimTypes.Role, record.Role.ToString().ToLowerInvariant()),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static AuthenticateResult Reject(string reasonCode, string message, string? principalId = null, string? workspaceId = null) =>
        AuthenticateResult.Fail(new AuthenticationRejectedException(reasonCode, message, principalId, workspaceId));
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

/// <summary>
/// HTTP callers: the API key of the current request (re-verified by the pipeline's authentication layer), or the
/// platform principal of a JWT the JwtBearer handler validated on this very request (workspace and role from its claims).
/// </summary>
internal sealed class HttpCallerIdentity(IHttpContextAccessor accessor) : IToolCallerIdentity
{
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context) => Current();

    public PolicyCredential GetResourceCredential(RequestContext<ReadResourceRequestParams> context) => Current();

    private PolicyCredential Current()
    {
        var http = accessor.HttpContext;
        if (http?.User.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == JwtAuthentication.SchemeName) is { } token)
        {
            var principal = token.FindFirst(ClaimTypes.NameIdentifier)?.Value;
            var workspace = token.FindFirst(JwtAuthentication.WorkspaceClaim)?.Value;
            var role = PlatformRoleNames.Parse(token.FindFirst(ClaimTypes.Role)?.Value);
            // Fail closed: a token identity without all three is treated as no credential at all.
            return principal is null || workspace is null || role is null
                ? new ApiKeyCredential(null)
                : new VerifiedTokenCredential(principal, workspace, role.Value);
        }
        return new ApiKeyCredential(http is null ? null : ApiKeyHeader.Read(http.Request.Headers));
    }
}
