using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord;

/// <summary>
/// The guilds the caller may use: the bot's guilds, narrowed by <c>ALLOWED_GUILD_IDS</c> and, when the platform is
/// composed, by <see cref="ICallerGuilds"/> (the guilds installed in the caller's workspace). Tools depend only on this.
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

/// <summary>
/// Which guilds the current caller may use, beyond the bot's membership and <c>ALLOWED_GUILD_IDS</c>. The platform's
/// implementation answers with the guilds installed in the caller's workspace (none when there is no caller). Without
/// one registered (the Discord layer on its own), the scope is not narrowed further.
/// </summary>
public interface ICallerGuilds
{
    /// <summary>The guild ids the current caller may use; <c>null</c> only when callers are not told apart at all.</summary>
    ValueTask<IReadOnlySet<ulong>?> GetGuildIdsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The bot's guilds (cached briefly), limited to the allowed list when one is configured and to the caller's guilds.
/// Every message (errors included) lists only the caller's guilds, so nothing of another tenant's guilds leaks.
/// </summary>
internal sealed class BotGuildScope(DiscordRestClient client, DiscordScopeOptions options, TimeProvider time, ICallerGuilds? caller = null) : IGuildScope
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (IReadOnlyList<GuildRef> Guilds, DateTimeOffset Expires)? _cache;

    public async ValueTask<IReadOnlyList<GuildRef>> GetGuildsAsync(CancellationToken cancellationToken)
    {
        var guilds = await GetBotGuildsAsync(cancellationToken);
        if (caller is null || await caller.GetGuildIdsAsync(cancellationToken) is not { } mine)
            return guilds;
        return guilds.Where(g => ulong.TryParse(g.Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && mine.Contains(id)).ToList();
    }

    private async ValueTask<IReadOnlyList<GuildRef>> GetBotGuildsAsync(CancellationToken cancellationToken)
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
                ? "guild_id: no guild is available to you: the bot is in no allowed guild that is installed in your workspace; invite the bot to a server and ask an admin to install it (discord-mcp guilds install), or check ALLOWED_GUILD_IDS."
                : $"guild_id is required because {guilds.Count} guilds are available: {available}.");
        }
        var text = guild.Trim();
        if (Snowflake.TryParse(text, out var id))
        {
            if (guilds.Any(g => g.Id == id.ToString()))
                return id;
            throw new DiscordServiceException(DiscordErrorKind.Forbidden,
                $"guild_id: guild {id} is not available (it is not installed in your workspace, the bot is not in it, or ALLOWED_GUILD_IDS excludes it). Available: {available}.", "guild_id");
        }
        var picked = NameMatcher.Resolve("guild_id", "guild", text,
            guilds.Select(g => new NameCandidate<GuildRef>(g.Id, g.Name, [g.Name], g)).ToList());
        return Snowflake.Parse(picked.Id);
    }
}
