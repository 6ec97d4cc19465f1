namespace DiscordMcp.Discord.Client.Models;

/// <summary>Body of <c>POST /interactions/{id}/{token}/callback</c>.</summary>
public sealed record InteractionResponse
{
    public required InteractionCallbackType Type { get; init; }
    public InteractionCallbackData? Data { get; init; }
}

/// <summary>Callback data: a message (types 4, 7), autocomplete choices (8) or a modal (9).</summary>
public sealed record InteractionCallbackData
{
    public bool? Tts { get; init; }
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    /// <summary>For message callbacks, null means the client sends <see cref="AllowedMentions.None"/>.</summary>
    public AllowedMentions? AllowedMentions { get; init; }
    /// <summary><see cref="MessageFlags.Ephemeral"/> makes the reply visible to the invoker only.</summary>
    public MessageFlags? Flags { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }
    public string? CustomId { get; init; }
    public string? Title { get; init; }
}

/// <summary>Response of the callback with <c>with_response=true</c>.</summary>
public sealed record InteractionCallbackResponse
{
    public required InteractionCallbackInfo Interaction { get; init; }
    public InteractionCallbackResource? Resource { get; init; }
}

public sealed record InteractionCallbackInfo
{
    public required Snowflake Id { get; init; }
    public int Type { get; init; }
    public Snowflake? ResponseMessageId { get; init; }
    public bool? ResponseMessageLoading { get; init; }
    public bool? ResponseMessageEphemeral { get; init; }
}

public sealed record InteractionCallbackResource
{
    public InteractionCallbackType Type { get; init; }
    public DiscordMessage? Message { get; init; }
}
