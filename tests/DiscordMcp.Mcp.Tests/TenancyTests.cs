using System.Text.Json;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Mcp.Tests;

/// <summary>The id arguments the binding hands to the pipeline's cross-guild check.</summary>
public sealed class PolicyBindingReferenceTests
{
    private static Dictionary<string, JsonElement> Args(params (string Name, string Value)[] args) =>
        args.ToDictionary(a => a.Name, a => JsonSerializer.SerializeToElement(a.Value));

    [Theory]
    [InlineData("user", "123456789012345678", ResourceKind.Member)]
    [InlineData("user", "<@123456789012345678>", ResourceKind.Member)]
    [InlineData("member", "<@!123456789012345678>", ResourceKind.Member)]
    [InlineData("member", "@123456789012345678", ResourceKind.Member)]
    [InlineData("role", "<@&123456789012345678>", ResourceKind.Role)]
    [InlineData("role_id", "123456789012345678", ResourceKind.Role)]
    [InlineData("webhook_id", "123456789012345678", ResourceKind.Webhook)]
    [InlineData("thread", "<#123456789012345678>", ResourceKind.Thread)]
    public void An_id_argument_becomes_a_reference_of_its_kind(string argument, string value, ResourceKind kind)
    {
        var references = PolicyBinding.References("discord_some_tool", Args((argument, value)), channelId: null);

        Assert.Equal([new ResourceReference(kind, 123456789012345678)], references);
    }

    [Theory]
    [InlineData("user", "Luis")]
    [InlineData("user", "@Luis")]
    [InlineData("role", "@Moderators")]
    [InlineData("role", "<@123456789012345678>")] // a user mention is not a role
    [InlineData("thread", "release-notes")]
    [InlineData("message_id", "not-a-number")]
    public void A_name_or_a_mention_of_another_kind_is_no_reference(string argument, string value)
    {
        Assert.Empty(PolicyBinding.References("discord_some_tool", Args((argument, value)), channelId: 5));
    }

    [Fact]
    public void A_message_id_is_looked_up_in_the_calls_channel_and_left_to_the_tool_without_one()
    {
        var args = Args(("message_id", "42"), ("channel", "#general"));

        Assert.Equal([new ResourceReference(ResourceKind.Message, 42, 7)], PolicyBinding.References("discord_get_message", args, channelId: 7));
        Assert.Empty(PolicyBinding.References("discord_get_message", args, channelId: null));
    }

    [Fact]
    public void The_audit_log_user_filter_is_not_a_reference_but_get_member_user_is()
    {
        var args = Args(("user", "42"));

        Assert.Empty(PolicyBinding.References("discord_get_audit_log", args, channelId: null));
        Assert.Single(PolicyBinding.References("discord_get_member", args, channelId: null));
    }
}

/// <summary>Which guilds the scope offers the current caller.</summary>
public sealed class WorkspaceGuildsTests
{
    private const ulong GuildA1 = 100;
    private const ulong GuildA2 = 101;
    private const ulong GuildB = 900;

    private static async Task<(ServiceProvider Services, WorkspaceGuilds Guilds, PolicyCallContext Calls)> CreateAsync(bool platform = true, bool withoutPlatformForTests = false)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryPlatformStore();
        foreach (var (workspace, guild) in new[] { ("acme", GuildA1), ("acme", GuildA2), ("other", GuildB) })
        {
            if (await store.GetWorkspaceAsync(workspace, default) is null)
                await store.CreateWorkspaceAsync(new Workspace(workspace, workspace, time.GetUtcNow()), default);
            await store.InstallGuildAsync(new GuildInstallation(guild, workspace, time.GetUtcNow()), default);
        }
        var probe = new InMemoryBotPermissionProbe().AddGuild(GuildA1, 0).AddGuild(GuildA2, 0).AddGuild(GuildB, 0);
        var services = new ServiceCollection().AddSingleton<IPlatformStore>(store).AddSingleton<PolicyCallContext>().AddSingleton<WorkspaceGuilds>();
        if (platform)
        {
            var audit = new InMemoryAuditLog();
            SecretScan.Track("Mcp.Tests audit", audit.Snapshot);
            services.AddSingleton(new PolicyPipeline(store, probe, new InMemoryRateLimiter(time), new InMemoryPendingActionStore(time), audit, time));
        }
        if (withoutPlatformForTests)
            services.AddSingleton<WithoutPlatformForTests>();
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<WorkspaceGuilds>(), provider.GetRequiredService<PolicyCallContext>());
    }

    [Fact]
    public async Task Outside_any_call_there_is_no_guild()
    {
        var (services, guilds, _) = await CreateAsync();
        await using (services)
            Assert.Equal(new HashSet<ulong>(), await guilds.GetGuildIdsAsync(default));
    }

    [Fact]
    public async Task An_identified_caller_gets_the_guilds_of_its_own_workspace_only()
    {
        var (services, guilds, _) = await CreateAsync();
        await using (services)
        {
            var acme = await guilds.RunAsAsync("acme", () => guilds.GetGuildIdsAsync(default));
            var other = await guilds.RunAsAsync("other", () => guilds.GetGuildIdsAsync(default));

            Assert.Equal(new HashSet<ulong> { GuildA1, GuildA2 }, acme);
            Assert.Equal(new HashSet<ulong> { GuildB }, other);
        }
    }

    [Fact]
    public async Task Inside_an_authorised_call_only_the_authorised_guild_and_without_one_the_whole_workspace()
    {
        var (services, guilds, calls) = await CreateAsync();
        await using (services)
        {
            var pipeline = services.GetRequiredService<PolicyPipeline>();
            var read = new ToolDescriptor("discord_list_roles", "roles", ToolAccess.Read);

            var scoped = await pipeline.RunAsync(new PolicyRequest { Credential = new LocalOperatorCredential("acme"), Tool = read, GuildId = GuildA2 },
                (context, ct) => calls.RunInAsync(context, () => guilds.GetGuildIdsAsync(ct)), default);
            var unscoped = await pipeline.RunAsync(new PolicyRequest { Credential = new LocalOperatorCredential("acme"), Tool = read },
                (context, ct) => calls.RunInAsync(context, () => guilds.GetGuildIdsAsync(ct)), default);

            Assert.Equal(new HashSet<ulong> { GuildA2 }, scoped.Value);
            Assert.Equal(new HashSet<ulong> { GuildA1, GuildA2 }, unscoped.Value);
        }
    }

    [Fact]
    public async Task Without_the_platform_only_the_declared_test_composition_is_unrestricted()
    {
        var (bare, bareGuilds, _) = await CreateAsync(platform: false);
        var (tests, testGuilds, _) = await CreateAsync(platform: false, withoutPlatformForTests: true);
        await using (bare)
        await using (tests)
        {
            Assert.Equal(new HashSet<ulong>(), await bareGuilds.GetGuildIdsAsync(default));
            Assert.Null(await testGuilds.GetGuildIdsAsync(default));
        }
    }
}
