using DiscordMcp.Policy.Model;

namespace DiscordMcp.Policy.Pipeline;

/// <summary>The pipeline layers, in evaluation order (architecture §2.3).</summary>
public enum PolicyLayer
{
    /// <summary>No layer (an allow decision).</summary>
    None = 0,
    /// <summary>1. API key / bearer token; stdio = the local operator.</summary>
    Authentication = 1,
    /// <summary>2. The principal belongs to the workspace.</summary>
    WorkspaceMembership = 2,
    /// <summary>3. The guild belongs to the workspace and the bot is in it.</summary>
    GuildInstallation = 3,
    /// <summary>4. Role / toolset scopes (agent: the user's own Discord permissions).</summary>
    PlatformPermission = 4,
    /// <summary>5. Channel / category / guild access rules.</summary>
    ChannelPolicy = 5,
    /// <summary>6. Cross-guild id checks, bot permissions, role hierarchy.</summary>
    BotPermission = 6,
    /// <summary>7. Token buckets per principal and per guild.</summary>
    RateLimit = 7,
    /// <summary>8. Tool mode: allow / dry-run / confirm / approve / deny.</summary>
    Confirmation = 8,
    /// <summary>9. Execution and its audit.</summary>
    Audit = 9,
}

/// <summary>Snake-case layer names used in audit events and tool results.</summary>
public static class PolicyLayerNames
{
    /// <summary>The stable name of a layer (e.g. <c>channel_policy</c>).</summary>
    public static string Of(PolicyLayer layer) => layer switch
    {
        PolicyLayer.Authentication => "authentication",
        PolicyLayer.WorkspaceMembership => "workspace_membership",
        PolicyLayer.GuildInstallation => "guild_installation",
        PolicyLayer.PlatformPermission => "platform_permission",
        PolicyLayer.ChannelPolicy => "channel_policy",
        PolicyLayer.BotPermission => "bot_permission",
        PolicyLayer.RateLimit => "rate_limit",
        PolicyLayer.Confirmation => "confirmation",
        PolicyLayer.Audit => "audit",
        _ => "none",
    };
}

/// <summary>Stable reason codes. Clients may branch on these; never rename one.</summary>
public static class ReasonCodes
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string Unauthenticated = "unauthenticated";
    public const string KeyRevoked = "key_revoked";
    public const string KeyExpired = "key_expired";
    // HTTP requests rejected before any tool call (audited with tool "mcp_http_request").
    public const string CredentialsMissing = "credentials_missing";
    public const string KeyMalformed = "key_malformed";
    public const string KeyUnknown = "key_unknown";
    public const string TokenInvalid = "token_invalid";
    public const string TokenExpired = "token_expired";
    public const string TokenIssuerInvalid = "token_issuer_invalid";
    public const string TokenAudienceInvalid = "token_audience_invalid";
    public const string TokenSignatureInvalid = "token_signature_invalid";
    public const string TokenClaimsInvalid = "token_claims_invalid";
    public const string RejectionsSuppressed = "rejections_suppressed";
    public const string WorkspaceNotFound = "workspace_not_found";
    public const string NotWorkspaceMember = "not_workspace_member";
    public const string GuildRequired = "guild_required";
    public const string GuildNotInstalled = "guild_not_installed";
    // A Discord member (agent) acts only in the guild they spoke in.
    public const string AgentGuildMismatch = "agent_guild_mismatch";
    public const string NotGuildMember = "not_guild_member";
    public const string BotNotInGuild = "bot_not_in_guild";
    public const string PlatformPermissionDenied = "platform_permission_denied";
    public const string ToolsetNotInScope = "toolset_not_in_scope";
    public const string ChannelPolicyDenied = "channel_policy_denied";
    public const string BotMissingPermission = "bot_missing_permission";
    public const string HierarchyDenied = "hierarchy_denied";
    public const string CrossGuildReference = "cross_guild_reference";
    public const string RateLimited = "rate_limited";
    public const string ToolDenied = "tool_denied";
    public const string DryRun = "dry_run";
    public const string ConfirmationRequired = "confirmation_required";
    public const string ApprovalRequired = "approval_required";
    public const string ConfirmationInvalid = "confirmation_invalid";
    public const string ConfirmationExpired = "confirmation_expired";
    public const string ConfirmationMismatch = "confirmation_mismatch";
    public const string ActionApproved = "action_approved";
    public const string ActionRejected = "action_rejected";
    public const string ActionCancelled = "action_cancelled";
    public const string PromptDeclined = "prompt_declined";
    public const string AuditUnavailable = "audit_unavailable";
    public const string PolicyError = "policy_error";
#pragma warning restore CS1591
}

/// <summary>What the pipeline decided.</summary>
public enum PolicyVerdict
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>Every layer allowed; the call executes.</summary>
    Allow = 1,
    /// <summary>A layer denied; nothing executes.</summary>
    Deny = 2,
    /// <summary>A pending action was created; it executes only when confirmed / approved.</summary>
    Pending = 3,
    /// <summary>A dry run: the plan is returned, nothing executes.</summary>
    DryRun = 4,
}

/// <summary>
/// A decision. For anything but <see cref="PolicyVerdict.Allow"/>: the layer, a stable <see cref="ReasonCode"/> and a
/// sentence a person can act on. The MCP layer returns non-allow decisions as <c>IsError</c> tool results.
/// </summary>
public sealed record PolicyDecision(PolicyVerdict Verdict, PolicyLayer Layer, string ReasonCode, string Message)
{
    /// <summary>The shared allow decision.</summary>
    public static PolicyDecision Allowed { get; } = new(PolicyVerdict.Allow, PolicyLayer.None, "allowed", "Allowed.");

    /// <summary>True for <see cref="PolicyVerdict.Allow"/>.</summary>
    public bool IsAllowed => Verdict == PolicyVerdict.Allow;

    /// <summary>Stable layer name (e.g. <c>rate_limit</c>).</summary>
    public string LayerName => PolicyLayerNames.Of(Layer);

    /// <summary>For <c>rate_limited</c>: when to retry.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For pending decisions: the confirmation id.</summary>
    public string? PendingActionId { get; init; }

    /// <summary>For pending decisions: when the confirmation id expires.</summary>
    public DateTimeOffset? PendingExpiresAt { get; init; }

    /// <summary>A denial.</summary>
    public static PolicyDecision Deny(PolicyLayer layer, string reasonCode, string message) => new(PolicyVerdict.Deny, layer, reasonCode, message);
}

/// <summary>How a tool is described to the pipeline. Create once per tool and reuse.</summary>
/// <param name="Name">Tool name, e.g. <c>discord_create_webhook</c>.</param>
/// <param name="Toolset">Toolset name, e.g. <c>webhooks</c>.</param>
/// <param name="Access">From the tool's annotations.</param>
/// <param name="MinimumRole">Overrides the role derived from <paramref name="Access"/> (platform admin tools: <see cref="PlatformRole.Admin"/>).</param>
public sealed record ToolDescriptor(string Name, string Toolset, ToolAccess Access, PlatformRole? MinimumRole = null)
{
    /// <summary>True for anything but read tools (writes get an <c>executing</c> event before they run).</summary>
    public bool IsWrite => Access != ToolAccess.Read;

    /// <summary>The role needed: viewer for reads, operator for writes, admin when unknown; or <see cref="MinimumRole"/>.</summary>
    public PlatformRole RequiredRole => MinimumRole ?? Access switch
    {
        ToolAccess.Read => PlatformRole.Viewer,
        ToolAccess.Write or ToolAccess.Destructive => PlatformRole.Operator,
        _ => PlatformRole.Admin,
    };

    /// <summary>Mode when no policy overrides it: read → allow, write → confirm, destructive (or unknown) → approve.</summary>
    public ToolMode DefaultMode => Access switch
    {
        ToolAccess.Read => ToolMode.Allow,
        ToolAccess.Write => ToolMode.Confirm,
        _ => ToolMode.Approve,
    };
}

/// <summary>A referenced id that must belong to the authorised guild.</summary>
/// <param name="ParentChannelId">For messages: the channel that holds it.</param>
public readonly record struct ResourceReference(Ports.ResourceKind Kind, ulong Id, ulong? ParentChannelId = null);

/// <summary>Who is calling, as presented by the entry point.</summary>
public abstract record PolicyCredential;

/// <summary>An HTTP client's <c>Authorization: Bearer dmcp_…</c> value (<c>null</c> when absent). ToString hides it.</summary>
public sealed record ApiKeyCredential(string? Key) : PolicyCredential
{
    /// <inheritdoc />
    public override string ToString() => "ApiKeyCredential { Key = [redacted] }";
}

/// <summary>The local stdio operator of a configured workspace.</summary>
public sealed record LocalOperatorCredential(string WorkspaceId, PlatformRole Role = PlatformRole.Admin) : PolicyCredential;

/// <summary>A bearer token the host already validated (external OAuth 2.1 server), mapped to a principal and role.</summary>
public sealed record VerifiedTokenCredential(string PrincipalId, string WorkspaceId, PlatformRole Role, IReadOnlyList<string>? ToolsetScopes = null) : PolicyCredential;

/// <summary>
/// A Discord member acting through the agent, in the workspace that owns the guild. The platform permission layer computes
/// the member's own effective permissions for each call's target (channel, thread's parent or guild) when the call is
/// evaluated, so the bot never lends its permissions to someone who lacks them.
/// </summary>
public sealed record DiscordUserCredential(string WorkspaceId, ulong UserId, string? DisplayName = null) : PolicyCredential
{
    /// <summary>The guild the member spoke in; the agent acts for them only there (null: not bound, the pipeline denies).</summary>
    public ulong? GuildId { get; init; }
}

/// <summary>One tool call to authorise.</summary>
public sealed record PolicyRequest
{
    /// <summary>Who is calling.</summary>
    public required PolicyCredential Credential { get; init; }

    /// <summary>What is called.</summary>
    public required ToolDescriptor Tool { get; init; }

    /// <summary>The guild operated on; <c>null</c> for tools that touch no guild (platform tools).</summary>
    public ulong? GuildId { get; init; }

    /// <summary>The channel (or thread) operated on, if any.</summary>
    public ulong? ChannelId { get; init; }

    /// <summary>Discord permissions the bot needs: in <see cref="ChannelId"/> when set, else guild-wide.</summary>
    public ulong RequiredBotPermissions { get; init; }

    /// <summary>Other ids in the arguments; each must belong to <see cref="GuildId"/>.</summary>
    public IReadOnlyList<ResourceReference> References { get; init; } = [];

    /// <summary>Roles the call manages (role hierarchy is checked).</summary>
    public IReadOnlyList<ulong> TargetRoleIds { get; init; } = [];

    /// <summary>Members the call manages (kick, ban, timeout, role changes: hierarchy is checked).</summary>
    public IReadOnlyList<ulong> TargetMemberIds { get; init; } = [];

    /// <summary>The arguments in canonical JSON (<see cref="Security.CanonicalJson"/>); hashed for confirmation binding, redacted for audit.</summary>
    public string CanonicalArguments { get; init; } = "{}";

    /// <summary>Set when confirming a pending action.</summary>
    public string? ConfirmationId { get; init; }

    /// <summary>Return the plan only.</summary>
    public bool DryRun { get; init; }

    /// <summary>The agent chatting in the channel (checked against the channel's agent-chat rule).</summary>
    public bool IsAgentChat { get; init; }

    /// <summary>Correlation id for the audit events of this call; generated when <c>null</c>.</summary>
    public string? CallId { get; init; }
}

/// <summary>Pipeline settings.</summary>
public sealed record PolicyOptions
{
    /// <summary>How long a confirmation id stays valid.</summary>
    public TimeSpan PendingActionTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Budgets for workspaces without their own.</summary>
    public RateLimitSettings DefaultRateLimits { get; init; } = RateLimitSettings.Default;

    /// <summary>Role of a Discord user (agent) without an explicit membership; their own Discord permissions still apply.</summary>
    public PlatformRole DiscordUserDefaultRole { get; init; } = PlatformRole.Operator;

    /// <summary>Redacts arguments and errors before audit. Give it the bot token and other known secrets.</summary>
    public Security.Redactor Redactor { get; init; } = Security.Redactor.Default;
}

/// <summary>Result of <see cref="PolicyPipeline.RunAsync{TResult}"/>.</summary>
/// <param name="Executed">True when the delegate ran (and completed; a throwing delegate propagates).</param>
public sealed record PolicyResult<TResult>(PolicyDecision Decision, string CallId, bool Executed, TResult? Value);

/// <summary>Who a credential identifies: workspace, principal and effective role (see <see cref="PolicyPipeline.IdentifyAsync"/>).</summary>
public sealed record PolicyIdentity(string WorkspaceId, string PrincipalId, PlatformRole Role);
