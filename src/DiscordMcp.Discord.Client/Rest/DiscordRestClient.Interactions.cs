using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary>
    /// <c>POST /interactions/{interaction_id}/{interaction_token}/callback</c>: no bot authorisation, exempt from the global limit,
    /// must arrive within 3 s. Message callbacks (4, 7) default to <c>{"parse":[]}</c> allowed mentions.
    /// With <paramref name="withResponse"/> Discord returns the callback resource; otherwise null.
    /// </summary>
    public async Task<InteractionCallbackResponse?> CreateInteractionResponseAsync(
        Snowflake interactionId, string interactionToken, InteractionResponse response, bool withResponse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var token = Token("interaction_token", interactionToken);
        if (!Enum.IsDefined(response.Type))
            throw Fail("type", $"type must be a known interaction callback type, got {(int)response.Type}.");
        var body = response;
        if (response.Data is { } data)
        {
            MessageBody("data.", data.Content, data.Embeds, data.AllowedMentions, data.Components, data.Flags, requireSomething: false);
            MaxCount("data.choices", data.Choices, DiscordLimits.CommandChoices);
            Length("data.custom_id", data.CustomId, DiscordLimits.CustomIdMin, DiscordLimits.CustomIdMax);
            if (data.AllowedMentions is null && response.Type is InteractionCallbackType.ChannelMessageWithSource or InteractionCallbackType.UpdateMessage)
                body = response with { Data = data with { AllowedMentions = AllowedMentions.None } };
        }
        var path = Path($"interactions/{interactionId}/{token}/callback").Add("with_response", withResponse ? true : null);
        var rest = Request(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", path.ToString(), interactionId.ToString(),
            body: Body(body, Ctx.InteractionResponse), authenticated: false, exemptFromGlobal: true);
        if (!withResponse)
        {
            await SendAsync(rest, cancellationToken);
            return null;
        }
        return await SendAsync(rest, Ctx.InteractionCallbackResponse, cancellationToken);
    }

    /// <summary><c>POST /webhooks/{application_id}/{interaction_token}</c>: a follow-up message (token valid 15 minutes).</summary>
    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, ExecuteWebhookRequest request, CancellationToken cancellationToken = default)
    {
        var token = Token("interaction_token", interactionToken);
        var body = CheckExecute(request);
        return SendAsync(
            Request(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", $"webhooks/{applicationId}/{token}", $"{applicationId}/{token}",
                body: Body(body, Ctx.ExecuteWebhookRequest), authenticated: false, exemptFromGlobal: true),
            Ctx.DiscordMessage, cancellationToken);
    }

    /// <summary><c>GET /webhooks/{application_id}/{interaction_token}/messages/@original</c>.</summary>
    public Task<DiscordMessage> GetOriginalInteractionResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default) =>
        InteractionMessage(HttpMethod.Get, applicationId, interactionToken, null, null, cancellationToken)!;

    /// <summary><c>PATCH /webhooks/{application_id}/{interaction_token}/messages/@original</c>.</summary>
    public Task<DiscordMessage> EditOriginalInteractionResponseAsync(
        Snowflake applicationId, string interactionToken, EditWebhookMessageRequest request, CancellationToken cancellationToken = default) =>
        InteractionMessage(HttpMethod.Patch, applicationId, interactionToken, null, CheckEdit(request), cancellationToken)!;

    /// <summary><c>DELETE /webhooks/{application_id}/{interaction_token}/messages/@original</c>.</summary>
    public Task DeleteOriginalInteractionResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default) =>
        InteractionMessage(HttpMethod.Delete, applicationId, interactionToken, null, null, cancellationToken);

    /// <summary><c>PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}</c>: edits a follow-up.</summary>
    public Task<DiscordMessage> EditFollowupMessageAsync(
        Snowflake applicationId, string interactionToken, Snowflake messageId, EditWebhookMessageRequest request, CancellationToken cancellationToken = default) =>
        InteractionMessage(HttpMethod.Patch, applicationId, interactionToken, messageId, CheckEdit(request), cancellationToken)!;

    /// <summary><c>DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}</c>: deletes a follow-up.</summary>
    public Task DeleteFollowupMessageAsync(Snowflake applicationId, string interactionToken, Snowflake messageId, CancellationToken cancellationToken = default) =>
        InteractionMessage(HttpMethod.Delete, applicationId, interactionToken, messageId, null, cancellationToken);

    private Task<DiscordMessage?> InteractionMessage(
        HttpMethod method, Snowflake applicationId, string interactionToken, Snowflake? messageId, EditWebhookMessageRequest? edit, CancellationToken cancellationToken) =>
        TokenMessage(method, applicationId, "application_id", Token("interaction_token", interactionToken), "interaction_token",
            messageId?.ToString() ?? "@original", messageId is null ? "@original" : "{message_id}", null, edit, interaction: true, cancellationToken);
}
