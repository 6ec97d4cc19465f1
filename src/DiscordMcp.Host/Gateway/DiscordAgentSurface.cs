using System.Net;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Host.Gateway;

/// <summary>
/// The agent's voice in Discord over our REST client. Every post and edit parses no mentions and does not ping the
/// author of a replied-to message, so no text (the model's or a quoted user's) can ping @everyone, @here, roles or users.
/// </summary>
internal sealed class DiscordAgentSurface(DiscordRestClient rest) : IAgentSurface, IInteractionResponder
{
    /// <summary>The only allowed_mentions the bot sends: parse nothing, no reply ping.</summary>
    public static AllowedMentions NoPings { get; } = new() { Parse = [], RepliedUser = false };

    public Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken) =>
        rest.CreateReactionAsync(new Snowflake(channelId), new Snowflake(messageId), emoji, cancellationToken);

    public Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken) =>
        rest.DeleteOwnReactionAsync(new Snowflake(channelId), new Snowflake(messageId), emoji, cancellationToken);

    public Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken) =>
        rest.TriggerTypingAsync(new Snowflake(channelId), cancellationToken);

    public async Task<ulong> PostAsync(ulong channelId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = new CreateMessageRequest
        {
            Content = message.Content,
            AllowedMentions = NoPings,
            Components = Components(message.Buttons),
            MessageReference = message.ReplyTo is { } replyTo
                ? new MessageReference { MessageId = new Snowflake(replyTo), FailIfNotExists = false }
                : null,
        };
        var posted = await rest.CreateMessageAsync(new Snowflake(channelId), request, cancellationToken);
        return posted.Id.Value;
    }

    public Task EditAsync(ulong channelId, ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return rest.EditMessageAsync(new Snowflake(channelId), new Snowflake(messageId), new EditMessageRequest
        {
            Content = message.Content,
            AllowedMentions = NoPings,
            // An edit always sends the components: an empty list removes the buttons.
            Components = new Optional<IReadOnlyList<MessageComponent>?>(Components(message.Buttons) ?? []),
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ChannelMessage>> GetRecentMessagesAsync(ulong channelId, ulong beforeMessageId, int limit, CancellationToken cancellationToken)
    {
        var messages = await rest.GetMessagesAsync(new Snowflake(channelId),
            new ListMessagesQuery { Before = new Snowflake(beforeMessageId), Limit = Math.Clamp(limit, 1, 100) }, cancellationToken);
        return messages.Select(ToChannelMessage).OrderBy(m => m.Id).ToList();
    }

    public async Task<ChannelMessage?> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken)
    {
        try
        {
            return ToChannelMessage(await rest.GetMessageAsync(new Snowflake(channelId), new Snowflake(messageId), cancellationToken));
        }
        catch (DiscordHttpException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task ReplyEphemeralAsync(InteractionEvent interaction, string content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return Respond(interaction, new InteractionResponse
        {
            Type = InteractionCallbackType.ChannelMessageWithSource,
            Data = new InteractionCallbackData { Content = content, Flags = MessageFlags.Ephemeral, AllowedMentions = NoPings },
        }, cancellationToken);
    }

    public Task AcknowledgeButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return Respond(interaction, new InteractionResponse { Type = InteractionCallbackType.DeferredUpdateMessage }, cancellationToken);
    }

    public Task UpdateMessageAsync(InteractionEvent interaction, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(message);
        return Respond(interaction, new InteractionResponse
        {
            Type = InteractionCallbackType.UpdateMessage,
            Data = new InteractionCallbackData { Content = message.Content, AllowedMentions = NoPings, Components = Components(message.Buttons) ?? [] },
        }, cancellationToken);
    }

    private Task<InteractionCallbackResponse?> Respond(InteractionEvent interaction, InteractionResponse response, CancellationToken cancellationToken) =>
        rest.CreateInteractionResponseAsync(new Snowflake(interaction.Id), interaction.Token, response, cancellationToken: cancellationToken);

    /// <summary>Buttons as action rows of up to five; null for none.</summary>
    internal static IReadOnlyList<MessageComponent>? Components(IReadOnlyList<MessageButton>? buttons)
    {
        if (buttons is not { Count: > 0 })
            return null;
        return buttons.Chunk(5).Select(row => MessageComponent.ActionRow(row.Select(b =>
            MessageComponent.Button((ButtonStyle)(int)b.Look, b.Label, b.CustomId) with { Disabled = b.Disabled ? true : null }).ToList())).ToList();
    }

    internal static ChannelMessage ToChannelMessage(DiscordMessage m) => new(
        m.Id.Value, m.Author.Id.Value, m.Author.GlobalName ?? m.Author.Username, m.Author.Bot == true || m.WebhookId is not null,
        m.Content, m.Timestamp, m.MessageReference?.MessageId?.Value);
}
