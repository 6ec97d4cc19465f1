using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>GET /users/@me</c>: the bot user.</summary>
    public Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/users/@me", "users/@me", null), Ctx.DiscordUser, cancellationToken);

    /// <summary><c>GET /users/@me/guilds</c>: the guilds the bot is in (1..200 per page).</summary>
    public Task<IReadOnlyList<PartialGuild>> GetCurrentUserGuildsAsync(
        Snowflake? before = null, Snowflake? after = null, int? limit = null, bool withCounts = false, CancellationToken cancellationToken = default)
    {
        Range("limit", limit, 1, DiscordLimits.MyGuildsLimitMax);
        var path = Path("users/@me/guilds").Add("before", before).Add("after", after).Add("limit", limit).Add("with_counts", withCounts ? true : null);
        return SendAsync(Request(HttpMethod.Get, "/users/@me/guilds", path.ToString(), null), Ctx.IReadOnlyListPartialGuild, cancellationToken);
    }

    /// <summary>
    /// <c>POST /users/@me/channels</c>: opens (or returns the existing) DM channel (type 1) between the bot and
    /// <paramref name="recipientId"/>. Opening it sends nothing; a user the bot cannot message (no shared guild, DMs
    /// closed) is refused when a message is sent there (50007).
    /// </summary>
    public Task<DiscordChannel> CreateDmAsync(Snowflake recipientId, CancellationToken cancellationToken = default)
    {
        if (recipientId.Value == 0)
            throw Fail("recipient_id", "recipient_id must be a user id (a non-zero snowflake).");
        return SendAsync(
            Request(HttpMethod.Post, "/users/@me/channels", "users/@me/channels", null, body: Body(new CreateDmRequest { RecipientId = recipientId }, Ctx.CreateDmRequest)),
            Ctx.DiscordChannel, cancellationToken);
    }

    /// <summary><c>GET /applications/@me</c>: the bot's application (its id is needed for commands and follow-ups).</summary>
    public Task<DiscordApplication> GetCurrentApplicationAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/applications/@me", "applications/@me", null), Ctx.DiscordApplication, cancellationToken);

    /// <summary><c>GET /gateway</c> (no authentication).</summary>
    public Task<GatewayInfo> GetGatewayAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/gateway", "gateway", null, authenticated: false), Ctx.GatewayInfo, cancellationToken);

    /// <summary><c>GET /gateway/bot</c>: gateway URL, recommended shards and the session start limit.</summary>
    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/gateway/bot", "gateway/bot", null), Ctx.GatewayBotInfo, cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}</c>, with approximate member and presence counts by default.</summary>
    public Task<DiscordGuild> GetGuildAsync(Snowflake guildId, bool withCounts = true, CancellationToken cancellationToken = default)
    {
        var path = Path($"guilds/{guildId}").Add("with_counts", withCounts ? true : null);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}", path.ToString(), guildId.ToString()), Ctx.DiscordGuild, cancellationToken);
    }

    /// <summary><c>PATCH /guilds/{guild_id}</c> (MANAGE_GUILD).</summary>
    public Task<DiscordGuild> ModifyGuildAsync(Snowflake guildId, ModifyGuildRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name.HasValue)
            Length("name", request.Name.Value, 2, 100, required: true);
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}", $"guilds/{guildId}", guildId.ToString(), reason, Body(request, Ctx.ModifyGuildRequest)),
            Ctx.DiscordGuild, cancellationToken);
    }

    /// <summary><c>GET /guilds/{guild_id}/audit-logs</c> (VIEW_AUDIT_LOG), newest first unless <c>after</c> is given.</summary>
    public Task<AuditLog> GetAuditLogAsync(Snowflake guildId, AuditLogQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new AuditLogQuery();
        Range("limit", query.Limit, DiscordLimits.AuditLogLimitMin, DiscordLimits.AuditLogLimitMax);
        var path = Path($"guilds/{guildId}/audit-logs")
            .Add("user_id", query.UserId)
            .Add("action_type", query.ActionType is { } t ? (int)t : null)
            .Add("before", query.Before)
            .Add("after", query.After)
            .Add("target_id", query.TargetId)
            .Add("limit", query.Limit);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/audit-logs", path.ToString(), guildId.ToString()), Ctx.AuditLog, cancellationToken);
    }
}
