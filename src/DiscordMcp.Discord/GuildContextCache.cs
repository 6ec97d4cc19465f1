using System.Collections.Concurrent;
using DiscordMcp.Discord.Client;

namespace DiscordMcp.Discord;

/// <summary>
/// Per guild, a value kept for a few seconds. The read service keeps the guild's context in it (guild with roles, channels,
/// the bot's member record: three REST calls), so a burst of tool calls on one guild does not re-read the same state. Time-based via <see cref="TimeProvider"/>,
/// bounded (<see cref="MaxGuilds"/>), one load in flight per guild (concurrent callers share it), failures never
/// cached. Callers invalidate a guild when Discord contradicts the cached state (not found, forbidden) and after writes.
/// </summary>
internal sealed class GuildContextCache<T>(TimeProvider time)
{
    /// <summary>How long a loaded context is used. Short: reads may show changes made in Discord this much later.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>At most this many guilds are kept; when full, expired entries go first, then everything.</summary>
    public const int MaxGuilds = 256;

    private readonly ConcurrentDictionary<Snowflake, Entry> _entries = new();
    private readonly Lock _gate = new();

    /// <summary>Guilds held now (usable or not yet trimmed).</summary>
    public int Count => _entries.Count;

    private sealed record Entry(Task<T> Load, DateTimeOffset Expires);

    public Task<T> GetAsync(
        Snowflake guildId, Func<Task<T>> load, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(guildId, out var entry) && Usable(entry, now))
            return entry.Load.WaitAsync(cancellationToken);
        lock (_gate)
        {
            if (!_entries.TryGetValue(guildId, out entry) || !Usable(entry, now))
            {
                if (_entries.Count >= MaxGuilds)
                    Trim(now);
                // The load is shared by every caller that arrives while it runs, so it does not follow one caller's token
                // (the REST client's own request timeout bounds it); each caller stops waiting on its own token.
                entry = new Entry(LoadAsync(load), now + Lifetime);
                _entries[guildId] = entry;
            }
        }
        return entry.Load.WaitAsync(cancellationToken);
    }

    /// <summary>Whether a usable value (loaded or loading) is held for the guild now.</summary>
    public bool IsCached(Snowflake guildId) => _entries.TryGetValue(guildId, out var entry) && Usable(entry, time.GetUtcNow());

    /// <summary>Forget a guild: the next read loads it from Discord.</summary>
    public void Invalidate(Snowflake guildId) => _entries.TryRemove(guildId, out _);

    /// <summary>Unexpired and not failed (a failed load is never served; the next caller loads again).</summary>
    private static bool Usable(Entry entry, DateTimeOffset now) =>
        entry.Expires > now && !entry.Load.IsFaulted && !entry.Load.IsCanceled;

    private static async Task<T> LoadAsync(Func<Task<T>> load)
    {
        await Task.Yield(); // off the caller's stack, so the REST calls never run under the lock
        return await load();
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var pair in _entries)
        {
            if (!Usable(pair.Value, now))
                _entries.TryRemove(pair);
        }
        if (_entries.Count >= MaxGuilds)
            _entries.Clear();
    }
}
