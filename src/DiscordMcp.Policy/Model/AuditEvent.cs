namespace DiscordMcp.Policy.Model;

/// <summary>What the platform decided (architecture §4).</summary>
public enum AuditDecision
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>All layers allowed the call.</summary>
    Allowed = 1,
    /// <summary>A layer denied the call (see layer + reason code).</summary>
    Denied = 2,
    /// <summary>A dry run: a plan was returned, nothing executed.</summary>
    DryRun = 3,
    /// <summary>A pending action was created (confirmation or approval required).</summary>
    Pending = 4,
    /// <summary>A person approved a pending action.</summary>
    Approved = 5,
    /// <summary>A person rejected a pending action.</summary>
    Rejected = 6,
}

/// <summary>Execution state carried by an event.</summary>
public enum AuditOutcome
{
    /// <summary>Nothing executed (denials, pending, dry runs).</summary>
    None = 0,
    /// <summary>Written BEFORE a write is sent to Discord.</summary>
    Executing = 1,
    /// <summary>The operation completed.</summary>
    Executed = 2,
    /// <summary>The operation failed (see message).</summary>
    Failed = 3,
    /// <summary>An <see cref="Executing"/> event without an outcome found at start-up (the process died in between).</summary>
    OutcomeUnknown = 4,
}

/// <summary>
/// One append-only audit event. <see cref="Sequence"/>, <see cref="PrevHash"/> and <see cref="Hash"/> are assigned by the
/// audit log when appended (see <c>AuditChain.Seal</c>); callers pass them empty.
/// Arguments and messages are redacted before they get here.
/// </summary>
/// <param name="Id">Random event id.</param>
/// <param name="CallId">Groups the events of one call (e.g. <c>executing</c> and its outcome).</param>
/// <param name="Layer">Policy layer name that decided (e.g. <c>channel_policy</c>), or <c>null</c>.</param>
/// <param name="ReasonCode">Stable reason code for denials/pending (e.g. <c>rate_limited</c>), or <c>null</c>.</param>
/// <param name="LatencyMicroseconds">Policy + execution time so far.</param>
public sealed record AuditEvent(
    string Id,
    string CallId,
    DateTimeOffset Time,
    string? PrincipalId,
    string? WorkspaceId,
    ulong? GuildId,
    ulong? ChannelId,
    string Tool,
    string? Arguments,
    AuditDecision Decision,
    string? Layer,
    string? ReasonCode,
    string? Message,
    long LatencyMicroseconds,
    AuditOutcome Outcome,
    long Sequence = 0,
    string PrevHash = "",
    string Hash = "")
{
    /// <summary>
    /// How the call reached the platform: <c>http</c>, <c>stdio</c>, <c>agent</c> or <c>cli</c> (see <see cref="AuditEntryPoints"/>);
    /// <c>null</c> for events written before the field existed. Part of the hash chain when set.
    /// </summary>
    public string? EntryPoint { get; init; }
}

/// <summary>The entry points recorded on audit events.</summary>
public static class AuditEntryPoints
{
    /// <summary>An MCP client over Streamable HTTP (API key or verified token).</summary>
    public const string Http = "http";

    /// <summary>The local operator over stdio.</summary>
    public const string Stdio = "stdio";

    /// <summary>The conversational agent inside Discord, acting for the member who mentioned the bot.</summary>
    public const string Agent = "agent";

    /// <summary>The <c>discord-mcp</c> admin CLI (approvals, rejections, webhook administration).</summary>
    public const string Cli = "cli";

    /// <summary>Every entry point a filter accepts, in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Http, Stdio, Agent, Cli];

    /// <summary>The entry point a credential arrives through (<c>null</c> for an unknown kind).</summary>
    public static string? Of(Pipeline.PolicyCredential? credential) => credential switch
    {
        Pipeline.DiscordUserCredential => Agent,
        Pipeline.LocalOperatorCredential => Stdio,
        Pipeline.ApiKeyCredential or Pipeline.VerifiedTokenCredential => Http,
        _ => null,
    };
}

/// <summary>
/// Filters for reading the audit log. All set filters must match. Results ordered by sequence ascending, or descending
/// (the newest <see cref="Limit"/> events) with <see cref="NewestFirst"/>. <see cref="From"/> is inclusive, <see cref="To"/>
/// exclusive; <see cref="Tools"/> matches any of the listed tool names (an empty list matches nothing); <see cref="EntryPoint"/>
/// matches events with that entry point (older events without one never match).
/// </summary>
public sealed record AuditQuery(
    string? WorkspaceId = null,
    string? PrincipalId = null,
    ulong? GuildId = null,
    string? Tool = null,
    AuditDecision? Decision = null,
    AuditOutcome? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? AfterSequence = null,
    int Limit = 100,
    string? CallId = null,
    bool NewestFirst = false,
    IReadOnlyList<string>? Tools = null,
    string? EntryPoint = null);

/// <summary>The stable words of audit decisions and outcomes, as the CLI, the export and the MCP tool show them.</summary>
public static class AuditWords
{
    /// <summary>Every decision word a filter accepts, in display order.</summary>
    public static IReadOnlyList<string> Decisions { get; } = ["allowed", "denied", "dry_run", "pending", "approved", "rejected"];

    /// <summary><c>allowed</c>, <c>denied</c>, <c>dry_run</c>, <c>pending</c>, <c>approved</c>, <c>rejected</c> (<c>none</c> when unset).</summary>
    public static string Decision(AuditDecision decision) => decision switch
    {
        AuditDecision.Allowed => "allowed",
        AuditDecision.Denied => "denied",
        AuditDecision.DryRun => "dry_run",
        AuditDecision.Pending => "pending",
        AuditDecision.Approved => "approved",
        AuditDecision.Rejected => "rejected",
        _ => "none",
    };

    /// <summary>The decision named by one of <see cref="Decisions"/> (exact, lower case), or null.</summary>
    public static AuditDecision? ParseDecision(string text) => text switch
    {
        "allowed" => AuditDecision.Allowed,
        "denied" => AuditDecision.Denied,
        "dry_run" => AuditDecision.DryRun,
        "pending" => AuditDecision.Pending,
        "approved" => AuditDecision.Approved,
        "rejected" => AuditDecision.Rejected,
        _ => null,
    };

    /// <summary><c>none</c>, <c>executing</c>, <c>executed</c>, <c>failed</c>, <c>outcome_unknown</c>.</summary>
    public static string Outcome(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Executing => "executing",
        AuditOutcome.Executed => "executed",
        AuditOutcome.Failed => "failed",
        AuditOutcome.OutcomeUnknown => "outcome_unknown",
        _ => "none",
    };
}

/// <summary>The last event of the chain (sequence 0 and <see cref="Audit.AuditChain.GenesisHash"/> when empty).</summary>
public readonly record struct AuditChainHead(long Sequence, string Hash);
