using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    private static readonly string[] GuildEditableKeys = ["name", "description", "afk_timeout", "system_channel_id", "verification_level", "default_message_notifications", "explicit_content_filter", "preferred_locale", "afk_channel_id", "rules_channel_id", "public_updates_channel_id"];
    private static readonly string[] ChannelEditableKeys = ["name", "topic", "nsfw", "rate_limit_per_user", "position", "parent_id", "bitrate", "user_limit", "default_auto_archive_duration", "available_tags"];

    internal JsonObject GetGuildApi(string guildId, bool withCounts)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            if (!guild.Members.ContainsKey(BotUserId))
                throw SandboxApiException.MissingAccess();
            return GuildJson(guild, withCounts);
        }
    }

    internal JsonArray MyGuildsApi()
    {
        lock (_gate)
        {
            return new JsonArray(_guilds.Values.Where(g => g.Members.ContainsKey(BotUserId)).Select(g => (JsonNode)new JsonObject
            {
                ["id"] = g.Id,
                ["name"] = g.Guild["name"]!.DeepClone(),
                ["icon"] = null,
                ["banner"] = null,
                ["owner"] = g.OwnerId == BotUserId,
                ["permissions"] = BasePermissions(g, BotUserId).ToWire(),
                ["features"] = new JsonArray(),
            }).ToArray());
        }
    }

    internal JsonObject ModifyGuildApi(string guildId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.ManageGuild);
            var errors = new FormErrors();
            body.CheckString("name", 2, 100, errors);
            errors.ThrowIfAny();
            var before = (JsonObject)guild.Guild.DeepClone();
            foreach (var key in GuildEditableKeys)
            {
                if (body.Has(key))
                    guild.Guild[key] = body[key]?.DeepClone();
            }
            var changes = Diff(before, guild.Guild, GuildEditableKeys);
            var result = GuildJson(guild);
            Publish("GUILD_UPDATE", guildId, (JsonObject)result.DeepClone());
            AddAudit(guild, Bot, 1, guildId, changes, reason: reason);
            return result;
        }
    }

    // ------------------------------------------------------------ channels

    internal JsonArray ListChannelsApi(string guildId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            // Like Discord, the list includes channels the bot cannot view (with their overwrites); only reading
            // them is refused. Clients and the policy layer compute visibility from the overwrites.
            return new JsonArray(_channels.Values.Where(c => c.GuildId == guildId && !c.IsThread)
                .Select(c => (JsonNode)ChannelJson(c)).ToArray());
        }
    }

    internal JsonObject GetChannelApi(string channelId)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.None);
            return ChannelJson(channel);
        }
    }

    internal JsonObject CreateChannelApi(Actor actor, string guildId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(actor, guild, DiscordPermissions.ManageChannels);
            var errors = new FormErrors();
            body.CheckString("name", 1, 100, errors, required: true);
            var type = body.Int("type", errors) ?? 0;
            if (type is not (0 or 2 or 4 or 5 or 13 or 14 or 15 or 16))
                errors.Choice("type");
            body.CheckString("topic", 0, type is 15 or 16 ? 4096 : 1024, errors);
            var rate = body.Int("rate_limit_per_user", errors);
            if (rate is < 0 or > 21600)
                errors.Range("rate_limit_per_user", 0, 21600);
            var bitrate = body.Int("bitrate", errors);
            if (bitrate is < 8000 or > 384000)
                errors.Range("bitrate", 8000, 384000);
            var userLimit = body.Int("user_limit", errors);
            if (userLimit is < 0 or > 99)
                errors.Range("user_limit", 0, 99);
            var parentId = body.Id("parent_id", errors);
            if (parentId is not null && (!_channels.TryGetValue(parentId, out var parent) || parent.GuildId != guildId || parent.Type != 4))
                errors.Add("parent_id", "CHANNEL_PARENT_INVALID", "Category does not exist.");
            var overwrites = ParseOverwrites(body, errors, actor, guild);
            errors.ThrowIfAny();
            if (_channels.Values.Count(c => c.GuildId == guildId && !c.IsThread) >= 500)
                throw SandboxApiException.Bad(30013, "Maximum number of guild channels reached (500)");
            var id = NextId();
            var position = body.Int("position", errors) ?? _channels.Values.Count(c => c.GuildId == guildId && !c.IsThread);
            var channel = NewChannel(id, guildId, type, body.Str("name")!, position, parentId, overwrites);
            if (body.Str("topic") is { } topic)
                channel["topic"] = topic;
            if (rate is { } r && channel.ContainsKey("rate_limit_per_user"))
                channel["rate_limit_per_user"] = r;
            if (body.Bool("nsfw") is { } nsfw)
                channel["nsfw"] = nsfw;
            if (type is 2 or 13)
            {
                if (bitrate is { } b)
                    channel["bitrate"] = b;
                if (userLimit is { } u)
                    channel["user_limit"] = u;
            }
            var data = new ChannelData(id, guildId, channel);
            _channels[id] = data;
            var result = ChannelJson(data);
            Publish("CHANNEL_CREATE", guildId, (JsonObject)result.DeepClone());
            AddAudit(guild, actor, 10, id, [Change("name", null, channel["name"]), Change("type", null, type)], reason: reason);
            return result;
        }
    }

    internal static JsonObject NewChannel(string id, string guildId, int type, string name, int position, string? parentId, JsonArray? overwrites)
    {
        var channel = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["guild_id"] = guildId,
            ["name"] = name,
            ["position"] = position,
            ["flags"] = 0,
            ["parent_id"] = parentId,
            ["permission_overwrites"] = overwrites ?? [],
            ["nsfw"] = false,
        };
        switch (type)
        {
            case 0 or 5:
                channel["topic"] = null;
                channel["last_message_id"] = null;
                channel["rate_limit_per_user"] = 0;
                break;
            case 2 or 13:
                channel["bitrate"] = 64000;
                channel["user_limit"] = 0;
                channel["rtc_region"] = null;
                channel["rate_limit_per_user"] = 0;
                break;
            case 15 or 16:
                channel["topic"] = null;
                channel["last_message_id"] = null;
                channel["rate_limit_per_user"] = 0;
                channel["available_tags"] = new JsonArray();
                channel["default_reaction_emoji"] = null;
                channel["default_sort_order"] = null;
                channel["default_forum_layout"] = 0;
                break;
        }
        return channel;
    }

    private JsonArray? ParseOverwrites(JsonObject body, FormErrors errors, Actor actor, GuildData guild)
    {
        if (body["permission_overwrites"] is not JsonArray list)
            return null;
        if (list.Count > 100)
            errors.MaxLength("permission_overwrites", 100);
        var result = new JsonArray();
        var requested = DiscordPermissions.None;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject o)
            {
                errors.Add($"permission_overwrites.{i}", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
                continue;
            }
            var prefix = $"permission_overwrites.{i}";
            var id = o.Id("id", errors, prefix + ".id");
            if (!o.Has("id"))
                errors.Required(prefix + ".id");
            var type = o.Int("type", errors) ?? 0;
            if (type is not (0 or 1))
                errors.Choice(prefix + ".type");
            var allow = o.Perms("allow", errors, prefix + ".allow") ?? DiscordPermissions.None;
            var deny = o.Perms("deny", errors, prefix + ".deny") ?? DiscordPermissions.None;
            requested |= allow | deny;
            if (id is not null)
                result.Add(Overwrite(id, type, allow, deny));
        }
        if (!errors.Any)
            RequireCanGrant(actor, guild, requested);
        return result;
    }

    internal static JsonObject Overwrite(string id, int type, DiscordPermissions allow, DiscordPermissions deny) =>
        new() { ["id"] = id, ["type"] = type, ["allow"] = allow.ToWire(), ["deny"] = deny.ToWire() };

    internal JsonObject ModifyChannelApi(string channelId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            var actor = Bot;
            if (channel.IsThread)
            {
                // Discord: Manage Threads, except that the thread's creator may change its name, archived state and auto-archive
                // time, and anyone who can send in it may unarchive an unlocked thread (a body of only archived: false). Locking,
                // unlocking and unarchiving a locked thread always need Manage Threads.
                var meta = channel.Channel["thread_metadata"]!;
                var lockedNow = (bool)meta["locked"]!;
                var unarchives = body.Bool("archived") == false;
                var touchesLock = body.Has("locked") || (lockedNow && unarchives);
                var owner = (string?)channel.Channel["owner_id"] == actor.UserId;
                var onlyUnarchive = unarchives && body.Count == 1 && !lockedNow;
                RequireChannel(actor, channel, touchesLock || !(owner || onlyUnarchive) ? DiscordPermissions.ManageThreads : DiscordPermissions.SendMessages);
                if ((bool)meta["archived"]! && !unarchives)
                    throw SandboxApiException.Bad(50083, "Thread is archived");
            }
            else
            {
                RequireChannel(actor, channel, DiscordPermissions.ManageChannels);
            }
            var errors = new FormErrors();
            body.CheckString("name", 1, 100, errors);
            body.CheckString("topic", 0, channel.Type is 15 or 16 ? 4096 : 1024, errors);
            var rate = body.Int("rate_limit_per_user", errors);
            if (rate is < 0 or > 21600)
                errors.Range("rate_limit_per_user", 0, 21600);
            JsonArray? overwrites = null;
            if (body.Has("permission_overwrites"))
            {
                RequireChannel(actor, channel, DiscordPermissions.ManageRoles);
                overwrites = ParseOverwrites(body, errors, actor, guild);
            }
            errors.ThrowIfAny();
            var before = (JsonObject)channel.Channel.DeepClone();
            foreach (var key in ChannelEditableKeys)
            {
                if (body.Has(key) && (key != "available_tags" || channel.Type is 15 or 16))
                    channel.Channel[key] = body[key]?.DeepClone();
            }
            if (channel.Type is 15 or 16 && channel.Channel["available_tags"] is JsonArray tags)
            {
                foreach (var tag in tags.OfType<JsonObject>())
                {
                    tag["id"] ??= NextId();
                    tag["moderated"] ??= false;
                    tag["emoji_id"] ??= null;
                    tag["emoji_name"] ??= null;
                }
            }
            if (overwrites is not null)
                channel.Channel["permission_overwrites"] = overwrites;
            if (channel.IsThread)
            {
                foreach (var key in (string[])["archived", "locked", "auto_archive_duration", "invitable"])
                {
                    if (body.Has(key))
                        channel.Channel["thread_metadata"]![key] = body[key]?.DeepClone();
                }
                if (body["applied_tags"] is JsonArray applied)
                    channel.Channel["applied_tags"] = applied.DeepClone();
            }
            var result = ChannelJson(channel);
            Publish(channel.IsThread ? "THREAD_UPDATE" : "CHANNEL_UPDATE", guild.Id, (JsonObject)result.DeepClone());
            AddAudit(guild, actor, channel.IsThread ? 111 : 11, channelId, Diff(before, channel.Channel, ChannelEditableKeys), reason: reason);
            return result;
        }
    }

    internal JsonObject DeleteChannelApi(string channelId, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, channel.IsThread ? DiscordPermissions.ManageThreads : DiscordPermissions.ManageChannels);
            _channels.Remove(channelId);
            var result = ChannelJson(channel);
            if (channel.IsThread)
            {
                Publish("THREAD_DELETE", guild.Id, new JsonObject { ["id"] = channelId, ["guild_id"] = guild.Id, ["parent_id"] = channel.ParentId, ["type"] = channel.Type });
            }
            else
            {
                foreach (var child in _channels.Values.Where(c => c.ParentId == channelId && !c.IsThread).ToList())
                {
                    child.Channel["parent_id"] = null;
                    Publish("CHANNEL_UPDATE", guild.Id, ChannelJson(child));
                }
                foreach (var thread in _channels.Values.Where(c => c.ParentId == channelId && c.IsThread).ToList())
                    _channels.Remove(thread.Id);
                Publish("CHANNEL_DELETE", guild.Id, (JsonObject)result.DeepClone());
            }
            AddAudit(guild, Bot, channel.IsThread ? 112 : 12, channelId, [Change("name", channel.Channel["name"], null), Change("type", channel.Type, null)], reason: reason);
            return result;
        }
    }

    internal void ReorderChannelsApi(string guildId, JsonNode? body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.ManageChannels);
            if (body is not JsonArray items)
                throw new SandboxApiException(400, 50035, "Invalid Form Body", new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_ARRAY", ["message"] = "Must be an array." }) });
            var errors = new FormErrors();
            var parentChanges = 0;
            var targets = new List<(ChannelData Channel, JsonObject Item)>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonObject item || item.Id("id", errors, $"{i}.id") is not { } id)
                {
                    errors.Required($"{i}.id");
                    continue;
                }
                if (!_channels.TryGetValue(id, out var channel) || channel.GuildId != guildId)
                {
                    errors.Add($"{i}.id", "CHANNEL_NOT_FOUND", "Unknown channel.");
                    continue;
                }
                if (item.Has("parent_id"))
                    parentChanges++;
                targets.Add((channel, item));
            }
            errors.ThrowIfAny();
            if (parentChanges > 1)
                throw SandboxApiException.Bad(40009, "You can only change one channel's parent at a time");
            foreach (var (channel, item) in targets)
            {
                var before = (JsonObject)channel.Channel.DeepClone();
                if (item.Has("position") && item["position"] is not null)
                    channel.Channel["position"] = item["position"]!.DeepClone();
                if (item.Has("parent_id"))
                    channel.Channel["parent_id"] = item["parent_id"]?.DeepClone();
                if (item.Bool("lock_permissions") == true && channel.ParentId is { } p && _channels.TryGetValue(p, out var parent))
                    channel.Channel["permission_overwrites"] = parent.Channel["permission_overwrites"]!.DeepClone();
                Publish("CHANNEL_UPDATE", guildId, ChannelJson(channel));
                AddAudit(guild, Bot, 11, channel.Id, Diff(before, channel.Channel, "position", "parent_id"), reason: reason);
            }
        }
    }

    internal void PutOverwriteApi(string channelId, string overwriteId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, DiscordPermissions.ManageRoles);
            var errors = new FormErrors();
            var type = body.Int("type", errors);
            if (type is null && !errors.Any)
                errors.Required("type");
            else if (type is not null and not (0 or 1))
                errors.Choice("type");
            var allow = body.Perms("allow", errors) ?? DiscordPermissions.None;
            var deny = body.Perms("deny", errors) ?? DiscordPermissions.None;
            errors.ThrowIfAny();
            RequireCanGrant(Bot, guild, allow | deny);
            var list = channel.Channel["permission_overwrites"]!.AsArray();
            var existing = list.OfType<JsonObject>().FirstOrDefault(o => (string?)o["id"] == overwriteId);
            var overwrite = Overwrite(overwriteId, type!.Value, allow, deny);
            int action;
            JsonArray changes;
            if (existing is null)
            {
                list.Add(overwrite);
                action = 13;
                changes = [Change("id", null, overwriteId), Change("type", null, type.Value), Change("allow", null, allow.ToWire()), Change("deny", null, deny.ToWire())];
            }
            else
            {
                changes = Diff(existing, overwrite, "allow", "deny");
                list[list.IndexOf(existing)] = overwrite;
                action = 14;
            }
            Publish(channel.IsThread ? "THREAD_UPDATE" : "CHANNEL_UPDATE", guild.Id, ChannelJson(channel));
            AddAudit(guild, Bot, action, channelId, changes, OverwriteOptions(guild, overwriteId, type.Value), reason);
        }
    }

    private static JsonObject OverwriteOptions(GuildData guild, string id, int type)
    {
        var options = new JsonObject { ["id"] = id, ["type"] = type == 0 ? "0" : "1" };
        if (type == 0 && guild.Roles.TryGetValue(id, out var role))
            options["role_name"] = role["name"]!.DeepClone();
        return options;
    }

    internal void DeleteOverwriteApi(string channelId, string overwriteId, string? reason)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(channel);
            RequireChannel(Bot, channel, DiscordPermissions.ManageRoles);
            var list = channel.Channel["permission_overwrites"]!.AsArray();
            var existing = list.OfType<JsonObject>().FirstOrDefault(o => (string?)o["id"] == overwriteId);
            if (existing is null)
                return;
            list.Remove(existing);
            Publish("CHANNEL_UPDATE", guild.Id, ChannelJson(channel));
            AddAudit(guild, Bot, 15, channelId, [Change("allow", existing["allow"], null), Change("deny", existing["deny"], null)], OverwriteOptions(guild, overwriteId, (int)existing["type"]!), reason);
        }
    }
}
