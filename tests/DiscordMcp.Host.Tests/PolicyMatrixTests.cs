using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DiscordMcp.Discord.Client;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests;

/// <summary>Counts every request the host's Discord client sends.</summary>
internal sealed class DiscordRequestCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);

    public sealed class Handler(DiscordRequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Increment();
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The matrix on the default storage: SQLite (a fresh file per test) and in-memory rate limits.</summary>
public sealed class PolicyMatrixTests : PolicyMatrixTestsBase;

/// <summary>
/// The same matrix on PostgreSQL (a fresh database per test) and Redis (rate limits, pending actions), the services
/// scripts/test.sh starts; fails (never skips) without them.
/// </summary>
public sealed class PolicyMatrixTestsOnPostgresRedis : PolicyMatrixTestsBase
{
    private string? _database;

    protected override async Task<Dictionary<string, string?>> StorageAsync()
    {
        // Redis first: it also checks that both connection strings are set before anything is created.
        var redis = await SharedServices.FreshRedisUrlAsync(SharedServices.PolicyMatrixRedisDatabase);
        _database = "dmcp_matrix_" + Guid.NewGuid().ToString("N");
        return new() { ["DATABASE_URL"] = SharedServices.PostgresUrl(_database), ["REDIS_URL"] = redis };
    }

    protected override async Task AssertStorageAsync(IServiceProvider services)
    {
        Assert.Equal("RedisRateLimiter", services.GetRequiredService<IRateLimiter>().GetType().Name);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(SharedServices.Postgres) { Database = _database, Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM audit_events", connection);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1, "the audited call is not in this test's PostgreSQL database");
    }

    protected override async Task DropStorageAsync()
    {
        if (_database is null)
            return;
        if (SecretScan.Sink is not null)
        {
            var own = new Npgsql.NpgsqlConnectionStringBuilder(SharedServices.Postgres) { Database = _database, Pooling = false };
            await using var ownConnection = new Npgsql.NpgsqlConnection(own.ConnectionString);
            await ownConnection.OpenAsync();
            await SecretScan.RecordDatabaseRowsAsync(ownConnection, "Host.Tests PolicyMatrix postgres");
        }
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(SharedServices.Postgres) { Database = "postgres", Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// The end-to-end matrix over HTTP with the sandbox (auth on): each layer denies in turn with its reason code, nothing
/// is sent to Discord for the denied call, and the denial is in the audit log. Plus tenant isolation between workspaces.
/// Runs once per storage (the derived classes).
/// </summary>
public abstract class PolicyMatrixTestsBase : IAsyncLifetime
{
    private const string OtherGuild = "1400000000000000001";
    private const ulong ReadMessageHistory = 1UL << 16;
    private const ulong ViewChannel = 1UL << 10;
    private static readonly ulong DemoGuildId = ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture);
    private readonly DiscordRequestCounter _discord = new();
    private WebApplication _app = null!;
    private Uri _mcpUrl = null!;
    private IPlatformStore _store = null!;
    private ulong _otherGuildId;

    /// <summary>Storage variables (DATABASE_URL, REDIS_URL) for the host; none = SQLite in the test's data directory, in-memory limits.</summary>
    protected virtual Task<Dictionary<string, string?>> StorageAsync() => Task.FromResult(new Dictionary<string, string?>());

    /// <summary>Checks that the host really runs on this class's storage (after one audited call).</summary>
    protected virtual Task AssertStorageAsync(IServiceProvider services)
    {
        Assert.Equal("InMemoryRateLimiter", services.GetRequiredService<IRateLimiter>().GetType().Name);
        return Task.CompletedTask;
    }

    /// <summary>Removes what <see cref="StorageAsync"/> created outside the data directory.</summary>
    protected virtual Task DropStorageAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var environment = await StorageAsync();
        environment["ALLOWED_GUILD_IDS"] = $"{DemoGuild.GuildId},{OtherGuild}";
        _app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false, environment: environment),
            configureServices: services => services.AddSecretScanCapture("Host.Tests PolicyMatrixTests")
                .AddHttpClient(DiscordClientServiceCollectionExtensions.HttpClientName)
                .AddHttpMessageHandler(() => new DiscordRequestCounter.Handler(_discord)));
        await _app.StartAsync();
        _mcpUrl = new Uri(_app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath);
        _store = _app.Services.GetRequiredService<IPlatformStore>();
        var sandbox = _app.Services.GetRequiredService<SandboxHost>();
        Assert.Equal(OtherGuild, sandbox.State.AddGuild("Tenant B", DemoGuild.AdminUserId, id: OtherGuild));
        _otherGuildId = ulong.Parse(OtherGuild, CultureInfo.InvariantCulture);
        // ALLOWED_GUILD_IDS lists it (so the tools' guild scope knows it) and start-up installed it into 'default'; move it out.
        Assert.True(await _store.UninstallGuildAsync("default", _otherGuildId, CancellationToken.None));
        await DenyBotPermissionAsync(sandbox, DemoGuild.DeploymentsChannelId, ReadMessageHistory);
        await DenyBotPermissionAsync(sandbox, DemoGuild.IncidentsChannelId, ViewChannel);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) // null when InitializeAsync failed early (e.g. the services are not set)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await DropStorageAsync();
    }

    [Fact]
    public async Task The_host_runs_on_the_storage_of_this_matrix()
    {
        await using var client = await ConnectAsync(DiscordMcpHttpHost.SandboxApiKey(_app.Services)!);
        Assert.True((await CallAsync(client, "discord_list_roles", new() { ["guild_id"] = DemoGuild.GuildId })).IsError != true);

        await AssertStorageAsync(_app.Services);
    }

    [Fact]
    public async Task Without_a_key_mcp_answers_401_pointing_at_the_protected_resource_metadata()
    {
        using var http = new HttpClient();
        using var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _mcpUrl) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("Bearer", challenge, StringComparison.Ordinal);
        Assert.Contains("resource_metadata", challenge, StringComparison.Ordinal);
        Assert.Contains("/.well-known/oauth-protected-resource/mcp", challenge, StringComparison.Ordinal);

        using var metadata = await http.GetAsync(new Uri(_mcpUrl, "/.well-known/oauth-protected-resource/mcp"));
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        using var json = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync());
        Assert.EndsWith("/mcp", json.RootElement.GetProperty("resource").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _discord.Count);
    }

    [Fact]
    public async Task A_malformed_or_unknown_key_is_401()
    {
        foreach (var key in new[] { "not-a-key", ApiKeys.Generate().Key })
        {
            var ex = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(key));
            Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        }
    }

    [Fact]
    public async Task The_sandbox_admin_key_reads_the_demo_guild_and_the_read_is_audited()
    {
        var key = DiscordMcpHttpHost.SandboxApiKey(_app.Services);
        Assert.NotNull(key);
        await using var client = await ConnectAsync(key);

        var result = await CallAsync(client, "discord_list_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#general" });

        Assert.True(result.IsError != true, Text(result));
        var events = await AuditAsync("discord_list_messages", AuditDecision.Allowed);
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Executed && e.ChannelId == ulong.Parse(DemoGuild.GeneralChannelId, CultureInfo.InvariantCulture));
    }

    public static TheoryData<string> Layers() => ["other_workspace", "guild_not_installed", "toolset_not_in_scope", "tool_denied", "channel_policy_denied", "bot_missing_permission", "rate_limited"];

    [Fact]
    public async Task A_channel_the_bot_cannot_view_is_denied_as_a_missing_permission_not_a_foreign_id()
    {
        var key = await IssueKeyAsync("default", PlatformRole.Admin);
        await using (var warm = await ConnectAsync(key))
            Assert.True((await CallAsync(warm, "discord_list_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.GeneralChannelId })).IsError != true);
        await using var client = await ConnectAsync(key);
        var before = _discord.Count;

        var result = await CallAsync(client, "discord_list_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.IncidentsChannelId });

        Assert.True(result.IsError, Text(result));
        Assert.Contains("(bot_missing_permission)", Text(result), StringComparison.Ordinal);
        Assert.Contains("View Channel", Text(result), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, _discord.Count);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public async Task Each_layer_denies_in_turn_with_its_reason_code_nothing_sent_to_discord_and_the_denial_audited(string reason)
    {
        // Warm the bot-permission cache with one allowed call, so the denied call below needs no Discord request at all.
        await using (var warm = await ConnectAsync(DiscordMcpHttpHost.SandboxApiKey(_app.Services)!))
            Assert.True((await CallAsync(warm, "discord_list_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.GeneralChannelId })).IsError != true);

        var tool = "discord_list_messages";
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.GeneralChannelId };
        string key;
        switch (reason)
        {
            case "other_workspace":
                key = await IssueKeyAsync(await NewWorkspaceAsync("tenant-x"), PlatformRole.Admin);
                reason = "guild_not_installed"; // another tenant's guild looks exactly like an unknown one
                break;
            case "guild_not_installed":
                key = await IssueKeyAsync("default", PlatformRole.Admin);
                args["guild_id"] = _otherGuildId.ToString(CultureInfo.InvariantCulture);
                args.Remove("channel");
                tool = "discord_list_channels";
                break;
            case "toolset_not_in_scope":
                key = await IssueKeyAsync("default", PlatformRole.Admin, scopes: ["guilds"]);
                break;
            case "tool_denied":
                key = await IssueKeyAsync("default", PlatformRole.Admin);
                await _store.SetToolPolicyAsync(new ToolPolicy("default", ToolPolicyTarget.Tool, "discord_list_roles", ToolMode.Deny), CancellationToken.None);
                tool = "discord_list_roles";
                args.Remove("channel");
                break;
            case "channel_policy_denied":
                key = await IssueKeyAsync("default", PlatformRole.Admin);
                await _store.SetChannelPolicyAsync(new ChannelPolicy(DemoGuildId, ChannelPolicyScope.Channel, ulong.Parse(DemoGuild.SupportChannelId, CultureInfo.InvariantCulture), Read: AccessRule.Deny), CancellationToken.None);
                args["channel"] = DemoGuild.SupportChannelId;
                break;
            case "bot_missing_permission":
                key = await IssueKeyAsync("default", PlatformRole.Admin);
                args["channel"] = DemoGuild.DeploymentsChannelId;
                break;
            case "rate_limited":
                var workspace = await NewWorkspaceAsync("tiny", new RateLimitSettings(1, 0.001, 1, 0.001, 100, 10, 10, 1));
                await _store.InstallGuildAsync(new GuildInstallation(_otherGuildId, workspace, DateTimeOffset.UtcNow), CancellationToken.None);
                key = await IssueKeyAsync(workspace, PlatformRole.Admin);
                args = new() { ["guild_id"] = _otherGuildId.ToString(CultureInfo.InvariantCulture) };
                tool = "discord_list_roles";
                await using (var first = await ConnectAsync(key))
                {
                    var spent = await CallAsync(first, tool, args); // spends the budget of 1
                    Assert.True(spent.IsError != true, Text(spent));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason));
        }

        await using var client = await ConnectAsync(key);
        var before = _discord.Count;

        var result = await CallAsync(client, tool, args);

        Assert.True(result.IsError, Text(result));
        Assert.Contains($"({reason})", Text(result), StringComparison.Ordinal);
        Assert.Contains("Denied by ", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _discord.Count);
        var denied = await AuditAsync(tool, AuditDecision.Denied);
        Assert.Contains(denied, e => e.ReasonCode == reason);
    }

    [Fact]
    public async Task A_key_revoked_mid_session_is_refused_on_the_next_request_and_cannot_reconnect()
    {
        var key = await IssueKeyAsync("default", PlatformRole.Admin);
        await using var client = await ConnectAsync(key);
        var record = (await _store.ListApiKeysAsync("default", CancellationToken.None)).First(k => key.Contains(k.LookupId, StringComparison.Ordinal));
        await _store.RevokeApiKeyAsync("default", record.Id, DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);
        var before = _discord.Count;

        var call = await Assert.ThrowsAnyAsync<HttpRequestException>(() => CallAsync(client, "discord_list_roles", new() { ["guild_id"] = DemoGuild.GuildId }));
        var connect = await Assert.ThrowsAnyAsync<HttpRequestException>(() => ConnectAsync(key));

        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, connect.StatusCode);
        Assert.Equal(before, _discord.Count);
    }

    [Fact]
    public async Task A_key_of_workspace_A_cannot_read_a_guild_installed_in_workspace_B_even_by_id()
    {
        var b = await NewWorkspaceAsync("tenant-b");
        await _store.InstallGuildAsync(new GuildInstallation(_otherGuildId, b, DateTimeOffset.UtcNow), CancellationToken.None);
        var keyA = await IssueKeyAsync("default", PlatformRole.Admin);
        var keyB = await IssueKeyAsync(b, PlatformRole.Viewer);
        var guildB = _otherGuildId.ToString(CultureInfo.InvariantCulture);

        await using (var a = await ConnectAsync(keyA))
        {
            foreach (var tool in new[] { "discord_get_guild", "discord_list_channels", "discord_list_roles", "discord_list_members", "discord_get_audit_log" })
            {
                var result = await CallAsync(a, tool, new() { ["guild_id"] = guildB });
                Assert.True(result.IsError, tool);
                Assert.Contains("(guild_not_installed)", Text(result), StringComparison.Ordinal);
                Assert.DoesNotContain("Tenant B", Text(result), StringComparison.Ordinal);
            }
        }
        await using (var bClient = await ConnectAsync(keyB))
        {
            var own = await CallAsync(bClient, "discord_list_channels", new() { ["guild_id"] = guildB });
            Assert.True(own.IsError != true, Text(own));
            var cross = await CallAsync(bClient, "discord_list_messages", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = DemoGuild.GeneralChannelId });
            Assert.Contains("(guild_not_installed)", Text(cross), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_of_workspace_A_sees_only_A_guilds_in_listing_name_resolution_and_the_one_guild_default()
    {
        var b = await NewWorkspaceAsync("tenant-b");
        await _store.InstallGuildAsync(new GuildInstallation(_otherGuildId, b, DateTimeOffset.UtcNow), CancellationToken.None);
        var keyA = await IssueKeyAsync("default", PlatformRole.Admin);
        var keyB = await IssueKeyAsync(b, PlatformRole.Viewer);

        await using (var a = await ConnectAsync(keyA))
        {
            var listed = Text(await CallAsync(a, "discord_list_guilds", []));
            Assert.Contains(DemoGuild.GuildId, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(OtherGuild, listed, StringComparison.Ordinal);
            Assert.DoesNotContain("Tenant B", listed, StringComparison.Ordinal);

            // Only one guild is A's, so guild_id may be omitted even though the bot is in two allowed guilds.
            var defaulted = await CallAsync(a, "discord_list_channels", []);
            Assert.True(defaulted.IsError != true, Text(defaulted));
            Assert.Contains(DemoGuild.GeneralChannelId, Text(defaulted), StringComparison.Ordinal);

            // B's guild name does not resolve for A, and the error lists A's guilds only.
            var byName = await CallAsync(a, "discord_list_roles", new() { ["guild_id"] = "Tenant B" });
            Assert.True(byName.IsError, Text(byName));
            Assert.DoesNotContain(OtherGuild, Text(byName), StringComparison.Ordinal);
            var unknown = await CallAsync(a, "discord_list_roles", new() { ["guild_id"] = "no such guild" });
            Assert.True(unknown.IsError, Text(unknown));
            Assert.DoesNotContain(OtherGuild, Text(unknown), StringComparison.Ordinal);
            Assert.DoesNotContain("Tenant B", Text(unknown), StringComparison.Ordinal);
        }
        await using (var bClient = await ConnectAsync(keyB))
        {
            var listed = Text(await CallAsync(bClient, "discord_list_guilds", []));
            Assert.Contains(OtherGuild, listed, StringComparison.Ordinal);
            Assert.DoesNotContain(DemoGuild.GuildId, listed, StringComparison.Ordinal);
            var byName = await CallAsync(bClient, "discord_list_roles", new() { ["guild_id"] = "Tenant B" });
            Assert.True(byName.IsError != true, Text(byName));
            var defaulted = await CallAsync(bClient, "discord_get_guild", []);
            Assert.True(defaulted.IsError != true, Text(defaulted));
            Assert.Contains(OtherGuild, Text(defaulted), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ids_of_workspace_B_passed_to_A_read_tools_are_denied_as_cross_guild_and_nothing_of_B_shows()
    {
        var sandbox = _app.Services.GetRequiredService<SandboxHost>();
        var userB = sandbox.State.AddUser("tenant-b-secret-user");
        sandbox.State.AddMember(OtherGuild, userB, []);
        var channelB = sandbox.State.AddChannel(OtherGuild, "tenant-b-secret-channel");
        var messageB = sandbox.State.PostMessageAsUser(channelB, userB, "tenant-b secret content")["id"]!.GetValue<string>();
        var b = await NewWorkspaceAsync("tenant-b");
        await _store.InstallGuildAsync(new GuildInstallation(_otherGuildId, b, DateTimeOffset.UtcNow), CancellationToken.None);
        var keyA = await IssueKeyAsync("default", PlatformRole.Admin);
        var a = DemoGuild.GuildId;
        var cases = new (string Tool, Dictionary<string, object?> Args)[]
        {
            ("discord_get_channel", new() { ["guild_id"] = a, ["channel"] = channelB }),
            ("discord_get_channel", new() { ["guild_id"] = a, ["channel"] = $"<#{channelB}>" }),
            ("discord_list_messages", new() { ["guild_id"] = a, ["channel"] = channelB }),
            ("discord_get_message", new() { ["guild_id"] = a, ["channel"] = channelB, ["message_id"] = messageB }),
            ("discord_get_message", new() { ["guild_id"] = a, ["channel"] = DemoGuild.GeneralChannelId, ["message_id"] = messageB }),
            ("discord_get_message", new() { ["guild_id"] = a, ["channel"] = "#general", ["message_id"] = messageB }),
            ("discord_explain_permissions", new() { ["guild_id"] = a, ["channel"] = channelB, ["permission"] = "read" }),
            ("discord_explain_permissions", new() { ["guild_id"] = a, ["channel"] = "#general", ["permission"] = "read", ["member"] = $"<@{userB}>" }),
            ("discord_get_member", new() { ["guild_id"] = a, ["user"] = userB }),
            ("discord_get_member", new() { ["user"] = $"<@!{userB}>" }),
        };

        await using var client = await ConnectAsync(keyA);
        foreach (var (tool, args) in cases)
        {
            var result = await CallAsync(client, tool, args);
            var text = Text(result);
            var label = $"{tool} {JsonSerializer.Serialize(args)}: {text}";
            Assert.True(result.IsError, label);
            Assert.Contains("(cross_guild_reference)", text, StringComparison.Ordinal);
            foreach (var secret in new[] { OtherGuild, "Tenant B", "tenant-b-secret-user", "tenant-b-secret-channel", "tenant-b secret content" })
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.Contains(await AuditAsync(tool, AuditDecision.Denied), e => e.ReasonCode == "cross_guild_reference");
        }
    }

    [Fact]
    public async Task Resources_read_only_guilds_of_the_reading_keys_workspace()
    {
        var b = await NewWorkspaceAsync("tenant-b");
        await _store.InstallGuildAsync(new GuildInstallation(_otherGuildId, b, DateTimeOffset.UtcNow), CancellationToken.None);
        var keyA = await IssueKeyAsync("default", PlatformRole.Viewer);
        await using var a = await ConnectAsync(keyA);

        var own = await a.ReadResourceAsync($"discord://guilds/{DemoGuild.GuildId}/channels");
        var foreign = await Assert.ThrowsAnyAsync<McpException>(async () => await a.ReadResourceAsync($"discord://guilds/{OtherGuild}/summary"));

        Assert.Contains(DemoGuild.GeneralChannelId, own.Contents.OfType<TextResourceContents>().Single().Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tenant B", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resource_reads_pass_the_policy_pipeline_audited_under_their_own_names()
    {
        var key = await IssueKeyAsync("default", PlatformRole.Viewer);
        await using var client = await ConnectAsync(key);

        await client.ReadResourceAsync($"discord://guilds/{DemoGuild.GuildId}/summary");
        Assert.Contains(await AuditAsync("resource:guild_summary", AuditDecision.Allowed), e => e.GuildId == DemoGuildId);

        // A tool policy on the resource's toolset governs it like a tool of that toolset.
        await _store.SetToolPolicyAsync(new ToolPolicy("default", ToolPolicyTarget.Toolset, "channels", ToolMode.Deny), CancellationToken.None);
        var denied = await Assert.ThrowsAnyAsync<McpException>(async () => await client.ReadResourceAsync($"discord://guilds/{DemoGuild.GuildId}/channels"));
        Assert.Contains("(tool_denied)", denied.Message, StringComparison.Ordinal);
        Assert.Contains(await AuditAsync("resource:guild_channels", AuditDecision.Denied), e => e.GuildId == DemoGuildId);
        await client.ReadResourceAsync($"discord://guilds/{DemoGuild.GuildId}/summary"); // the guilds toolset is still open
    }

    private async Task<McpClient> ConnectAsync(string key)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _mcpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> args) =>
        await client.CallToolAsync(tool, args);

    private static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private async Task<IReadOnlyList<AuditEvent>> AuditAsync(string tool, AuditDecision decision) =>
        await _app.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: tool, Decision: decision, Limit: 1000), CancellationToken.None);

    private async Task<string> NewWorkspaceAsync(string id, RateLimitSettings? limits = null)
    {
        await _store.CreateWorkspaceAsync(new Workspace(id, id, DateTimeOffset.UtcNow, limits), CancellationToken.None);
        return id;
    }

    private async Task<string> IssueKeyAsync(string workspace, PlatformRole role, IReadOnlyList<string>? scopes = null)
    {
        var generated = ApiKeys.Generate();
        var principal = "key:" + generated.LookupId;
        await _store.UpsertPrincipalAsync(new Principal(principal, PrincipalKind.ApiClient, "test"), CancellationToken.None);
        await _store.SetMembershipAsync(new WorkspaceMembership(workspace, principal, role, scopes), CancellationToken.None);
        await _store.CreateApiKeyAsync(new ApiKeyRecord(Guid.NewGuid().ToString("N"), workspace, principal, role, generated.LookupId, generated.SecretHash,
            DateTimeOffset.UtcNow, ToolsetScopes: scopes), CancellationToken.None);
        return generated.Key;
    }

    /// <summary>A channel overwrite on the bot's role that denies a permission, set through the sandbox's own REST API.</summary>
    private static async Task DenyBotPermissionAsync(SandboxHost sandbox, string channelId, ulong deny)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(sandbox.ApiBaseUrl, $"channels/{channelId}/permissions/{DemoGuild.BotRoleId}"))
        {
            Content = new StringContent($$"""{"type":0,"allow":"0","deny":"{{deny}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", sandbox.BotToken);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"overwrite: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed class NoAuthTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8000")]
    [InlineData("http://127.0.0.1:8000;http://192.168.1.5:8000")]
    [InlineData("http://example.com:8000")]
    public async Task No_auth_refuses_to_build_on_a_non_loopback_address(string urls)
    {
        var settings = TestHosts.Settings(sandbox: true) with { NoAuth = true, Urls = urls };

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => DiscordMcpHttpHost.BuildAsync(settings));

        Assert.Contains("--no-auth", ex.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:0")]
    [InlineData("http://[::1]:0")]
    public void No_auth_accepts_loopback_addresses(string urls) => DiscordMcpHttpHost.EnsureLoopback(urls);

    [Fact]
    public async Task Serve_sandbox_prints_the_admin_key_once_with_a_vs_code_configuration_and_never_logs_it()
    {
        using var console = new StringWriter();
        var logs = new LogCapture();
        var settings = TestHosts.Settings(sandbox: true, noAuth: false) with { Console = console };
        await using var app = await DiscordMcpHttpHost.BuildAsync(settings,
            configureServices: s => s.AddLogging(b => b.AddProvider(logs)));
        await app.StartAsync();
        var key = DiscordMcpHttpHost.SandboxApiKey(app.Services)!;
        await app.StopAsync();

        var printed = console.ToString();
        Assert.StartsWith("dmcp_", key, StringComparison.Ordinal);
        Assert.Contains("\"Authorization\": \"Bearer " + key + "\"", printed, StringComparison.Ordinal);
        Assert.Contains(".vscode/mcp.json", printed, StringComparison.Ordinal);
        Assert.Contains(app.Urls.Single().TrimEnd('/') + "/mcp", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, logs.Text, StringComparison.Ordinal);
    }
}
