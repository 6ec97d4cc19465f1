using System.Globalization;
using System.Threading.Channels;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Host.Admin;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Gateway;

/// <summary>The approvals channels (<c>APPROVALS_CHANNEL_IDS</c>); each belongs to one guild.</summary>
internal sealed record ApprovalsChannels(IReadOnlyList<ulong> ChannelIds)
{
    public static ApprovalsChannels None { get; } = new([]);

    /// <summary>Parses the comma-separated list; null with an error naming the variable for a bad entry.</summary>
    public static ApprovalsChannels? Parse(string? value, out string? error)
    {
        error = null;
        var ids = new List<ulong>();
        foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == 0)
            {
                error = $"APPROVALS_CHANNEL_IDS (Discord:ApprovalsChannelIds) must be comma-separated channel ids (digits); '{(part.Length > 30 ? part[..30] + "…" : part)}' is not one.";
                return null;
            }
            if (!ids.Contains(id))
                ids.Add(id);
        }
        return new ApprovalsChannels(ids);
    }
}

/// <summary>
/// Collects the <c>approve</c>-mode pending actions to post to an approvals channel. It is the store's observer, so it
/// only queues (never blocks or fails the tool call); <see cref="DiscordApprovals.RunPosterAsync"/> posts.
/// </summary>
internal sealed partial class ApprovalQueue(ApprovalsChannels configured, ILogger<ApprovalQueue> logger) : IPendingActionObserver
{
    private readonly Channel<PendingAction> _toPost = Channel.CreateBounded<PendingAction>(new BoundedChannelOptions(256)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public ChannelReader<PendingAction> Reader => _toPost.Reader;

    public void OnCreated(PendingAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (configured.ChannelIds.Count == 0 || action.Mode != ToolMode.Approve || action.GuildId is null)
            return;
        if (!_toPost.Writer.TryWrite(action))
            Log.QueueFull(logger, action.Id);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Approvals channel: too many approvals waiting to be posted; pending action {ActionId} was not posted (approve it with 'discord-mcp approvals approve')")]
        public static partial void QueueFull(ILogger logger, string actionId);
    }
}

/// <summary>
/// Issue 5's "moderator's Approve button": an <c>approve</c>-mode pending action of a guild that has an approvals
/// channel is posted there with Approve / Reject buttons. A press is honoured only from a member who holds, in that
/// channel, the Discord permission the action needs (<see cref="ApprovalPermissions"/>); the decision goes through
/// <see cref="PendingApprovals"/> (audited first, fail closed) with principal <c>discord:{userId}</c>.
/// </summary>
internal sealed partial class DiscordApprovals(
    ApprovalsChannels configured, ApprovalQueue queue, ChannelDirectory channels, IAgentSurface surface, IInteractionResponder responder,
    IPendingActionStore store, PendingApprovals approvals, ChatAccess access, Redactor redactor, TimeProvider time,
    ILogger<DiscordApprovals> logger)
{
    public const string ApprovePrefix = PlanButtons.ApprovePrefix;
    public const string RejectPrefix = PlanButtons.RejectPrefix;
    private const int ArgumentsBudget = 1200;

    public bool Enabled => configured.ChannelIds.Count > 0;

    /// <summary>Raised after an action was posted: its id and the message id (tests wait on it).</summary>
    public event Action<string, ulong>? Posted;

    /// <summary>Posts queued actions until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunPosterAsync(CancellationToken cancellationToken)
    {
        await foreach (var action in queue.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                if (await PostAsync(action, cancellationToken) is { } messageId)
                    Posted?.Invoke(action.Id, messageId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PostFailed(logger, action.Id, ex);
            }
        }
    }

    /// <summary>Posts the plan of <paramref name="action"/> to its guild's approvals channel; returns the message id, or null when the guild has none.</summary>
    public async Task<ulong?> PostAsync(PendingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (await ChannelForAsync(action.GuildId!.Value, cancellationToken) is not { } channelId)
            return null;
        return await surface.PostAsync(channelId, new OutgoingMessage(Render(action, null),
            Buttons: [PlanButtons.Approve(action.Id), PlanButtons.Reject(action.Id)]),
            cancellationToken);
    }

    private async Task<ulong?> ChannelForAsync(ulong guildId, CancellationToken cancellationToken)
    {
        foreach (var id in configured.ChannelIds)
        {
            if (await channels.GetAsync(id, cancellationToken) is { GuildId: var g } && g == guildId)
                return id;
        }
        return null;
    }

    public static bool IsApprovalButton(string customId) =>
        customId.StartsWith(ApprovePrefix, StringComparison.Ordinal) || customId.StartsWith(RejectPrefix, StringComparison.Ordinal);

    /// <summary>A press of Approve or Reject.</summary>
    public async Task HandleAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var approve = interaction.Name.StartsWith(ApprovePrefix, StringComparison.Ordinal);
        var id = interaction.Name[(approve ? ApprovePrefix : RejectPrefix).Length..];
        var workspace = await access.WorkspaceOfAsync(interaction.GuildId, cancellationToken);
        var action = workspace is null || id.Length == 0 ? null : await store.GetAsync(id, cancellationToken);
        // Another workspace's or guild's action, an expired one and an unknown id all read the same (nothing leaks).
        if (action is null || action.WorkspaceId != workspace || action.GuildId != interaction.GuildId || action.ExpiresAt <= time.GetUtcNow())
        {
            await responder.ReplyEphemeralAsync(interaction, Expired, cancellationToken);
            return;
        }
        var required = ApprovalPermissions.For(action.ToolName);
        if (!ApprovalPermissions.Holds(interaction.MemberPermissions, required))
        {
            Log.Refused(logger, interaction.UserId, action.Id, required);
            await responder.ReplyEphemeralAsync(interaction,
                $"Only a member with {PermissionNames.Describe((ulong)required)} in this channel can {(approve ? "approve" : "reject")} this request. Nothing was changed.",
                cancellationToken);
            return;
        }
        var principal = $"discord:{interaction.UserId}";
        var result = approve
            ? await approvals.ApproveAsync(workspace!, action.Id, principal, cancellationToken)
            : await approvals.RejectAsync(workspace!, action.Id, principal, "rejected with the button in the Discord approvals channel", cancellationToken);
        switch (result.Status)
        {
            case ApprovalStatus.Done:
                // Outside the approvals channel the buttons sit on the agent's plan message: after an approval its
                // requester still confirms there, so Confirm and Cancel stay; a rejection removes every button.
                var planMessage = !configured.ChannelIds.Contains(interaction.ChannelId);
                var outcome = (approve, planMessage) switch
                {
                    (true, true) => $"✅ Approved by <@{interaction.UserId}>. The member who asked can now press Confirm to run it.",
                    (true, false) => $"✅ Approved by <@{interaction.UserId}>. The requester can now confirm it (discord_confirm_action {action.Id}).",
                    _ => $"❌ Rejected by <@{interaction.UserId}>. The pending action was removed; nothing will run.",
                };
                IReadOnlyList<MessageButton> keep = approve && planMessage
                    ? [PlanButtons.Confirm(action.Id), PlanButtons.Cancel(action.Id)]
                    : [];
                await responder.UpdateMessageAsync(interaction, new OutgoingMessage(Render(action, outcome), Buttons: keep), cancellationToken);
                break;
            case ApprovalStatus.AlreadyApproved:
                await responder.ReplyEphemeralAsync(interaction, $"This request was already approved by {result.Action?.ApprovedBy}. Nothing was changed.", cancellationToken);
                break;
            case ApprovalStatus.ConfirmMode:
                await responder.ReplyEphemeralAsync(interaction, "This action needs no approval: its requester confirms it. Nothing was changed.", cancellationToken);
                break;
            case ApprovalStatus.AuditFailed:
                await responder.ReplyEphemeralAsync(interaction, "The audit log is unavailable, so the decision was not recorded and nothing changed. Try again in a moment.", cancellationToken);
                break;
            default:
                await responder.ReplyEphemeralAsync(interaction, Expired, cancellationToken);
                break;
        }
    }

    private const string Expired = "This request expired or was already decided; nothing was changed.";

    /// <summary>The approval message: what would run, who asked, until when; the arguments redacted and fenced.</summary>
    internal string Render(PendingAction action, string? outcome)
    {
        var arguments = redactor.RedactJson(action.CanonicalArguments).Replace("```", "`\u200b``", StringComparison.Ordinal);
        if (arguments.Length > ArgumentsBudget)
            arguments = arguments[..ArgumentsBudget] + "…";
        var required = PermissionNames.Describe((ulong)ApprovalPermissions.For(action.ToolName));
        var text = $"**Approval needed**: `{action.ToolName}` requested by `{Plain(action.PrincipalId)}` (workspace `{Plain(action.WorkspaceId)}`).\n"
            + $"Pending action `{action.Id}`, expires <t:{action.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:R>.\n"
            + $"Arguments:\n```json\n{arguments}\n```\n"
            + (outcome ?? $"A member with {required} in this channel can approve or reject it here; an operator can use `discord-mcp approvals approve {action.Id}`.");
        return text.Length <= 2000 ? text : text[..1999] + "…";
    }

    private static string Plain(string text) => text.Replace("`", "'", StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Approvals channel: posting pending action {ActionId} failed")]
        public static partial void PostFailed(ILogger logger, string actionId, Exception exception);

        [LoggerMessage(3, LogLevel.Information, "Approvals channel: Discord user {UserId} lacks {Required} for pending action {ActionId}; refused")]
        public static partial void Refused(ILogger logger, ulong userId, string actionId, DiscordPermissions required);
    }
}
