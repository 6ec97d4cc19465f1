using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>GET /guilds/{guild_id}/roles</c>.</summary>
    public Task<IReadOnlyList<DiscordRole>> GetRolesAsync(Snowflake guildId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/roles", $"guilds/{guildId}/roles", guildId.ToString()), Ctx.IReadOnlyListDiscordRole, cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}/roles/{role_id}</c>.</summary>
    public Task<DiscordRole> GetRoleAsync(Snowflake guildId, Snowflake roleId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/roles/{role_id}", $"guilds/{guildId}/roles/{roleId}", guildId.ToString()), Ctx.DiscordRole, cancellationToken);

    /// <summary><c>POST /guilds/{guild_id}/roles</c> (MANAGE_ROLES). Permissions travel as a decimal string.</summary>
    public Task<DiscordRole> CreateRoleAsync(Snowflake guildId, CreateRoleRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Length("name", request.Name, 1, DiscordLimits.RoleName);
        Range("color", request.Color, 0, 0xFFFFFF);
        return SendAsync(
            Request(HttpMethod.Post, "/guilds/{guild_id}/roles", $"guilds/{guildId}/roles", guildId.ToString(), reason, Body(request, Ctx.CreateRoleRequest)),
            Ctx.DiscordRole, cancellationToken);
    }

    /// <summary><c>PATCH /guilds/{guild_id}/roles/{role_id}</c> (MANAGE_ROLES).</summary>
    public Task<DiscordRole> ModifyRoleAsync(Snowflake guildId, Snowflake roleId, ModifyRoleRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Length("name", request.Name.GetValueOrDefault(), 1, DiscordLimits.RoleName);
        Range("color", request.Color.GetValueOrDefault(), 0, 0xFFFFFF);
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}/roles/{role_id}", $"guilds/{guildId}/roles/{roleId}", guildId.ToString(), reason, Body(request, Ctx.ModifyRoleRequest)),
            Ctx.DiscordRole, cancellationToken);
    }

    /// <summary><c>PATCH /guilds/{guild_id}/roles</c>: reorder; returns all roles.</summary>
    public Task<IReadOnlyList<DiscordRole>> ReorderRolesAsync(Snowflake guildId, IReadOnlyList<RolePosition> positions, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
            throw Fail("positions", "positions must contain at least one role.");
        for (var i = 0; i < positions.Count; i++)
            Range($"[{i}].position", positions[i].Position, 0, int.MaxValue);
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}/roles", $"guilds/{guildId}/roles", guildId.ToString(), reason, Body(positions, Ctx.IReadOnlyListRolePosition)),
            Ctx.IReadOnlyListDiscordRole, cancellationToken);
    }

    /// <summary><c>DELETE /guilds/{guild_id}/roles/{role_id}</c> (MANAGE_ROLES).</summary>
    public Task DeleteRoleAsync(Snowflake guildId, Snowflake roleId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/guilds/{guild_id}/roles/{role_id}", $"guilds/{guildId}/roles/{roleId}", guildId.ToString(), reason), cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}/members/{user_id}</c>.</summary>
    public Task<GuildMember> GetMemberAsync(Snowflake guildId, Snowflake userId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/members/{user_id}", $"guilds/{guildId}/members/{userId}", guildId.ToString()), Ctx.GuildMember, cancellationToken);

    /// <summary><c>GET /guilds/{guild_id}/members</c>: limit 1..1000 (Discord's default is 1), paged by user id.</summary>
    public Task<IReadOnlyList<GuildMember>> ListMembersAsync(Snowflake guildId, int? limit = null, Snowflake? after = null, CancellationToken cancellationToken = default)
    {
        Range("limit", limit, DiscordLimits.ListMembersMin, DiscordLimits.ListMembersMax);
        var path = Path($"guilds/{guildId}/members").Add("limit", limit).Add("after", after);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/members", path.ToString(), guildId.ToString()), Ctx.IReadOnlyListGuildMember, cancellationToken);
    }

    /// <summary><c>GET /guilds/{guild_id}/members/search</c>: members whose username or nickname starts with <paramref name="query"/>.</summary>
    public Task<IReadOnlyList<GuildMember>> SearchMembersAsync(Snowflake guildId, string query, int? limit = null, CancellationToken cancellationToken = default)
    {
        NotEmpty("query", query);
        Length("query", query, 1, DiscordLimits.SearchQueryMax, required: true);
        Range("limit", limit, DiscordLimits.SearchMembersMin, DiscordLimits.SearchMembersMax);
        var path = Path($"guilds/{guildId}/members/search").Add("query", query).Add("limit", limit);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/members/search", path.ToString(), guildId.ToString()), Ctx.IReadOnlyListGuildMember, cancellationToken);
    }

    /// <summary><c>PATCH /guilds/{guild_id}/members/{user_id}</c>: absent fields stay, null clears (nick, timeout, voice channel).</summary>
    public Task<GuildMember> ModifyMemberAsync(Snowflake guildId, Snowflake userId, ModifyMemberRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MaxLength("nick", request.Nick.GetValueOrDefault(), DiscordLimits.Nickname);
        if (request.CommunicationDisabledUntil.GetValueOrDefault() is { } until)
            CheckTimeout(until);
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}/members/{user_id}", $"guilds/{guildId}/members/{userId}", guildId.ToString(), reason, Body(request, Ctx.ModifyMemberRequest)),
            Ctx.GuildMember, cancellationToken);
    }

    /// <summary>Times a member out until <paramref name="until"/> (at most 28 days ahead), or removes the timeout when null.</summary>
    public Task<GuildMember> TimeoutMemberAsync(Snowflake guildId, Snowflake userId, DateTimeOffset? until, string? reason = null, CancellationToken cancellationToken = default) =>
        ModifyMemberAsync(guildId, userId, new ModifyMemberRequest { CommunicationDisabledUntil = until }, reason, cancellationToken);

    private void CheckTimeout(DateTimeOffset until)
    {
        var latest = _time.GetUtcNow() + DiscordLimits.MaxTimeout;
        if (until > latest)
            throw Fail("communication_disabled_until",
                $"communication_disabled_until must be at most {DiscordLimits.MaxTimeout.TotalDays:0} days ahead (got {until.UtcDateTime:O}, latest {latest.UtcDateTime:O}).");
    }

    /// <summary><c>DELETE /guilds/{guild_id}/members/{user_id}</c>: kick (KICK_MEMBERS).</summary>
    public Task KickMemberAsync(Snowflake guildId, Snowflake userId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/guilds/{guild_id}/members/{user_id}", $"guilds/{guildId}/members/{userId}", guildId.ToString(), reason), cancellationToken);

    /// <summary><c>PUT /guilds/{guild_id}/bans/{user_id}</c> (BAN_MEMBERS), optionally deleting 0..604800 seconds of messages.</summary>
    public Task BanMemberAsync(Snowflake guildId, Snowflake userId, int? deleteMessageSeconds = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        Range("delete_message_seconds", deleteMessageSeconds, 0, DiscordLimits.BanDeleteMessageSecondsMax);
        return SendAsync(
            Request(HttpMethod.Put, "/guilds/{guild_id}/bans/{user_id}", $"guilds/{guildId}/bans/{userId}", guildId.ToString(), reason,
                Body(new CreateBanRequest(deleteMessageSeconds), Ctx.CreateBanRequest)),
            cancellationToken);
    }

    /// <summary><c>DELETE /guilds/{guild_id}/bans/{user_id}</c>.</summary>
    /// <remarks>
    /// Discord's docs give this route no body, but its OpenAPI spec marks a JSON body (an empty object schema) as
    /// required, and a validating proxy rejects the call without one. An empty object satisfies both: Discord ignores it.
    /// </remarks>
    public Task UnbanMemberAsync(Snowflake guildId, Snowflake userId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/guilds/{guild_id}/bans/{user_id}", $"guilds/{guildId}/bans/{userId}", guildId.ToString(), reason, EmptyObjectBody), cancellationToken);

    private static readonly ReadOnlyMemory<byte> EmptyObjectBody = "{}"u8.ToArray();

    /// <summary><c>GET /guilds/{guild_id}/bans</c> (limit 1..1000).</summary>
    public Task<IReadOnlyList<GuildBan>> GetBansAsync(Snowflake guildId, int? limit = null, Snowflake? before = null, Snowflake? after = null, CancellationToken cancellationToken = default)
    {
        Range("limit", limit, 1, DiscordLimits.ListBansMax);
        var path = Path($"guilds/{guildId}/bans").Add("limit", limit).Add("before", before).Add("after", after);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/bans", path.ToString(), guildId.ToString()), Ctx.IReadOnlyListGuildBan, cancellationToken);
    }

    /// <summary><c>GET /guilds/{guild_id}/bans/{user_id}</c>.</summary>
    public Task<GuildBan> GetBanAsync(Snowflake guildId, Snowflake userId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/bans/{user_id}", $"guilds/{guildId}/bans/{userId}", guildId.ToString()), Ctx.GuildBan, cancellationToken);

    /// <summary><c>PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}</c> (MANAGE_ROLES).</summary>
    public Task AddMemberRoleAsync(Snowflake guildId, Snowflake userId, Snowflake roleId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Put, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", $"guilds/{guildId}/members/{userId}/roles/{roleId}", guildId.ToString(), reason),
            cancellationToken);

    /// <summary><c>DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}</c> (MANAGE_ROLES).</summary>
    public Task RemoveMemberRoleAsync(Snowflake guildId, Snowflake userId, Snowflake roleId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", $"guilds/{guildId}/members/{userId}/roles/{roleId}", guildId.ToString(), reason),
            cancellationToken);
}
