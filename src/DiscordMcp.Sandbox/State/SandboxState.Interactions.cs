using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    // ------------------------------------------------------------ scheduled events

    internal JsonArray ListEventsApi(string guildId, bool withUserCount = false)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            return new JsonArray(guild.Events.Values.Select(e => (JsonNode)EventJson(guild, e, withUserCount)).ToArray());
        }
    }

    internal JsonObject GetEventApi(string guildId, string eventId, bool withUserCount = false)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            return EventJson(guild, EventOrThrow(guild, eventId), withUserCount);
        }
    }

    /// <summary>An event as the API returns it: <c>user_count</c> only when asked for (<c>?with_user_count=true</c>).</summary>
    private static JsonObject EventJson(GuildData guild, JsonObject ev, bool withUserCount)
    {
        var result = (JsonObject)ev.DeepClone();
        result.Remove("user_count");
        if (withUserCount)
            result["user_count"] = guild.EventUsers.TryGetValue((string)ev["id"]!, out var users) ? users.Count : 0;
        return result;
    }

    /// <summary>A user marks themselves "interested" in an event. Publishes GUILD_SCHEDULED_EVENT_USER_ADD.</summary>
    public void SubscribeToEvent(string guildId, string eventId, string userId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            EventOrThrow(guild, eventId);
            MemberOrThrow(guild, userId);
            var users = guild.EventUsers[eventId];
            if (users.Contains(userId))
                return;
            users.Add(userId);
            Publish("GUILD_SCHEDULED_EVENT_USER_ADD", guildId, new JsonObject { ["guild_scheduled_event_id"] = eventId, ["user_id"] = userId, ["guild_id"] = guildId });
        }
    }

    private static JsonObject EventOrThrow(GuildData guild, string eventId) =>
        guild.Events.TryGetValue(eventId, out var e) ? e : throw SandboxApiException.NotFound(10070, "Guild Scheduled Event");

    /// <summary>Discord refuses to schedule an event whose start time has already passed.</summary>
    private void RequireFutureStart(JsonObject body, FormErrors errors)
    {
        if (body.Str("scheduled_start_time") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start) && start < Now)
            errors.Add("scheduled_start_time", "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "Cannot schedule event in the past.");
    }

    private void ValidateEvent(GuildData guild, JsonObject merged, FormErrors errors)
    {
        var entityType = merged.Int("entity_type", errors);
        var channelId = merged.Str("channel_id");
        if (entityType is null)
            errors.Required("entity_type");
        else if (entityType is not (1 or 2 or 3))
            errors.Choice("entity_type");
        else if (entityType == 3)
        {
            if (channelId is not null)
                errors.Add("channel_id", "GUILD_SCHEDULED_EVENT_CHANNEL_ID_NOT_NULL", "Channel id must be null for external events.");
            if ((merged["entity_metadata"] as JsonObject)?.Str("location") is not { Length: > 0 and <= 100 })
                errors.Add("entity_metadata.location", "BASE_TYPE_REQUIRED", "This field is required");
            if (merged.Str("scheduled_end_time") is null)
                errors.Required("scheduled_end_time");
        }
        else
        {
            if (channelId is null)
                errors.Required("channel_id");
            else if (!_channels.TryGetValue(channelId, out var c) || c.GuildId != guild.Id || c.Type != (entityType == 1 ? 13 : 2))
                errors.Add("channel_id", "CHANNEL_TYPE_INVALID", "Channel type is invalid for this entity type.");
        }
        merged.CheckString("name", 1, 100, errors, required: true);
        merged.CheckString("description", 0, 1000, errors);
        if (merged.Int("privacy_level", errors) is { } privacy && privacy != 2)
            errors.Choice("privacy_level");
        DateTimeOffset? start = null;
        if (merged.Str("scheduled_start_time") is not { } startText)
            errors.Required("scheduled_start_time");
        else if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
            errors.Add("scheduled_start_time", "DATE_TYPE_PARSE", "Could not parse date.");
        else
            start = s;
        if (merged.Str("scheduled_end_time") is { } endText && start is not null
            && DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end) && end <= start)
            errors.Add("scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START", "End time must be after start time.");
    }

    private void RequireEventChannelPerms(Actor actor, JsonObject ev)
    {
        var type = (int?)ev["entity_type"];
        if (type is 1 or 2 && ev.Str("channel_id") is { } cid && _channels.TryGetValue(cid, out var channel))
            RequireChannel(actor, channel, type == 1 ? DiscordPermissions.ManageChannels | DiscordPermissions.MuteMembers | DiscordPermissions.MoveMembers : DiscordPermissions.Connect);
    }

    internal JsonObject CreateEventApi(string guildId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var errors = new FormErrors();
            ValidateEvent(guild, body, errors);
            RequireFutureStart(body, errors);
            errors.ThrowIfAny();
            RequireGuild(Bot, guild, DiscordPermissions.CreateEvents);
            RequireEventChannelPerms(Bot, body);
            if (guild.Events.Values.Count(e => (int)e["status"]! is 1 or 2) >= 100)
                throw SandboxApiException.Bad(30038, "Maximum number of guild scheduled events reached (100)");
            var id = NextId();
            var type = (int)body["entity_type"]!;
            var ev = new JsonObject
            {
                ["id"] = id,
                ["guild_id"] = guildId,
                ["channel_id"] = type == 3 ? null : body.Str("channel_id"),
                ["creator_id"] = BotUserId,
                ["creator"] = UserJson(BotUserId),
                ["name"] = body.Str("name"),
                ["description"] = body.Str("description"),
                ["image"] = null,
                ["scheduled_start_time"] = Iso(DateTimeOffset.Parse(body.Str("scheduled_start_time")!, CultureInfo.InvariantCulture)),
                ["scheduled_end_time"] = body.Str("scheduled_end_time") is { } end ? Iso(DateTimeOffset.Parse(end, CultureInfo.InvariantCulture)) : null,
                ["status"] = 1,
                ["entity_type"] = type,
                ["entity_id"] = null,
                ["entity_metadata"] = type == 3 ? new JsonObject { ["location"] = ((JsonObject)body["entity_metadata"]!).Str("location") } : null,
                ["recurrence_rule"] = null,
                ["privacy_level"] = 2,
                ["guild_scheduled_event_exceptions"] = new JsonArray(),
            };
            guild.Events[id] = ev;
            guild.EventUsers[id] = [];
            Publish("GUILD_SCHEDULED_EVENT_CREATE", guildId, EventJson(guild, ev, withUserCount: false));
            AddAudit(guild, Bot, 100, id, [Change("name", null, ev["name"]), Change("entity_type", null, type), Change("status", null, 1)], reason: reason);
            return (JsonObject)ev.DeepClone();
        }
    }

    internal JsonObject ModifyEventApi(string guildId, string eventId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var ev = EventOrThrow(guild, eventId);
            var merged = (JsonObject)ev.DeepClone();
            foreach (var (key, value) in body)
                merged[key] = value?.DeepClone();
            var errors = new FormErrors();
            ValidateEvent(guild, merged, errors);
            if (body.Has("scheduled_start_time"))
                RequireFutureStart(body, errors);
            var oldStatus = (int)ev["status"]!;
            var newStatus = merged.Int("status", errors) ?? oldStatus;
            if (newStatus != oldStatus && !(oldStatus == 1 && newStatus is 2 or 4) && !(oldStatus == 2 && newStatus == 3))
                errors.Add("status", "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION", "Invalid status transition.");
            errors.ThrowIfAny();
            if ((string?)ev["creator_id"] == BotUserId)
                RequireGuild(Bot, guild, DiscordPermissions.CreateEvents);
            else
                RequireGuild(Bot, guild, DiscordPermissions.ManageEvents);
            RequireEventChannelPerms(Bot, merged);
            var before = (JsonObject)ev.DeepClone();
            foreach (var key in (string[])["name", "description", "channel_id", "scheduled_start_time", "scheduled_end_time", "entity_type", "entity_metadata", "status"])
            {
                if (merged.Has(key))
                    ev[key] = merged[key]?.DeepClone();
            }
            if ((int)ev["entity_type"]! != 3)
                ev["entity_metadata"] = null;
            Publish("GUILD_SCHEDULED_EVENT_UPDATE", guildId, EventJson(guild, ev, withUserCount: false));
            AddAudit(guild, Bot, 101, eventId, Diff(before, ev, "name", "description", "channel_id", "scheduled_start_time", "scheduled_end_time", "entity_type", "status"), reason: reason);
            return (JsonObject)ev.DeepClone();
        }
    }

    internal void DeleteEventApi(string guildId, string eventId, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var ev = EventOrThrow(guild, eventId);
            RequireGuild(Bot, guild, (string?)ev["creator_id"] == BotUserId ? DiscordPermissions.CreateEvents : DiscordPermissions.ManageEvents);
            guild.Events.Remove(eventId);
            guild.EventUsers.Remove(eventId);
            Publish("GUILD_SCHEDULED_EVENT_DELETE", guildId, (JsonObject)ev.DeepClone());
            AddAudit(guild, Bot, 102, eventId, [Change("name", ev["name"], null)], reason: reason);
        }
    }

    /// <summary>Interested users ordered by user id, paged with <paramref name="before"/>/<paramref name="after"/>; <c>member</c> with <paramref name="withMember"/>.</summary>
    internal JsonArray EventUsersApi(string guildId, string eventId, int limit, bool withMember = false, string? before = null, string? after = null)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            EventOrThrow(guild, eventId);
            var ordered = guild.EventUsers[eventId].Select(u => (Id: u, Value: IdValue(u))).OrderBy(u => u.Value).ToList();
            if (after is not null)
                ordered = [.. ordered.Where(u => u.Value > IdValue(after))];
            if (before is not null)
                ordered = [.. ordered.Where(u => u.Value < IdValue(before)).TakeLast(limit)];
            return new JsonArray(ordered.Take(limit).Select(u =>
            {
                var entry = new JsonObject
                {
                    ["guild_scheduled_event_id"] = eventId,
                    ["user_id"] = u.Id,
                    ["user"] = UserJson(u.Id),
                    ["response"] = 1,
                };
                if (withMember && guild.Members.ContainsKey(u.Id))
                    entry["member"] = MemberJson(guild, u.Id);
                return (JsonNode)entry;
            }).ToArray());
        }
    }

    // ------------------------------------------------------------ application commands

    private Dictionary<string, JsonObject> Commands(string applicationId, string? guildId)
    {
        if (applicationId != ApplicationId)
            throw SandboxApiException.NotFound(10002, "Application");
        if (guildId is null)
            return _globalCommands;
        var guild = GuildOrThrow(guildId);
        if (!guild.Members.ContainsKey(BotUserId))
            throw SandboxApiException.MissingAccess();
        return guild.Commands;
    }

    private JsonObject BuildCommand(JsonObject body, string? guildId, string? id, FormErrors errors, string prefix)
    {
        var type = body.Int("type", errors) ?? 1;
        if (type is not (1 or 2 or 3))
            errors.Choice(prefix + "type");
        body.CheckString("name", 1, 32, errors, required: true, path: prefix + "name");
        var name = body.Str("name");
        if (type == 1 && name is not null && (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal) || name.Contains(' ', StringComparison.Ordinal)))
            errors.Add(prefix + "name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
        if (type == 1)
            body.CheckString("description", 1, 100, errors, required: true, path: prefix + "description");
        if (body["options"] is JsonArray { Count: > 25 })
            errors.MaxLength(prefix + "options", 25);
        var command = new JsonObject
        {
            ["id"] = id ?? NextId(),
            ["application_id"] = ApplicationId,
            ["version"] = NextId(),
            ["default_member_permissions"] = body["default_member_permissions"] is JsonValue dmp ? dmp.ToJsonString().Trim('"') : null,
            ["type"] = type,
            ["name"] = name,
            ["description"] = type == 1 ? body.Str("description") : string.Empty,
            ["dm_permission"] = true,
            ["nsfw"] = body.Bool("nsfw") ?? false,
        };
        if (guildId is not null)
            command["guild_id"] = guildId;
        if (body["options"] is JsonArray options)
            command["options"] = options.DeepClone();
        return command;
    }

    internal JsonNode CommandsGetApi(string applicationId, string? guildId, string? commandId)
    {
        lock (_gate)
        {
            var commands = Commands(applicationId, guildId);
            if (commandId is null)
                return new JsonArray(commands.Values.Select(c => c.DeepClone()).ToArray());
            return commands.TryGetValue(commandId, out var c1) ? c1.DeepClone() : throw SandboxApiException.NotFound(10063, "application command");
        }
    }

    internal JsonObject CommandCreateApi(string applicationId, string? guildId, JsonObject body, out bool created)
    {
        lock (_gate)
        {
            var commands = Commands(applicationId, guildId);
            var errors = new FormErrors();
            var existing = commands.Values.FirstOrDefault(c => (string?)c["name"] == body.Str("name") && (int)c["type"]! == (body.Int("type", errors) ?? 1));
            var command = BuildCommand(body, guildId, (string?)existing?["id"], errors, string.Empty);
            errors.ThrowIfAny();
            created = existing is null;
            if (created && commands.Values.Count(c => (int)c["type"]! == (int)command["type"]!) >= ((int)command["type"]! == 1 ? 100 : 15))
                throw SandboxApiException.Bad(30032, "Maximum number of application commands reached");
            commands[(string)command["id"]!] = command;
            return (JsonObject)command.DeepClone();
        }
    }

    internal JsonObject CommandEditApi(string applicationId, string? guildId, string commandId, JsonObject body)
    {
        lock (_gate)
        {
            var commands = Commands(applicationId, guildId);
            if (!commands.TryGetValue(commandId, out var existing))
                throw SandboxApiException.NotFound(10063, "application command");
            var merged = (JsonObject)existing.DeepClone();
            foreach (var (key, value) in body)
                merged[key] = value?.DeepClone();
            var errors = new FormErrors();
            var command = BuildCommand(merged, guildId, commandId, errors, string.Empty);
            errors.ThrowIfAny();
            commands[commandId] = command;
            return (JsonObject)command.DeepClone();
        }
    }

    internal void CommandDeleteApi(string applicationId, string? guildId, string commandId)
    {
        lock (_gate)
        {
            if (!Commands(applicationId, guildId).Remove(commandId))
                throw SandboxApiException.NotFound(10063, "application command");
        }
    }

    internal JsonArray CommandsOverwriteApi(string applicationId, string? guildId, JsonNode? body)
    {
        lock (_gate)
        {
            var commands = Commands(applicationId, guildId);
            if (body is not JsonArray items)
                throw new SandboxApiException(400, 50035, "Invalid Form Body", new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_ARRAY", ["message"] = "Must be an array." }) });
            var errors = new FormErrors();
            var built = new List<JsonObject>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonObject item)
                    continue;
                var existing = commands.Values.FirstOrDefault(c => (string?)c["name"] == item.Str("name"));
                built.Add(BuildCommand(item, guildId, (string?)existing?["id"], errors, $"{i}."));
            }
            errors.ThrowIfAny();
            commands.Clear();
            foreach (var c in built)
                commands[(string)c["id"]!] = c;
            return new JsonArray(built.Select(c => c.DeepClone()).ToArray());
        }
    }

    // ------------------------------------------------------------ interactions

    private InteractionData InteractionOrThrow(string interactionId, string token) =>
        _interactions.TryGetValue(interactionId, out var i) && string.Equals(i.Token, token, StringComparison.Ordinal)
            ? i
            : throw SandboxApiException.NotFound(10062, "interaction");

    internal JsonObject? InteractionCallbackApi(string interactionId, string token, JsonObject body, bool withResponse)
    {
        lock (_gate)
        {
            var interaction = InteractionOrThrow(interactionId, token);
            interaction.CallbackAttempts++;
            if (interaction.Callback is not null)
                throw SandboxApiException.Bad(40060, "Interaction has already been acknowledged.");
            var errors = new FormErrors();
            var type = body.Int("type", errors);
            if (type is null)
                errors.Required("type");
            else if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9 or 12))
                errors.Choice("type");
            var data = body["data"] as JsonObject ?? [];
            if (type is 4 or 7)
                ValidateMessageBody(data, requireSomething: false, "data.");
            errors.ThrowIfAny();
            if (type is 6 or 7 && (int)interaction.Payload["type"]! != 3)
                throw SandboxApiException.Bad(40061, "Interaction type does not support this callback");
            interaction.Callback = (JsonObject)body.DeepClone();
            var channel = ChannelOrThrow(interaction.ChannelId);
            JsonObject? message = null;
            switch (type)
            {
                case 4:
                    message = CreateMessage(channel, BotUserId, data, null, null, interaction);
                    interaction.OriginalMessageId = (string)message["id"]!;
                    break;
                case 5:
                    message = CreateMessage(channel, BotUserId, new JsonObject { ["content"] = string.Empty, ["flags"] = 128 | ((data.Int("flags", errors) ?? 0) & 64) }, null, null, interaction);
                    interaction.OriginalMessageId = (string)message["id"]!;
                    break;
                case 7:
                    var clicked = MessageOrThrow(channel, (string)interaction.Payload["message"]!["id"]!);
                    message = ApplyEdit(channel, clicked, data);
                    interaction.OriginalMessageId = clicked.Id;
                    break;
                case 6:
                    interaction.OriginalMessageId = (string?)interaction.Payload["message"]?["id"];
                    break;
            }
            if (!withResponse)
                return null;
            var response = new JsonObject
            {
                ["interaction"] = new JsonObject
                {
                    ["id"] = interaction.Id,
                    ["type"] = interaction.Payload["type"]!.DeepClone(),
                    ["response_message_id"] = interaction.OriginalMessageId,
                    ["response_message_loading"] = type == 5,
                    ["response_message_ephemeral"] = ((data.Int("flags", errors) ?? 0) & 64) != 0,
                },
            };
            if (message is not null)
                response["resource"] = new JsonObject { ["type"] = type, ["message"] = message };
            return response;
        }
    }

    /// <summary>True when <paramref name="webhookId"/>/<paramref name="token"/> address an interaction (follow-up routes share the webhook path).</summary>
    internal bool IsInteractionWebhook(string webhookId, string token)
    {
        lock (_gate)
            return webhookId == ApplicationId && _interactionsByToken.ContainsKey(token);
    }

    private InteractionData InteractionByToken(string token) =>
        _interactionsByToken.TryGetValue(token, out var id) ? _interactions[id] : throw SandboxApiException.NotFound(10015, "Webhook");

    internal JsonObject FollowupApi(string token, JsonObject body)
    {
        lock (_gate)
        {
            var interaction = InteractionByToken(token);
            if (interaction.Callback is null)
                throw SandboxApiException.NotFound(10015, "Webhook");
            ValidateMessageBody(body, requireSomething: true);
            var message = CreateMessage(ChannelOrThrow(interaction.ChannelId), BotUserId, body, null, null, interaction);
            interaction.FollowupIds.Add((string)message["id"]!);
            return message;
        }
    }

    private MessageData InteractionMessage(InteractionData interaction, string messageId, out ChannelData channel)
    {
        channel = ChannelOrThrow(interaction.ChannelId);
        var id = messageId == "@original" ? interaction.OriginalMessageId : interaction.FollowupIds.Contains(messageId) ? messageId : null;
        return id is null ? throw SandboxApiException.NotFound(10008, "Message") : MessageOrThrow(channel, id);
    }

    internal JsonObject? InteractionMessageApi(string token, string messageId, string method, JsonObject body)
    {
        lock (_gate)
        {
            var interaction = InteractionByToken(token);
            var message = InteractionMessage(interaction, messageId, out var channel);
            switch (method)
            {
                case "GET":
                    return MessageJson(message);
                case "PATCH":
                    ValidateMessageBody(body, requireSomething: false);
                    if (((int)message.Message["flags"]! & 128) != 0)
                        message.Message["flags"] = (int)message.Message["flags"]! & ~128;
                    return ApplyEdit(channel, message, body);
                default:
                    RemoveMessage(channel, message);
                    return null;
            }
        }
    }

    internal JsonObject? WebhookMessageApi(string webhookId, string token, string messageId, string method, JsonObject body)
    {
        lock (_gate)
        {
            var webhook = WebhookOrThrow(webhookId, token);
            var channel = ChannelOrThrow((string)webhook["channel_id"]!);
            var message = MessageOrThrow(channel, messageId);
            if ((string?)message.Message["webhook_id"] != webhookId)
                throw SandboxApiException.NotFound(10008, "Message");
            switch (method)
            {
                case "GET":
                    return MessageJson(message);
                case "PATCH":
                    ValidateMessageBody(body, requireSomething: false);
                    return ApplyEdit(channel, message, body);
                default:
                    RemoveMessage(channel, message);
                    return null;
            }
        }
    }
}
