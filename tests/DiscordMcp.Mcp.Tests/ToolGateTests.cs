using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// The toolset / read-only gate over the real MCP path, with a fake write tool (no write tools exist yet): hidden
/// from <c>tools/list</c> and refused on call when the configuration says so, and never executed.
/// </summary>
public sealed class ToolGateTests
{
    private const string FakeWrite = "discord_fake_delete_message";
    private const string Undescribed = "fixture_undescribed_tool";

    private sealed class Calls
    {
        public int Count;
    }

    private static async Task<(McpTestServer Server, Calls Calls)> StartAsync(Dictionary<string, string?> settings)
    {
        var calls = new Calls();
        var server = await McpTestServer.StartAsync(settings, withSandbox: false, configure: (services, mcp) =>
        {
            mcp.WithTools(
            [
                McpServerTool.Create((string channel) => { Interlocked.Increment(ref calls.Count); return $"deleted in {channel}"; }, new McpServerToolCreateOptions
                {
                    Name = FakeWrite, Title = "Delete message (fake)", Description = "Test-only write tool.",
                    ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
                }),
                // No descriptor and no annotations: the gate must treat it as a write tool.
                McpServerTool.Create(() => { Interlocked.Increment(ref calls.Count); return "ran"; }, new McpServerToolCreateOptions { Name = Undescribed }),
            ]);
            services.AddSingleton(new ToolInfo(FakeWrite, Toolsets.Messages, ReadOnly: false, Destructive: true, "Delete message (fake)", "Test-only write tool."));
        });
        return (server, calls);
    }

    private static async Task<HashSet<string>> ListedAsync(McpTestServer server) =>
        (await server.ListToolsAsync()).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Read_only_mode_hides_and_blocks_a_write_tool_and_keeps_read_tools()
    {
        var (server, calls) = await StartAsync(new() { ["READ_ONLY"] = "true" });
        await using (server)
        {
            var listed = await ListedAsync(server);
            Assert.DoesNotContain(FakeWrite, listed);
            Assert.DoesNotContain(Undescribed, listed);
            Assert.Contains("discord_list_messages", listed);

            var r = await server.CallAsync(FakeWrite, new() { ["channel"] = "support" });
            Assert.True(r.IsError);
            Assert.Equal($"Denied (read_only): {FakeWrite} changes Discord, and this server runs in read-only mode (READ_ONLY=true).", r.Text());
            var undescribed = await server.CallAsync(Undescribed);
            Assert.True(undescribed.IsError);
            Assert.Contains("read_only", undescribed.Text(), StringComparison.Ordinal);
            Assert.Equal(0, calls.Count);
            Assert.Contains("Read-only mode", server.Instructions, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_read_only_the_same_write_tool_is_offered_and_runs()
    {
        var (server, calls) = await StartAsync([]);
        await using (server)
        {
            Assert.Contains(FakeWrite, await ListedAsync(server));
            var r = await server.CallAsync(FakeWrite, new() { ["channel"] = "support" });
            Assert.NotEqual(true, r.IsError);
            Assert.Equal(1, calls.Count);
        }
    }

    [Fact]
    public async Task A_disabled_toolset_hides_and_blocks_its_tools_without_calling_discord()
    {
        var (server, calls) = await StartAsync(new() { ["TOOLSETS"] = "guilds,channels" });
        await using (server)
        {
            var listed = await ListedAsync(server);
            Assert.Contains("discord_list_channels", listed);
            Assert.DoesNotContain("discord_list_messages", listed);
            Assert.DoesNotContain("discord_get_audit_log", listed);
            Assert.DoesNotContain(FakeWrite, listed);

            var r = await server.CallAsync("discord_list_messages", new() { ["channel"] = "support" });
            Assert.True(r.IsError);
            Assert.Equal("Denied (toolset_disabled): discord_list_messages belongs to the 'messages' toolset, which is not enabled on this server (TOOLSETS).", r.Text());
            var fake = await server.CallAsync(FakeWrite, new() { ["channel"] = "support" });
            Assert.Contains("toolset_disabled", fake.Text(), StringComparison.Ordinal);
            Assert.Equal(0, calls.Count);
            Assert.Equal(0, server.Requests.Count);
            Assert.Contains("Enabled toolsets: guilds, channels", server.Instructions, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_toolset_in_configuration_fails_at_start_naming_the_key()
    {
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => McpTestServer.StartAsync(new() { ["TOOLSETS"] = "guilds,weather" }, withSandbox: false));
        Assert.Contains(e.Failures, f => f.Contains("TOOLSETS contains unknown toolset(s) weather; allowed: all, guilds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_policy_pipeline_every_tool_call_is_refused()
    {
        await using var server = await McpTestServer.StartAsync(declareWithoutPlatform: false);

        var result = await server.Client.CallToolAsync("discord_list_guilds");

        Assert.True(result.IsError);
        Assert.Contains("policy_error", string.Join(' ', result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);
    }
}
