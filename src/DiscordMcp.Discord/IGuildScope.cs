using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord;

/// <summary>
/// The guilds the caller may use. Today: the bot's guilds, narrowed by <c>ALLOWED_GUILD_IDS</c>. The platform
/// (workspaces) replaces this implementation later; tools depend only on the interface.
/// </summary>
public interface IGuildScope
{
    ValueTask<IReadOnlyList<GuildRef>> GetGuildsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Turns the <c>guild_id</c> argument (an id, a name, or nothing when exactly one guild is available) into a guild id
    /// inside the scope; otherwise a <see cref="DiscordServiceException"/> that lists what is available.
    /// </summary>
    ValueTask<Snowflake> ResolveGuildAsync(string? guild, CancellationToken cancellationToken);
}

/// <summary>The bot's guilds (cached briefly), limited to the allowed list when one is configured.</summary>
internal sealed class BotGuildScope(DiscordRestClient client, DiscordScopeOptions options, TimeProvider time) : IGuildScope
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (IReadOnlyList<GuildRef> Guilds, DateTimeOffset Expires)? _cache;

    public async ValueTask<IReadOnlyList<GuildRef>> GetGuildsAsync(CancellationToken cancellationToken)
    {
        if (_cache is { } c && c.Expires > time.GetUtcNow())
            return c.Guilds;
        IReadOnlyList<Client.Models.PartialGuild> all;
        try
        {
            all = await client.GetCurrentUserGuildsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (DiscordErrors.IsTranslatable(e))
        {
            throw DiscordErrors.Translate(e, "list the bot's guilds");
        }
        var allowed = options.AllowedGuildIds;
        var guilds = all.Where(g => allowed.Count == 0 || allowed.Contains(g.Id))
            .Select(g => new GuildRef(g.Id.ToString(), UntrustedText.Inline(g.Name))).ToList();
        _cache = (guilds, time.GetUtcNow() + CacheFor);
        return guilds;
    }

    public async ValueTask<Snowflake> ResolveGuildAsync(string? guild, CancellationToken cancellationToken)
    {
        var guilds = await GetGuildsAsync(cancellationToken);
        var available = guilds.Count == 0 ? "none" : string.Join(", ", guilds.Select(g => $"{g.Name} (id {g.Id})"));
        if (string.IsNullOrWhiteSpace(guild))
        {
            if (guilds.Count == 1)
                return Snowflake.Parse(guilds[0].Id);
            throw DiscordServiceException.Invalid("guild_id", guilds.Count == 0
                ? "guild_id: the bot is not in any allowed guild; invite it to a server (or check ALLOWED_GUILD_IDS)."
                : $"guild_id is required because {guilds.Count} guilds are available: {available}.");
        }
        var text = guild.Trim();
        if (Snowflake.TryParse(text, out var id))
        {
            if (guilds.Any(g => g.Id == id.ToString()))
                return id;
            throw new DiscordServiceException(DiscordErrorKind.Forbidden,
                $"guild_id: guild {id} is not available (the bot is not in it, or ALLOWED_GUILD_IDS excludes it). Available: {available}.", "guild_id");
        }
        var picked = NameMatcher.Resolve("guild_id", "guild", text,
            guilds.Select(g => new NameCandidate<GuildRef>(g.Id, g.Name, [g.Name], g)).ToList());
        return Snowflake.Parse(picked.Id);
    }
}
