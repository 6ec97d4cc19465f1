using System.Security.Cryptography;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests;

/// <summary>Signing keys from the issuer's metadata: a loopback "authorization server" serves the discovery document and JWKS.</summary>
public sealed class JwtJwksTests
{
    [Fact]
    public async Task Tokens_signed_with_a_key_of_the_issuers_jwks_are_accepted()
    {
        using var rsa = RSA.Create(2048);
        var signingKey = new RsaSecurityKey(rsa) { KeyId = "k1" };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });

        var issuerBuilder = WebApplication.CreateSlimBuilder();
        issuerBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var issuerApp = issuerBuilder.Build();
        string? issuer = null;
        issuerApp.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = issuer!,
            ["jwks_uri"] = issuer + "jwks",
        }));
        issuerApp.MapGet("/jwks", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = jwk.Kid, ["use"] = "sig", ["n"] = jwk.N, ["e"] = jwk.E } },
        }));
        await issuerApp.StartAsync();
        issuer = issuerApp.Urls.Single().TrimEnd('/') + "/";

        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false, overrides: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = issuer,
            ["Auth:Jwt:Audience"] = "mcp",
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Jwt:Workspace"] = "default",
        }));
        await app.StartAsync();
        try
        {
            var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = issuer,
                Audience = "mcp",
                Claims = new Dictionary<string, object> { ["sub"] = "carol", ["role"] = "viewer" },
                Expires = DateTime.UtcNow.AddMinutes(10),
                SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
            });
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath),
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            });
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });

            var result = await client.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId });

            Assert.True(result.IsError != true);
        }
        finally
        {
            await app.StopAsync();
            await issuerApp.StopAsync();
        }
    }
}
