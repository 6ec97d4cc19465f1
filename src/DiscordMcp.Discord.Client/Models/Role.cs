using System.Text.Json.Serialization;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Models;

public sealed record DiscordRole
{
    public required Snowflake Id { get; init; }
    public string Name { get; init; } = "";
    public int Color { get; init; }
    public RoleColors? Colors { get; init; }
    public bool Hoist { get; init; }
    public string? Icon { get; init; }
    public string? UnicodeEmoji { get; init; }
    public int Position { get; init; }
    public DiscordPermissions Permissions { get; init; }
    public bool Managed { get; init; }
    public bool Mentionable { get; init; }
    public RoleTags? Tags { get; init; }
    public int Flags { get; init; }
}

public sealed record RoleColors
{
    public int PrimaryColor { get; init; }
    public int? SecondaryColor { get; init; }
    public int? TertiaryColor { get; init; }
}

/// <summary>Role tags; Discord marks booleans by the presence of a <c>null</c> value, so only ids are kept.</summary>
public sealed record RoleTags
{
    public Snowflake? BotId { get; init; }
    public Snowflake? IntegrationId { get; init; }
}

/// <summary>Body of <c>POST /guilds/{guild_id}/roles</c>.</summary>
public sealed record CreateRoleRequest
{
    public string? Name { get; init; }
    public DiscordPermissions? Permissions { get; init; }
    public int? Color { get; init; }
    public bool? Hoist { get; init; }
    public bool? Mentionable { get; init; }
    public string? UnicodeEmoji { get; init; }
}

/// <summary>Body of <c>PATCH /guilds/{guild_id}/roles/{role_id}</c>; absent fields are left unchanged.</summary>
public sealed record ModifyRoleRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<DiscordPermissions?> Permissions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<int?> Color { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Hoist { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Mentionable { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> UnicodeEmoji { get; init; }
}

/// <summary>One entry of <c>PATCH /guilds/{guild_id}/roles</c> (reorder).</summary>
public sealed record RolePosition(Snowflake Id, int? Position);
