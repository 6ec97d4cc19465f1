using System.Text.Json.Serialization;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Models;

public sealed record GuildMember
{
    public DiscordUser? User { get; init; }
    public string? Nick { get; init; }
    public string? Avatar { get; init; }
    public IReadOnlyList<Snowflake> Roles { get; init; } = [];
    public DateTimeOffset? JoinedAt { get; init; }
    public DateTimeOffset? PremiumSince { get; init; }
    public bool Deaf { get; init; }
    public bool Mute { get; init; }
    public int Flags { get; init; }
    public bool? Pending { get; init; }
    public DiscordPermissions? Permissions { get; init; }
    public DateTimeOffset? CommunicationDisabledUntil { get; init; }
}

/// <summary>Body of <c>PATCH /guilds/{guild_id}/members/{user_id}</c>; absent fields are left unchanged, null clears.</summary>
public sealed record ModifyMemberRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Nick { get; init; }
    /// <summary>Replaces the whole role list.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<Snowflake>?> Roles { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Mute { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Deaf { get; init; }
    /// <summary>Voice channel to move the member to; null disconnects.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> ChannelId { get; init; }
    /// <summary>Timeout end (at most 28 days ahead); null removes the timeout.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<DateTimeOffset?> CommunicationDisabledUntil { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> Flags { get; init; }
}

public sealed record GuildBan
{
    public string? Reason { get; init; }
    public required DiscordUser User { get; init; }
}

public sealed record CreateBanRequest(int? DeleteMessageSeconds);
