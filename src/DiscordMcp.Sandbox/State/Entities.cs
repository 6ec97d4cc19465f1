using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.State;

/// <summary>Who performs an operation: the bot (permission-checked) or a simulated user (control API, unchecked).</summary>
internal sealed record Actor(string UserId, bool Enforce);

internal sealed class GuildData(string id, JsonObject guild)
{
    public string Id { get; } = id;
    public JsonObject Guild { get; } = guild;
    public Dictionary<string, JsonObject> Roles { get; } = new(StringComparer.Ordinal);
    /// <summary>Member objects without <c>user</c>; keyed by user id.</summary>
    public Dictionary<string, JsonObject> Members { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> Bans { get; } = new(StringComparer.Ordinal);
    public List<JsonObject> Audit { get; } = [];
    public Dictionary<string, JsonObject> Events { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> EventUsers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, JsonObject> Commands { get; } = new(StringComparer.Ordinal);
    public string OwnerId => (string)Guild["owner_id"]!;
}

internal sealed class ChannelData(string id, string? guildId, JsonObject channel)
{
    public string Id { get; } = id;
    public string? GuildId { get; } = guildId;
    public JsonObject Channel { get; } = channel;
    public SortedDictionary<ulong, MessageData> Messages { get; } = [];
    public List<(string MessageId, DateTimeOffset PinnedAt)> Pins { get; } = [];
    /// <summary>Thread members keyed by user id.</summary>
    public Dictionary<string, JsonObject> ThreadMembers { get; } = new(StringComparer.Ordinal);
    public int Type => (int)Channel["type"]!;
    public bool IsThread => Type is 10 or 11 or 12;
    public string? ParentId => (string?)Channel["parent_id"];
}

internal sealed class MessageData(JsonObject message)
{
    public JsonObject Message { get; } = message;
    public List<ReactionData> Reactions { get; } = [];
    public string Id => (string)Message["id"]!;
    public string AuthorId => (string)Message["author"]!["id"]!;
}

internal sealed class ReactionData(string key, JsonObject emoji)
{
    public string Key { get; } = key;
    public JsonObject Emoji { get; } = emoji;
    public List<string> Users { get; } = [];
}

internal sealed class InteractionData(string id, string token, string guildId, string channelId, string userId, JsonObject payload)
{
    public string Id { get; } = id;
    public string Token { get; } = token;
    public string GuildId { get; } = guildId;
    public string ChannelId { get; } = channelId;
    public string UserId { get; } = userId;
    public JsonObject Payload { get; } = payload;
    public JsonObject? Callback { get; set; }
    /// <summary>Callback requests received, the refused ones (already acknowledged) included.</summary>
    public int CallbackAttempts { get; set; }
    public string? OriginalMessageId { get; set; }
    public List<string> FollowupIds { get; } = [];
}
