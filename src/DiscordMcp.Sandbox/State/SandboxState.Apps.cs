using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    // ------------------------------------------------------------ webhooks

    internal JsonObject WebhookJson(JsonObject webhook, bool withToken)
    {
        var w = (JsonObject)webhook.DeepClone();
        if (!withToken)
            w.Remove("token");
        w["user"] = UserJson((string)webhook["creator_id"]!);
        w.Remove("creator_id");
        return w;
    }

    internal JsonObject CreateWebhookApi(string channelId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, DiscordPermissions.ManageWebhooks);
            var errors = new FormErrors();
            body.CheckString("name", 1, 80, errors, required: true);
            var name = body.Str("name");
            if (name is not null && (name.Contains("clyde", StringComparison.OrdinalIgnoreCase) || name.Contains("discord", StringComparison.OrdinalIgnoreCase)))
                errors.Add("name", "USERNAME_INVALID_CONTAINS", "Username cannot contain \"discord\" or \"clyde\".");
            errors.ThrowIfAny();
            if (_webhooks.Values.Count(w => (string?)w["channel_id"] == channelId) >= 15)
                throw SandboxApiException.Bad(30007, "Maximum number of webhooks reached (15)");
            var id = NextId();
            var webhook = new JsonObject
            {
                ["id"] = id,
                ["type"] = 1,
                ["guild_id"] = guild.Id,
                ["channel_id"] = channelId,
                ["name"] = name,
                ["avatar"] = null,
                ["application_id"] = null,
                ["token"] = IssueToken("", 68),
                ["creator_id"] = BotUserId,
            };
            _webhooks[id] = webhook;
            Publish("WEBHOOKS_UPDATE", guild.Id, new JsonObject { ["guild_id"] = guild.Id, ["channel_id"] = channelId });
            AddAudit(guild, Bot, 50, id, [Change("name", null, name), Change("channel_id", null, channelId), Change("type", null, 1)], reason: reason);
            return WebhookJson(webhook, withToken: true);
        }
    }

    internal JsonArray ListWebhooksApi(string? channelId, string? guildId)
    {
        lock (_gate)
        {
            if (channelId is not null)
                RequireChannel(Bot, ChannelOrThrow(channelId), DiscordPermissions.ManageWebhooks);
            else
                RequireGuild(Bot, GuildOrThrow(guildId!), DiscordPermissions.ManageWebhooks);
            return new JsonArray(_webhooks.Values.Where(w => channelId is not null ? (string?)w["channel_id"] == channelId : (string?)w["guild_id"] == guildId)
                .Select(w => (JsonNode)WebhookJson(w, withToken: true)).ToArray());
        }
    }

    private JsonObject WebhookOrThrow(string webhookId, string? token)
    {
        if (!_webhooks.TryGetValue(webhookId, out var webhook))
            throw SandboxApiException.NotFound(10015, "Webhook");
        if (token is not null && !string.Equals((string?)webhook["token"], token, StringComparison.Ordinal))
            throw new SandboxApiException(401, 50027, "Invalid Webhook Token");
        return webhook;
    }

    internal JsonObject GetWebhookApi(string webhookId, string? token)
    {
        lock (_gate)
        {
            var webhook = WebhookOrThrow(webhookId, token);
            if (token is null)
                RequireChannel(Bot, ChannelOrThrow((string)webhook["channel_id"]!), DiscordPermissions.ManageWebhooks);
            var result = WebhookJson(webhook, withToken: token is null);
            if (token is not null)
                result.Remove("user");
            return result;
        }
    }

    internal JsonObject ModifyWebhookApi(string webhookId, string? token, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var webhook = WebhookOrThrow(webhookId, token);
            var channel = ChannelOrThrow((string)webhook["channel_id"]!);
            if (token is null)
                RequireChannel(Bot, channel, DiscordPermissions.ManageWebhooks);
            var errors = new FormErrors();
            body.CheckString("name", 1, 80, errors);
            var newChannel = token is null ? body.Id("channel_id", errors) : null;
            errors.ThrowIfAny();
            var before = (JsonObject)webhook.DeepClone();
            if (body.Str("name") is { } name)
                webhook["name"] = name;
            if (newChannel is not null)
            {
                var target = ChannelOrThrow(newChannel);
                RequireChannel(Bot, target, DiscordPermissions.ManageWebhooks);
                webhook["channel_id"] = newChannel;
            }
            var guild = GuildOfChannel(channel);
            Publish("WEBHOOKS_UPDATE", guild.Id, new JsonObject { ["guild_id"] = guild.Id, ["channel_id"] = (string)webhook["channel_id"]! });
            AddAudit(guild, Bot, 51, webhookId, Diff(before, webhook, "name", "channel_id"), reason: reason);
            return WebhookJson(webhook, withToken: token is null);
        }
    }

    internal void DeleteWebhookApi(string webhookId, string? token, string? reason)
    {
        lock (_gate)
        {
            var webhook = WebhookOrThrow(webhookId, token);
            var channel = ChannelOrThrow((string)webhook["channel_id"]!);
            if (token is null)
                RequireChannel(Bot, channel, DiscordPermissions.ManageWebhooks);
            _webhooks.Remove(webhookId);
            var guild = GuildOfChannel(channel);
            Publish("WEBHOOKS_UPDATE", guild.Id, new JsonObject { ["guild_id"] = guild.Id, ["channel_id"] = channel.Id });
            AddAudit(guild, Bot, 52, webhookId, [Change("name", webhook["name"], null), Change("channel_id", webhook["channel_id"], null)], reason: reason);
        }
    }

    internal JsonObject? ExecuteWebhookApi(string webhookId, string token, JsonObject body, bool wait, string? threadId)
    {
        lock (_gate)
        {
            var webhook = WebhookOrThrow(webhookId, token);
            ValidateMessageBody(body, requireSomething: true);
            var channel = ChannelOrThrow(threadId ?? (string)webhook["channel_id"]!);
            if (threadId is not null && channel.ParentId != (string?)webhook["channel_id"])
                throw SandboxApiException.NotFound(10003, "Channel");
            var author = NewUser(webhookId, body.Str("username") ?? (string)webhook["name"]!, bot: true);
            var message = CreateMessage(channel, webhookId, body, null, webhookId, null, authorOverride: author);
            return wait ? message : null;
        }
    }

    // ------------------------------------------------------------ invites

    internal JsonObject InviteJson(JsonObject invite, bool withMetadata, bool withCounts)
    {
        var channel = _channels.TryGetValue((string)invite["channel_id"]!, out var c) ? c : null;
        var guild = _guilds[(string)invite["guild_id"]!];
        var createdAt = DateTimeOffset.Parse((string)invite["created_at"]!, CultureInfo.InvariantCulture);
        var maxAge = (int)invite["max_age"]!;
        var result = new JsonObject
        {
            ["type"] = 0,
            ["code"] = invite["code"]!.DeepClone(),
            ["expires_at"] = maxAge == 0 ? null : Iso(createdAt.AddSeconds(maxAge)),
            ["guild_id"] = guild.Id,
            ["guild"] = new JsonObject
            {
                ["id"] = guild.Id,
                ["name"] = guild.Guild["name"]!.DeepClone(),
                ["icon"] = null,
                ["description"] = null,
                ["home_header"] = null,
                ["splash"] = null,
                ["banner"] = null,
                ["features"] = new JsonArray(),
                ["verification_level"] = guild.Guild["verification_level"]!.DeepClone(),
                ["vanity_url_code"] = null,
                ["nsfw_level"] = guild.Guild["nsfw_level"]?.DeepClone() ?? 0,
                ["nsfw"] = guild.Guild["nsfw"]?.DeepClone() ?? false,
                ["premium_subscription_count"] = 0,
            },
            ["channel"] = channel is null ? null : new JsonObject { ["id"] = channel.Id, ["type"] = channel.Type, ["name"] = channel.Channel["name"]!.DeepClone() },
            ["inviter"] = UserJson((string)invite["inviter_id"]!),
        };
        if (withMetadata)
        {
            foreach (var key in (string[])["uses", "max_uses", "max_age", "temporary", "created_at"])
                result[key] = invite[key]!.DeepClone();
        }
        if (withCounts)
        {
            result["approximate_member_count"] = guild.Members.Count;
            result["approximate_presence_count"] = 0;
        }
        return result;
    }

    internal JsonObject CreateInviteApi(string channelId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, DiscordPermissions.CreateInstantInvite);
            var errors = new FormErrors();
            var maxAge = body.Int("max_age", errors) ?? 86400;
            if (maxAge is < 0 or > 604800)
                errors.Range("max_age", 0, 604800);
            var maxUses = body.Int("max_uses", errors) ?? 0;
            if (maxUses is < 0 or > 100)
                errors.Range("max_uses", 0, 100);
            errors.ThrowIfAny();
            var code = NewToken(8);
            var invite = new JsonObject
            {
                ["code"] = code,
                ["channel_id"] = channelId,
                ["guild_id"] = guild.Id,
                ["inviter_id"] = BotUserId,
                ["uses"] = 0,
                ["max_uses"] = maxUses,
                ["max_age"] = maxAge,
                ["temporary"] = body.Bool("temporary") ?? false,
                ["created_at"] = Iso(Now),
            };
            _invites[code] = invite;
            var result = InviteJson(invite, withMetadata: true, withCounts: false);
            var d = new JsonObject
            {
                ["channel_id"] = channelId,
                ["code"] = code,
                ["created_at"] = invite["created_at"]!.DeepClone(),
                ["guild_id"] = guild.Id,
                ["inviter"] = UserJson(BotUserId),
                ["max_age"] = maxAge,
                ["max_uses"] = maxUses,
                ["temporary"] = invite["temporary"]!.DeepClone(),
                ["uses"] = 0,
                ["expires_at"] = result["expires_at"]?.DeepClone(),
            };
            Publish("INVITE_CREATE", guild.Id, d);
            // Invite entries have no target (Discord sends target_id null; the code is in the changes).
            AddAudit(guild, Bot, 40, null, [Change("code", null, code), Change("channel_id", null, channelId), Change("max_age", null, maxAge), Change("max_uses", null, maxUses), Change("temporary", null, invite["temporary"])], reason: reason);
            return result;
        }
    }

    internal JsonArray ListInvitesApi(string? channelId, string? guildId)
    {
        lock (_gate)
        {
            if (channelId is not null)
                RequireChannel(Bot, ChannelOrThrow(channelId), DiscordPermissions.ManageChannels);
            else
                RequireGuild(Bot, GuildOrThrow(guildId!), DiscordPermissions.ManageGuild);
            return new JsonArray(_invites.Values.Where(i => channelId is not null ? (string?)i["channel_id"] == channelId : (string?)i["guild_id"] == guildId)
                .Select(i => (JsonNode)InviteJson(i, withMetadata: true, withCounts: false)).ToArray());
        }
    }

    internal JsonObject GetInviteApi(string code, bool withCounts)
    {
        lock (_gate)
            return _invites.TryGetValue(code, out var invite) ? InviteJson(invite, withMetadata: false, withCounts) : throw SandboxApiException.NotFound(10006, "Invite");
    }

    internal JsonObject DeleteInviteApi(string code, string? reason)
    {
        lock (_gate)
        {
            if (!_invites.TryGetValue(code, out var invite))
                throw SandboxApiException.NotFound(10006, "Invite");
            var guild = GuildOrThrow((string)invite["guild_id"]!);
            if (_channels.TryGetValue((string)invite["channel_id"]!, out var channel))
                RequireChannel(Bot, channel, DiscordPermissions.ManageChannels);
            else
                RequireGuild(Bot, guild, DiscordPermissions.ManageGuild);
            var result = InviteJson(invite, withMetadata: false, withCounts: false);
            _invites.Remove(code);
            Publish("INVITE_DELETE", guild.Id, new JsonObject { ["channel_id"] = invite["channel_id"]!.DeepClone(), ["guild_id"] = guild.Id, ["code"] = code });
            AddAudit(guild, Bot, 42, null, [Change("code", code, null), Change("channel_id", invite["channel_id"], null)], reason: reason);
            return result;
        }
    }
}
