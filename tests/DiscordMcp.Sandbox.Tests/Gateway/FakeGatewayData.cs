using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Gateway;

namespace DiscordMcp.Sandbox.Tests;

/// <summary>A gateway data source with one guild (or more), a few members and a dispatch feed the test drives.</summary>
internal sealed class FakeGatewayData : ISandboxGatewayData
{
    public const string BotId = "1300000000000000001";
    public const string GuildId = "1300000000000000100";
    public const string ChannelId = "1300000000000000200";
    private readonly Lock _lock = new();
    private readonly List<Action<SandboxDispatch>> _subscribers = [];

    public List<string> GuildIds { get; } = [GuildId];

    public List<JsonObject> Members { get; } =
    [
        Member(BotId, "DiscordMCP"),
        Member("1300000000000000011", "luis"),
        Member("1300000000000000012", "lucia"),
        Member("1300000000000000013", "new-user"),
    ];

    public string ApplicationId => BotId;

    public int SubscriberCount
    {
        get
        {
            lock (_lock)
                return _subscribers.Count;
        }
    }

    public JsonObject BotUser() => new() { ["id"] = BotId, ["username"] = "DiscordMCP", ["discriminator"] = "0", ["bot"] = true };

    public IReadOnlyList<string> BotGuildIds() => GuildIds;

    public JsonObject BuildGuildCreate(string guildId) => new()
    {
        ["id"] = guildId,
        ["name"] = "Test Guild " + guildId,
        ["owner_id"] = "1300000000000000011",
        ["roles"] = new JsonArray(new JsonObject { ["id"] = guildId, ["name"] = "@everyone", ["permissions"] = "1024", ["position"] = 0 }),
        ["channels"] = new JsonArray(new JsonObject { ["id"] = ChannelId, ["type"] = 0, ["name"] = "general", ["guild_id"] = guildId }),
        ["threads"] = new JsonArray(),
        ["members"] = new JsonArray(),
        ["member_count"] = Members.Count,
        ["large"] = false,
        ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
    };

    public IReadOnlyList<JsonObject> QueryMembers(string guildId, string? query, IReadOnlyList<string>? userIds, int limit)
    {
        IEnumerable<JsonObject> result = Members;
        if (userIds is not null)
            result = result.Where(m => userIds.Contains(m["user"]!["id"]!.GetValue<string>()));
        else if (!string.IsNullOrEmpty(query))
            result = result.Where(m => m["user"]!["username"]!.GetValue<string>().StartsWith(query, StringComparison.OrdinalIgnoreCase));
        if (limit > 0)
            result = result.Take(limit);
        return [.. result.Select(m => m.DeepClone().AsObject())];
    }

    public IDisposable Subscribe(Action<SandboxDispatch> onDispatch)
    {
        lock (_lock)
            _subscribers.Add(onDispatch);
        return new Subscription(this, onDispatch);
    }

    /// <summary>Emits one dispatch to every subscriber, synchronously, like the state does after a mutation.</summary>
    public void Publish(string eventName, string? guildId, JsonObject data)
    {
        Action<SandboxDispatch>[] subscribers;
        lock (_lock)
            subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers)
            subscriber(new SandboxDispatch(eventName, guildId, (JsonObject)data.DeepClone()));
    }

    public static JsonObject Message(string id, string authorId, string content, params string[] mentionIds)
    {
        var mentions = new JsonArray();
        foreach (var mention in mentionIds)
            mentions.Add(new JsonObject { ["id"] = mention, ["username"] = "u" + mention });
        return new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = ChannelId,
            ["guild_id"] = GuildId,
            ["author"] = new JsonObject { ["id"] = authorId, ["username"] = "author" },
            ["content"] = content,
            ["embeds"] = new JsonArray(new JsonObject { ["title"] = "embed" }),
            ["attachments"] = new JsonArray(new JsonObject { ["id"] = "1300000000000000900", ["filename"] = "a.txt" }),
            ["components"] = new JsonArray(new JsonObject { ["type"] = 1 }),
            ["mentions"] = mentions,
        };
    }

    private static JsonObject Member(string id, string username) => new()
    {
        ["user"] = new JsonObject { ["id"] = id, ["username"] = username },
        ["roles"] = new JsonArray(),
        ["joined_at"] = "2026-01-01T00:00:00.000000+00:00",
    };

    private sealed class Subscription(FakeGatewayData owner, Action<SandboxDispatch> callback) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
                owner._subscribers.Remove(callback);
        }
    }
}
