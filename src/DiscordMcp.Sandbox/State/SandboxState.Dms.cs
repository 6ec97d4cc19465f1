using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.State;

/// <summary>
/// Direct messages between the bot and one user: <c>POST /users/@me/channels</c> opens (or returns) a DM channel
/// (type 1, no guild, <c>recipients</c> = the user). Opening one sends nothing. Like Discord, a message to a user who
/// shares no guild with the bot, who closed their DMs (<see cref="SetDirectMessagesOpen"/>), or to another bot is refused with 50007 "Cannot send messages to this user". DM
/// channels live with the other channels, so <see cref="Snapshot"/> includes them and their messages.
/// </summary>
public sealed partial class SandboxState
{
    /// <summary>The bot's DM channel id per recipient user id.</summary>
    private readonly Dictionary<string, string> _dms = new(StringComparer.Ordinal);

    /// <summary>Users who turned off direct messages from server members (Discord's privacy setting).</summary>
    private readonly HashSet<string> _dmsClosed = new(StringComparer.Ordinal);

    internal JsonObject CreateDmApi(JsonObject body)
    {
        lock (_gate)
        {
            var errors = new FormErrors();
            var recipient = body.Id("recipient_id", errors);
            if (recipient is null && !errors.Any)
                errors.Required("recipient_id");
            errors.ThrowIfAny();
            if (!_users.ContainsKey(recipient!))
                throw SandboxApiException.NotFound(10013, "User");
            if (_dms.TryGetValue(recipient!, out var existing))
                return ChannelJson(_channels[existing]);

            var id = NextId();
            var channel = new JsonObject
            {
                ["id"] = id,
                ["type"] = 1,
                ["last_message_id"] = null,
                ["flags"] = 0,
                ["recipients"] = new JsonArray(UserJson(recipient!)),
            };
            _channels[id] = new ChannelData(id, null, channel);
            _dms[recipient!] = id;
            return ChannelJson(_channels[id]);
        }
    }

    /// <summary>
    /// Refuses a message from the bot into a DM whose recipient is a bot or shares no guild with the bot (Discord's
    /// 50007). Called with the state lock held.
    /// </summary>
    private void RequireReachable(Actor actor, ChannelData channel)
    {
        if (!actor.Enforce || channel.Type != 1 || channel.Channel["recipients"] is not JsonArray { Count: > 0 } recipients)
            return;
        var userId = (string)recipients[0]!["id"]!;
        var isBot = _users.TryGetValue(userId, out var user) && user["bot"] is JsonValue b && b.GetValue<bool>();
        var shared = _guilds.Values.Any(g => g.Members.ContainsKey(userId) && g.Members.ContainsKey(actor.UserId));
        if (isBot || !shared || _dmsClosed.Contains(userId))
            throw new SandboxApiException(403, 50007, "Cannot send messages to this user");
    }

    /// <summary>
    /// Simulates the user's privacy setting "direct messages from server members": when closed, the bot's messages to
    /// them are refused with 50007 even though they share a guild.
    /// </summary>
    public void SetDirectMessagesOpen(string userId, bool open)
    {
        lock (_gate)
        {
            if (open)
                _dmsClosed.Remove(userId);
            else
                _dmsClosed.Add(userId);
        }
    }

    /// <summary>The messages of the bot's DM with <paramref name="userId"/>, oldest first (empty when no DM was opened).</summary>
    public IReadOnlyList<JsonObject> DmMessages(string userId)
    {
        lock (_gate)
        {
            return _dms.TryGetValue(userId, out var id)
                ? [.. _channels[id].Messages.Values.Select(m => MessageJson(m))]
                : [];
        }
    }

    /// <summary>The id of the bot's DM channel with <paramref name="userId"/>, or <c>null</c> when none was opened.</summary>
    public string? DmChannelId(string userId)
    {
        lock (_gate)
        {
            return _dms.GetValueOrDefault(userId);
        }
    }
}
