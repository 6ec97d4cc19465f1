using System.Globalization;
using System.Security.Cryptography;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Policy.Telemetry;

namespace DiscordMcp.Policy.Layers;

/// <summary>
/// Layer 8: resolves the tool's mode (tool policy → toolset policy → annotation default) and applies it:
/// deny; dry run; allow; or confirm/approve — the first call stores a pending action bound to tool, argument hash,
/// principal and workspace and returns its id; a call carrying that id (after all earlier layers ran again) consumes it
/// exactly once.
/// </summary>
internal sealed class ConfirmationLayer(IPlatformStore store, IPendingActionStore pending, TimeProvider timeProvider, PolicyOptions options) : IPolicyLayer
{
    public PolicyLayer Layer => PolicyLayer.Confirmation;

    public async ValueTask<PolicyDecision?> EvaluateAsync(PolicyContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var tool = request.Tool;
        var policies = await store.GetToolPoliciesAsync(context.WorkspaceId!, cancellationToken);
        var mode = ResolveMode(policies, tool);
        context.Mode = mode;

        if (mode == ToolMode.Deny)
        {
            return PolicyDecision.Deny(Layer, ReasonCodes.ToolDenied,
                $"Workspace '{context.WorkspaceId}' policy denies {tool.Name}. A workspace admin can change it in the workspace's policy file ('discord-mcp policies export', edit, 'discord-mcp policies apply').");
        }

        var argumentHash = CanonicalJson.Hash(request.CanonicalArguments);
        if (request.ConfirmationId is { } confirmationId)
        {
            // A confirmation is consumed in every mode (allow included), so no id can ever be used twice.
            var binding = new PendingActionBinding(context.WorkspaceId!, context.PrincipalId!, tool.Name, argumentHash);
            PendingConsumeResult result;
            using (PlatformTelemetry.StartStorage("db pending_actions.consume"))
            {
                result = await pending.TryConsumeAsync(confirmationId, binding, cancellationToken);
            }

            PlatformTelemetry.PendingAction(result.Status switch
            {
                PendingConsumeStatus.Consumed => "consumed",
                PendingConsumeStatus.Expired => "expired",
                PendingConsumeStatus.Mismatch => "mismatch",
                PendingConsumeStatus.NotApproved => "not_approved",
                _ => "invalid",
            });
            switch (result.Status)
            {
                case PendingConsumeStatus.Consumed:
                    context.ConsumedAction = result.Action;
                    return null;
                case PendingConsumeStatus.Expired:
                    return PolicyDecision.Deny(Layer, ReasonCodes.ConfirmationExpired,
                        $"Confirmation {confirmationId} expired. Call {tool.Name} again to get a new confirmation id.");
                case PendingConsumeStatus.Mismatch:
                    return PolicyDecision.Deny(Layer, ReasonCodes.ConfirmationMismatch,
                        $"Confirmation {confirmationId} was issued for a different tool, different arguments or a different caller; it was not used. Call {tool.Name} again with the intended arguments.");
                case PendingConsumeStatus.NotApproved:
                    return new PolicyDecision(PolicyVerdict.Pending, Layer, ReasonCodes.ApprovalRequired,
                        $"Pending action {confirmationId} is still waiting for a person to approve it: a workspace admin runs 'discord-mcp approvals approve {confirmationId}' (or accepts the prompt in the client). The model cannot approve it. No Discord changes were made.")
                    { PendingActionId = confirmationId };
                default:
                    return PolicyDecision.Deny(Layer, ReasonCodes.ConfirmationInvalid,
                        $"There is no pending action {confirmationId}: it was already used, cancelled or never existed. Call {tool.Name} again to get a new confirmation id.");
            }
        }

        if (mode == ToolMode.Allow && !request.DryRun)
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        var action = new PendingAction(
            NewActionId(), context.WorkspaceId!, context.PrincipalId!, tool.Name, request.CanonicalArguments, argumentHash,
            mode, request.GuildId, now, now + options.PendingActionTtl);
        using (PlatformTelemetry.StartStorage("db pending_actions.create"))
        {
            await pending.CreateAsync(action, cancellationToken);
        }

        PlatformTelemetry.PendingAction("created");
        var minutes = options.PendingActionTtl.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
        if (request.DryRun)
        {
            // A dry run ran every layer, so "would be denied" is already known; its plan can be confirmed as it stands.
            var next = mode switch
            {
                ToolMode.Approve => $"It needs a person's approval before it can run: a workspace admin approves pending action {action.Id} ('discord-mcp approvals approve {action.Id}'), then discord_confirm_action runs it.",
                _ => $"To run it, call discord_confirm_action with confirmation_id {action.Id} within {minutes} min.",
            };
            return new PolicyDecision(PolicyVerdict.DryRun, Layer, ReasonCodes.DryRun, $"Dry run. {next}")
            { PendingActionId = action.Id, PendingExpiresAt = action.ExpiresAt };
        }

        return mode == ToolMode.Approve
            ? new PolicyDecision(PolicyVerdict.Pending, Layer, ReasonCodes.ApprovalRequired,
                $"{tool.Name} needs a person's approval. Pending action {action.Id} (valid {minutes} min) can be approved by a workspace admin ('discord-mcp approvals approve {action.Id}') or in the client; then confirm it with discord_confirm_action. No Discord changes were made.")
            { PendingActionId = action.Id, PendingExpiresAt = action.ExpiresAt }
            : new PolicyDecision(PolicyVerdict.Pending, Layer, ReasonCodes.ConfirmationRequired,
                $"{tool.Name} needs confirmation. Call discord_confirm_action with confirmation_id {action.Id} within {minutes} min to run it. No Discord changes were made.")
            { PendingActionId = action.Id, PendingExpiresAt = action.ExpiresAt };
    }

    internal static ToolMode ResolveMode(IReadOnlyList<ToolPolicy> policies, ToolDescriptor tool)
    {
        var toolsetMode = ToolMode.Default;
        for (var i = 0; i < policies.Count; i++)
        {
            var p = policies[i];
            if (p.Mode == ToolMode.Default)
            {
                continue;
            }

            if (p.Target == ToolPolicyTarget.Tool && string.Equals(p.Name, tool.Name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Mode;
            }

            if (p.Target == ToolPolicyTarget.Toolset && string.Equals(p.Name, tool.Toolset, StringComparison.OrdinalIgnoreCase))
            {
                toolsetMode = p.Mode;
            }
        }

        return toolsetMode != ToolMode.Default ? toolsetMode : tool.DefaultMode;
    }

    private static string NewActionId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return "pa_" + Convert.ToHexStringLower(bytes);
    }
}
