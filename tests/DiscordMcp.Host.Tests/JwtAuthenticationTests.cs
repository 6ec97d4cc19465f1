using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests;

/// <summary>JWT bearer tokens of an external authorization server, minted here with a generated RSA key (no network).</summary>
public sealed class JwtAuthenticationTests : IAsyncLifetime, IDisposable
{
    private const string Issuer = "https://issuer.test/";
    private const string Audience = "discord-mcp-test";
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private WebApplication _app = null!;
    private Uri _mcpUrl = null!;

    public async Task InitializeAsync()
    {
        _app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false, overrides: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = Issuer,
            ["Auth:Jwt:Audience"] = Audience,
            ["Auth:Jwt:SigningKey"] = _key.ExportSubjectPublicKeyInfoPem(),
            ["Auth:Jwt:RoleClaim"] = "roles",
            ["Auth:Jwt:RoleMap:mcp.reader"] = "viewer",
            ["Auth:Jwt:RoleMap:mcp.admin"] = "admin",
            ["Auth:Jwt:WorkspaceClaim"] = "tenant",
        }));
        await _app.StartAsync();
        _mcpUrl = new Uri(_app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
    }

    [Fact]
    public async Task A_valid_token_runs_a_tool_as_its_subject_in_its_workspace()
    {
        await using var client = await ConnectAsync(Token());

        var result = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

        Assert.True(result.IsError != true, string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        var events = await Audit().ReadAsync(new AuditQuery(Tool: "discord_list_channels", Decision: AuditDecision.Allowed), CancellationToken.None);
        Assert.Contains(events, e => e.PrincipalId == "oauth:alice" && e.WorkspaceId == "default");
    }

    [Fact]
    public async Task Api_keys_keep_working_beside_jwt()
    {
        await using var client = await ConnectAsync(DiscordMcpHttpHost.SandboxApiKey(_app.Services)!);

        var result = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

        Assert.True(result.IsError != true);
    }

    [Fact]
    public async Task A_token_for_an_unknown_workspace_is_denied_by_the_pipeline()
    {
        await using var client = await ConnectAsync(Token(tenant: "nowhere"));

        var result = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

        Assert.True(result.IsError);
        Assert.Contains("(workspace_not_found)", string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text)), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Rejections() => new()
    {
        { "wrong_issuer", ReasonCodes.TokenIssuerInvalid },
        { "wrong_audience", ReasonCodes.TokenAudienceInvalid },
        { "expired", ReasonCodes.TokenExpired },
        { "bad_signature", ReasonCodes.TokenSignatureInvalid },
        { "missing_role", ReasonCodes.TokenClaimsInvalid },
        { "unmapped_role", ReasonCodes.TokenClaimsInvalid },
        { "missing_workspace", ReasonCodes.TokenClaimsInvalid },
        { "garbage", ReasonCodes.TokenInvalid },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task A_rejected_token_is_401_and_audited_with_its_reason_and_without_the_token(string scenario, string reason)
    {
        var token = scenario switch
        {
            "wrong_issuer" => Token(issuer: "https://evil.test/"),
            "wrong_audience" => Token(audience: "someone-else"),
            "expired" => Token(expires: DateTime.UtcNow.AddMinutes(-5)),
            "bad_signature" => Token(key: _otherKey),
            "missing_role" => Token(roles: []),
            "unmapped_role" => Token(roles: ["admin"]), // only mapped values count once a RoleMap is configured
            "missing_workspace" => Token(tenant: null),
            _ => "aaa.bbb.ccc",
        };

        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(token));

        var events = await Audit().ReadAsync(new AuditQuery(Tool: AuthenticationAuditor.Tool, Limit: 100), CancellationToken.None);
        var audited = Assert.Single(events);
        Assert.Equal(reason, audited.ReasonCode);
        Assert.Equal("authentication", audited.Layer);
        Assert.DoesNotContain(token.Split('.')[1], audited.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], audited.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_protected_resource_metadata_names_the_authorization_server()
    {
        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri(_mcpUrl, "/.well-known/oauth-protected-resource/mcp")));

        Assert.Contains(Issuer, json.RootElement.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()));
    }

    private string Token(string issuer = Issuer, string audience = Audience, DateTime? expires = null, RSA? key = null, string[]? roles = null, string? tenant = "default")
    {
        var claims = new Dictionary<string, object> { ["sub"] = "alice" };
        roles ??= ["mcp.reader", "mcp.admin"];
        if (roles.Length > 0)
            claims["roles"] = roles;
        if (tenant is not null)
            claims["tenant"] = tenant;
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddMinutes(-15),
            NotBefore = expiry.AddMinutes(-15),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key), SecurityAlgorithms.RsaSha256),
        });
    }

    private IAuditLog Audit() => _app.Services.GetRequiredService<IAuditLog>();

    private async Task<McpClient> ConnectAsync(string bearer)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _mcpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + bearer },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    private async Task<HttpStatusCode> PostAsync(string bearer)
    {
        using var http = new HttpClient();
        using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _mcpUrl) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>Claims → platform principal, and the settings' validation.</summary>
public sealed class JwtClaimMappingTests
{
    private static readonly JwtAuthOptions Options = new()
    {
        Issuer = "https://issuer.test/", Audience = "a", RoleClaim = "roles", Workspace = "default",
        RoleMap = new(StringComparer.Ordinal) { ["reader"] = "viewer", ["ops"] = "operator" },
    };

    [Theory]
    [InlineData(new[] { "reader" }, PlatformRole.Viewer)]
    [InlineData(new[] { "reader", "ops", "unknown" }, PlatformRole.Operator)]
    public void The_highest_mapped_role_wins(string[] values, PlatformRole expected)
    {
        var token = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "bob"), .. values.Select(v => new Claim("roles", v))], "t"));

        Assert.Null(JwtAuthentication.MapPrincipal(token, Options, out var identity));

        Assert.Equal(expected.ToString().ToLowerInvariant(), identity!.FindFirst(ClaimTypes.Role)!.Value);
        Assert.Equal("oauth:bob", identity.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        Assert.Equal("default", identity.FindFirst(JwtAuthentication.WorkspaceClaim)!.Value);
    }

    [Fact]
    public void A_token_without_a_subject_is_refused()
    {
        var token = new ClaimsPrincipal(new ClaimsIdentity([new Claim("roles", "reader")], "t"));

        var rejection = JwtAuthentication.MapPrincipal(token, Options, out _);

        Assert.Equal(ReasonCodes.TokenClaimsInvalid, rejection!.ReasonCode);
    }

    [Fact]
    public void Invalid_settings_are_each_named()
    {
        var errors = new JwtAuthOptions
        {
            Issuer = "https://issuer.test/", RoleMap = new() { ["x"] = "owner" }, WorkspaceClaim = "t", Workspace = "default", SigningKey = "nope",
        }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Auth:Jwt:Audience", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Auth:Jwt:RoleMap:x", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("exactly one of Auth:Jwt:WorkspaceClaim", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Auth:Jwt:SigningKey", StringComparison.Ordinal));
        Assert.Empty(new JwtAuthOptions().Validate()); // off by default
    }
}
