using System.Diagnostics;
using System.Globalization;
using DiscordMcp.Policy.Layers;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Telemetry;

namespace DiscordMcp.Policy.Pipeline;

/// <summary>
/// The fail-closed policy pipeline (architecture §2.3): authentication → workspace membership → guild installation →
/// platform permission → channel policy → bot permission → rate limit → confirmation → execute + audit.
/// The first layer that says no ends the call; an exception in a layer denies with <c>policy_error</c>. Every decision is
/// audited; a write gets an <c>executing</c> event before it runs and its outcome after, and does not run if that event
/// cannot be stored. A read's result is withheld when its audit event cannot be stored.
/// </summary>
public sealed class PolicyPipeline
{
    private readonly IPolicyLayer[] _layers;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _timeProvider;
    private readonly PolicyOptions _options;

    /// <summary>The request shape used by <see cref="IdentifyWorkspaceAsync"/> (only the credential matters to layers 1–2).</summary>
    private static readonly ToolDescriptor IdentifyTool = new("identify", "", ToolAccess.Read);

    /// <summary>Creates the pipeline with the standard layers.</summary>
    public PolicyPipeline(
        IPlatformStore store,
        IBotPermissionProbe probe,
        IRateLimiter rateLimiter,
        IPendingActionStore pendingActions,
        IAuditLog audit,
        TimeProvider timeProvider,
        PolicyOptions? options = null)
        : this(
            CreateLayers(store, probe, rateLimiter, pendingActions, timeProvider, options ??= new PolicyOptions()),
            audit,
            timeProvider,
            options)
    {
    }

    internal PolicyPipeline(IEnumerable<IPolicyLayer> layers, IAuditLog audit, TimeProvider timeProvider, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = [.. layers.OrderBy(l => l.Layer)];
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The standard layers, in order.</summary>
    internal static IPolicyLayer[] CreateLayers(
        IPlatformStore store, IBotPermissionProbe probe, IRateLimiter rateLimiter, IPendingActionStore pendingActions, TimeProvider timeProvider, PolicyOptions options) =>
    [
        new AuthenticationLayer(store, timeProvider),
        new WorkspaceMembershipLayer(store, options),
        new GuildInstallationLayer(store, probe),
        new PlatformPermissionLayer(probe),
        new ChannelPolicyLayer(store, probe),
        new BotPermissionLayer(probe),
        new RateLimitLayer(rateLimiter, options),
        new ConfirmationLayer(store, pendingActions, timeProvider, options),
    ];

    /// <summary>Evaluates every layer without executing (and without auditing): for plans and "what would happen" answers.</summary>
    public async ValueTask<(PolicyDecision Decision, PolicyContext Context)> EvaluateAsync(PolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new PolicyContext(request, request.CallId ?? NewId());
        var decision = await RunLayersAsync(context, cancellationToken);
        return (decision ?? PolicyDecision.Allowed, context);
    }

    /// <summary>
    /// Authentication and workspace membership only, not audited: the workspace of a caller whose credential is valid and
    /// who belongs to it, else <c>null</c> (also when a layer fails). Hosts use it to resolve names (a guild name, the
    /// one-guild default) among the caller's own guilds before the call is authorised; <see cref="RunAsync{TResult}"/>
    /// still authorises the call itself.
    /// </summary>
    public async ValueTask<string?> IdentifyWorkspaceAsync(PolicyCredential credential, CancellationToken cancellationToken) =>
        (await IdentifyAsync(credential, cancellationToken))?.WorkspaceId;

    /// <summary>
    /// Like <see cref="IdentifyWorkspaceAsync"/>, with the principal and its effective role: who a valid credential is,
    /// or <c>null</c>. Not audited and not an authorisation (the call itself still passes every layer).
    /// </summary>
    public async ValueTask<PolicyIdentity?> IdentifyAsync(PolicyCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var context = new PolicyContext(new PolicyRequest { Credential = credential, Tool = IdentifyTool }, NewId());
        foreach (var layer in _layers)
        {
            if (layer.Layer > PolicyLayer.WorkspaceMembership)
            {
                break;
            }

            try
            {
                if (await layer.EvaluateAsync(context, cancellationToken) is not null)
                {
                    return null;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Fail closed: a failing layer identifies nobody.
            catch (Exception)
#pragma warning restore CA1031
            {
                return null;
            }
        }

        return context.WorkspaceId is { } workspace && context.PrincipalId is { } principal
            ? new PolicyIdentity(workspace, principal, context.Role)
            : null;
    }

    /// <summary>
    /// Authorises and, when allowed, executes <paramref name="execute"/>, auditing every step. A throwing delegate is
    /// audited as <c>failed</c> (redacted) and the exception propagates to the caller's single translation point.
    /// </summary>
    public async ValueTask<PolicyResult<TResult>> RunAsync<TResult>(
        PolicyRequest request,
        Func<PolicyContext, CancellationToken, ValueTask<TResult>> execute,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(execute);
        var start = _timeProvider.GetTimestamp();
        var context = new PolicyContext(request, request.CallId ?? NewId());
        var decision = await RunLayersAsync(context, cancellationToken);
        Annotate(context, decision);
        string? redactedArguments = null;

        if (decision is not null)
        {
            var auditDecision = decision.Verdict switch
            {
                PolicyVerdict.Pending => AuditDecision.Pending,
                PolicyVerdict.DryRun => AuditDecision.DryRun,
                _ => AuditDecision.Denied,
            };
            var stored = await TryAppendAsync(Event(context, start, auditDecision, decision, AuditOutcome.None, null, ref redactedArguments), Durability(context), cancellationToken);
            if (!stored && decision.Verdict != PolicyVerdict.Deny)
            {
                // A pending action or dry run that cannot be audited is not handed out.
                return new PolicyResult<TResult>(AuditUnavailable(), context.CallId, false, default);
            }

            return new PolicyResult<TResult>(decision, context.CallId, false, default);
        }

        if (request.Tool.IsWrite)
        {
            // Write-ahead: nothing executes unaudited.
            if (!await TryAppendAsync(Event(context, start, AuditDecision.Allowed, null, AuditOutcome.Executing, null, ref redactedArguments), Durability(context), cancellationToken))
            {
                return new PolicyResult<TResult>(AuditUnavailable(), context.CallId, false, default);
            }
        }

        TResult value;
        try
        {
            value = await execute(context, cancellationToken);
        }
        catch (Exception ex)
        {
            var message = _options.Redactor.Redact($"{ex.GetType().Name}: {ex.Message}");
            await TryAppendAsync(Event(context, start, AuditDecision.Allowed, null, AuditOutcome.Failed, message, ref redactedArguments), AuditDurability.Committed, CancellationToken.None);
            throw;
        }

        var executed = Event(context, start, AuditDecision.Allowed, null, AuditOutcome.Executed, null, ref redactedArguments);
        if (request.Tool.IsWrite)
        {
            // Discord has answered; the answer does not wait for the outcome event. It is queued in order and stored moments
            // later (reads in this process wait for it). If the process dies first, the durable executing event is left
            // alone and start-up reports outcome_unknown, exactly as for a crash before the outcome was written: never a
            // silent gap. A store failure is logged by the audit log's failure log.
            _ = TryAppendAsync(executed, AuditDurability.Deferred, CancellationToken.None).AsTask();
            return new PolicyResult<TResult>(PolicyDecision.Allowed, context.CallId, true, value);
        }

        var outcomeStored = await TryAppendAsync(executed, AuditDurability.Committed, CancellationToken.None);
        if (!outcomeStored)
        {
            // A read whose audit event cannot be stored does not return its data.
            return new PolicyResult<TResult>(AuditUnavailable(), context.CallId, true, default);
        }

        return new PolicyResult<TResult>(PolicyDecision.Allowed, context.CallId, true, value);
    }

    /// <summary>
    /// Audits a person's decision on a pending action outside a tool call (an approval or rejection from the admin CLI, an
    /// accepted or declined prompt in the client, a cancellation): the action's tool, guild and redacted arguments, with
    /// <paramref name="principalId"/> as the one who decided and <paramref name="entryPoint"/> as where they decided
    /// (<see cref="AuditEntryPoints"/>). Durable. Returns false when the audit store failed; callers that change state must
    /// not do so unaudited.
    /// </summary>
    public ValueTask<bool> AuditPendingDecisionAsync(
        PendingAction action, AuditDecision decision, string principalId, string reasonCode, string message, CancellationToken cancellationToken) =>
        AuditPendingDecisionAsync(action, decision, principalId, reasonCode, message, null, cancellationToken);

    /// <inheritdoc cref="AuditPendingDecisionAsync(PendingAction, AuditDecision, string, string, string, CancellationToken)"/>
    public async ValueTask<bool> AuditPendingDecisionAsync(
        PendingAction action, AuditDecision decision, string principalId, string reasonCode, string message, string? entryPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        var auditEvent = new AuditEvent(
            NewId(),
            NewId(),
            _timeProvider.GetUtcNow(),
            principalId,
            action.WorkspaceId,
            action.GuildId,
            null,
            action.ToolName,
            _options.Redactor.RedactJson(action.CanonicalArguments),
            decision,
            PolicyLayerNames.Of(PolicyLayer.Confirmation),
            reasonCode,
            _options.Redactor.Redact(message),
            0,
            AuditOutcome.None)
        { EntryPoint = entryPoint };
        return await TryAppendAsync(auditEvent, AuditDurability.Durable, cancellationToken);
    }

    private async ValueTask<PolicyDecision?> RunLayersAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        foreach (var layer in _layers)
        {
            PolicyDecision? decision;
            try
            {
                decision = await layer.EvaluateAsync(context, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Fail closed: any failure inside a layer is a denial, never an allow.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // The exception text may carry secrets or internals; name the layer and the failure type only.
                decision = PolicyDecision.Deny(layer.Layer, ReasonCodes.PolicyError,
                    $"The {PolicyLayerNames.Of(layer.Layer)} check could not be completed ({ex.GetType().Name}), so the call was denied. Retry later; if it persists, check the server's database, cache and Discord connectivity.");
            }

            RecordLayer(layer.Layer, decision);
            if (decision is not null)
            {
                return decision;
            }
        }

        return null;
    }

    /// <summary>The tool-call span being recorded (ours, sampled), or null: then telemetry costs nothing more.</summary>
    private static Activity? RecordingToolSpan() =>
        Activity.Current is { IsAllDataRequested: true } activity && ReferenceEquals(activity.Source, PlatformTelemetry.Source) ? activity : null;

    /// <summary>One span event per layer that ran: its name, allow or its verdict, and the reason code (never the message).</summary>
    private static void RecordLayer(PolicyLayer layer, PolicyDecision? decision)
    {
        if (RecordingToolSpan() is not { } activity)
        {
            return;
        }

        var tags = new ActivityTagsCollection
        {
            [PlatformTelemetry.LayerAttribute] = PolicyLayerNames.Of(layer),
            [PlatformTelemetry.DecisionAttribute] = decision is null ? "allow" : VerdictName(decision.Verdict),
        };
        if (decision is not null)
        {
            tags[PlatformTelemetry.ReasonAttribute] = decision.ReasonCode;
        }

        activity.AddEvent(new ActivityEvent(PlatformTelemetry.PolicyEventName, default, tags));
    }

    /// <summary>The pipeline's result on the tool-call span: who (workspace), where (guild, channel), and the decision.</summary>
    private static void Annotate(PolicyContext context, PolicyDecision? decision)
    {
        if (ToolCallTelemetry.Current is { } record)
        {
            record.Decision = decision is null ? "allowed" : DecisionName(decision.Verdict);
            record.Layer = decision?.LayerName;
            record.ReasonCode = decision?.ReasonCode;
        }

        if (RecordingToolSpan() is not { } activity)
        {
            return;
        }

        activity.SetTag(PlatformTelemetry.WorkspaceAttribute, context.WorkspaceId);
        if (context.Request.GuildId is { } guild)
        {
            activity.SetTag(PlatformTelemetry.GuildAttribute, guild.ToString(CultureInfo.InvariantCulture));
        }

        if (context.Request.ChannelId is { } channel)
        {
            activity.SetTag(PlatformTelemetry.ChannelAttribute, channel.ToString(CultureInfo.InvariantCulture));
        }

        activity.SetTag(PlatformTelemetry.DecisionAttribute, decision is null ? "allowed" : DecisionName(decision.Verdict));
        if (decision is not null)
        {
            activity.SetTag(PlatformTelemetry.LayerAttribute, decision.LayerName);
            activity.SetTag(PlatformTelemetry.ReasonAttribute, decision.ReasonCode);
        }
    }

    private static string VerdictName(PolicyVerdict verdict) => verdict switch
    {
        PolicyVerdict.Deny => "deny",
        PolicyVerdict.Pending => "pending",
        PolicyVerdict.DryRun => "dry_run",
        _ => "allow",
    };

    /// <summary>The decision label of metrics and spans: allowed, denied, pending or dry_run.</summary>
    public static string DecisionName(PolicyVerdict verdict) => verdict switch
    {
        PolicyVerdict.Deny => "denied",
        PolicyVerdict.Pending => "pending",
        PolicyVerdict.DryRun => "dry_run",
        _ => "allowed",
    };

    /// <summary>
    /// A write's decision events (denied, dry run, pending) and its write-ahead <c>executing</c> event are durable before the
    /// call goes on; a read's events, and any call's outcome event, need only be committed.
    /// </summary>
    private static AuditDurability Durability(PolicyContext context) =>
        context.Request.Tool.IsWrite ? AuditDurability.Durable : AuditDurability.Committed;

    private async ValueTask<bool> TryAppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
    {
        using var span = PlatformTelemetry.StartStorage("db audit.append");
        try
        {
            await _audit.AppendAsync(auditEvent, durability, cancellationToken);
            return true;
        }
#pragma warning disable CA1031 // An audit store failure is reported as audit_unavailable, not thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The exception type only: its message may name the database or carry values.
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return false;
        }
    }

    private AuditEvent Event(PolicyContext context, long start, AuditDecision decision, PolicyDecision? policy, AuditOutcome outcome, string? error, ref string? redactedArguments)
    {
        redactedArguments ??= _options.Redactor.RedactJson(context.Request.CanonicalArguments);
        var now = _timeProvider.GetUtcNow();
        var latency = (long)_timeProvider.GetElapsedTime(start).TotalMicroseconds;
        return new AuditEvent(
            NewId(),
            context.CallId,
            now,
            context.PrincipalId,
            context.WorkspaceId,
            context.Request.GuildId,
            context.Request.ChannelId,
            context.Request.Tool.Name,
            redactedArguments,
            decision,
            policy?.LayerName,
            policy?.ReasonCode,
            error ?? (policy is null ? null : _options.Redactor.Redact(policy.Message)),
            latency,
            outcome)
        { EntryPoint = AuditEntryPoints.Of(context.Request.Credential) };
    }

    private static PolicyDecision AuditUnavailable() => PolicyDecision.Deny(PolicyLayer.Audit, ReasonCodes.AuditUnavailable,
        "The audit log is unavailable, so the call was not run (nothing executes unaudited). Retry when the audit store is back.");

    private static string NewId() => Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
}
