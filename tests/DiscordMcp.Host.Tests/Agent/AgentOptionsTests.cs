using DiscordMcp.Agent;
using DiscordMcp.Host.Configuration;

namespace DiscordMcp.Host.Tests.Agent;

public sealed class AgentOptionsTests
{
    private static IReadOnlyList<string> Failures(AgentOptions options) =>
        [.. new HostOptionsValidator(false).Validate(null, options).Failures ?? []];

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var settings = new AgentOptions { Model = "m", ApiKey = "k" }.ToSettings();

        Assert.Equal(AgentProvider.OpenAI, settings.Provider);
        Assert.Equal(6, settings.MaxToolRounds);
        Assert.Equal(1024, settings.MaxOutputTokens);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.UserCooldown);
        Assert.Equal(2, settings.ChannelConcurrency);
        Assert.Equal(30, settings.ContextMessages);
    }

    [Fact]
    public void Each_limit_is_checked_with_the_variable_and_the_range()
    {
        var failures = Failures(new AgentOptions
        {
            Provider = "gemini", MaxToolRounds = 0, MaxTokens = 10, TimeoutSeconds = 1000, UserCooldownSeconds = -1, ChannelConcurrency = 50,
            ContextMessages = 101, BaseUrl = "ftp://x",
        });

        Assert.Contains("AGENT_PROVIDER (Agent:Provider) must be openai, openai-compatible or anthropic; got 'gemini'.", failures);
        Assert.Contains("AGENT_MAX_TOOL_ROUNDS (Agent:MaxToolRounds) must be between 1 and 20; got 0.", failures);
        Assert.Contains("AGENT_MAX_TOKENS (Agent:MaxTokens) must be between 64 and 32000 tokens; got 10.", failures);
        Assert.Contains("AGENT_TIMEOUT_SECONDS (Agent:TimeoutSeconds) must be between 5 and 600 seconds; got 1000.", failures);
        Assert.Contains("AGENT_USER_COOLDOWN_SECONDS (Agent:UserCooldownSeconds) must be between 0 and 3600 seconds; got -1.", failures);
        Assert.Contains("AGENT_CHANNEL_CONCURRENCY (Agent:ChannelConcurrency) must be between 1 and 20; got 50.", failures);
        Assert.Contains("AGENT_CONTEXT_MESSAGES (Agent:ContextMessages) must be between 0 and 100 messages; got 101.", failures);
        Assert.Contains(failures, f => f.StartsWith("AGENT_BASE_URL (Agent:BaseUrl) must be an http or https URL", StringComparison.Ordinal));
        Assert.Equal(8, failures.Count);
    }

    [Fact]
    public void Openai_compatible_needs_a_base_url_but_no_key()
    {
        var failure = Assert.Single(Failures(new AgentOptions { Enabled = true, Provider = "openai-compatible", Model = "llama3.1" }));
        Assert.StartsWith("AGENT_BASE_URL (Agent:BaseUrl) must be set when AGENT_PROVIDER is openai-compatible", failure, StringComparison.Ordinal);

        Assert.Empty(Failures(new AgentOptions { Enabled = true, Provider = "OpenAI-Compatible", Model = "llama3.1", BaseUrl = "http://localhost:11434/v1" }));
    }

    [Fact]
    public void Enabled_agent_needs_a_model()
    {
        var failure = Assert.Single(Failures(new AgentOptions { Enabled = true, Provider = "anthropic", ApiKey = "k" }));
        Assert.StartsWith("AGENT_MODEL (Agent:Model) must be set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variable_that_is_not_a_number_is_named_in_the_error()
    {
        var e = Assert.Throws<HostConfigurationException>(() => DocumentedEnvironment.Map(new Dictionary<string, string?> { ["AGENT_MAX_TOKENS"] = "lots" }));
        Assert.Equal("AGENT_MAX_TOKENS must be a whole number; got 'lots'.", e.Message);
    }

    [Fact]
    public void ToString_never_shows_the_key()
    {
        var text = new AgentOptions { ApiKey = "sk-SECRET-opt-1", BaseUrl = "http://user:pw-SECRET@host/v1" }.ToString();
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }
}
