using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>POST /channels/{channel_id}/webhooks</c> (MANAGE_WEBHOOKS). The response carries the secret token.</summary>
    public Task<DiscordWebhook> CreateWebhookAsync(Snowflake channelId, CreateWebhookRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        WebhookName(request.Name);
        return SendAsync(
            Request(HttpMethod.Post, "/channels/{channel_id}/webhooks", $"channels/{channelId}/webhooks", channelId.ToString(), reason, Body(request, Ctx.CreateWebhookRequest)),
            Ctx.DiscordWebhook, cancellationToken);
    }

    /// <summary><c>GET /channels/{channel_id}/webhooks</c>.</summary>
    public Task<IReadOnlyList<DiscordWebhook>> GetChannelWebhooksAsync(Snowflake channelId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/channels/{channel_id}/webhooks", $"channels/{channelId}/webhooks", channelId.ToString()), Ctx.IReadOnlyListDiscordWebhook, cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}/webhooks</c>.</summary>
    public Task<IReadOnlyList<DiscordWebhook>> GetGuildWebhooksAsync(Snowflake guildId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/webhooks", $"guilds/{guildId}/webhooks", guildId.ToString()), Ctx.IReadOnlyListDiscordWebhook, cancellationToken);

    /// <summary><c>GET /webhooks/{webhook_id}</c>.</summary>
    public Task<DiscordWebhook> GetWebhookAsync(Snowflake webhookId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/webhooks/{webhook_id}", $"webhooks/{webhookId}", webhookId.ToString()), Ctx.DiscordWebhook, cancellationToken);

    /// <summary><c>PATCH /webhooks/{webhook_id}</c> (MANAGE_WEBHOOKS).</summary>
    public Task<DiscordWebhook> ModifyWebhookAsync(Snowflake webhookId, ModifyWebhookRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name.HasValue)
            WebhookName(request.Name.Value);
        return SendAsync(
            Request(HttpMethod.Patch, "/webhooks/{webhook_id}", $"webhooks/{webhookId}", webhookId.ToString(), reason, Body(request, Ctx.ModifyWebhookRequest)),
            Ctx.DiscordWebhook, cancellationToken);
    }

    /// <summary><c>DELETE /webhooks/{webhook_id}</c> (MANAGE_WEBHOOKS).</summary>
    public Task DeleteWebhookAsync(Snowflake webhookId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/webhooks/{webhook_id}", $"webhooks/{webhookId}", webhookId.ToString(), reason), cancellationToken);

    /// <summary>
    /// <c>POST /webhooks/{webhook_id}/{webhook_token}</c> (no bot authorisation). With <paramref name="wait"/> (the default)
    /// Discord returns the message; otherwise null. Allowed mentions default to <c>{"parse":[]}</c>.
    /// </summary>
    public async Task<DiscordMessage?> ExecuteWebhookAsync(
        Snowflake webhookId, string webhookToken, ExecuteWebhookRequest request, bool wait = true, Snowflake? threadId = null, CancellationToken cancellationToken = default)
    {
        var token = Token("webhook_token", webhookToken);
        var body = CheckExecute(request);
        var path = Path($"webhooks/{webhookId}/{token}").Add("wait", wait).Add("thread_id", threadId);
        var rest = Request(HttpMethod.Post, "/webhooks/{webhook_id}/{webhook_token}", path.ToString(), $"{webhookId}/{token}",
            body: Body(body, Ctx.ExecuteWebhookRequest), authenticated: false);
        if (!wait)
        {
            await SendAsync(rest, cancellationToken);
            return null;
        }
        return await SendAsync(rest, Ctx.DiscordMessage, cancellationToken);
    }

    private static ExecuteWebhookRequest CheckExecute(ExecuteWebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessageBody("", request.Content, request.Embeds, request.AllowedMentions, request.Components, request.Flags, requireSomething: true);
        Length("username", request.Username, DiscordLimits.WebhookNameMin, DiscordLimits.WebhookNameMax);
        Length("thread_name", request.ThreadName, DiscordLimits.ThreadNameMin, DiscordLimits.ThreadNameMax);
        MaxCount("applied_tags", request.AppliedTags, DiscordLimits.AppliedTags);
        return request.AllowedMentions is null ? request with { AllowedMentions = AllowedMentions.None } : request;
    }

    /// <summary><c>GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}</c>.</summary>
    public Task<DiscordMessage> GetWebhookMessageAsync(Snowflake webhookId, string webhookToken, Snowflake messageId, Snowflake? threadId = null, CancellationToken cancellationToken = default) =>
        TokenMessage(HttpMethod.Get, webhookId, "webhook_id", Token("webhook_token", webhookToken), "webhook_token", messageId.ToString(), "{message_id}", threadId, null, false, cancellationToken)!;

    /// <summary><c>PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}</c>.</summary>
    public Task<DiscordMessage> EditWebhookMessageAsync(
        Snowflake webhookId, string webhookToken, Snowflake messageId, EditWebhookMessageRequest request, Snowflake? threadId = null, CancellationToken cancellationToken = default) =>
        TokenMessage(HttpMethod.Patch, webhookId, "webhook_id", Token("webhook_token", webhookToken), "webhook_token", messageId.ToString(), "{message_id}", threadId,
            CheckEdit(request), false, cancellationToken)!;

    /// <summary><c>DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}</c>.</summary>
    public Task DeleteWebhookMessageAsync(Snowflake webhookId, string webhookToken, Snowflake messageId, Snowflake? threadId = null, CancellationToken cancellationToken = default) =>
        TokenMessage(HttpMethod.Delete, webhookId, "webhook_id", Token("webhook_token", webhookToken), "webhook_token", messageId.ToString(), "{message_id}", threadId, null, false, cancellationToken);

    private static EditWebhookMessageRequest CheckEdit(EditWebhookMessageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        MessageBody("", request.Content.GetValueOrDefault(), request.Embeds.GetValueOrDefault(), request.AllowedMentions.GetValueOrDefault(),
            request.Components.GetValueOrDefault(), request.Flags.GetValueOrDefault(), requireSomething: false);
        return request;
    }

    /// <summary>Shared by webhook messages and interaction responses: <c>/webhooks/{id}/{token}/messages/{message}</c>, no bot authorisation.</summary>
    private async Task<DiscordMessage?> TokenMessage(
        HttpMethod method, Snowflake id, string idName, string escapedToken, string tokenName, string message, string messageTemplate,
        Snowflake? threadId, EditWebhookMessageRequest? edit, bool interaction, CancellationToken cancellationToken)
    {
        var path = Path($"webhooks/{id}/{escapedToken}/messages/{message}").Add("thread_id", threadId);
        var rest = Request(method, $"/webhooks/{{{idName}}}/{{{tokenName}}}/messages/{messageTemplate}", path.ToString(), $"{id}/{escapedToken}",
            body: edit is null ? null : Body(edit, Ctx.EditWebhookMessageRequest), authenticated: false, exemptFromGlobal: interaction);
        if (method == HttpMethod.Delete)
        {
            await SendAsync(rest, cancellationToken);
            return null;
        }
        return await SendAsync(rest, Ctx.DiscordMessage, cancellationToken);
    }

    private static void WebhookName(string? name)
    {
        Length("name", name, DiscordLimits.WebhookNameMin, DiscordLimits.WebhookNameMax, required: true);
        foreach (var forbidden in DiscordLimits.WebhookNameForbidden)
        {
            if (name!.Contains(forbidden, StringComparison.OrdinalIgnoreCase))
                throw Fail("name", $"name must not contain \"{forbidden}\" (Discord reserves it).");
        }
    }
}
