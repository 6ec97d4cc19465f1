using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>An application without the privileged Message Content intent: the operator is told, in plain words, what to enable.</summary>
public sealed class GatewayIntentTests
{
    [Fact]
    public async Task Without_the_Message_Content_intent_the_start_up_says_which_intent_to_enable_and_for_what()
    {
        var logs = new LogCapture();
        var environment = new Dictionary<string, string?>
        {
            ["ENABLE_GATEWAY"] = "true",
            ["AGENT_ENABLED"] = "true",
            ["AGENT_API_KEY"] = "test-agent-key",
            ["AGENT_MODEL"] = "scripted",
            ["Sandbox__MessageContentIntent"] = "false",
        };
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, environment: environment),
            configureServices: services => services.AddSecretScanCapture("Host.Tests GatewayIntent").AddLogging(b => b.AddProvider(logs)));
        await app.StartAsync();
        var gateway = await app.Services.GetRequiredService<DiscordGatewayService>().Client.WaitAsync(GatewayTestHost.Timeout);

        // Discord (here the sandbox) refuses the identify with 4014; the client stops instead of reconnecting in a loop.
        var stopped = await Assert.ThrowsAsync<GatewayStoppedException>(() => gateway.Completion.WaitAsync(GatewayTestHost.Timeout));
        Assert.Contains("MessageContent", stopped.Message, StringComparison.Ordinal);
        await app.StopAsync(); // the service has logged its line once the gateway task it awaits has ended

        Assert.Contains("does not have the Message Content intent enabled", logs.Text, StringComparison.Ordinal);
        Assert.Contains("close code 4014", logs.Text, StringComparison.Ordinal);
        Assert.Contains("enable \"Message Content Intent\" for this application in the developer portal", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("test-agent-key", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sandbox_Message_Content_intent_setting_takes_only_true_or_false()
    {
        var off = HostConfiguration.SandboxOptions(new HostSettings { Environment = new Dictionary<string, string?> { ["Sandbox__MessageContentIntent"] = "false" }, UseAppSettingsFile = false });
        var on = HostConfiguration.SandboxOptions(new HostSettings { Environment = new Dictionary<string, string?>(), UseAppSettingsFile = false });

        Assert.Equal(0, off.AllowedPrivilegedIntents & (1 << 15));
        Assert.NotEqual(0, on.AllowedPrivilegedIntents & (1 << 15));
        var ex = Assert.Throws<HostConfigurationException>(() => HostConfiguration.SandboxOptions(new HostSettings
        {
            Environment = new Dictionary<string, string?> { ["Sandbox__MessageContentIntent"] = "maybe" },
            UseAppSettingsFile = false,
        }));
        Assert.Contains("Sandbox:MessageContentIntent must be true or false", ex.Message, StringComparison.Ordinal);
    }
}
