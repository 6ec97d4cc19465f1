using System.Security.Claims;
using System.Security.Cryptography;
using DiscordMcp.Host.Admin;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// Optional JWT bearer tokens from an external OAuth 2.1 authorization server (section <c>Auth:Jwt</c>; on when
/// <see cref="Issuer"/> is set). Signing keys come from the issuer's metadata (JWKS) or, offline and in tests, from a
/// configured RSA public key.
/// </summary>
internal sealed class JwtAuthOptions
{
    public const string Section = "Auth:Jwt";

    public string? Issuer { get; set; }
    public string? Audience { get; set; }

    /// <summary>OpenID/OAuth metadata document; default <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Metadata over plain HTTP is refused unless this is false (local development and tests only).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>An RSA public key (PEM) instead of the issuer's JWKS.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim holding the role (one value or a list); mapped by <see cref="RoleMap"/>.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Claim value → viewer, operator or admin. Empty: the values viewer, operator and admin map to themselves.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The claim naming the workspace; or set <see cref="Workspace"/> for one fixed workspace.</summary>
    public string? WorkspaceClaim { get; set; }

    public string? Workspace { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);

    public static JwtAuthOptions Read(IConfiguration configuration)
    {
        var options = new JwtAuthOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>What is wrong with the settings, each naming its key; empty when JWT is off or valid.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            if (!string.IsNullOrWhiteSpace(Audience) || !string.IsNullOrWhiteSpace(SigningKey) || !string.IsNullOrWhiteSpace(WorkspaceClaim) || !string.IsNullOrWhiteSpace(Workspace))
                errors.Add("Auth:Jwt:Issuer must be set when other Auth:Jwt settings are (the issuer's URL, e.g. https://login.example.com/).");
            return errors;
        }
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out _))
            errors.Add($"Auth:Jwt:Issuer must be an absolute URL such as https://login.example.com/; got '{Issuer}'.");
        if (string.IsNullOrWhiteSpace(Audience))
            errors.Add("Auth:Jwt:Audience must be set when Auth:Jwt:Issuer is (the audience your authorization server puts in tokens for this server, e.g. its /mcp URL).");
        if (string.IsNullOrWhiteSpace(RoleClaim))
            errors.Add("Auth:Jwt:RoleClaim must name a claim (default 'role').");
        foreach (var (value, role) in RoleMap)
        {
            if (PlatformRoleNames.Parse(role) is null)
                errors.Add($"Auth:Jwt:RoleMap:{value} must be viewer, operator or admin; got '{role}'.");
        }
        var hasClaim = !string.IsNullOrWhiteSpace(WorkspaceClaim);
        var hasFixed = !string.IsNullOrWhiteSpace(Workspace);
        if (hasClaim == hasFixed)
            errors.Add("Set exactly one of Auth:Jwt:WorkspaceClaim (the claim naming the workspace) and Auth:Jwt:Workspace (one fixed workspace).");
        if (hasFixed && !AdminFormat.IsWorkspaceId(Workspace!.Trim()))
            errors.Add($"Auth:Jwt:Workspace must be a workspace id ({AdminFormat.WorkspaceIdRule}); got '{Workspace}'.");
        if (!string.IsNullOrWhiteSpace(SigningKey) && TryLoadKey(SigningKey) is null)
            errors.Add("Auth:Jwt:SigningKey must be an RSA public key in PEM form (-----BEGIN PUBLIC KEY-----…).");
        if (!string.IsNullOrWhiteSpace(MetadataAddress) && !Uri.TryCreate(MetadataAddress, UriKind.Absolute, out _))
            errors.Add($"Auth:Jwt:MetadataAddress must be an absolute URL; got '{MetadataAddress}'.");
        return errors;
    }

    internal static RsaSecurityKey? TryLoadKey(string pem)
    {
        try
        {
#pragma warning disable CA2000 // The key lives as long as the host's token validation parameters.
            var rsa = RSA.Create();
#pragma warning restore CA2000
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The platform role of the token's role claim values (the highest mapped one), or null.</summary>
    public PlatformRole? MapRole(IEnumerable<string> values)
    {
        PlatformRole? best = null;
        foreach (var value in values)
        {
            var mapped = RoleMap.Count == 0 ? PlatformRoleNames.Parse(value) : RoleMap.TryGetValue(value, out var name) ? PlatformRoleNames.Parse(name) : null;
            if (mapped is { } role && (best is null || role > best))
                best = role;
        }
        return best;
    }
}

internal static class PlatformRoleNames
{
    public static PlatformRole? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "VIEWER" => PlatformRole.Viewer,
        "OPERATOR" => PlatformRole.Operator,
        "ADMIN" => PlatformRole.Admin,
        _ => null,
    };
}

/// <summary>Wires the JwtBearer handler: validation from <see cref="JwtAuthOptions"/>, claims → platform principal, rejections with reason codes.</summary>
internal static class JwtAuthentication
{
    public const string SchemeName = "DiscordMcpJwt";
    public const string SelectorScheme = "DiscordMcpBearer";
    public const string WorkspaceClaim = "workspace";
    public const string PrincipalPrefix = "oauth:";

    public static void Configure(JwtBearerOptions o, JwtAuthOptions jwt)
    {
        o.MapInboundClaims = false;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = jwt.Issuer,
            ValidateAudience = true,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            o.TokenValidationParameters.IssuerSigningKey = JwtAuthOptions.TryLoadKey(jwt.SigningKey);
            o.Configuration = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration { Issuer = jwt.Issuer };
        }
        else
        {
            o.MetadataAddress = string.IsNullOrWhiteSpace(jwt.MetadataAddress)
                ? jwt.Issuer!.TrimEnd('/') + "/.well-known/openid-configuration"
                : jwt.MetadataAddress;
        }
        o.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                context.Fail(new AuthenticationRejectedException(ReasonFor(context.Exception), MessageFor(context.Exception)));
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var rejection = MapPrincipal(context.Principal, jwt, out var identity);
                if (rejection is not null)
                    context.Fail(rejection);
                else
                    context.Principal = new ClaimsPrincipal(identity!);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>The platform principal of a validated token, or why it cannot be one (fail closed on missing or unknown claims).</summary>
    internal static AuthenticationRejectedException? MapPrincipal(ClaimsPrincipal? token, JwtAuthOptions jwt, out ClaimsIdentity? identity)
    {
        identity = null;
        var subject = token?.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > 200)
            return Claims("the token has no usable 'sub' claim.");
        var values = token!.FindAll(jwt.RoleClaim).Select(c => c.Value).ToList();
        if (values.Count == 0)
            return Claims($"the token has no '{jwt.RoleClaim}' claim (Auth:Jwt:RoleClaim).");
        if (jwt.MapRole(values) is not { } role)
            return Claims($"no value of the '{jwt.RoleClaim}' claim maps to a role (Auth:Jwt:RoleMap).");
        string? workspace;
        if (!string.IsNullOrWhiteSpace(jwt.Workspace))
        {
            workspace = jwt.Workspace.Trim();
        }
        else
        {
            var claimed = token.FindAll(jwt.WorkspaceClaim!).Select(c => c.Value).ToList();
            if (claimed.Count != 1 || !AdminFormat.IsWorkspaceId(claimed[0]))
                return Claims($"the token's '{jwt.WorkspaceClaim}' claim (Auth:Jwt:WorkspaceClaim) must hold exactly one workspace id.");
            workspace = claimed[0];
        }
        identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, PrincipalPrefix + subject),
            new Claim(WorkspaceClaim, workspace),
            new Claim(ClaimTypes.Role, role.ToString().ToLowerInvariant()),
        ], SchemeName);
        return null;
    }

    private static AuthenticationRejectedException Claims(string message) => new(ReasonCodes.TokenClaimsInvalid, message);

    private static string ReasonFor(Exception exception) => exception switch
    {
        SecurityTokenExpiredException => ReasonCodes.TokenExpired,
        SecurityTokenInvalidIssuerException => ReasonCodes.TokenIssuerInvalid,
        SecurityTokenInvalidAudienceException => ReasonCodes.TokenAudienceInvalid,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => ReasonCodes.TokenSignatureInvalid,
        _ => ReasonCodes.TokenInvalid,
    };

    // The exception texts of the token library may quote the token; only fixed sentences leave this method.
    private static string MessageFor(Exception exception) => ReasonFor(exception) switch
    {
        ReasonCodes.TokenExpired => "the bearer token expired.",
        ReasonCodes.TokenIssuerInvalid => "the bearer token was issued by another issuer (Auth:Jwt:Issuer).",
        ReasonCodes.TokenAudienceInvalid => "the bearer token is for another audience (Auth:Jwt:Audience).",
        ReasonCodes.TokenSignatureInvalid => "the bearer token's signature does not verify with the issuer's keys.",
        _ => "the bearer token is not a valid JWT for this server.",
    };

    /// <summary>Which scheme reads this request: <c>dmcp_</c> keys (and anything without a bearer value) → API keys, else the JWT handler.</summary>
    public static string Select(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var bearer = ApiKeyHeader.Read(context.Request.Headers);
        return bearer is null || bearer.StartsWith(Policy.Security.ApiKeys.Prefix, StringComparison.Ordinal) || bearer.Count(c => c == '.') != 2
            ? ApiKeyAuthenticationHandler.SchemeName
            : SchemeName;
    }
}
