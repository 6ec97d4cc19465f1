using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands;
using DiscordMcp.Host.Tests.Admin;
using DiscordMcp.Mcp;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests.Doctor;

/// <summary>
/// <c>discord-mcp doctor</c> and <c>invite-url</c> run in-process through the CLI entry against a real in-process sandbox
/// (the demo guild) and a fresh SQLite database.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the fixture through IAsyncLifetime.DisposeAsync.")]
public sealed class DoctorCommandTests : IAsyncLifetime
{
    private SandboxHost _sandbox = null!;
    private AdminFixture _admin = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync();
        _admin = new AdminFixture("sqlite");
        Assert.Equal(0, (await _admin.RunAsync("guilds", "install", DemoGuild.GuildId, "--workspace", "default")).Exit);
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private Dictionary<string, string?> Environment(SandboxHost? sandbox = null, string? token = null)
    {
        sandbox ??= _sandbox;
        var environment = new Dictionary<string, string?>(_admin.Environment)
        {
            ["DISCORD_BOT_TOKEN"] = token ?? sandbox.BotToken,
            ["Discord__BaseUrl"] = sandbox.ApiBaseUrl.ToString(),
        };
        return environment;
    }

    internal static async Task<(int Exit, string Out, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, TimeProvider? time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var commands = new[] { DoctorCommand.Create(time ?? TimeProvider.System), InviteUrlCommand.Definition };
        var exit = await CommandLine.RunAsync(args, commands, new CliContext(output, error, environment), _ => null);
        return (exit, output.ToString(), error.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string[] Lines(string text, string status) =>
        [.. text.Split('\n').Where(l => l.StartsWith($"[{status}", StringComparison.Ordinal))];

    [Fact]
    public async Task Healthy_sandbox_setup_passes_with_a_line_for_each_check()
    {
        var result = await RunAsync(Environment(), null, "doctor");

        Assert.True(result.Exit == 0, result.Out + result.Error);
        Assert.Empty(Lines(result.Out, "FAIL"));
        foreach (var check in new[] { "toolsets", "database", "redis", "token", "clock", "intents", "guilds", "installed" })
            Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("[OK  ] " + check, StringComparison.Ordinal));
        Assert.Contains("the bot is DiscordMCP", result.Out, StringComparison.Ordinal);
        Assert.Contains($"DiscordMCP Demo ({DemoGuild.GuildId})", result.Out, StringComparison.Ordinal);
        // The sandbox bot has no Manage Server: the guilds and invites toolsets are warned about, nothing fails.
        Assert.Contains("toolset guilds lacks Manage Guild guild-wide", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Toolsets_the_sandbox_bot_fully_supports_give_no_warning()
    {
        var environment = Environment();
        environment["TOOLSETS"] = "channels,messages,webhooks,threads,roles";

        var result = await RunAsync(environment, null, "doctor", "--strict");

        Assert.True(result.Exit == 0, result.Out);
        Assert.Empty(Lines(result.Out, "WARN"));
        Assert.Contains("[OK  ] permissions DiscordMCP Demo", result.Out, StringComparison.Ordinal);
        Assert.Contains("Everything checked is fine.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manage_Webhooks_denied_in_deployments_is_reported_with_channel_permission_toolset_and_fix()
    {
        await DenyBotPermissionAsync(DemoGuild.DeploymentsChannelId, DiscordPermissions.ManageWebhooks);
        var environment = Environment();
        environment["TOOLSETS"] = "channels,messages,webhooks,threads,roles";

        var result = await RunAsync(environment, null, "doctor");
        var strict = await RunAsync(environment, null, "doctor", "--strict");

        Assert.Equal(0, result.Exit); // a warning: every other channel and toolset still works
        Assert.Equal(1, strict.Exit);
        var warning = Assert.Single(Lines(result.Out, "WARN"));
        Assert.Contains($"toolset webhooks lacks Manage Webhooks in #deployments ({DemoGuild.DeploymentsChannelId}): a channel overwrite denies it", warning, StringComparison.Ordinal);
        var fix = result.Out.Split('\n').SkipWhile(l => l != warning).Skip(1).First();
        Assert.Contains("fix: in #deployments → Edit Channel → Permissions, allow Manage Webhooks for the bot's role", fix, StringComparison.Ordinal);

        // Without the webhooks toolset the overwrite does not matter.
        environment["TOOLSETS"] = "channels,messages";
        Assert.Empty(Lines((await RunAsync(environment, null, "doctor")).Out, "WARN"));
    }

    [Fact]
    public async Task Json_output_lists_each_check_with_status_and_fix()
    {
        await DenyBotPermissionAsync(DemoGuild.DeploymentsChannelId, DiscordPermissions.ManageWebhooks);
        var environment = Environment();
        environment["TOOLSETS"] = "webhooks";

        var result = await RunAsync(environment, null, "doctor", "--json");

        Assert.Equal(0, result.Exit);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("warn", json.RootElement.GetProperty("status").GetString());
        var warn = Assert.Single(json.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("status").GetString() == "warn");
        Assert.Contains("#deployments", warn.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Manage Webhooks", warn.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_token_fails_without_printing_the_token()
    {
        const string token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GzZzZz.doctor-wrong-token-value-0123456789";

        var result = await RunAsync(Environment(token: token), null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[FAIL] token", result.Out, StringComparison.Ordinal);
        Assert.Contains("Discord refused the bot token (401 Unauthorized)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Reset Token", result.Out, StringComparison.Ordinal);
        foreach (var part in new[] { token, token[..10], "doctor-wrong-token", "GzZzZz" })
        {
            Assert.DoesNotContain(part, result.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(part, result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Missing_token_fails_naming_the_variable()
    {
        var environment = Environment();
        environment.Remove("DISCORD_BOT_TOKEN");

        var result = await RunAsync(environment, null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[FAIL] token", result.Out, StringComparison.Ordinal);
        Assert.Contains("DISCORD_BOT_TOKEN is not set", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_skew_beyond_five_seconds_is_a_warning_with_the_fix()
    {
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2));
        var inTime = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var skewed = await RunAsync(Environment(), ahead, "doctor");
        var fine = await RunAsync(Environment(), inTime, "doctor");

        Assert.Equal(0, skewed.Exit);
        var line = Assert.Single(skewed.Out.Split('\n'), l => l.StartsWith("[WARN] clock", StringComparison.Ordinal));
        Assert.Matches(@"clock is 1[12]\d s ahead of Discord's \(limit 5 s\)", line);
        Assert.Contains("NTP", skewed.Out, StringComparison.Ordinal);
        Assert.Contains(fine.Out.Split('\n'), l => l.StartsWith("[OK  ] clock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bot_in_no_installed_guild_fails()
    {
        Assert.Equal(0, (await _admin.RunAsync("guilds", "uninstall", DemoGuild.GuildId)).Exit);
        Assert.Equal(0, (await _admin.RunAsync("guilds", "install", "999", "--workspace", "default")).Exit);

        var result = await RunAsync(Environment(), null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[WARN] installed", result.Out, StringComparison.Ordinal);
        Assert.Contains("guild 999 is installed in workspace 'default' but the bot is not in it", result.Out, StringComparison.Ordinal);
        Assert.Contains("the bot is in none of the installed guilds", result.Out, StringComparison.Ordinal);
        Assert.Contains($"discord-mcp guilds install {DemoGuild.GuildId} --workspace default", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_without_the_message_content_intent_fails()
    {
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { AllowedPrivilegedIntents = (1 << 1) | (1 << 8) });
        var environment = Environment(sandbox);
        environment["AGENT_ENABLED"] = "true";

        var result = await RunAsync(environment, null, "doctor");
        var withIntent = Environment();
        withIntent["AGENT_ENABLED"] = "true";
        var passing = await RunAsync(withIntent, null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[FAIL] intents", result.Out, StringComparison.Ordinal);
        Assert.Contains("Message Content Intent", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"\[OK  \] intents +Message Content \(needed by the agent\) is enabled", passing.Out);
    }

    [Fact]
    public async Task Pending_migrations_fail_and_say_how_to_apply_them()
    {
        await _admin.ExecuteSqlAsync("""DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory")""");

        var result = await RunAsync(Environment(), null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[FAIL] migrations", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 migration(s) not applied to the sqlite database", result.Out, StringComparison.Ordinal);
        Assert.Contains("start the server once", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgres_and_redis_fail_without_their_passwords()
    {
        var environment = Environment();
        environment["DATABASE_URL"] = $"postgres://dmcp:pg-secret-pw@127.0.0.1:{FreePort()}/dmcp";
        environment["REDIS_URL"] = $"redis://:redis-secret-pw@127.0.0.1:{FreePort()}";

        var result = await RunAsync(environment, null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("[FAIL] database", result.Out, StringComparison.Ordinal);
        Assert.Contains("cannot use the postgresql database at 127.0.0.1:", result.Out, StringComparison.Ordinal);
        Assert.Contains("[FAIL] redis", result.Out, StringComparison.Ordinal);
        Assert.Contains("cannot reach Redis at 127.0.0.1:", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_sqlite_database_fails_with_how_to_create_it()
    {
        var environment = Environment();
        environment["DATABASE_URL"] = "sqlite://" + Path.Combine(Path.GetTempPath(), "dmcp-doctor-missing-" + Guid.NewGuid().ToString("N"), "none.db");

        var result = await RunAsync(environment, null, "doctor");

        Assert.Equal(1, result.Exit);
        Assert.Contains("the database file does not exist yet", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(environment["DATABASE_URL"]![9..]), "doctor must not create the database");
    }

    // invite-url

    private static DiscordPermissions CatalogUnion(Func<ToolInfo, bool> enabled) =>
        DiscordMcpRegistration.Catalog().Where(enabled).Aggregate(DiscordPermissions.None, (a, t) => a | t.BotPermissions);

    private static ulong PermissionsOf(string url)
    {
        var query = url.Trim()[(url.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&').ToDictionary(p => p.Split('=')[0], p => p.Split('=')[1]);
        Assert.Equal("bot+applications.commands", query["scope"]);
        return ulong.Parse(query["permissions"], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Invite_url_asks_for_the_union_the_catalog_derives_for_the_configured_toolsets()
    {
        var environment = new Dictionary<string, string?> { ["DISCORD_CLIENT_ID"] = "1300000000000000099", ["TOOLSETS"] = "webhooks" };

        var webhooks = await RunAsync(environment, null, "invite-url");
        environment["TOOLSETS"] = "webhooks,moderation";
        var both = await RunAsync(environment, null, "invite-url");
        environment["READ_ONLY"] = "true";
        var readOnly = await RunAsync(environment, null, "invite-url");

        Assert.Equal(0, webhooks.Exit);
        Assert.StartsWith("https://discord.com/oauth2/authorize?client_id=1300000000000000099&scope=bot+applications.commands&permissions=", webhooks.Out, StringComparison.Ordinal);
        Assert.Single(webhooks.Out.Trim().Split('\n')); // the URL alone on stdout
        Assert.Equal((ulong)CatalogUnion(t => t.Toolset == "webhooks"), PermissionsOf(webhooks.Out));
        Assert.Equal((ulong)DiscordPermissions.ManageWebhooks, PermissionsOf(webhooks.Out));
        Assert.Contains("Permissions (536870912): Manage Webhooks", webhooks.Error, StringComparison.Ordinal);

        var expectedBoth = CatalogUnion(t => t.Toolset is "webhooks" or "moderation");
        Assert.Equal((ulong)expectedBoth, PermissionsOf(both.Out));
        Assert.True(expectedBoth.HasFlag(DiscordPermissions.ManageMessages));

        var expectedReadOnly = CatalogUnion(t => t.Toolset is "webhooks" or "moderation" && t.ReadOnly);
        Assert.Equal((ulong)expectedReadOnly, PermissionsOf(readOnly.Out));
        Assert.False(expectedReadOnly.HasFlag(DiscordPermissions.ManageMessages)); // only bulk/single deletes need it
    }

    [Fact]
    public async Task Invite_url_adds_what_the_gateway_needs_when_it_is_on()
    {
        var environment = new Dictionary<string, string?> { ["DISCORD_CLIENT_ID"] = "1300000000000000099", ["TOOLSETS"] = "webhooks", ["ENABLE_GATEWAY"] = "true" };

        var result = await RunAsync(environment, null, "invite-url");

        var expected = DiscordPermissions.ManageWebhooks | DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages | DiscordPermissions.SendMessagesInThreads
            | DiscordPermissions.ReadMessageHistory | DiscordPermissions.EmbedLinks | DiscordPermissions.AddReactions;
        Assert.Equal((ulong)expected, PermissionsOf(result.Out));
        Assert.Contains("gateway: Add Reactions, View Channel, Send Messages, Embed Links, Read Message History, Send Messages In Threads", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_url_takes_the_application_id_from_discord_without_DISCORD_CLIENT_ID()
    {
        var environment = Environment();
        environment["TOOLSETS"] = "webhooks";

        var result = await RunAsync(environment, null, "invite-url");

        Assert.Equal(0, result.Exit);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sandbox.ApiBaseUrl, "applications/@me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _sandbox.BotToken);
        using var response = await http.SendAsync(request);
        using var application = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains($"client_id={application.RootElement.GetProperty("id").GetString()}&", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_sandbox.BotToken, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_url_without_client_id_or_token_names_DISCORD_CLIENT_ID()
    {
        var result = await RunAsync(new Dictionary<string, string?>(), null, "invite-url");

        Assert.Equal(CommandLine.UsageError, result.Exit);
        Assert.Empty(result.Out);
        Assert.Contains("Set DISCORD_CLIENT_ID to the application id", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A channel overwrite on the bot's role that denies a permission, set through the sandbox's own REST API.</summary>
    private async Task DenyBotPermissionAsync(string channelId, DiscordPermissions deny)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_sandbox.ApiBaseUrl, $"channels/{channelId}/permissions/{DemoGuild.BotRoleId}"))
        {
            Content = new StringContent($$"""{"type":0,"allow":"0","deny":"{{(ulong)deny}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _sandbox.BotToken);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"overwrite: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
