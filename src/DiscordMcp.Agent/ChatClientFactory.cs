using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace DiscordMcp.Agent;

/// <summary>Builds the <see cref="IChatClient"/> of the configured provider. No retries: a failure is reported to the member at once.</summary>
public static class ChatClientFactory
{
    /// <summary>A chat client for <paramref name="settings"/>.</summary>
    public static IChatClient Create(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Provider switch
        {
            AgentProvider.OpenAI or AgentProvider.OpenAICompatible => OpenAIClient(settings),
            AgentProvider.Anthropic => AnthropicClient(settings),
            _ => throw new ArgumentException($"Unknown agent provider {settings.Provider}.", nameof(settings)),
        };
    }

    private static IChatClient OpenAIClient(AgentSettings settings)
    {
        if (settings.Provider == AgentProvider.OpenAICompatible && settings.BaseUrl is null)
            throw new ArgumentException("An OpenAI-compatible provider needs a base URL (AGENT_BASE_URL).", nameof(settings));
        var options = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = settings.Timeout,
        };
        if (settings.BaseUrl is not null)
            options.Endpoint = settings.BaseUrl;
        // Local servers (Ollama, LM Studio) take any key; the client library needs a non-empty one.
        var key = string.IsNullOrEmpty(settings.ApiKey) ? "no-key" : settings.ApiKey;
        return new OpenAI.Chat.ChatClient(settings.Model, new ApiKeyCredential(key), options).AsIChatClient();
    }

    private static IChatClient AnthropicClient(AgentSettings settings)
    {
        var options = new Anthropic.Core.ClientOptions
        {
            ApiKey = settings.ApiKey ?? "",
            MaxRetries = 0,
            Timeout = settings.Timeout,
        };
        if (settings.BaseUrl is not null)
            options.BaseUrl = settings.BaseUrl.ToString().TrimEnd('/');
        return new AnthropicClient(options).AsIChatClient(settings.Model, settings.MaxOutputTokens);
    }
}
