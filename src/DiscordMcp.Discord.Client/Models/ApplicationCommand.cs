using System.Text.Json.Serialization;
using System.Text.Json;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Models;

public sealed record ApplicationCommand
{
    public required Snowflake Id { get; init; }
    public ApplicationCommandType Type { get; init; } = ApplicationCommandType.ChatInput;
    public Snowflake ApplicationId { get; init; }
    public Snowflake? GuildId { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public DiscordPermissions? DefaultMemberPermissions { get; init; }
    public bool? Nsfw { get; init; }
    public IReadOnlyList<int>? Contexts { get; init; }
    public IReadOnlyList<int>? IntegrationTypes { get; init; }
    public Snowflake Version { get; init; }
}

public sealed record ApplicationCommandOption
{
    public required ApplicationCommandOptionType Type { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public bool? Required { get; init; }
    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public IReadOnlyList<ChannelType>? ChannelTypes { get; init; }
    public double? MinValue { get; init; }
    public double? MaxValue { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public bool? Autocomplete { get; init; }
}

/// <summary>A choice; <see cref="Value"/> is a string, integer or number.</summary>
public sealed record ApplicationCommandOptionChoice
{
    public required string Name { get; init; }
    public required JsonElement Value { get; init; }

    public static ApplicationCommandOptionChoice Of(string name, string value) =>
        new() { Name = name, Value = JsonSerializer.SerializeToElement(value, Json.DiscordJsonContext.Default.String) };

    public static ApplicationCommandOptionChoice Of(string name, long value) =>
        new() { Name = name, Value = JsonSerializer.SerializeToElement(value, Json.DiscordJsonContext.Default.Int64) };
}

/// <summary>Body of command create and bulk overwrite.</summary>
public sealed record CreateApplicationCommandRequest
{
    public required string Name { get; init; }
    /// <summary>Required (1..100) for chat-input commands; empty or absent for user and message commands.</summary>
    public string? Description { get; init; }
    public ApplicationCommandType? Type { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    /// <summary>"0" = administrators only; absent = everyone.</summary>
    public DiscordPermissions? DefaultMemberPermissions { get; init; }
    public bool? Nsfw { get; init; }
    public IReadOnlyList<int>? Contexts { get; init; }
    public IReadOnlyList<int>? IntegrationTypes { get; init; }
    /// <summary>Bulk overwrite only: keeps the command's id.</summary>
    public Snowflake? Id { get; init; }
}

/// <summary>Body of <c>PATCH .../commands/{command_id}</c>; absent fields are left unchanged.</summary>
public sealed record EditApplicationCommandRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Description { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<ApplicationCommandOption>?> Options { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<DiscordPermissions?> DefaultMemberPermissions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<bool?> Nsfw { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<int>?> Contexts { get; init; }
}
