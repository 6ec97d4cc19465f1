using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.State;

public sealed partial class SandboxState
{
    internal void AddUserRaw(JsonObject user)
    {
        lock (_gate)
            _users[(string)user["id"]!] = user;
    }

    internal void AddGuildRaw(string id, string name, string ownerId, Action<GuildData> configure)
    {
        lock (_gate)
        {
            var guild = new GuildData(id, NewGuildJson(id, name, ownerId));
            guild.Roles[id] = NewRole(id, "@everyone", DefaultEveryone, 0);
            _guilds[id] = guild;
            configure(guild);
        }
    }

    internal void AddChannelRaw(ChannelData channel)
    {
        lock (_gate)
            _channels[channel.Id] = channel;
    }

    internal void AddMessageRaw(string channelId, string id, string userId, string content, string? replyToId)
    {
        lock (_gate)
        {
            var channel = ChannelOrThrow(channelId);
            JsonObject? reference = replyToId is null ? null : new JsonObject { ["type"] = 0, ["channel_id"] = channelId, ["message_id"] = replyToId, ["guild_id"] = channel.GuildId };
            CreateMessage(channel, userId, new JsonObject { ["content"] = content }, reference, null, null, id: id);
        }
    }

    internal void AddForumPostRaw(string forumId, string postId, string userId, string title, string[] tags, string content)
    {
        lock (_gate)
        {
            var body = new JsonObject
            {
                ["name"] = title,
                ["applied_tags"] = new JsonArray(tags.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                ["message"] = new JsonObject { ["content"] = content },
            };
            var forum = ChannelOrThrow(forumId);
            var guild = GuildOfChannel(forum);
            var audit = guild.Audit.Count;
            CreateThreadApiWithId(new Actor(userId, false), forumId, postId, body);
            guild.Audit.RemoveRange(audit, guild.Audit.Count - audit);
        }
    }

    internal void AddAuditRaw(string guildId, string id, string userId, int actionType, string targetId, JsonArray changes)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            guild.Audit.Add(new JsonObject
            {
                ["id"] = id,
                ["user_id"] = userId,
                ["target_id"] = targetId,
                ["action_type"] = actionType,
                ["changes"] = changes,
            });
        }
    }
}
