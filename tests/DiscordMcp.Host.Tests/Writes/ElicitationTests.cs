using System.Text.Json;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// A client that supports elicitation is asked to confirm (the plan is in the prompt): accept runs the write once, decline
/// and cancel run nothing and cancel the pending action. The prompt is only asked for <c>dry_run: false</c>.
/// </summary>
public sealed class ElicitationTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(McpClient Client, List<string> Prompts)> PromptingClientAsync(string action, bool confirm = true)
    {
        var prompts = new List<string>();
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (request, _) =>
                {
                    prompts.Add(request?.Message ?? "");
                    return ValueTask.FromResult(new ElicitResult
                    {
                        Action = action,
                        Content = action == "accept" ? new Dictionary<string, JsonElement> { ["confirm"] = JsonSerializer.SerializeToElement(confirm) } : null,
                    });
                },
            },
        };
        return (await _host.ConnectAsync(DiscordMcpHttpHostKey(), options), prompts);
    }

    private string DiscordMcpHttpHostKey() => Host.Hosting.DiscordMcpHttpHost.SandboxApiKey(_host.App.Services)!;

    private static Dictionary<string, object?> Create(string name) =>
        new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = name, ["private"] = true, ["allowed"] = new[] { "@Luis" }, ["dry_run"] = false };

    [Fact]
    public async Task Accepting_the_prompt_shows_the_plan_and_runs_the_write_once()
    {
        var (client, prompts) = await PromptingClientAsync("accept");
        var result = await CallAsync(client, "discord_create_channel", Create("prompted"));
        Assert.True(result.IsError != true, Text(result));
        Assert.Equal("executed", Structured(result).GetProperty("status").GetString());
        var prompt = Assert.Single(prompts);
        Assert.Contains("I would create the channel #prompted with these permissions: Allowed: @Luis. Denied: @everyone.", prompt, StringComparison.Ordinal);
        Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(_host.Snapshot())!["channels"]!.AsArray(), c => (string?)c!["channel"]!["name"] == "prompted");
        var events = await _host.AuditAsync("discord_create_channel");
        Assert.Contains(events, e => e.Decision == AuditDecision.Pending);
        Assert.Single(events, e => e.Outcome == AuditOutcome.Executed);
    }

    [Theory]
    [InlineData("decline", true)]
    [InlineData("cancel", true)]
    [InlineData("accept", false)] // accepted the form but left "Run this action" unticked
    public async Task Declining_or_cancelling_the_prompt_runs_nothing_and_cancels_the_pending_action(string action, bool confirm)
    {
        var (client, prompts) = await PromptingClientAsync(action, confirm);
        var before = _host.Snapshot();
        var result = await CallAsync(client, "discord_create_channel", Create("declined-" + action));
        Assert.Single(prompts);
        Assert.Equal("cancelled", Structured(result).GetProperty("status").GetString());
        Assert.Contains("No Discord changes were made.", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        var events = await _host.AuditAsync("discord_create_channel");
        Assert.Contains(events, e => e.Decision == AuditDecision.Rejected && e.ReasonCode == "prompt_declined");
        Assert.DoesNotContain(events, e => e.Outcome == AuditOutcome.Executing);
        // The pending action is gone: its id cannot be confirmed later.
        var id = Structured(result).GetProperty("confirmation_id").GetString()!;
        var late = await CallAsync(client, "discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.Contains("confirmation_invalid", Text(late), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_never_prompts()
    {
        var (client, prompts) = await PromptingClientAsync("accept");
        var args = Create("just-a-plan");
        args["dry_run"] = true;
        var result = await CallAsync(client, "discord_create_channel", args);
        Assert.Equal("dry_run", Structured(result).GetProperty("status").GetString());
        Assert.Empty(prompts);
    }

    [Fact]
    public async Task In_approve_mode_an_accepted_prompt_is_the_persons_approval()
    {
        await _host.SetModeAsync("discord_create_channel", ToolMode.Approve);
        var (client, prompts) = await PromptingClientAsync("accept");
        var result = await CallAsync(client, "discord_create_channel", Create("approved-in-client"));
        Assert.True(result.IsError != true, Text(result));
        Assert.Equal("executed", Structured(result).GetProperty("status").GetString());
        Assert.Single(prompts);
        Assert.Contains(await _host.AuditAsync("discord_create_channel"), e => e.Decision == AuditDecision.Approved && e.ReasonCode == "action_approved");
    }
}
