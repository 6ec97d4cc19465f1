using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;

namespace DiscordMcp.Policy.Layers;

/// <summary>Layer 1: who is calling. API keys are parsed, looked up and verified in constant time; revocation and expiry are checked only after the secret matched (so they leak nothing to a guesser).</summary>
internal sealed class AuthenticationLayer(IPlatformStore store, TimeProvider timeProvider) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.Authentication;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        switch (context.Request.Credential)
        {
            case ApiKeyCredential key:
                return await ApiKeyAsync(context, key.Key, cancellationToken);
            case LocalOperatorCredential local:
                context.PrincipalId = "local:operator";
                context.PrincipalKind = PrincipalKind.LocalOperator;
                context.WorkspaceId = local.WorkspaceId;
                context.Role = local.Role;
                return null;
            case VerifiedTokenCredential token:
                context.PrincipalId = token.PrincipalId;
                context.PrincipalKind = PrincipalKind.ApiClient;
                context.WorkspaceId = token.WorkspaceId;
                context.Role = token.Role;
                context.ToolsetScopes = token.ToolsetScopes;
                return null;
            case DiscordUserCredential user:
                context.PrincipalId = "discord:" + user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.PrincipalKind = PrincipalKind.DiscordUser;
                context.WorkspaceId = user.WorkspaceId;
                return null;
            default:
                return Deny("No credentials were presented. Send the header 'Authorization: Bearer <api key>' (keys start with dmcp_).");
        }
    }

    private async ValueTask<PolicyDecision?> ApiKeyAsync(PolicyContext context, string? presented, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return Deny("No API key was presented. Send the header 'Authorization: Bearer <api key>' (keys start with dmcp_).");
        }

        if (!ApiKeys.TryParse(presented, out var lookupId, out var secret))
        {
            return Deny($"The API key is malformed: expected '{ApiKeys.Prefix}' followed by {ApiKeys.LookupIdLength} hex characters, '_' and a {ApiKeys.SecretLength}-character secret. Copy the whole key as it was shown when issued.");
        }

        var record = await store.FindApiKeyByLookupIdAsync(lookupId, cancellationToken);
        if (record is null || !ApiKeys.VerifySecret(secret, record.SecretHash))
        {
            return Deny("The API key is not valid. Ask a workspace admin for a key (discord-mcp keys issue).");
        }

        if (record.RevokedAt is { } revokedAt)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.KeyRevoked, $"The API key {ApiKeys.Prefix}{record.LookupId}_… was revoked at {revokedAt:u}. Ask a workspace admin for a new key.");
        }

        if (record.ExpiresAt is { } expiresAt && timeProvider.GetUtcNow() >= expiresAt)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.KeyExpired, $"The API key {ApiKeys.Prefix}{record.LookupId}_… expired at {expiresAt:u}. Ask a workspace admin for a new key (discord-mcp keys issue).");
        }

        context.PrincipalId = record.PrincipalId;
        context.PrincipalKind = PrincipalKind.ApiClient;
        context.WorkspaceId = record.WorkspaceId;
        context.Role = record.Role;
        context.ToolsetScopes = record.ToolsetScopes;
        return null;
    }

    private PolicyDecision Deny(string message) => PolicyDecision.Deny(Layer, ReasonCodes.Unauthenticated, message);
}
