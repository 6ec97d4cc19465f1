using System.Text.Json;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests.Admin;

/// <summary>
/// <c>policies apply</c> checks category and channel ids with Discord when a bot token is configured: the CLI runs
/// in-process against a real in-process sandbox (the demo guild), on SQLite.
/// </summary>
public sealed class PolicyChannelCheckTests : IAsyncLifetime
{
    private const string Guild = DemoGuild.GuildId;
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    /// <summary>A fixture whose commands talk to the sandbox (token and base URL as an operator would set them), with the demo guild installed.</summary>
    private async Task<AdminFixture> AdminAsync(bool token = true)
    {
        var admin = new AdminFixture("sqlite");
        if (token)
        {
            admin.ExtraEnvironment["DISCORD_BOT_TOKEN"] = _sandbox.BotToken;
            admin.ExtraEnvironment["Discord__BaseUrl"] = _sandbox.ApiBaseUrl.ToString();
        }
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", Guild, "--workspace", "default")).Exit);
        return admin;
    }

    private static string File(params string[] channelEntries) =>
        $$"""{ "workspace": "default", "tools": [], "channels": [ {{string.Join(", ", channelEntries)}} ] }""";

    private static string Entry(string scope, string id) => $$"""{ "guild": "{{Guild}}", "scope": "{{scope}}", "id": "{{id}}", "write": "deny" }""";

    private static async Task<IReadOnlyList<ChannelPolicy>> ChannelPoliciesAsync(AdminFixture admin)
    {
        await using var storage = await admin.OpenStorageAsync();
        return await storage.GetRequiredService<IPlatformStore>().GetChannelPoliciesAsync(ulong.Parse(Guild, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
    }

    [Fact]
    public async Task Unknown_channel_id_is_reported_with_its_path_and_the_guilds_channels_and_nothing_is_applied()
    {
        await using var admin = await AdminAsync();
        var file = admin.WriteFile("policy.json", File(Entry("channel", DemoGuild.GeneralChannelId), Entry("channel", "222")));

        var result = await admin.RunAsync("policies", "apply", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("has 1 problem; nothing was changed.", result.Error, StringComparison.Ordinal);
        Assert.Contains($"$.channels[1].id: channel 222 is not a channel of guild {Guild} (it has #general, #random, #support, #deployments, #incidents, … 9 in all).", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("$.channels[0]", result.Error, StringComparison.Ordinal);
        Assert.Empty(await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Category_used_as_channel_and_channel_used_as_category_are_reported()
    {
        await using var admin = await AdminAsync();
        var file = admin.WriteFile("policy.yaml", $"""
            workspace: default
            channels:
              - guild: "{Guild}"
                scope: channel
                id: "{DemoGuild.StaffCategoryId}"
                write: deny
              - guild: "{Guild}"
                scope: category
                id: "{DemoGuild.SupportChannelId}"
                read: deny
              - guild: "{Guild}"
                scope: category
                id: "333"
                read: deny
            """);

        var result = await admin.RunAsync("policies", "apply", file, "--json");

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{file}:5:5: $.channels[0].id: {DemoGuild.StaffCategoryId} is the category 'Staff' of guild {Guild}, not a channel; use \"scope\": \"category\".", result.Error, StringComparison.Ordinal);
        Assert.Contains($"$.channels[1].id: {DemoGuild.SupportChannelId} is the channel #support of guild {Guild}, not a category", result.Error, StringComparison.Ordinal);
        Assert.Contains($"$.channels[2].id: category 333 is not a category of guild {Guild} (it has 'Text Channels', 'Staff', 'Community', 'Voice').", result.Error, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(result.Out);
        Assert.False(report.RootElement.GetProperty("applied").GetBoolean());
        Assert.Equal(3, report.RootElement.GetProperty("problems").GetArrayLength());
        Assert.Empty(await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Valid_file_with_channels_categories_and_a_thread_is_applied_after_the_check()
    {
        await using var admin = await AdminAsync();
        var file = admin.WriteFile("policy.json", File(
            $$"""{ "guild": "{{Guild}}", "scope": "guild", "write": "deny" }""",
            Entry("category", DemoGuild.StaffCategoryId),
            Entry("channel", DemoGuild.SupportChannelId),
            Entry("channel", DemoGuild.IdeasPostId)));

        var result = await admin.RunAsync("policies", "apply", file, "--json");

        Assert.Equal(0, result.Exit);
        using var report = JsonDocument.Parse(result.Out);
        Assert.True(report.RootElement.GetProperty("applied").GetBoolean());
        Assert.True(report.RootElement.GetProperty("channels_checked").GetBoolean());
        Assert.DoesNotContain("warning", result.Error, StringComparison.Ordinal);
        Assert.Equal(4, (await ChannelPoliciesAsync(admin)).Count);

        var text = await admin.RunAsync("policies", "apply", file);
        Assert.Equal(0, text.Exit);
        Assert.Contains("every category and channel id was checked with Discord", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guild_the_bot_cannot_see_is_reported_and_nothing_is_applied()
    {
        await using var admin = await AdminAsync();
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "999", "--workspace", "default")).Exit);
        var file = admin.WriteFile("policy.json", File(
            Entry("channel", DemoGuild.SupportChannelId),
            """{ "guild": "999", "scope": "channel", "id": "5", "write": "deny" }"""));

        var result = await admin.RunAsync("policies", "apply", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("$.channels[1].guild: cannot list the channels of guild 999: Discord answered 404", result.Error, StringComparison.Ordinal);
        Assert.Contains("--offline", result.Error, StringComparison.Ordinal);
        Assert.Empty(await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Without_a_token_the_file_is_applied_with_one_warning_that_ids_were_not_checked()
    {
        await using var admin = await AdminAsync(token: false);
        var file = admin.WriteFile("policy.json", File(Entry("channel", "222")));

        var result = await admin.RunAsync("policies", "apply", file, "--json");

        Assert.Equal(0, result.Exit);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("warning: channel and category ids were not checked (no bot token is configured). Set DISCORD_BOT_TOKEN", result.Error, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(result.Out);
        Assert.False(report.RootElement.GetProperty("channels_checked").GetBoolean());
        Assert.Contains(new ChannelPolicy(ulong.Parse(Guild, System.Globalization.CultureInfo.InvariantCulture), ChannelPolicyScope.Channel, 222, AccessRule.Inherit, AccessRule.Deny, AccessRule.Inherit),
            await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Offline_skips_the_check_even_with_a_token_and_says_so()
    {
        await using var admin = await AdminAsync();
        // Unreachable Discord: with --offline no request is made, so this cannot fail.
        admin.ExtraEnvironment["Discord__BaseUrl"] = $"http://127.0.0.1:{TestHosts.ClosedPort()}/api/v10/";
        var file = admin.WriteFile("policy.json", File(Entry("channel", "222")));

        var result = await admin.RunAsync("policies", "apply", file, "--offline");

        Assert.Equal(0, result.Exit);
        Assert.Contains("--offline: channel and category ids were not checked with Discord.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("checked with Discord", result.Out, StringComparison.Ordinal);
        Assert.Single(await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Unreachable_Discord_fails_closed_with_a_clear_message_and_nothing_is_applied()
    {
        await using var admin = await AdminAsync();
        var before = (await admin.RunAsync("policies", "export", "--workspace", "default")).Out;
        admin.ExtraEnvironment["Discord__BaseUrl"] = $"http://127.0.0.1:{TestHosts.ClosedPort()}/api/v10/";
        admin.ExtraEnvironment["Discord__MaxRetries"] = "0";
        var file = admin.WriteFile("policy.json", File(Entry("channel", DemoGuild.SupportChannelId)));

        var result = await admin.RunAsync("policies", "apply", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("cannot reach Discord to check channel ids", result.Error, StringComparison.Ordinal);
        Assert.Contains("use --offline to apply without checking. Nothing was changed.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_sandbox.BotToken, result.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out);
        Assert.Empty(await ChannelPoliciesAsync(admin));
    }

    [Fact]
    public async Task Rejected_token_fails_closed_and_nothing_is_applied()
    {
        await using var admin = await AdminAsync();
        admin.ExtraEnvironment["DISCORD_BOT_TOKEN"] = "not-the-sandbox-token";
        var file = admin.WriteFile("policy.json", File(Entry("channel", DemoGuild.SupportChannelId)));

        var result = await admin.RunAsync("policies", "apply", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("Discord rejected the bot token (401 Unauthorized)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-sandbox-token", result.Error, StringComparison.Ordinal);
        Assert.Empty(await ChannelPoliciesAsync(admin));
    }
}
