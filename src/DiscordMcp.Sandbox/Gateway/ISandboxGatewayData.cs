using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>
/// What the gateway needs from the sandbox's state: who the bot is, the guilds it is in as GUILD_CREATE
/// payloads, member queries for op 8, and a feed of dispatch events produced by REST mutations and the
/// control API. The state implements it; the gateway server only reads through it.
/// </summary>
public interface ISandboxGatewayData
{
    /// <summary>The bot's user object (id, username, bot: true, ...) as in READY.</summary>
    JsonObject BotUser();

    /// <summary>The application id (READY.application.id, interactions' application_id).</summary>
    string ApplicationId { get; }

    /// <summary>Ids of the guilds the bot is a member of.</summary>
    IReadOnlyList<string> BotGuildIds();

    /// <summary>
    /// A full GUILD_CREATE <c>d</c> object: guild fields plus joined_at, large, member_count, channels, threads,
    /// roles, members, voice_states, presences, stage_instances, guild_scheduled_events, soundboard_sounds.
    /// </summary>
    JsonObject BuildGuildCreate(string guildId);

    /// <summary>Members for Request Guild Members (op 8): by username prefix (empty = all) or by user ids; at most <paramref name="limit"/> (0 = no limit).</summary>
    IReadOnlyList<JsonObject> QueryMembers(string guildId, string? query, IReadOnlyList<string>? userIds, int limit);

    /// <summary>Subscribe to dispatch events in the order they happened. Dispose to unsubscribe.</summary>
    IDisposable Subscribe(Action<SandboxDispatch> onDispatch);
}

/// <summary>One gateway dispatch (op 0): event name, its guild (null for none) and the <c>d</c> payload.</summary>
public sealed record SandboxDispatch(string EventName, string? GuildId, JsonObject Data);
