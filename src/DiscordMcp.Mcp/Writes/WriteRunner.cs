using System.Globalization;
using System.Text;
using System.Text.Json;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Writes;

/// <summary>
/// The one path of every write tool (architecture §3): plan → policy pipeline (every layer, then the tool's mode) →
/// dry run / pending confirmation / prompt / execution → audit.
/// <list type="bullet">
/// <item>The plan is built first, inside the caller's own workspace (names resolve only among its guilds), and only for
/// a caller the pipeline can identify in the workspace that owns the guild; bad input fails there and nothing is stored.</item>
/// <item><c>dry_run: true</c> (the default) runs every layer, stores a pending action and returns the plan with its
/// <c>confirmation_id</c>. <c>dry_run: false</c> executes in <c>allow</c> mode; in <c>confirm</c>/<c>approve</c> mode it
/// asks the person through an elicitation when the client supports one, else returns the confirmation id.</item>
/// <item>A confirmation (<see cref="WriteConfirmation"/> or an accepted prompt) re-plans (state drift is reported, not
/// executed) and re-runs every layer before the pending action is consumed, exactly once.</item>
/// <item>A call that may execute plans twice when the guild's state is cached: on the cached state, which the policy
/// layers judge, and at the same time on state read from Discord now (while the layers, the consumption and the
/// write-ahead audit event run). Before anything is sent, the fresh plan must agree with the judged one on everything
/// the policy looked at (guild, channel, permissions, targets, references); otherwise, or when the fresh plan fails
/// (the name is now taken, the message is gone), the call ends as drift and Discord is never called. The fresh plan is
/// the one executed. Each plan has its own operation (<c>createOperation</c>), since an operation keeps what it
/// resolved.</item>
/// </list>
/// The pending action's binding (tool, canonical arguments without <c>dry_run</c>, principal, workspace) is checked by the
/// pipeline's confirmation layer; this class never decides on its own that something may run.
/// </summary>
internal static class WriteRunner
{
    /// <summary>The key of the confirmation prompt in an MRTR input request.</summary>
    public const string PromptKey = "discord_confirm";

    private const string NoChanges = "No Discord changes were made.";

    public static async Task<CallToolResult> RunAsync(
        RequestContext<CallToolRequestParams> context, bool dryRun, Func<IWriteOperation> createOperation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(createOperation);
        var services = context.Services ?? throw new InvalidOperationException("The tool call has no service provider.");
        if (services.GetService<PolicyPipeline>() is not { } pipeline)
        {
            // Fail closed: without the platform nothing that changes Discord may run.
            return ToolResults.Error("Denied (policy_error): the policy pipeline is not configured on this server, so no write can run. This is a server configuration error.");
        }

        var tool = services.GetRequiredService<ToolDescriptors>().Describe(((McpServerTool)context.MatchedPrimitive!).ProtocolTool);
        var credential = services.GetService<IToolCallerIdentity>()?.GetCredential(context) ?? new ApiKeyCredential(null);
        var arguments = ActionArguments(context.Params?.Arguments);
        var identity = await pipeline.IdentifyAsync(credential, cancellationToken);

        var confirmationId = WriteConfirmation.Current;
        if (confirmationId is null && PromptAnswer(context) is { } answer)
        {
            var answered = await AnswerPromptAsync(services, pipeline, identity, tool, arguments, answer, cancellationToken);
            if (answered is not null)
                return answered;
            confirmationId = answer.ActionId;
        }

        var baseRequest = await PolicyBinding.BuildAsync(services, tool, arguments, credential, cancellationToken);
        var operation = createOperation();
        WritePlan? plan = null;
        FreshPlan? fresh = null;
        if (identity is not null && (baseRequest.GuildId is null || await OwnsGuildAsync(services, identity.WorkspaceId, baseRequest.GuildId.Value, cancellationToken)))
        {
            // Names resolve among the caller's own guilds only; a guild outside the workspace is never read here (the
            // pipeline denies it at guild installation).
            // Every plan may use the guild state cached for a few seconds. A call that may execute now also plans on fresh
            // state when the cache answered (see the class summary): started here, awaited just before execution.
            var mayExecute = !(dryRun && confirmationId is null);
            plan = await services.GetRequiredService<WorkspaceGuilds>().RunAsAsync(identity.WorkspaceId, async () =>
            {
                var (cached, usedCache) = await DiscordReadService.PlanFromCacheTrackedAsync(() => operation.PlanAsync(cancellationToken).AsTask());
                if (mayExecute && usedCache)
                    fresh = FreshPlan.Start(createOperation(), cancellationToken);
                return cached;
            });
            if (baseRequest.GuildId is { } bound && bound != plan.GuildId)
            {
                fresh?.Abandon();
                return ToolResults.Error("Denied (policy_error): the plan resolved a different guild than the call named, so nothing was done.");
            }
        }

        var request = baseRequest with
        {
            GuildId = plan?.GuildId ?? baseRequest.GuildId,
            ChannelId = plan is null ? baseRequest.ChannelId : plan.ChannelId,
            RequiredBotPermissions = plan is null ? baseRequest.RequiredBotPermissions : (ulong)plan.BotPermissions,
            References = plan is null ? baseRequest.References : [.. baseRequest.References, .. plan.References],
            TargetRoleIds = plan?.TargetRoleIds ?? [],
            TargetMemberIds = plan?.TargetMemberIds ?? [],
            DryRun = dryRun && confirmationId is null,
            ConfirmationId = confirmationId,
        };

        var callContext = services.GetRequiredService<PolicyCallContext>();
        var executing = false;
        var executedPlan = plan;
        PolicyResult<WriteOutcome> run;
        try
        {
            run = await pipeline.RunAsync(request, (policyContext, ct) => callContext.RunInAsync(policyContext, async () =>
            {
                // Unreachable: without a plan the caller was not identified in the guild's workspace, which layers 1–3 deny.
                if (plan is null)
                    throw new InvalidOperationException("A write reached execution without a plan.");
                executing = true;
                try
                {
                    if (fresh is null)
                        return await operation.ExecuteAsync(plan, ct);
                    executedPlan = await fresh.AgreeingWithAsync(plan);
                    return await fresh.Operation.ExecuteAsync(executedPlan, ct);
                }
                finally
                {
                    // The write changed (or may have changed) the guild: the next policy decision must not use the old view.
                    services.GetService<IBotPermissionProbe>()?.Invalidate(plan.GuildId);
                }
            }), cancellationToken);
        }
        catch (StateDriftException e)
        {
            // Authorised, but the server changed since the plan the layers judged: nothing was sent to Discord (audited as failed).
            return ToolResults.Error($"Not run: the server changed since the plan. {e.Detail} Nothing was sent to Discord."
                + (confirmationId is null ? "" : $" Pending action {confirmationId} was used and cannot be confirmed again; plan again."));
        }
        catch (DiscordServiceException e) when (executing)
        {
            // Authorised and audited (executing, then failed), but Discord refused: say so here, so that a confirmation is not
            // mistaken for a replay (its pending action is used up either way).
            return ToolResults.Error($"Failed: {e.Message} The audit log records this call as failed."
                + (confirmationId is null ? "" : $" Pending action {confirmationId} was used and cannot be confirmed again; plan again to retry."));
        }

        finally
        {
            fresh?.Abandon();
        }

        var decision = run.Decision;
        if (confirmationId is null && decision.PendingActionId is { } handedOut && decision.PendingExpiresAt is { } expiresAt)
            services.GetService<PendingActionRoutes>()?.Remember(handedOut, tool.Name, request.CanonicalArguments, expiresAt);
        if (decision.IsAllowed && run.Value is { } done)
        {
            var text = done.Text + (done.Ids.Count > 0 ? " (" + string.Join(", ", done.Ids.Select(kv => $"{kv.Key} {kv.Value}")) + ")" : "");
            return ToolResults.Ok(new WriteResult("executed", true, executedPlan is null ? null : WritePlanView.Of(executedPlan), confirmationId, null, done.Ids, done.Text), text);
        }

        switch (decision.Verdict)
        {
            case PolicyVerdict.DryRun when plan is not null:
                return ToolResults.Ok(
                    new WriteResult("dry_run", false, WritePlanView.Of(plan), decision.PendingActionId, Time(decision.PendingExpiresAt), null, decision.Message),
                    Render(plan, "Dry-run: I would ", decision, ending: NoChanges));
            case PolicyVerdict.Pending when plan is not null:
                if (confirmationId is null && decision.PendingActionId is { } pendingId && CanPrompt(context))
                    throw Prompt(tool, plan, pendingId);
                var status = decision.ReasonCode == ReasonCodes.ApprovalRequired ? "pending_approval" : "pending_confirmation";
                return ToolResults.Ok(
                    new WriteResult(status, false, WritePlanView.Of(plan), decision.PendingActionId, Time(decision.PendingExpiresAt), null, decision.Message),
                    Render(plan, $"Not done yet ({decision.LayerName}: {decision.ReasonCode}). I would ", decision, ending: null));
            default:
                var refusal = PolicyBinding.Refusal(decision);
                if (plan is not null)
                    ((TextContentBlock)refusal.Content[0]).Text += $"\nThe plan was: I would {plan.Sentence} {NoChanges}";
                return refusal;
        }
    }

    /// <summary>The plan on state read from Discord now, made by its own operation while the policy layers run.</summary>
    private sealed class FreshPlan
    {
        private FreshPlan(IWriteOperation operation, Task<WritePlan> plan)
        {
            Operation = operation;
            Plan = plan;
        }

        public IWriteOperation Operation { get; }

        private Task<WritePlan> Plan { get; }

        public static FreshPlan Start(IWriteOperation operation, CancellationToken cancellationToken) =>
            new(operation, operation.PlanAsync(cancellationToken).AsTask());

        /// <summary>The fresh plan, when it agrees with <paramref name="judged"/> on everything the policy layers looked at.</summary>
        public async Task<WritePlan> AgreeingWithAsync(WritePlan judged)
        {
            WritePlan now;
            try
            {
                now = await Plan;
            }
            catch (DiscordServiceException e)
            {
                throw new StateDriftException(e.Message, e);
            }
            if (now.GuildId != judged.GuildId || now.ChannelId != judged.ChannelId || now.BotPermissions != judged.BotPermissions
                || !string.Equals(now.Action, judged.Action, StringComparison.Ordinal)
                || !now.TargetRoleIds.SequenceEqual(judged.TargetRoleIds) || !now.TargetMemberIds.SequenceEqual(judged.TargetMemberIds)
                || !now.References.SequenceEqual(judged.References))
                throw new StateDriftException($"On the current state the plan differs from the one checked: I would now {now.Sentence}");
            return now;
        }

        /// <summary>A fresh plan nobody awaits any more (a denial, a pending result): its failure is expected, not unobserved.</summary>
        public void Abandon() => _ = Plan.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The state read just before execution contradicts the plan the policy layers judged.</summary>
    private sealed class StateDriftException(string detail, Exception? inner = null)
        : Exception("The server changed since the plan; nothing was sent to Discord. " + detail, inner)
    {
        public string Detail { get; } = detail;
    }

    /// <summary>The arguments that define the action: everything but <c>dry_run</c> (a confirmation binds to the action, not to how it was first asked for).</summary>
    internal static Dictionary<string, JsonElement> ActionArguments(IDictionary<string, JsonElement>? arguments) =>
        (arguments ?? new Dictionary<string, JsonElement>())
            .Where(kv => !string.Equals(kv.Key, "dry_run", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static string Render(WritePlan plan, string lead, PolicyDecision decision, string? ending)
    {
        var sb = new StringBuilder(lead).Append(plan.Sentence);
        foreach (var change in plan.Changes)
            sb.Append("\n  - ").Append(change);
        foreach (var note in plan.Notes)
            sb.Append("\nNote: ").Append(note);
        sb.Append("\nBot permission used: ").Append(plan.BotPermissions == 0 ? "none" : PermissionNames.Describe((ulong)plan.BotPermissions))
          .Append(". Reversible: ").Append(plan.Undo is { } undo ? "yes — " + undo : "no").Append('.');
        if (decision.PendingActionId is { } id)
            sb.Append("\nConfirmation id: ").Append(id).Append(decision.PendingExpiresAt is { } at ? $" (expires {Time(at)})" : "").Append(". ");
        else
            sb.Append('\n');
        sb.Append(decision.Message);
        if (ending is not null)
            sb.Append('\n').Append(ending);
        return sb.ToString();
    }

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async ValueTask<bool> OwnsGuildAsync(IServiceProvider services, string workspaceId, ulong guildId, CancellationToken cancellationToken)
    {
        var installation = await services.GetRequiredService<IPlatformStore>().GetInstallationAsync(guildId, cancellationToken);
        return installation is not null && string.Equals(installation.WorkspaceId, workspaceId, StringComparison.Ordinal);
    }

    // ---------- the confirmation prompt (elicitation through MRTR; the SDK bridges it to elicitation/create) ----------

    private static bool CanPrompt(RequestContext<CallToolRequestParams> context) =>
        context.Server.IsMrtrSupported && context.Server.ClientCapabilities?.Elicitation is not null;

    private static InputRequiredException Prompt(ToolInfo tool, WritePlan plan, string pendingId)
    {
        var message = new StringBuilder($"{tool.Title}: I would {plan.Sentence}");
        foreach (var change in plan.Changes)
            message.Append("\n  - ").Append(change);
        message.Append(plan.Undo is null ? "\nThis cannot be undone." : "").Append("\nRun it now?");
        return new InputRequiredException(
            new Dictionary<string, InputRequest>
            {
                [PromptKey] = InputRequest.ForElicitation(new ElicitRequestParams
                {
                    Message = message.ToString(),
                    RequestedSchema = new()
                    {
                        Properties = { ["confirm"] = new ElicitRequestParams.BooleanSchema { Title = "Run this action", Default = false } },
                        Required = ["confirm"],
                    },
                }),
            },
            // Untrusted when it comes back: it only names the pending action, whose binding the pipeline checks.
            pendingId);
    }

    internal readonly record struct Answer(string ActionId, bool Accepted);

    private static Answer? PromptAnswer(RequestContext<CallToolRequestParams> context)
    {
        var p = context.Params;
        if (p?.InputResponses is not { } responses || !responses.TryGetValue(PromptKey, out var response) || p.RequestState is not { Length: > 0 } state)
            return null;
        ElicitResult? result;
        try
        {
            result = response.RawValue.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
        }
        catch (JsonException)
        {
            result = null;
        }
        var accepted = result is { IsAccepted: true, Content: { } content }
            && content.TryGetValue("confirm", out var confirm) && confirm.ValueKind == JsonValueKind.True;
        return new Answer(state, accepted);
    }

    /// <summary>
    /// A declined prompt cancels the caller's own pending action (audited) and ends the call; an accepted one records the
    /// person's approval where the mode needs it and returns <c>null</c> so the call goes on to confirm the action.
    /// </summary>
    private static async ValueTask<CallToolResult?> AnswerPromptAsync(
        IServiceProvider services, PolicyPipeline pipeline, PolicyIdentity? identity, ToolInfo tool, Dictionary<string, JsonElement> arguments, Answer answer, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IPendingActionStore>();
        var action = await store.GetAsync(answer.ActionId, cancellationToken);
        var own = action is not null && identity is not null
            && action.Matches(new PendingActionBinding(identity.WorkspaceId, identity.PrincipalId, tool.Name,
                CanonicalJson.Hash(CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(arguments)))));
        if (!answer.Accepted)
        {
            if (own && await store.RemoveAsync(action!.Id, cancellationToken))
                await pipeline.AuditPendingDecisionAsync(action, AuditDecision.Rejected, identity!.PrincipalId, ReasonCodes.PromptDeclined,
                    "The person declined the confirmation prompt; the pending action was cancelled.", cancellationToken);
            return ToolResults.Ok(new WriteResult("cancelled", false, null, answer.ActionId, null, null, "Declined in the client."),
                $"Cancelled: the confirmation was declined, so {tool.Name} did not run. {NoChanges}");
        }

        if (own && action!.Mode == ToolMode.Approve && action.ApprovedBy is null)
        {
            // An accepted prompt is a person's approval (architecture §3). Audit first: no approval exists unaudited.
            if (!await pipeline.AuditPendingDecisionAsync(action, AuditDecision.Approved, identity!.PrincipalId, ReasonCodes.ActionApproved,
                    "Approved by the person in the client's confirmation prompt.", cancellationToken))
                return PolicyBinding.Refusal(PolicyDecision.Deny(PolicyLayer.Audit, ReasonCodes.AuditUnavailable,
                    "The audit log is unavailable, so the approval was not recorded and nothing ran. Retry when the audit store is back."));
            await store.ApproveAsync(action.Id, identity.PrincipalId + " (client prompt)", cancellationToken);
        }
        return null;
    }
}

/// <summary>
/// The pending action being confirmed on this async flow, set by <c>discord_confirm_action</c> around the target tool's
/// invocation with the stored arguments; the runner then confirms instead of planning a new action.
/// </summary>
internal static class WriteConfirmation
{
    private static readonly AsyncLocal<string?> Ambient = new();

    public static string? Current => Ambient.Value;

    public static async ValueTask<T> RunAsync<T>(string confirmationId, Func<ValueTask<T>> run)
    {
        var previous = Ambient.Value;
        Ambient.Value = confirmationId;
        try
        {
            return await run();
        }
        finally
        {
            Ambient.Value = previous;
        }
    }
}
