using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Security;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp keys issue|list|revoke</c>. Secrets are printed once, at issue, and never stored.</summary>
internal static class KeysCommand
{
    private static readonly OptionSpec Workspace = new("--workspace", "ID", "Workspace the key belongs to.");
    private static readonly OptionSpec Role = new("--role", "ROLE", "viewer, operator or admin.");
    private static readonly OptionSpec Name = new("--name", "NAME", "A label for the key (e.g. the client that uses it).");
    private static readonly OptionSpec Expires = new("--expires", "WHEN", "Expiry: a duration from now (30d, 12h, 2w, 90m) or an ISO-8601 instant. Default: never.");
    private static readonly OptionSpec Toolsets = new("--toolsets", "A,B", "Restrict the key to these toolsets (comma-separated). Default: all toolsets the role allows.");

    public static CommandSpec Definition { get; } = AdminGroup.Define("keys", "Issue, list and revoke API keys.",
    [
        new("issue", "Issue an API key (printed once; only its hash is stored).", [], [Workspace, Role, Name, Expires, Toolsets, AdminGroup.JsonOption], IssueAsync,
            "Creates the key's principal (key:<lookup id>) and its membership of the workspace with the role."),
        new("list", "List a workspace's keys (never their secrets).", [], [Workspace, AdminGroup.JsonOption], ListAsync),
        new("revoke", "Revoke a key by its id (the lookup id shown by 'keys list').", ["key_id"], [AdminGroup.JsonOption], RevokeAsync),
    ]);

    private static async Task<int> IssueAsync(AdminInvocation call)
    {
        var workspaceId = call.Value(Workspace.Name);
        if (workspaceId is null)
            return await call.UsageErrorAsync("--workspace is required.");
        if (!AdminFormat.IsWorkspaceId(workspaceId))
            return await call.UsageErrorAsync($"--workspace '{workspaceId}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        if (call.Value(Role.Name) is not { } roleText)
            return await call.UsageErrorAsync("--role is required (viewer, operator or admin).");
        if (!AdminFormat.TryParseRole(roleText, out var role))
            return await call.UsageErrorAsync($"--role '{roleText}' is not a role; use viewer, operator or admin.");
        var label = call.Value(Name.Name)?.Trim();
        if (label is { Length: 0 or > 200 })
            return await call.UsageErrorAsync("--name must be 1-200 characters.");
        IReadOnlyList<string>? scopes = null;
        if (call.Value(Toolsets.Name) is { } toolsetText)
        {
            var known = DiscordMcpRegistration.Catalog().Select(t => t.Toolset).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var list = toolsetText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (list.Length == 0)
                return await call.UsageErrorAsync("--toolsets is empty; name at least one toolset or leave the option out.");
            var unknown = list.Where(t => !known.Contains(t)).ToList();
            if (unknown.Count > 0)
            {
                return await call.UsageErrorAsync(
                    $"--toolsets names unknown toolset(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
            scopes = [.. list.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
        }

        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var now = services.Time.GetUtcNow();
        DateTimeOffset? expiresAt = null;
        if (call.Value(Expires.Name) is { } expiresText)
        {
            if (!AdminFormat.TryParseInstant(expiresText, now, future: true, out var instant))
                return await call.UsageErrorAsync($"--expires '{expiresText}' is neither a duration (30d, 12h, 2w, 90m) nor an ISO-8601 instant.");
            if (instant <= now)
                return await call.UsageErrorAsync($"--expires '{expiresText}' is in the past.");
            expiresAt = instant;
        }
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;

        var generated = ApiKeys.Generate();
        var principalId = $"key:{generated.LookupId}";
        await services.Platform.UpsertPrincipalAsync(new Principal(principalId, PrincipalKind.ApiClient, label ?? $"API key {generated.LookupId}"), CancellationToken.None);
        await services.Platform.SetMembershipAsync(new WorkspaceMembership(workspaceId, principalId, role, scopes), CancellationToken.None);
        await services.Platform.CreateApiKeyAsync(new ApiKeyRecord(generated.LookupId, workspaceId, principalId, role, generated.LookupId, generated.SecretHash,
            now, expiresAt, null, label, scopes), CancellationToken.None);

        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("key", generated.Key);
                w.WriteString("key_id", generated.LookupId);
                w.WriteString("workspace", workspaceId);
                w.WriteString("role", AdminFormat.Word(role));
                w.WriteTime("expires_at", expiresAt);
                w.WriteStrings("toolsets", scopes);
                w.WriteEndObject();
            }));
        }
        else
        {
            await call.Context.Out.WriteAsync(
                $"""
                API key for workspace '{workspaceId}' (role {AdminFormat.Word(role)}, id {generated.LookupId}, expires {AdminFormat.Time(expiresAt)}):

                  {generated.Key}

                """);
        }
        await call.Context.Error.WriteLineAsync("Warning: this key is shown only once and cannot be recovered. Store it now (e.g. in your MCP client's secret store).");
        return AdminExit.Ok;
    }

    private static async Task<int> ListAsync(AdminInvocation call)
    {
        var workspaceId = call.Value(Workspace.Name);
        if (workspaceId is null || !AdminFormat.IsWorkspaceId(workspaceId))
        {
            return await call.UsageErrorAsync(workspaceId is null
                ? "--workspace is required."
                : $"--workspace '{workspaceId}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        }
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;
        var keys = await services.Platform.ListApiKeysAsync(workspaceId, CancellationToken.None);
        var now = services.Time.GetUtcNow();
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartArray();
                foreach (var k in keys)
                {
                    w.WriteStartObject();
                    w.WriteString("key_id", k.Id);
                    w.WriteString("prefix", $"{ApiKeys.Prefix}{k.LookupId}_…");
                    w.WriteString("principal_id", k.PrincipalId);
                    w.WriteString("role", AdminFormat.Word(k.Role));
                    w.WriteStringOrNull("name", k.Description);
                    w.WriteTime("created_at", k.CreatedAt);
                    w.WriteTime("expires_at", k.ExpiresAt);
                    w.WriteTime("revoked_at", k.RevokedAt);
                    w.WriteString("status", Status(k, now));
                    w.WriteStrings("toolsets", k.ToolsetScopes);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
            return AdminExit.Ok;
        }
        if (keys.Count == 0)
        {
            await call.Context.Out.WriteLineAsync($"Workspace '{workspaceId}' has no API keys. Issue one with 'discord-mcp keys issue --workspace {workspaceId} --role admin'.");
            return AdminExit.Ok;
        }
        await call.Context.Out.WriteAsync(AdminFormat.Table(["KEY ID", "PREFIX", "ROLE", "NAME", "CREATED", "EXPIRES", "STATUS", "TOOLSETS"],
            keys.Select(k => (IReadOnlyList<string>)[k.Id, $"{ApiKeys.Prefix}{k.LookupId}_…", AdminFormat.Word(k.Role), k.Description ?? "-",
                AdminFormat.Time(k.CreatedAt), AdminFormat.Time(k.ExpiresAt), Status(k, now), k.ToolsetScopes is null ? "all" : string.Join(',', k.ToolsetScopes)])));
        return AdminExit.Ok;
    }

    private static string Status(ApiKeyRecord key, DateTimeOffset now) =>
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt is { } e && e <= now ? "expired" : "active";

    private static async Task<int> RevokeAsync(AdminInvocation call)
    {
        var keyId = call.Positionals[0];
        if (keyId.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            return await call.UsageErrorAsync(
                "KEY_ID is the key's id from 'discord-mcp keys list' (12 hex characters), not the key itself; don't paste secrets on command lines.");
        }
        if (keyId.Length != ApiKeys.LookupIdLength || !keyId.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c)))
            return await call.UsageErrorAsync($"KEY_ID '{keyId}' is not a key id (12 lowercase hex characters, as shown by 'discord-mcp keys list').");
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var key = await services.Platform.FindApiKeyByLookupIdAsync(keyId, CancellationToken.None);
        if (key is null)
            return await call.FailAsync($"no API key with id '{keyId}'. List keys with 'discord-mcp keys list --workspace ID'.");
        var already = key.RevokedAt is not null;
        await services.Platform.RevokeApiKeyAsync(key.WorkspaceId, key.Id, services.Time.GetUtcNow(), CancellationToken.None);
        await call.Context.Out.WriteAsync(call.Json
            ? AdminFormat.Json(w => { w.WriteStartObject(); w.WriteString("key_id", keyId); w.WriteString("workspace", key.WorkspaceId); w.WriteBoolean("already_revoked", already); w.WriteEndObject(); })
            : already
                ? $"Key {keyId} (workspace '{key.WorkspaceId}') was already revoked.\n"
                : $"Revoked key {keyId} of workspace '{key.WorkspaceId}'. Requests with it are now refused.\n");
        return AdminExit.Ok;
    }
}
