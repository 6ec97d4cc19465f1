using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Conformance.Tests.Support;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DiscordMcp.Conformance.Tests;

/// <summary>
/// The product's example workflows, end to end with the official MCP TypeScript SDK client
/// (<c>tests/js/mcp-write-workflows.mjs</c>) over Streamable HTTP against the real host (API key, sandbox): what the client
/// saw is checked against what the sandbox then holds.
/// </summary>
public sealed class TypeScriptWorkflowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_example_workflows_run_end_to_end_with_the_typescript_client()
    {
        await using var host = await McpHosts.StartProductAsync();
        var sandbox = host.App.Services.GetRequiredService<SandboxHost>();
        var generalBefore = Messages(sandbox, DemoGuild.GeneralChannelId);

        var run = await NodeTools.RunAsync(
            [NodeTools.Script("mcp-write-workflows.mjs"), host.McpUrl.AbsoluteUri, "--guild", DemoGuild.GuildId, "--message", DemoGuild.PersonalAttackMessageId,
             "--timeout", ((int)(Limit.TotalMilliseconds - 5000)).ToString(CultureInfo.InvariantCulture)],
            Limit,
            new Dictionary<string, string> { ["DISCORDMCP_API_KEY"] = host.ApiKey! });
        output.WriteLine(run.LastJsonLine ?? run.Describe());
        Assert.True(run.LastJsonLine is not null, "no JSON result line: " + run.Describe());
        var result = JsonNode.Parse(run.LastJsonLine)!.AsObject();
        Assert.True(run.ExitCode == 0 && result["ok"]!.GetValue<bool>(), run.Describe());
        var calls = result["calls"]!;
        string Text(string key) => calls[key]!["text"]!.GetValue<string>();
        var state = JsonNode.Parse(sandbox.State.Snapshot())!;

        // 1. The private support channel: the plan in the product's words, then exactly that access.
        Assert.StartsWith("Dry-run: I would create the channel #support-luis with these permissions: Allowed: @Luis, Support role. Denied: @everyone.",
            Text("channel_plan"), StringComparison.Ordinal);
        Assert.EndsWith("No Discord changes were made.", Text("channel_plan"), StringComparison.Ordinal);
        Assert.StartsWith("Created #support-luis and configured access for @Luis and the Support role.", Text("channel_confirm"), StringComparison.Ordinal);
        var channel = state["channels"]!.AsArray().Select(c => c!["channel"]!).Single(c => (string?)c["name"] == "support-luis");
        var overwrites = channel["permission_overwrites"]!.AsArray().ToDictionary(o => (string)o!["id"]!, o => (ulong.Parse((string)o!["allow"]!, CultureInfo.InvariantCulture), ulong.Parse((string)o!["deny"]!, CultureInfo.InvariantCulture)));
        const ulong View = 1UL << 10;
        Assert.Equal(View, overwrites[DemoGuild.EveryoneRoleId].Item2 & View);
        Assert.Equal(View, overwrites[DemoGuild.LuisUserId].Item1 & View);
        Assert.Equal(View, overwrites[DemoGuild.SupportRoleId].Item1 & View);

        // 2. The event: confirmed through the prompt, shown in GMT-3, stored at 17:00 UTC tomorrow in the Events channel.
        var prompt = Assert.Single(result["prompts"]!.AsArray());
        Assert.Contains("Community Sync", prompt!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Time: 14:00 GMT-3", Text("event"), StringComparison.Ordinal);
        Assert.Equal("executed", calls["event"]!["structuredContent"]!["status"]!.GetValue<string>());
        var start = DateTimeOffset.Parse(result["startTime"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var scheduled = state["guilds"]!.AsArray().Single(g => (string?)g!["guild"]!["id"] == DemoGuild.GuildId)!["events"]!.AsArray()
            .Single(e => (string?)e!["name"] == "Community Sync")!;
        Assert.Equal(DemoGuild.EventsVoiceId, (string?)scheduled["channel_id"]);
        Assert.Equal(start.ToUniversalTime(), DateTimeOffset.Parse((string)scheduled["scheduled_start_time"]!, CultureInfo.InvariantCulture).ToUniversalTime());
        Assert.Equal(17, start.ToUniversalTime().Hour);

        // 3. The webhook exists, and neither its token nor its URL appeared in anything the client received.
        var webhook = state["webhooks"]!.AsArray().Single(w => (string?)w!["name"] == "Deployments")!;
        Assert.Equal(DemoGuild.DeploymentsChannelId, (string?)webhook["channel_id"]);
        var token = (string)webhook["token"]!;
        Assert.DoesNotContain(token, run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("/webhooks/" + (string)webhook["id"]! + "/", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("The webhook URL was not printed here for safety", Text("webhook_confirm"), StringComparison.Ordinal);

        // 4. The warning is a draft: nothing was posted.
        Assert.Contains("No message was sent. No moderation action was applied.", Text("warning"), StringComparison.Ordinal);
        Assert.Equal(generalBefore, Messages(sandbox, DemoGuild.GeneralChannelId));

        // 5. The role change shows up among the role audit events.
        Assert.Contains("Beta Testers", Text("role_audit"), StringComparison.Ordinal);
        Assert.Contains("Beta Testers", Text("member_audit"), StringComparison.Ordinal);
    }

    private static int Messages(SandboxHost sandbox, string channelId) =>
        JsonNode.Parse(sandbox.State.Snapshot())!["channels"]!.AsArray().Single(c => (string?)c!["channel"]!["id"] == channelId)!["messages"]!.AsArray().Count;
}
