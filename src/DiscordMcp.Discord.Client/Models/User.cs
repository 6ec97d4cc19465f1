using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Models;

public sealed record DiscordUser
{
    public required Snowflake Id { get; init; }
    public string Username { get; init; } = "";
    public string? Discriminator { get; init; }
    public string? GlobalName { get; init; }
    public string? Avatar { get; init; }
    public bool? Bot { get; init; }
    public bool? System { get; init; }
    public int? PublicFlags { get; init; }
}

/// <summary>An entry of <c>GET /users/@me/guilds</c>.</summary>
public sealed record PartialGuild
{
    public required Snowflake Id { get; init; }
    public string Name { get; init; } = "";
    public string? Icon { get; init; }
    public bool? Owner { get; init; }
    public DiscordPermissions? Permissions { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public int? ApproximateMemberCount { get; init; }
    public int? ApproximatePresenceCount { get; init; }
}

public sealed record DiscordApplication
{
    public required Snowflake Id { get; init; }
    public string Name { get; init; } = "";
    public string? Icon { get; init; }
    public string? Description { get; init; }
    public bool? BotPublic { get; init; }
    public DiscordUser? Owner { get; init; }
    public DiscordUser? Bot { get; init; }
    public long? Flags { get; init; }
    public int? ApproximateGuildCount { get; init; }
}

/// <summary>Body of <c>POST /users/@me/channels</c> (a bot opens a DM with one user).</summary>
public sealed record CreateDmRequest
{
    public required Snowflake RecipientId { get; init; }
}

public sealed record GatewayInfo
{
    public string Url { get; init; } = "";
}

public sealed record GatewayBotInfo
{
    public string Url { get; init; } = "";
    public int Shards { get; init; }
    public required SessionStartLimit SessionStartLimit { get; init; }
}

public sealed record SessionStartLimit
{
    public int Total { get; init; }
    public int Remaining { get; init; }
    /// <summary>Milliseconds until the limit resets.</summary>
    public long ResetAfter { get; init; }
    public int MaxConcurrency { get; init; }
}
