using DiscordMcp.Discord.Client.Models;
using static DiscordMcp.Discord.Client.Rest.DiscordValidation;

namespace DiscordMcp.Discord.Client.Rest;

public sealed partial class DiscordRestClient
{
    /// <summary><c>GET /guilds/{guild_id}/scheduled-events</c>.</summary>
    public Task<IReadOnlyList<GuildScheduledEvent>> GetScheduledEventsAsync(Snowflake guildId, bool withUserCount = false, CancellationToken cancellationToken = default)
    {
        var path = Path($"guilds/{guildId}/scheduled-events").Add("with_user_count", withUserCount ? true : null);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events", path.ToString(), guildId.ToString()),
            Ctx.IReadOnlyListGuildScheduledEvent, cancellationToken);
    }

    /// <summary><c>GET /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}</c>.</summary>
    public Task<GuildScheduledEvent> GetScheduledEventAsync(Snowflake guildId, Snowflake eventId, bool withUserCount = false, CancellationToken cancellationToken = default)
    {
        var path = Path($"guilds/{guildId}/scheduled-events/{eventId}").Add("with_user_count", withUserCount ? true : null);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", path.ToString(), guildId.ToString()),
            Ctx.GuildScheduledEvent, cancellationToken);
    }

    /// <summary>
    /// <c>POST /guilds/{guild_id}/scheduled-events</c> (CREATE_EVENTS). Stage and voice events need a channel;
    /// external events need a location and an end time and no channel.
    /// </summary>
    public Task<GuildScheduledEvent> CreateScheduledEventAsync(Snowflake guildId, CreateScheduledEventRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Length("name", request.Name, DiscordLimits.EventNameMin, DiscordLimits.EventNameMax, required: true);
        Length("description", request.Description, DiscordLimits.EventDescriptionMin, DiscordLimits.EventDescriptionMax);
        if (!Enum.IsDefined(request.PrivacyLevel))
            throw Fail("privacy_level", $"privacy_level must be {(int)ScheduledEventPrivacyLevel.GuildOnly} (guild only), got {(int)request.PrivacyLevel}.");
        switch (request.EntityType)
        {
            case ScheduledEventEntityType.StageInstance or ScheduledEventEntityType.Voice:
                if (request.ChannelId is null)
                    throw Fail("channel_id", "channel_id is required for stage and voice events.");
                break;
            case ScheduledEventEntityType.External:
                if (request.ChannelId is not null)
                    throw Fail("channel_id", "channel_id must be absent for external events.");
                Length("entity_metadata.location", request.EntityMetadata?.Location, DiscordLimits.EventLocationMin, DiscordLimits.EventLocationMax, required: true);
                if (request.ScheduledEndTime is null)
                    throw Fail("scheduled_end_time", "scheduled_end_time is required for external events.");
                break;
            default:
                throw Fail("entity_type", $"entity_type must be 1 (stage), 2 (voice) or 3 (external), got {(int)request.EntityType}.");
        }
        if (request.ScheduledEndTime is { } end && end <= request.ScheduledStartTime)
            throw Fail("scheduled_end_time", "scheduled_end_time must be after scheduled_start_time.");
        return SendAsync(
            Request(HttpMethod.Post, "/guilds/{guild_id}/scheduled-events", $"guilds/{guildId}/scheduled-events", guildId.ToString(), reason,
                Body(request, Ctx.CreateScheduledEventRequest)),
            Ctx.GuildScheduledEvent, cancellationToken);
    }

    /// <summary><c>PATCH /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}</c>.</summary>
    public Task<GuildScheduledEvent> ModifyScheduledEventAsync(
        Snowflake guildId, Snowflake eventId, ModifyScheduledEventRequest request, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name.HasValue)
            Length("name", request.Name.Value, DiscordLimits.EventNameMin, DiscordLimits.EventNameMax, required: true);
        Length("description", request.Description.GetValueOrDefault(), DiscordLimits.EventDescriptionMin, DiscordLimits.EventDescriptionMax);
        if (request.EntityMetadata.GetValueOrDefault() is { } metadata)
            Length("entity_metadata.location", metadata.Location, DiscordLimits.EventLocationMin, DiscordLimits.EventLocationMax);
        if (request.Status.HasValue && !Enum.IsDefined(request.Status.Value))
            throw Fail("status", $"status must be 1-4, got {(int)request.Status.Value}.");
        if (request.EntityType.HasValue && !Enum.IsDefined(request.EntityType.Value))
            throw Fail("entity_type", $"entity_type must be 1 (stage), 2 (voice) or 3 (external), got {(int)request.EntityType.Value}.");
        return SendAsync(
            Request(HttpMethod.Patch, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"guilds/{guildId}/scheduled-events/{eventId}", guildId.ToString(), reason,
                Body(request, Ctx.ModifyScheduledEventRequest)),
            Ctx.GuildScheduledEvent, cancellationToken);
    }

    /// <summary><c>DELETE /guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}</c>.</summary>
    public Task DeleteScheduledEventAsync(Snowflake guildId, Snowflake eventId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}", $"guilds/{guildId}/scheduled-events/{eventId}", guildId.ToString()),
            cancellationToken);

    /// <summary><c>GET .../scheduled-events/{id}/users</c>: subscribers (limit 1..100).</summary>
    public Task<IReadOnlyList<ScheduledEventUser>> GetScheduledEventUsersAsync(
        Snowflake guildId, Snowflake eventId, int? limit = null, bool withMember = false, Snowflake? before = null, Snowflake? after = null,
        CancellationToken cancellationToken = default)
    {
        Range("limit", limit, 1, DiscordLimits.EventUsersLimitMax);
        var path = Path($"guilds/{guildId}/scheduled-events/{eventId}/users")
            .Add("limit", limit).Add("with_member", withMember ? true : null).Add("before", before).Add("after", after);
        return SendAsync(Request(HttpMethod.Get, "/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}/users", path.ToString(), guildId.ToString()),
            Ctx.IReadOnlyListScheduledEventUser, cancellationToken);
    }
}
