namespace DiscordMcp.Discord.Client.Models;

public sealed record DiscordInvite
{
    public int? Type { get; init; }
    public string Code { get; init; } = "";
    public InviteGuild? Guild { get; init; }
    public InviteChannel? Channel { get; init; }
    public DiscordUser? Inviter { get; init; }
    public int? TargetType { get; init; }
    public DiscordUser? TargetUser { get; init; }
    public int? ApproximatePresenceCount { get; init; }
    public int? ApproximateMemberCount { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    // Invite metadata (channel/guild lists and create).
    public int? Uses { get; init; }
    public int? MaxUses { get; init; }
    public int? MaxAge { get; init; }
    public bool? Temporary { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
}

public sealed record InviteGuild
{
    public required Snowflake Id { get; init; }
    public string Name { get; init; } = "";
    public string? Icon { get; init; }
    public string? Description { get; init; }
}

public sealed record InviteChannel
{
    public required Snowflake Id { get; init; }
    public ChannelType Type { get; init; }
    public string? Name { get; init; }
}

/// <summary>Body of <c>POST /channels/{channel_id}/invites</c>; always sent, even empty.</summary>
public sealed record CreateInviteRequest
{
    /// <summary>Seconds until expiry, 0 (never) to 604800; Discord's default is 86400.</summary>
    public int? MaxAge { get; init; }
    /// <summary>0 (unlimited) to 100.</summary>
    public int? MaxUses { get; init; }
    public bool? Temporary { get; init; }
    public bool? Unique { get; init; }
}
