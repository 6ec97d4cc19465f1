using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client.Models;

public sealed record DiscordGuild
{
    public required Snowflake Id { get; init; }
    public string Name { get; init; } = "";
    public string? Icon { get; init; }
    public string? Description { get; init; }
    public Snowflake OwnerId { get; init; }
    public Snowflake? AfkChannelId { get; init; }
    public int? AfkTimeout { get; init; }
    public Snowflake? SystemChannelId { get; init; }
    public Snowflake? RulesChannelId { get; init; }
    public Snowflake? PublicUpdatesChannelId { get; init; }
    public int? VerificationLevel { get; init; }
    public int? DefaultMessageNotifications { get; init; }
    public int? ExplicitContentFilter { get; init; }
    public int? MfaLevel { get; init; }
    public int? PremiumTier { get; init; }
    public string? PreferredLocale { get; init; }
    public IReadOnlyList<DiscordRole> Roles { get; init; } = [];
    public IReadOnlyList<string> Features { get; init; } = [];
    public int? ApproximateMemberCount { get; init; }
    public int? ApproximatePresenceCount { get; init; }
}

/// <summary>Body of <c>PATCH /guilds/{guild_id}</c>; absent fields are left unchanged.</summary>
public sealed record ModifyGuildRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Description { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> VerificationLevel { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> DefaultMessageNotifications { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> ExplicitContentFilter { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> AfkChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int> AfkTimeout { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> SystemChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> RulesChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake?> PublicUpdatesChannelId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> PreferredLocale { get; init; }
}
