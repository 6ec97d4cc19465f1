using ModelContextProtocol.Client;

namespace DiscordMcp.Agent;

// The seams between the agent and the host. The host (DiscordMcp.Host) turns gateway dispatches into these records and
// implements the ports with its Discord client; the agent never sees a Discord-client type (architecture §5).

/// <summary>A guild message that mentions the bot, or replies to one of the bot's messages, in a channel where chat is allowed.</summary>
/// <param name="Content">The message text as sent (mentions in their raw <c>&lt;@id&gt;</c> form).</param>
/// <param name="ReplyToMessageId">The message this one replies to, if any.</param>
public sealed record MentionEvent(
    ulong GuildId,
    ulong ChannelId,
    ulong MessageId,
    ulong AuthorId,
    string AuthorName,
    string Content,
    ulong? ReplyToMessageId,
    DateTimeOffset Timestamp);

/// <summary>What kind of interaction arrived.</summary>
public enum InteractionKind
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>A slash command (<see cref="InteractionEvent.Name"/> is the command name).</summary>
    SlashCommand = 1,
    /// <summary>A button press (<see cref="InteractionEvent.Name"/> is the button's custom id).</summary>
    Button = 2,
}

/// <summary>An INTERACTION_CREATE in a guild. <see cref="Token"/> is a secret (it answers the interaction): never log it.</summary>
/// <param name="MemberPermissions">The member's permissions in the channel, as Discord computed them for the interaction.</param>
/// <param name="Options">Slash command options by name (values as strings: channel options are ids).</param>
/// <param name="MessageId">For buttons: the message that carries the button.</param>
public sealed record InteractionEvent(
    ulong Id,
    string Token,
    ulong ApplicationId,
    InteractionKind Kind,
    ulong GuildId,
    ulong ChannelId,
    ulong UserId,
    string UserName,
    ulong MemberPermissions,
    string Name,
    IReadOnlyDictionary<string, string> Options,
    ulong? MessageId)
{
    /// <inheritdoc />
    public override string ToString() => $"InteractionEvent {{ Id = {Id}, Kind = {Kind}, Name = {Name}, GuildId = {GuildId}, ChannelId = {ChannelId}, UserId = {UserId} }}";
}

/// <summary>Button look.</summary>
public enum ButtonLook
{
    /// <summary>Blurple.</summary>
    Primary = 1,
    /// <summary>Grey.</summary>
    Secondary = 2,
    /// <summary>Green.</summary>
    Success = 3,
    /// <summary>Red.</summary>
    Danger = 4,
}

/// <summary>A button on a message. Custom ids: see <see cref="PlanButtons"/>.</summary>
public sealed record MessageButton(string CustomId, string Label, ButtonLook Look, bool Disabled = false);

/// <summary>The buttons of a pending action's messages, with custom id <c>{prefix}{pendingId}</c>; one place for the agent and the gateway.</summary>
public static class PlanButtons
{
    /// <summary>Runs the action (its requester; the agent handles it).</summary>
    public const string ConfirmPrefix = "dmcp:confirm:";

    /// <summary>Drops the action (its requester; the agent handles it).</summary>
    public const string CancelPrefix = "dmcp:cancel:";

    /// <summary>A person's approval of an approve-mode action (the gateway's approvals handler).</summary>
    public const string ApprovePrefix = "dmcp:approve:";

    /// <summary>A person's rejection (the gateway's approvals handler).</summary>
    public const string RejectPrefix = "dmcp:reject:";

    /// <summary>Confirm.</summary>
    public static MessageButton Confirm(string pendingId) => new(ConfirmPrefix + pendingId, "Confirm", ButtonLook.Success);

    /// <summary>Cancel.</summary>
    public static MessageButton Cancel(string pendingId) => new(CancelPrefix + pendingId, "Cancel", ButtonLook.Secondary);

    /// <summary>Approve.</summary>
    public static MessageButton Approve(string pendingId) => new(ApprovePrefix + pendingId, "Approve", ButtonLook.Success);

    /// <summary>Reject.</summary>
    public static MessageButton Reject(string pendingId) => new(RejectPrefix + pendingId, "Reject", ButtonLook.Danger);

    /// <summary>True for Confirm and Cancel (the requester's buttons).</summary>
    public static bool IsRequesterButton(string customId) =>
        customId.StartsWith(ConfirmPrefix, StringComparison.Ordinal) || customId.StartsWith(CancelPrefix, StringComparison.Ordinal);
}

/// <summary>
/// A message the bot posts or edits. The host always sends it with no pings (<c>allowed_mentions</c> parses nothing;
/// a reply does not ping the author either), so no text can make the bot ping @everyone, @here, roles or users.
/// </summary>
/// <param name="Buttons">Null or empty = no components (an edit with an empty list removes the buttons).</param>
public sealed record OutgoingMessage(string Content, ulong? ReplyTo = null, IReadOnlyList<MessageButton>? Buttons = null);

/// <summary>A message of the channel as context for the model. Its content is untrusted data, never instructions.</summary>
public sealed record ChannelMessage(ulong Id, ulong AuthorId, string AuthorName, bool AuthorIsBot, string Content, DateTimeOffset Timestamp, ulong? ReplyToId);

/// <summary>Discord as the agent sees it: the bot's own voice in a channel. Implemented by the host over its Discord client.</summary>
public interface IAgentSurface
{
    /// <summary>Adds a reaction as the bot (e.g. 👀 while working).</summary>
    Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken);

    /// <summary>Removes the bot's own reaction.</summary>
    Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken);

    /// <summary>Shows "DiscordMCP is typing…" for a few seconds.</summary>
    Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken);

    /// <summary>Posts a message; returns its id. Content is at most 2,000 characters (the caller splits).</summary>
    Task<ulong> PostAsync(ulong channelId, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Edits one of the bot's messages (content and buttons).</summary>
    Task EditAsync(ulong channelId, ulong messageId, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> messages before <paramref name="beforeMessageId"/>, oldest first.</summary>
    Task<IReadOnlyList<ChannelMessage>> GetRecentMessagesAsync(ulong channelId, ulong beforeMessageId, int limit, CancellationToken cancellationToken);

    /// <summary>One message, or null when it is gone.</summary>
    Task<ChannelMessage?> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken);
}

/// <summary>Answers interactions (within Discord's 3-second deadline for the first answer).</summary>
public interface IInteractionResponder
{
    /// <summary>An ephemeral reply only the presser sees (callback type 4 with flag 64).</summary>
    Task ReplyEphemeralAsync(InteractionEvent interaction, string content, CancellationToken cancellationToken);

    /// <summary>Acknowledges a button press without changing the message yet (callback type 6); follow with <see cref="IAgentSurface.EditAsync"/>.</summary>
    Task AcknowledgeButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken);

    /// <summary>Updates the message that carries the pressed button (callback type 7).</summary>
    Task UpdateMessageAsync(InteractionEvent interaction, OutgoingMessage message, CancellationToken cancellationToken);
}

/// <summary>The Discord member on whose behalf the agent calls tools (architecture §2, layer 4: no escalation through the bot).</summary>
public sealed record AgentPrincipal(ulong GuildId, ulong ChannelId, ulong UserId, string DisplayName);

/// <summary>
/// Opens an in-process MCP session whose every tool call runs as <see cref="AgentPrincipal"/>: the same tools, policy
/// pipeline and audit as an external client, with the member as principal and <c>agent</c> as entry point.
/// Implemented by the host; dispose the client when the turn ends.
/// </summary>
public interface IAgentToolSessions
{
    /// <summary>Connects a client as <paramref name="principal"/>.</summary>
    Task<McpClient> ConnectAsync(AgentPrincipal principal, CancellationToken cancellationToken);
}

/// <summary>Handles what the gateway routes to the agent. Never blocks: the host queues events and calls these off the receive loop.</summary>
public interface IChatAgent
{
    /// <summary>A mention in a chat-enabled channel: answers with one reply (or a plan message with buttons for writes).</summary>
    Task HandleMentionAsync(MentionEvent mention, CancellationToken cancellationToken);

    /// <summary>A press of <c>dmcp:confirm:*</c> or <c>dmcp:cancel:*</c> on a plan message.</summary>
    Task HandleButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken);
}
