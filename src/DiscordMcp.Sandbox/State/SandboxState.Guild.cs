using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    private static readonly string[] RoleEditableKeys = ["name", "permissions", "color", "hoist", "mentionable", "unicode_emoji"];

    // ------------------------------------------------------------ threads

    internal JsonObject CreateThreadApiWithId(Actor actor, string channelId, string id, JsonObject body) => CreateThreadApi(actor, channelId, null, body, null, id);

    internal JsonObject CreateThreadApi(Actor actor, string channelId, string? fromMessageId, JsonObject body, string? reason, string? fixedId = null)
    {
        lock (_gate)
        {
            var parent = ChannelOrThrow(channelId);
            var guild = GuildOfChannel(parent);
            var errors = new FormErrors();
            body.CheckString("name", 1, 100, errors, required: true);
            var isForum = parent.Type is 15 or 16;
            var type = fromMessageId is not null ? (parent.Type == 5 ? 10 : 11) : isForum ? 11 : body.Int("type", errors) ?? 12;
            if (type is not (10 or 11 or 12))
                errors.Choice("type");
            var duration = body.Int("auto_archive_duration", errors) ?? 4320;
            if (duration is not (60 or 1440 or 4320 or 10080))
                errors.Choice("auto_archive_duration");
            JsonObject? starter = null;
            if (isForum)
            {
                starter = body["message"] as JsonObject;
                if (starter is null)
                    errors.Required("message");
                else
                    ValidateMessageBody(starter, requireSomething: false, "message.");
            }
            if (isForum && body["applied_tags"] is JsonArray applied)
            {
                // Discord: at most 5 tags, each one of the forum's available tags.
                var known = (parent.Channel["available_tags"] as JsonArray ?? []).Select(t => (string?)t?["id"]).ToHashSet(StringComparer.Ordinal);
                if (applied.Count > 5)
                    errors.MaxLength("applied_tags", 5);
                for (var i = 0; i < applied.Count; i++)
                {
                    if (applied[i] is not JsonValue v || !v.TryGetValue<string>(out var tagId) || !known.Contains(tagId))
                        errors.Choice($"applied_tags.{i}");
                }
            }
            errors.ThrowIfAny();
            RequireChannel(actor, parent, isForum ? DiscordPermissions.SendMessages : type == 12 ? DiscordPermissions.CreatePrivateThreads : DiscordPermissions.CreatePublicThreads);
            MessageData? source = null;
            if (fromMessageId is not null)
            {
                source = MessageOrThrow(parent, fromMessageId);
                if (source.Message.ContainsKey("thread"))
                    throw SandboxApiException.Bad(160004, "A thread has already been created for this message");
            }
            var id = fromMessageId ?? fixedId ?? NextId();
            var thread = new JsonObject
            {
                ["id"] = id,
                ["type"] = type,
                ["guild_id"] = guild.Id,
                ["parent_id"] = channelId,
                ["name"] = body.Str("name"),
                ["owner_id"] = actor.UserId,
                ["flags"] = 0,
                ["last_message_id"] = null,
                ["rate_limit_per_user"] = body.Int("rate_limit_per_user", errors) ?? 0,
                ["message_count"] = 0,
                ["member_count"] = 1,
                ["total_message_sent"] = 0,
                ["thread_metadata"] = new JsonObject
                {
                    ["archived"] = false,
                    ["archive_timestamp"] = IsoFromId(id),
                    ["auto_archive_duration"] = duration,
                    ["locked"] = false,
                    ["create_timestamp"] = IsoFromId(id),
                },
            };
            if (type == 12)
                thread["thread_metadata"]!["invitable"] = body.Bool("invitable") ?? true;
            if (isForum)
                thread["applied_tags"] = body["applied_tags"] is JsonArray tags ? tags.DeepClone() : new JsonArray();
            var data = new ChannelData(id, guild.Id, thread);
            data.ThreadMembers[actor.UserId] = ThreadMember(id, actor.UserId);
            _channels[id] = data;
            if (source is not null)
                source.Message["thread"] = (JsonObject)thread.DeepClone();
            var created = ChannelJson(data);
            var d = (JsonObject)created.DeepClone();
            d["newly_created"] = true;
            Publish("THREAD_CREATE", guild.Id, d);
            AddAudit(guild, actor, 110, id, [Change("name", null, thread["name"]), Change("type", null, type)], reason: reason);
            if (starter is not null)
            {
                var message = CreateMessage(data, actor.UserId, starter, null, null, null, id: id);
                created = ChannelJson(data);
                created["message"] = message;
            }
            return created;
        }
    }

    private JsonObject ThreadMember(string threadId, string userId) =>
        new() { ["id"] = threadId, ["user_id"] = userId, ["join_timestamp"] = Iso(Now), ["flags"] = 0 };

    internal void ThreadMemberApi(string channelId, string userId, bool add)
    {
        lock (_gate)
        {
            var thread = ChannelOrThrow(channelId);
            if (!thread.IsThread)
                throw SandboxApiException.Bad(50024, "Cannot execute action on this channel type");
            RequireChannel(Bot, thread, userId == BotUserId ? DiscordPermissions.None : add ? DiscordPermissions.SendMessages : DiscordPermissions.ManageThreads);
            var guild = GuildOfChannel(thread);
            MemberOrThrow(guild, userId);
            var changed = add ? thread.ThreadMembers.TryAdd(userId, ThreadMember(channelId, userId)) : thread.ThreadMembers.Remove(userId);
            if (!changed)
                return;
            thread.Channel["member_count"] = thread.ThreadMembers.Count;
            var d = new JsonObject { ["id"] = channelId, ["guild_id"] = guild.Id, ["member_count"] = thread.ThreadMembers.Count };
            if (add)
                d["added_members"] = new JsonArray(thread.ThreadMembers[userId].DeepClone());
            else
                d["removed_member_ids"] = new JsonArray(JsonValue.Create(userId));
            Publish("THREAD_MEMBERS_UPDATE", guild.Id, d);
        }
    }

    /// <summary>Thread members; with <paramref name="withMember"/> each carries its guild <c>member</c> object (as <c>?with_member=true</c>).</summary>
    internal JsonNode GetThreadMembersApi(string channelId, string? userId, bool withMember = false)
    {
        lock (_gate)
        {
            var thread = ChannelOrThrow(channelId);
            RequireChannel(Bot, thread, DiscordPermissions.None);
            var guild = GuildOfChannel(thread);
            JsonNode Shape(string id, JsonObject member)
            {
                var copy = (JsonObject)member.DeepClone();
                if (withMember && guild.Members.ContainsKey(id))
                    copy["member"] = MemberJson(guild, id);
                return copy;
            }
            if (userId is null)
                return new JsonArray(thread.ThreadMembers.Select(m => Shape(m.Key, m.Value)).ToArray());
            return thread.ThreadMembers.TryGetValue(userId, out var one) ? Shape(userId, one) : throw SandboxApiException.NotFound(10007, "Member");
        }
    }

    internal JsonObject ActiveThreadsApi(string guildId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            var threads = _channels.Values.Where(c => c.GuildId == guildId && c.IsThread && !(bool)c.Channel["thread_metadata"]!["archived"]!)
                .Where(c => (ChannelPermissions(c, BotUserId) & DiscordPermissions.ViewChannel) != 0).ToList();
            return ThreadList(threads, false);
        }
    }

    internal JsonObject ArchivedThreadsApi(string channelId, bool isPrivate, string? before, int limit)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            RequireChannel(Bot, channel, DiscordPermissions.ReadMessageHistory | (isPrivate ? DiscordPermissions.ManageThreads : DiscordPermissions.None));
            DateTimeOffset? cutoff = before is null ? null : DateTimeOffset.Parse(before, CultureInfo.InvariantCulture);
            var threads = _channels.Values.Where(c => c.ParentId == channelId && c.IsThread && (c.Type == 12) == isPrivate && (bool)c.Channel["thread_metadata"]!["archived"]!)
                .OrderByDescending(c => DateTimeOffset.Parse((string)c.Channel["thread_metadata"]!["archive_timestamp"]!, CultureInfo.InvariantCulture))
                .Where(c => cutoff is null || DateTimeOffset.Parse((string)c.Channel["thread_metadata"]!["archive_timestamp"]!, CultureInfo.InvariantCulture) < cutoff)
                .ToList();
            return ThreadList(threads.Take(limit).ToList(), threads.Count > limit);
        }
    }

    private static JsonObject ThreadList(List<ChannelData> threads, bool hasMore) => new()
    {
        ["threads"] = new JsonArray(threads.Select(t => (JsonNode)ChannelJson(t)).ToArray()),
        ["members"] = new JsonArray(threads.Where(t => t.ThreadMembers.ContainsKey(BotUserId)).Select(t => t.ThreadMembers[BotUserId].DeepClone()).ToArray()),
        ["has_more"] = hasMore,
    };

    // ------------------------------------------------------------ roles

    internal JsonArray ListRolesApi(string guildId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            return RolesJson(guild);
        }
    }

    internal JsonObject GetRoleApi(string guildId, string roleId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            return RoleJson(RoleOrThrow(guild, roleId));
        }
    }

    internal static JsonObject NewRole(string id, string name, DiscordPermissions permissions, int position, int color = 0, bool hoist = false, bool managed = false, string? botId = null)
    {
        var role = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["permissions"] = permissions.ToWire(),
            ["position"] = position,
            ["color"] = color,
            ["colors"] = new JsonObject { ["primary_color"] = color, ["secondary_color"] = null, ["tertiary_color"] = null },
            ["hoist"] = hoist,
            ["managed"] = managed,
            ["mentionable"] = false,
            ["icon"] = null,
            ["unicode_emoji"] = null,
            ["flags"] = 0,
        };
        if (botId is not null)
            role["tags"] = new JsonObject { ["bot_id"] = botId };
        return role;
    }

    internal JsonObject CreateRoleApi(Actor actor, string guildId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(actor, guild, DiscordPermissions.ManageRoles);
            var errors = new FormErrors();
            body.CheckString("name", 0, 100, errors);
            var perms = body.Perms("permissions", errors) ?? guild.Roles[guildId]["permissions"]!.GetValue<string>() switch { var s => DiscordPermissionSet.TryParse(s, out var p) ? p : DiscordPermissions.None };
            var color = body.Int("color", errors) ?? 0;
            errors.ThrowIfAny();
            RequireCanGrant(actor, guild, perms);
            if (guild.Roles.Count >= 250)
                throw SandboxApiException.Bad(30005, "Maximum number of guild roles reached (250)");
            var id = NextId();
            foreach (var r in guild.Roles.Values.Where(r => (string)r["id"]! != guildId))
                r["position"] = (int)r["position"]! + 1;
            var role = NewRole(id, body.Str("name") ?? "new role", perms, 1, color, body.Bool("hoist") ?? false);
            role["mentionable"] = body.Bool("mentionable") ?? false;
            guild.Roles[id] = role;
            var result = RoleJson(role);
            Publish("GUILD_ROLE_CREATE", guildId, new JsonObject { ["guild_id"] = guildId, ["role"] = result.DeepClone() });
            AddAudit(guild, actor, 30, id, [Change("name", null, role["name"]), Change("permissions", null, role["permissions"]), Change("color", null, color), Change("hoist", null, role["hoist"]), Change("mentionable", null, role["mentionable"])], reason: reason);
            return result;
        }
    }

    internal JsonObject ModifyRoleApi(Actor actor, string guildId, string roleId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var role = RoleOrThrow(guild, roleId);
            RequireGuild(actor, guild, DiscordPermissions.ManageRoles);
            RequireRoleBelow(actor, guild, role);
            var errors = new FormErrors();
            body.CheckString("name", 0, 100, errors);
            var perms = body.Perms("permissions", errors);
            body.Int("color", errors);
            errors.ThrowIfAny();
            if (perms is { } p)
                RequireCanGrant(actor, guild, p);
            var before = (JsonObject)role.DeepClone();
            foreach (var key in RoleEditableKeys)
            {
                if (body.Has(key) && body[key] is not null)
                    role[key] = key == "permissions" ? perms!.Value.ToWire() : body[key]!.DeepClone();
            }
            if (body.Has("color"))
                role["colors"]!["primary_color"] = role["color"]!.DeepClone();
            var result = RoleJson(role);
            Publish("GUILD_ROLE_UPDATE", guildId, new JsonObject { ["guild_id"] = guildId, ["role"] = result.DeepClone() });
            AddAudit(guild, actor, 31, roleId, Diff(before, role, RoleEditableKeys), reason: reason);
            return result;
        }
    }

    internal JsonArray ReorderRolesApi(string guildId, JsonNode? body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.ManageRoles);
            if (body is not JsonArray items)
                throw new SandboxApiException(400, 50035, "Invalid Form Body", new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_ARRAY", ["message"] = "Must be an array." }) });
            var errors = new FormErrors();
            var moves = new List<(JsonObject Role, int Position)>();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is not JsonObject item || item.Id("id", errors, $"{i}.id") is not { } id)
                    continue;
                var role = RoleOrThrow(guild, id);
                var position = item.Int("position", errors);
                if (position is { } pos)
                    moves.Add((role, pos));
            }
            errors.ThrowIfAny();
            var bot = PermGuild(guild);
            var highest = PermissionCalculator.HighestRole(bot, PermMember(guild, BotUserId));
            foreach (var (role, position) in moves)
            {
                RequireRoleBelow(Bot, guild, role);
                if (position >= highest.Position && guild.OwnerId != BotUserId)
                    throw SandboxApiException.MissingPermissions();
            }
            foreach (var (role, position) in moves)
            {
                var before = (JsonObject)role.DeepClone();
                role["position"] = position;
                Publish("GUILD_ROLE_UPDATE", guildId, new JsonObject { ["guild_id"] = guildId, ["role"] = RoleJson(role) });
                AddAudit(guild, Bot, 31, (string)role["id"]!, Diff(before, role, "position"), reason: reason);
            }
            return RolesJson(guild);
        }
    }

    internal void DeleteRoleApi(string guildId, string roleId, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var role = RoleOrThrow(guild, roleId);
            RequireGuild(Bot, guild, DiscordPermissions.ManageRoles);
            RequireRoleBelow(Bot, guild, role);
            if (roleId == guildId || (bool)role["managed"]!)
                throw SandboxApiException.Bad(50028, "Invalid role");
            guild.Roles.Remove(roleId);
            foreach (var member in guild.Members.Values)
            {
                var roles = member["roles"]!.AsArray();
                var hit = roles.FirstOrDefault(r => (string?)r == roleId);
                if (hit is not null)
                    roles.Remove(hit);
            }
            Publish("GUILD_ROLE_DELETE", guildId, new JsonObject { ["guild_id"] = guildId, ["role_id"] = roleId });
            AddAudit(guild, Bot, 32, roleId, [Change("name", role["name"], null), Change("permissions", role["permissions"], null)], reason: reason);
        }
    }

    // ------------------------------------------------------------ members

    internal JsonObject GetMemberApi(string guildId, string userId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            MemberOrThrow(guild, userId);
            return MemberJson(guild, userId);
        }
    }

    internal JsonArray ListMembersApi(string guildId, int limit, string? after)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            var a = after is null ? 0UL : IdValue(after);
            return new JsonArray(guild.Members.Keys.Where(k => IdValue(k) > a).OrderBy(IdValue).Take(limit).Select(k => (JsonNode)MemberJson(guild, k)).ToArray());
        }
    }

    internal JsonArray SearchMembersApi(string guildId, string query, int limit)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.None);
            return new JsonArray(guild.Members.Keys.Where(k => MatchesQuery(guild, k, query)).Take(limit).Select(k => (JsonNode)MemberJson(guild, k)).ToArray());
        }
    }

    internal JsonObject ModifyMemberApi(string guildId, string userId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var member = MemberOrThrow(guild, userId);
            var errors = new FormErrors();
            body.CheckString("nick", 0, 32, errors);
            List<string>? newRoles = null;
            if (body["roles"] is JsonArray roleArray)
            {
                newRoles = [];
                for (var i = 0; i < roleArray.Count; i++)
                {
                    var id = roleArray[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                    if (id is null || !guild.Roles.ContainsKey(id))
                        errors.Add($"roles.{i}", "INVALID_ROLE", "Invalid role.");
                    else if (!newRoles.Contains(id))
                        newRoles.Add(id);
                }
            }
            DateTimeOffset? timeoutUntil = null;
            var timeoutSet = body.Has("communication_disabled_until");
            if (body.Str("communication_disabled_until") is { } until)
            {
                if (!DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    errors.Add("communication_disabled_until", "DATE_TYPE_PARSE", "Could not parse date.");
                else if (parsed > Now.AddDays(28))
                    errors.Add("communication_disabled_until", "BASE_TYPE_BAD_DATE", "Must be 28 days or fewer in the future.");
                else
                    timeoutUntil = parsed;
            }
            errors.ThrowIfAny();
            if (body.Has("nick"))
            {
                if (userId == BotUserId)
                    RequireGuild(Bot, guild, DiscordPermissions.ChangeNickname);
                else
                    RequireModerate(Bot, guild, userId, ModerationAction.ChangeNickname);
            }
            if (newRoles is not null)
            {
                RequireGuild(Bot, guild, DiscordPermissions.ManageRoles);
                var old = member["roles"]!.AsArray().Select(r => (string)r!).ToList();
                foreach (var changed in newRoles.Except(old).Concat(old.Except(newRoles)))
                    RequireRoleBelow(Bot, guild, guild.Roles[changed]);
            }
            if (timeoutSet)
                RequireModerate(Bot, guild, userId, ModerationAction.Timeout);
            if (body.Has("mute") || body.Has("deaf") || body.Has("channel_id"))
                RequireGuild(Bot, guild, (body.Has("mute") ? DiscordPermissions.MuteMembers : 0) | (body.Has("deaf") ? DiscordPermissions.DeafenMembers : 0) | (body.Has("channel_id") ? DiscordPermissions.MoveMembers : 0));

            var before = (JsonObject)member.DeepClone();
            if (body.Has("nick"))
                member["nick"] = body.Str("nick") is { Length: > 0 } nick ? nick : null;
            if (timeoutSet)
                member["communication_disabled_until"] = timeoutUntil is { } t ? Iso(t) : null;
            foreach (var key in (string[])["mute", "deaf"])
            {
                if (body.Bool(key) is { } flag)
                    member[key] = flag;
            }
            JsonArray? roleChanges = null;
            if (newRoles is not null)
            {
                var old = before["roles"]!.AsArray().Select(r => (string)r!).ToList();
                member["roles"] = new JsonArray(newRoles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
                roleChanges = RoleChanges(guild, newRoles.Except(old), old.Except(newRoles));
            }
            PublishMemberUpdate(guild, userId);
            var changes = Diff(before, member, "nick", "communication_disabled_until", "mute", "deaf");
            if (changes.Count > 0)
                AddAudit(guild, Bot, 24, userId, changes, reason: reason);
            if (roleChanges is { Count: > 0 })
                AddAudit(guild, Bot, 25, userId, roleChanges, reason: reason);
            return MemberJson(guild, userId);
        }
    }

    internal static JsonArray RoleChanges(GuildData guild, IEnumerable<string> added, IEnumerable<string> removed)
    {
        var changes = new JsonArray();
        JsonArray Items(IEnumerable<string> ids) => new(ids.Select(id => (JsonNode)new JsonObject { ["id"] = id, ["name"] = guild.Roles.TryGetValue(id, out var r) ? r["name"]!.DeepClone() : null }).ToArray());
        var add = Items(added);
        var remove = Items(removed);
        if (add.Count > 0)
            changes.Add(new JsonObject { ["key"] = "$add", ["new_value"] = add });
        if (remove.Count > 0)
            changes.Add(new JsonObject { ["key"] = "$remove", ["new_value"] = remove });
        return changes;
    }

    private void PublishMemberUpdate(GuildData guild, string userId)
    {
        var d = MemberJson(guild, userId);
        d["guild_id"] = guild.Id;
        Publish("GUILD_MEMBER_UPDATE", guild.Id, d);
    }

    internal void MemberRoleApi(Actor actor, string guildId, string userId, string roleId, bool add, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var member = MemberOrThrow(guild, userId);
            var role = RoleOrThrow(guild, roleId);
            RequireGuild(actor, guild, DiscordPermissions.ManageRoles);
            RequireRoleBelow(actor, guild, role);
            if (roleId == guildId || (bool)role["managed"]!)
                throw SandboxApiException.MissingPermissions();
            var roles = member["roles"]!.AsArray();
            var existing = roles.FirstOrDefault(r => (string?)r == roleId);
            if (add == (existing is not null))
                return;
            if (add)
                roles.Add(roleId);
            else
                roles.Remove(existing);
            PublishMemberUpdate(guild, userId);
            AddAudit(guild, actor, 25, userId, add ? RoleChanges(guild, [roleId], []) : RoleChanges(guild, [], [roleId]), reason: reason);
        }
    }

    internal void KickApi(string guildId, string userId, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            MemberOrThrow(guild, userId);
            RequireGuild(Bot, guild, DiscordPermissions.KickMembers);
            RequireModerate(Bot, guild, userId, ModerationAction.Kick);
            RemoveMember(guild, userId);
            AddAudit(guild, Bot, 20, userId, reason: reason);
        }
    }

    private void RemoveMember(GuildData guild, string userId)
    {
        guild.Members.Remove(userId);
        Publish("GUILD_MEMBER_REMOVE", guild.Id, new JsonObject { ["guild_id"] = guild.Id, ["user"] = UserJson(userId) });
    }

    // ------------------------------------------------------------ bans

    internal void BanApi(string guildId, string userId, JsonObject body, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            UserOrThrow(userId);
            var errors = new FormErrors();
            var seconds = body.Int("delete_message_seconds", errors) ?? 0;
            if (seconds is < 0 or > 604800)
                errors.Range("delete_message_seconds", 0, 604800);
            errors.ThrowIfAny();
            RequireGuild(Bot, guild, DiscordPermissions.BanMembers);
            if (guild.Members.ContainsKey(userId))
                RequireModerate(Bot, guild, userId, ModerationAction.Ban);
            else if (userId == guild.OwnerId)
                throw SandboxApiException.MissingPermissions();
            guild.Bans[userId] = new JsonObject { ["reason"] = reason };
            if (seconds > 0)
            {
                var cutoff = Now.AddSeconds(-seconds);
                foreach (var channel in _channels.Values.Where(c => c.GuildId == guildId).ToList())
                {
                    foreach (var message in channel.Messages.Values.Where(m => m.AuthorId == userId && Sf(m.Id).CreatedAt >= cutoff).ToList())
                        RemoveMessage(channel, message);
                }
            }
            if (guild.Members.ContainsKey(userId))
                RemoveMember(guild, userId);
            Publish("GUILD_BAN_ADD", guildId, new JsonObject { ["guild_id"] = guildId, ["user"] = UserJson(userId) });
            AddAudit(guild, Bot, 22, userId, reason: reason);
        }
    }

    internal void UnbanApi(string guildId, string userId, string? reason)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.BanMembers);
            if (!guild.Bans.Remove(userId))
                throw SandboxApiException.NotFound(10026, "Ban");
            Publish("GUILD_BAN_REMOVE", guildId, new JsonObject { ["guild_id"] = guildId, ["user"] = UserJson(userId) });
            AddAudit(guild, Bot, 23, userId, reason: reason);
        }
    }

    internal JsonNode GetBansApi(string guildId, string? userId, int limit)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.BanMembers);
            JsonObject Ban(string id) => new() { ["user"] = UserJson(id), ["reason"] = guild.Bans[id]["reason"]?.DeepClone() };
            if (userId is not null)
                return guild.Bans.ContainsKey(userId) ? Ban(userId) : throw SandboxApiException.NotFound(10026, "Ban");
            return new JsonArray(guild.Bans.Keys.OrderBy(IdValue).Take(limit).Select(id => (JsonNode)Ban(id)).ToArray());
        }
    }

    // ------------------------------------------------------------ audit log

    internal JsonObject AuditLogApi(string guildId, string? userId, int? actionType, string? before, string? after, string? targetId, int limit)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            RequireGuild(Bot, guild, DiscordPermissions.ViewAuditLog);
            IEnumerable<JsonObject> entries = guild.Audit.OrderByDescending(e => IdValue((string)e["id"]!));
            if (userId is not null)
                entries = entries.Where(e => (string?)e["user_id"] == userId);
            if (actionType is { } at)
                entries = entries.Where(e => (int)e["action_type"]! == at);
            if (targetId is not null)
                entries = entries.Where(e => (string?)e["target_id"] == targetId);
            if (before is not null)
                entries = entries.Where(e => IdValue((string)e["id"]!) < IdValue(before));
            if (after is not null)
                entries = entries.Where(e => IdValue((string)e["id"]!) > IdValue(after)).Reverse();
            var list = entries.Take(limit).ToList();
            var userIds = list.Select(e => (string?)e["user_id"]).Concat(list.Select(e => (string?)e["target_id"])).OfType<string>().Where(_users.ContainsKey).Distinct(StringComparer.Ordinal);
            return new JsonObject
            {
                ["audit_log_entries"] = new JsonArray(list.Select(e => e.DeepClone()).ToArray()),
                ["users"] = new JsonArray(userIds.Select(u => (JsonNode)UserJson(u)).ToArray()),
                ["integrations"] = new JsonArray(),
                ["webhooks"] = new JsonArray(_webhooks.Values.Where(w => (string?)w["guild_id"] == guildId).Select(w => (JsonNode)WebhookJson(w, withToken: false)).ToArray()),
                ["guild_scheduled_events"] = new JsonArray(guild.Events.Values.Select(e => e.DeepClone()).ToArray()),
                ["threads"] = new JsonArray(_channels.Values.Where(c => c.GuildId == guildId && c.IsThread).Select(c => (JsonNode)ChannelJson(c)).ToArray()),
                ["application_commands"] = new JsonArray(),
                ["auto_moderation_rules"] = new JsonArray(),
            };
        }
    }
}
