using System.Globalization;

namespace DiscordMcp.Agent;

/// <summary>The language model provider of the agent.</summary>
public enum AgentProvider
{
    /// <summary>Unset.</summary>
    None = 0,
    /// <summary>OpenAI's API (base URL optional).</summary>
    OpenAI = 1,
    /// <summary>Any OpenAI-compatible endpoint (Ollama, vLLM, LM Studio); base URL required.</summary>
    OpenAICompatible = 2,
    /// <summary>Anthropic's Messages API (base URL optional).</summary>
    Anthropic = 3,
}

/// <summary>
/// What the agent needs to run: the provider, model, key and limits. Built by the host from its validated options.
/// <see cref="ApiKey"/> is a secret: <see cref="ToString"/> never shows it.
/// </summary>
public sealed class AgentSettings
{
    /// <summary>Default of <see cref="MaxToolRounds"/>.</summary>
    public const int DefaultMaxToolRounds = 6;
    /// <summary>Default of <see cref="MaxOutputTokens"/>.</summary>
    public const int DefaultMaxOutputTokens = 1024;
    /// <summary>Default of <see cref="Timeout"/> in seconds.</summary>
    public const int DefaultTimeoutSeconds = 60;
    /// <summary>Default of <see cref="UserCooldown"/> in seconds.</summary>
    public const int DefaultUserCooldownSeconds = 5;
    /// <summary>Default of <see cref="ChannelConcurrency"/>.</summary>
    public const int DefaultChannelConcurrency = 2;
    /// <summary>Default of <see cref="ContextMessages"/>.</summary>
    public const int DefaultContextMessages = 30;

    /// <summary>The provider.</summary>
    public AgentProvider Provider { get; init; } = AgentProvider.OpenAI;

    /// <summary>The model name (e.g. <c>gpt-4o-mini</c>, <c>claude-sonnet-4-5</c>, <c>llama3.1</c>).</summary>
    public required string Model { get; init; }

    /// <summary>The provider's base URL; null = the provider's default. Required for <see cref="AgentProvider.OpenAICompatible"/>.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Secret. May be empty for a local OpenAI-compatible server.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Model calls that may ask for tools in one turn.</summary>
    public int MaxToolRounds { get; init; } = DefaultMaxToolRounds;

    /// <summary>Output token limit of each model call.</summary>
    public int MaxOutputTokens { get; init; } = DefaultMaxOutputTokens;

    /// <summary>Time limit of a whole turn (model and tool calls).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary>Minimum time between two questions of one member.</summary>
    public TimeSpan UserCooldown { get; init; } = TimeSpan.FromSeconds(DefaultUserCooldownSeconds);

    /// <summary>Turns that may run at once in one channel.</summary>
    public int ChannelConcurrency { get; init; } = DefaultChannelConcurrency;

    /// <summary>Recent channel messages given to the model as context.</summary>
    public int ContextMessages { get; init; } = DefaultContextMessages;

    /// <summary>Upper bound on the characters of the context (recent messages and reply chain).</summary>
    public int ContextCharacters { get; init; } = 12_000;

    /// <summary>Characters of the member's own question kept (longer questions are cut).</summary>
    public int QuestionCharacters { get; init; } = 4_000;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"AgentSettings {{ Provider = {Provider}, Model = {Model}, BaseUrl = {(BaseUrl is null ? "(default)" : $"{BaseUrl.Scheme}://{BaseUrl.Host}:{BaseUrl.Port}")}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "(set, redacted)")}, MaxToolRounds = {MaxToolRounds}, MaxOutputTokens = {MaxOutputTokens}, Timeout = {Timeout.TotalSeconds}s, UserCooldown = {UserCooldown.TotalSeconds}s, ChannelConcurrency = {ChannelConcurrency}, ContextMessages = {ContextMessages} }}");
}
