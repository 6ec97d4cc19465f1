namespace DiscordMcp.Discord.Client.Models;

/// <summary>A message component (action row, button, select, text input): one shape, fields by type.</summary>
public sealed record MessageComponent
{
    public required ComponentType Type { get; init; }
    public int? Id { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public ButtonStyle? Style { get; init; }
    public string? Label { get; init; }
    public Emoji? Emoji { get; init; }
    public string? CustomId { get; init; }
    public string? Url { get; init; }
    public Snowflake? SkuId { get; init; }
    public bool? Disabled { get; init; }
    public IReadOnlyList<SelectOption>? Options { get; init; }
    public IReadOnlyList<ChannelType>? ChannelTypes { get; init; }
    public string? Placeholder { get; init; }
    public int? MinValues { get; init; }
    public int? MaxValues { get; init; }
    public string? Value { get; init; }
    public bool? Required { get; init; }

    public static MessageComponent ActionRow(params IReadOnlyList<MessageComponent> components) =>
        new() { Type = ComponentType.ActionRow, Components = components };

    public static MessageComponent Button(ButtonStyle style, string label, string customId) =>
        new() { Type = ComponentType.Button, Style = style, Label = label, CustomId = customId };
}

public sealed record SelectOption
{
    public required string Label { get; init; }
    public required string Value { get; init; }
    public string? Description { get; init; }
    public Emoji? Emoji { get; init; }
    public bool? Default { get; init; }
}
