using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    internal const int MaxContentLength = 2000;

    internal JsonArray ListMessagesApi(string channelId, string? before, string? after, string? around, int limit)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.None);
            if ((ChannelPermissions(channel, BotUserId) & DiscordPermissions.ReadMessageHistory) == 0)
                return [];
            IEnumerable<MessageData> selected;
            var all = channel.Messages.Values.ToList(); // ascending
            if (around is not null)
            {
                var pivot = IdValue(around);
                var older = all.Where(m => IdValue(m.Id) < pivot).Reverse().Take(limit / 2);
                var newer = all.Where(m => IdValue(m.Id) >= pivot).Take(limit - (limit / 2));
                selected = newer.Reverse().Concat(older);
            }
            else if (after is not null)
            {
                var a = IdValue(after);
                selected = all.Where(m => IdValue(m.Id) > a).Take(limit).Reverse();
            }
            else
            {
                var b = before is null ? ulong.MaxValue : IdValue(before);
                selected = all.Where(m => IdValue(m.Id) < b).Reverse().Take(limit);
            }
            return new JsonArray(selected.Select(m => (JsonNode)MessageJson(m)).ToArray());
        }
    }

    internal JsonObject GetMessageApi(string channelId, string messageId)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ReadMessageHistory);
            return MessageJson(MessageOrThrow(channel, messageId));
        }
    }

    /// <summary>Validates a message body (content/embeds/components/...): 50035 for field errors, 50006 for an empty message.</summary>
    internal static void ValidateMessageBody(JsonObject body, bool requireSomething, string prefix = "")
    {
        var errors = new FormErrors();
        body.CheckString("content", 0, MaxContentLength, errors, path: prefix + "content");
        if (body["embeds"] is JsonArray embeds)
        {
            if (embeds.Count > 10)
                errors.MaxLength(prefix + "embeds", 10);
            for (var i = 0; i < embeds.Count; i++)
            {
                if (embeds[i] is JsonObject e)
                {
                    e.CheckString("title", 0, 256, errors, path: $"{prefix}embeds.{i}.title");
                    e.CheckString("description", 0, 4096, errors, path: $"{prefix}embeds.{i}.description");
                }
            }
        }
        if (body["components"] is JsonArray components && components.Count > 5 && ((body.Int("flags", errors) ?? 0) & 32768) == 0)
            errors.MaxLength(prefix + "components", 5);
        body.CheckString("nonce", 0, 25, errors, path: prefix + "nonce");
        errors.ThrowIfAny();
        if (requireSomething
            && string.IsNullOrEmpty(body.Str("content"))
            && body["embeds"] is not JsonArray { Count: > 0 }
            && body["components"] is not JsonArray { Count: > 0 }
            && body["sticker_ids"] is not JsonArray { Count: > 0 }
            && body["poll"] is null)
            throw SandboxApiException.Bad(50006, "Cannot send an empty message");
    }

    internal JsonObject SendMessageApi(Actor actor, string channelId, JsonObject body)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            if (channel.Type is 4 or 15 or 16)
                throw SandboxApiException.Bad(50008, "Cannot send messages in a non-text channel");
            RequireChannel(actor, channel, DiscordPermissions.SendMessages);
            ValidateMessageBody(body, requireSomething: true);
            RequireReachable(actor, channel);
            if (channel.IsThread && channel.Channel["thread_metadata"]!["archived"]!.GetValue<bool>())
                throw SandboxApiException.Bad(50083, "Thread is archived");
            JsonObject? reference = null;
            if (body["message_reference"] is JsonObject mr)
            {
                var errors = new FormErrors();
                var refId = mr.Id("message_id", errors, "message_reference.message_id");
                errors.ThrowIfAny();
                var refChannelId = mr.Str("channel_id") ?? channelId;
                if (refId is not null)
                {
                    if (!_channels.TryGetValue(refChannelId, out var refChannel) || !refChannel.Messages.ContainsKey(IdValue(refId)))
                    {
                        if (mr.Bool("fail_if_not_exists") != false)
                        {
                            var e = new FormErrors();
                            e.Add("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message");
                            e.ThrowIfAny();
                        }
                    }
                    else
                    {
                        reference = new JsonObject { ["type"] = 0, ["channel_id"] = refChannelId, ["message_id"] = refId };
                        if (refChannel.GuildId is { } g)
                            reference["guild_id"] = g;
                    }
                }
            }
            return CreateMessage(channel, actor.UserId, body, reference, webhookId: null, interaction: null);
        }
    }

    /// <summary>Embeds as Discord stores them: every embed sent by a bot or webhook has <c>type: "rich"</c>.</summary>
    internal static JsonArray StoredEmbeds(JsonNode? embeds)
    {
        var result = embeds is JsonArray e ? (JsonArray)e.DeepClone() : [];
        foreach (var embed in result.OfType<JsonObject>())
        {
            if (!embed.ContainsKey("type"))
                embed["type"] = "rich";
        }
        return result;
    }

    /// <summary>
    /// Components as Discord stores them: each one without an explicit <c>id</c> gets a numeric id, counting from 1
    /// in depth-first order (after the largest id the sender chose).
    /// </summary>
    internal static JsonArray StoredComponents(JsonNode? components)
    {
        var result = components is JsonArray c ? (JsonArray)c.DeepClone() : [];
        var all = new List<JsonObject>();
        void Walk(JsonArray list)
        {
            foreach (var component in list.OfType<JsonObject>())
            {
                all.Add(component);
                if (component["components"] is JsonArray children)
                    Walk(children);
                if (component["accessory"] is JsonObject accessory)
                    all.Add(accessory);
            }
        }
        Walk(result);
        var next = all.Select(x => x["id"] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0).DefaultIfEmpty(0).Max();
        foreach (var component in all)
        {
            if (component["id"] is null)
                component["id"] = ++next;
        }
        return result;
    }

    /// <summary>Stores a new message and publishes MESSAGE_CREATE; the body is already validated.</summary>
    internal JsonObject CreateMessage(ChannelData channel, string authorId, JsonObject body, JsonObject? reference, string? webhookId, InteractionData? interaction, string? id = null, JsonObject? authorOverride = null)
    {
        id ??= NextId();
        var content = body.Str("content") ?? string.Empty;
        var type = reference is not null ? 19 : interaction is not null ? (interaction.Payload["type"]!.GetValue<int>() == 2 ? 20 : 0) : 0;
        var message = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["content"] = content,
            ["channel_id"] = channel.Id,
            ["author"] = authorOverride ?? UserJson(authorId),
            ["attachments"] = new JsonArray(),
            ["embeds"] = StoredEmbeds(body["embeds"]),
            ["mentions"] = new JsonArray(MentionedUsers(content).Where(u => Pings(body, "users", u)).Select(u => (JsonNode)UserJson(u)).ToArray()),
            ["mention_roles"] = new JsonArray(MentionedRoles(content).Where(r => Pings(body, "roles", r)).Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["mention_everyone"] = (content.Contains("@everyone", StringComparison.Ordinal) || content.Contains("@here", StringComparison.Ordinal)) && Pings(body, "everyone", null),
            ["pinned"] = false,
            ["tts"] = body.Bool("tts") ?? false,
            ["timestamp"] = IsoFromId(id),
            ["edited_timestamp"] = null,
            ["flags"] = (body["flags"] is JsonValue fv && fv.TryGetValue<int>(out var f) ? f : 0) & (4 | 64 | 4096 | 32768),
            ["components"] = StoredComponents(body["components"]),
        };
        if (body["nonce"] is JsonValue nonce)
            message["nonce"] = nonce.DeepClone();
        if (reference is not null)
        {
            message["message_reference"] = reference;
            if (_channels.TryGetValue((string)reference["channel_id"]!, out var rc) && rc.Messages.TryGetValue(IdValue((string)reference["message_id"]!), out var referenced))
                message["referenced_message"] = MessageJson(referenced);
        }
        if (webhookId is not null)
            message["webhook_id"] = webhookId;
        if (interaction is not null)
        {
            message["application_id"] = ApplicationId;
            message["interaction_metadata"] = new JsonObject
            {
                ["id"] = interaction.Id,
                ["type"] = interaction.Payload["type"]!.DeepClone(),
                ["user"] = UserJson(interaction.UserId),
                ["authorizing_integration_owners"] = new JsonObject { ["0"] = interaction.GuildId },
            };
            if (webhookId is null)
                message["webhook_id"] = ApplicationId;
        }
        var data = new MessageData(message);
        channel.Messages[IdValue(id)] = data;
        if (channel.Channel.ContainsKey("last_message_id") || channel.IsThread)
            channel.Channel["last_message_id"] = id;
        if (channel.IsThread)
        {
            channel.Channel["message_count"] = (int)channel.Channel["message_count"]! + 1;
            channel.Channel["total_message_sent"] = (int)channel.Channel["total_message_sent"]! + 1;
        }
        var result = MessageJson(data);
        var d = (JsonObject)result.DeepClone();
        if (channel.GuildId is { } guildId)
        {
            d["guild_id"] = guildId;
            var guild = GuildOrThrow(guildId);
            if (webhookId is null && guild.Members.ContainsKey(authorId))
                d["member"] = MemberJson(guild, authorId, withUser: false);
        }
        Publish("MESSAGE_CREATE", channel.GuildId, d);
        return result;
    }

    /// <summary>
    /// Whether a mention in the content pings (Discord's <c>allowed_mentions</c>): without the field every mention does;
    /// with it, only the kinds in <c>parse</c> and the ids listed under <c>users</c> / <c>roles</c>. The message's
    /// <c>mentions</c>, <c>mention_roles</c> and <c>mention_everyone</c> list only what pinged.
    /// </summary>
    private static bool Pings(JsonObject body, string kind, string? id)
    {
        if (body["allowed_mentions"] is not JsonObject allowed)
            return true;
        if (allowed["parse"] is JsonArray parse && parse.Any(p => p is JsonValue v && v.TryGetValue<string>(out var s) && s == kind))
            return true;
        return id is not null && allowed[kind] is JsonArray ids && ids.Any(x => x is JsonValue v && v.TryGetValue<string>(out var s) && s == id);
    }

    private IEnumerable<string> MentionedUsers(string content) =>
        ExtractMentions(content, "<@").Where(_users.ContainsKey).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> MentionedRoles(string content) => ExtractMentions(content, "<@&").Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> ExtractMentions(string content, string prefix)
    {
        var index = 0;
        while ((index = content.IndexOf(prefix, index, StringComparison.Ordinal)) >= 0)
        {
            var start = index + prefix.Length;
            if (prefix == "<@" && start < content.Length && content[start] == '!')
                start++;
            var end = content.IndexOf('>', start);
            if (end < 0)
                yield break;
            var id = content[start..end];
            if (Snowflake.TryParse(id, out _))
                yield return id;
            index = end;
        }
    }

    internal JsonObject EditMessageApi(string channelId, string messageId, JsonObject body)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.None);
            var message = MessageOrThrow(channel, messageId);
            if (message.AuthorId != BotUserId)
            {
                // Others' messages: only SUPPRESS_EMBEDS, with MANAGE_MESSAGES.
                RequireChannel(Bot, channel, DiscordPermissions.ManageMessages);
                if (body.Has("content") || body.Has("embeds") || body.Has("components"))
                    throw new SandboxApiException(403, 50005, "Cannot edit a message authored by another user");
            }
            ValidateMessageBody(body, requireSomething: false);
            return ApplyEdit(channel, message, body);
        }
    }

    internal JsonObject ApplyEdit(ChannelData channel, MessageData message, JsonObject body)
    {
        foreach (var key in (string[])["content", "embeds", "components"])
        {
            if (body.Has(key))
            {
                message.Message[key] = key switch
                {
                    "embeds" => StoredEmbeds(body[key]),
                    "components" => StoredComponents(body[key]),
                    _ => body[key]?.DeepClone() ?? JsonValue.Create(string.Empty),
                };
            }
        }
        if (body["flags"] is JsonValue fv && fv.TryGetValue<int>(out var flags))
            message.Message["flags"] = ((int)message.Message["flags"]! & ~4) | (flags & 4);
        message.Message["edited_timestamp"] = Iso(Now);
        var result = MessageJson(message);
        var d = (JsonObject)result.DeepClone();
        if (channel.GuildId is { } g)
            d["guild_id"] = g;
        Publish("MESSAGE_UPDATE", channel.GuildId, d);
        return result;
    }

    internal void DeleteMessageApi(Actor actor, string channelId, string messageId, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(actor, channel, DiscordPermissions.None);
            var message = MessageOrThrow(channel, messageId);
            if (message.AuthorId != actor.UserId)
                RequireChannel(actor, channel, DiscordPermissions.ManageMessages);
            RemoveMessage(channel, message);
            if (message.AuthorId != actor.UserId && channel.GuildId is { } g)
                AddAudit(GuildOrThrow(g), actor, 72, message.AuthorId, options: new JsonObject { ["channel_id"] = channelId, ["count"] = "1" }, reason: reason);
        }
    }

    internal void RemoveMessage(ChannelData channel, MessageData message)
    {
        channel.Messages.Remove(IdValue(message.Id));
        channel.Pins.RemoveAll(p => p.MessageId == message.Id);
        var d = new JsonObject { ["id"] = message.Id, ["channel_id"] = channel.Id };
        if (channel.GuildId is { } g)
            d["guild_id"] = g;
        Publish("MESSAGE_DELETE", channel.GuildId, d);
    }

    internal void BulkDeleteApi(string channelId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, DiscordPermissions.ManageMessages);
            var errors = new FormErrors();
            if (body["messages"] is not JsonArray ids)
            {
                errors.Required("messages");
                errors.ThrowIfAny();
                return;
            }
            if (ids.Count is < 2 or > 100)
                throw SandboxApiException.Bad(50016, "You must provide at least 2 and fewer than 100 messages to delete");
            var list = new List<string>();
            for (var i = 0; i < ids.Count; i++)
            {
                var text = ids[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                if (text is null || !Snowflake.TryParse(text, out _))
                {
                    errors.Snowflake($"messages.{i}");
                    continue;
                }
                if (list.Contains(text))
                    errors.Add($"messages.{i}", "BASE_TYPE_DUPLICATE", "Duplicate value.");
                list.Add(text);
            }
            errors.ThrowIfAny();
            var cutoff = Now.AddDays(-14);
            if (list.Any(id => Sf(id).CreatedAt < cutoff))
                throw SandboxApiException.Bad(50034, "You can only bulk delete messages that are under 14 days old.");
            var deleted = new List<string>();
            foreach (var id in list)
            {
                if (channel.Messages.TryGetValue(IdValue(id), out var m))
                {
                    channel.Messages.Remove(IdValue(id));
                    channel.Pins.RemoveAll(p => p.MessageId == id);
                    deleted.Add(id);
                }
            }
            Publish("MESSAGE_DELETE_BULK", guild.Id, new JsonObject
            {
                ["ids"] = new JsonArray(list.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
                ["channel_id"] = channelId,
                ["guild_id"] = guild.Id,
            });
            AddAudit(guild, Bot, 73, channelId, options: new JsonObject { ["count"] = deleted.Count.ToString(CultureInfo.InvariantCulture) }, reason: reason);
        }
    }

    // ------------------------------------------------------------ reactions

    private static JsonObject ParseEmoji(ChannelData channel, string emoji, out string key)
    {
        var decoded = Uri.UnescapeDataString(emoji);
        var colon = decoded.LastIndexOf(':');
        if (colon >= 0)
        {
            var name = decoded[..colon];
            if (name.StartsWith("a:", StringComparison.Ordinal))
                name = name[2..];
            var id = decoded[(colon + 1)..];
            if (!Snowflake.TryParse(id, out _))
                throw SandboxApiException.NotFound(10014, "Emoji");
            key = id;
            _ = channel;
            return new JsonObject { ["id"] = id, ["name"] = name };
        }
        if (decoded.Length == 0 || decoded.Any(char.IsAsciiLetterOrDigit))
            throw SandboxApiException.NotFound(10014, "Emoji");
        key = decoded;
        return new JsonObject { ["id"] = null, ["name"] = decoded };
    }

    internal void AddReactionApi(Actor actor, string channelId, string messageId, string emoji)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(actor, channel, DiscordPermissions.ReadMessageHistory);
            var message = MessageOrThrow(channel, messageId);
            var emojiJson = ParseEmoji(channel, emoji, out var key);
            var reaction = message.Reactions.FirstOrDefault(r => r.Key == key);
            if (reaction is null)
            {
                RequireChannel(actor, channel, DiscordPermissions.AddReactions);
                if (message.Reactions.Count >= 20)
                    throw SandboxApiException.Bad(30010, "Maximum number of reactions reached (20)");
                reaction = new ReactionData(key, emojiJson);
                message.Reactions.Add(reaction);
            }
            if (reaction.Users.Contains(actor.UserId))
                return;
            reaction.Users.Add(actor.UserId);
            var d = new JsonObject
            {
                ["user_id"] = actor.UserId,
                ["channel_id"] = channelId,
                ["message_id"] = messageId,
                ["emoji"] = emojiJson.DeepClone(),
                ["message_author_id"] = message.AuthorId,
                ["burst"] = false,
                ["type"] = 0,
            };
            if (channel.GuildId is { } g)
            {
                d["guild_id"] = g;
                var guild = GuildOrThrow(g);
                if (guild.Members.ContainsKey(actor.UserId))
                    d["member"] = MemberJson(guild, actor.UserId);
            }
            Publish("MESSAGE_REACTION_ADD", channel.GuildId, d);
        }
    }

    internal void RemoveReactionApi(string channelId, string messageId, string emoji, string userId)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, userId == BotUserId ? DiscordPermissions.None : DiscordPermissions.ManageMessages);
            var message = MessageOrThrow(channel, messageId);
            ParseEmoji(channel, emoji, out var key);
            var reaction = message.Reactions.FirstOrDefault(r => r.Key == key);
            if (reaction is null || !reaction.Users.Remove(userId))
                return;
            if (reaction.Users.Count == 0)
                message.Reactions.Remove(reaction);
            var d = new JsonObject
            {
                ["user_id"] = userId,
                ["channel_id"] = channelId,
                ["message_id"] = messageId,
                ["emoji"] = reaction.Emoji.DeepClone(),
                ["burst"] = false,
                ["type"] = 0,
            };
            if (channel.GuildId is { } g)
                d["guild_id"] = g;
            Publish("MESSAGE_REACTION_REMOVE", channel.GuildId, d);
        }
    }

    /// <summary>Users who reacted, ordered by user id, after <paramref name="after"/>, at most <paramref name="limit"/> (Discord: 1-100, default 25).</summary>
    internal JsonArray ListReactionUsersApi(string channelId, string messageId, string emoji, string? after = null, int limit = 25)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ReadMessageHistory);
            var message = MessageOrThrow(channel, messageId);
            ParseEmoji(channel, emoji, out var key);
            var reaction = message.Reactions.FirstOrDefault(r => r.Key == key);
            var afterValue = after is null ? 0UL : IdValue(after);
            var users = (reaction?.Users ?? []).Select(u => (Id: u, Value: IdValue(u))).Where(u => u.Value > afterValue)
                .OrderBy(u => u.Value).Take(limit).Select(u => (JsonNode)UserJson(u.Id));
            return new JsonArray(users.ToArray());
        }
    }

    /// <summary>Removes every reaction (or, with <paramref name="emoji"/>, every reaction of that emoji); needs MANAGE_MESSAGES.</summary>
    internal void RemoveAllReactionsApi(string channelId, string messageId, string? emoji)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ManageMessages);
            var message = MessageOrThrow(channel, messageId);
            var d = new JsonObject { ["channel_id"] = channelId, ["message_id"] = messageId };
            if (channel.GuildId is { } g)
                d["guild_id"] = g;
            if (emoji is null)
            {
                message.Reactions.Clear();
                Publish("MESSAGE_REACTION_REMOVE_ALL", channel.GuildId, d);
                return;
            }
            ParseEmoji(channel, emoji, out var key);
            var reaction = message.Reactions.FirstOrDefault(r => r.Key == key);
            if (reaction is null)
                return;
            message.Reactions.Remove(reaction);
            d["emoji"] = reaction.Emoji.DeepClone();
            Publish("MESSAGE_REACTION_REMOVE_EMOJI", channel.GuildId, d);
        }
    }

    // ------------------------------------------------------------ pins

    internal JsonObject ListPinsApi(string channelId, string? before, int limit)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ReadMessageHistory);
            DateTimeOffset? cutoff = before is null ? null : DateTimeOffset.Parse(before, CultureInfo.InvariantCulture);
            var pins = channel.Pins.OrderByDescending(p => p.PinnedAt).Where(p => cutoff is null || p.PinnedAt < cutoff).ToList();
            var items = pins.Take(limit).Select(p => (JsonNode)new JsonObject
            {
                ["pinned_at"] = Iso(p.PinnedAt),
                ["message"] = MessageJson(channel.Messages[IdValue(p.MessageId)]),
            }).ToArray();
            return new JsonObject { ["items"] = new JsonArray(items), ["has_more"] = pins.Count > limit };
        }
    }

    /// <summary>POST /channels/{id}/typing: the bot must see the channel and be able to send there; nothing is stored.</summary>
    internal void TypingApi(string channelId)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages);
        }
    }

    internal void PinApi(string channelId, string messageId, bool pin, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.PinMessages | DiscordPermissions.ReadMessageHistory);
            var message = MessageOrThrow(channel, messageId);
            var isPinned = channel.Pins.Any(p => p.MessageId == messageId);
            if (pin == isPinned)
                return;
            if (pin)
            {
                if (channel.Pins.Count >= 250)
                    throw SandboxApiException.Bad(30003, "Maximum number of pins reached (250)");
                channel.Pins.Add((messageId, Now));
            }
            else
            {
                channel.Pins.RemoveAll(p => p.MessageId == messageId);
            }
            message.Message["pinned"] = pin;
            var update = MessageJson(message);
            if (channel.GuildId is { } g)
                update["guild_id"] = g;
            Publish("MESSAGE_UPDATE", channel.GuildId, update);
            var d = new JsonObject { ["channel_id"] = channelId, ["last_pin_timestamp"] = channel.Pins.Count == 0 ? null : Iso(channel.Pins.Max(p => p.PinnedAt)) };
            if (channel.GuildId is { } gid)
                d["guild_id"] = gid;
            Publish("CHANNEL_PINS_UPDATE", channel.GuildId, d);
            if (channel.GuildId is { } guildId)
                AddAudit(GuildOrThrow(guildId), Bot, pin ? 74 : 75, message.AuthorId, options: new JsonObject { ["channel_id"] = channelId, ["message_id"] = messageId }, reason: reason);
        }
    }
}
