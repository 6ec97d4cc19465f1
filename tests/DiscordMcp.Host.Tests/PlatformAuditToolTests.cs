using System.Globalization;
using System.Text.Json;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// <c>platform_list_audit_events</c> end to end over HTTP with the sandbox: two workspaces with their own guild and admin
/// keys, calls in both; each admin sees only its own workspace's events (also when naming the other's guild), a viewer or
/// operator is refused by the policy (platform tools need the admin role), filters narrow, bad arguments are named.
/// </summary>
public sealed class PlatformAuditToolTests : IAsyncLifetime
{
    private const string Tool = "platform_list_audit_events";
    private const string GuildB = "1400000000000000002";
    private const string WorkspaceA = "default";
    private const string WorkspaceB = "tenant-b";
    private WebApplication _app = null!;
    private Uri _mcpUrl = null!;
    private IPlatformStore _store = null!;
    private (string Key, string Principal) _adminA;
    private (string Key, string Principal) _adminB;

    public async Task InitializeAsync()
    {
        _app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false,
            environment: new Dictionary<string, string?> { ["ALLOWED_GUILD_IDS"] = $"{DemoGuild.GuildId},{GuildB}" }));
        await _app.StartAsync();
        _mcpUrl = new Uri(_app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath);
        _store = _app.Services.GetRequiredService<IPlatformStore>();
        var sandbox = _app.Services.GetRequiredService<SandboxHost>();
        Assert.Equal(GuildB, sandbox.State.AddGuild("Tenant B", DemoGuild.AdminUserId, id: GuildB));
        var guildB = ulong.Parse(GuildB, CultureInfo.InvariantCulture);
        Assert.True(await _store.UninstallGuildAsync(WorkspaceA, guildB, CancellationToken.None));
        await _store.CreateWorkspaceAsync(new Workspace(WorkspaceB, WorkspaceB, DateTimeOffset.UtcNow), CancellationToken.None);
        await _store.InstallGuildAsync(new GuildInstallation(guildB, WorkspaceB, DateTimeOffset.UtcNow), CancellationToken.None);
        _adminA = await IssueKeyAsync(WorkspaceA, PlatformRole.Admin);
        _adminB = await IssueKeyAsync(WorkspaceB, PlatformRole.Admin);

        // Calls in both workspaces: A reads its guild and is denied B's; B reads its own guild twice.
        await using (var a = await ConnectAsync(_adminA.Key))
        {
            Assert.True((await a.CallToolAsync("discord_list_roles", new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId })).IsError != true);
            Assert.True((await a.CallToolAsync("discord_list_channels", new Dictionary<string, object?> { ["guild_id"] = GuildB })).IsError);
        }
        await using (var b = await ConnectAsync(_adminB.Key))
        {
            Assert.True((await b.CallToolAsync("discord_list_roles", new Dictionary<string, object?> { ["guild_id"] = GuildB })).IsError != true);
            Assert.True((await b.CallToolAsync("discord_get_guild", new Dictionary<string, object?> { ["guild_id"] = GuildB })).IsError != true);
        }
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_sees_only_its_own_workspaces_events_newest_first()
    {
        var (list, text) = await ListAsync(_adminA.Key, new() { ["limit"] = 200 });

        Assert.Equal(WorkspaceA, list.GetProperty("workspace_id").GetString());
        var events = Events(list);
        Assert.NotEmpty(events);
        Assert.DoesNotContain(events, e => e.GetProperty("principal_id").GetString() == _adminB.Principal);
        Assert.DoesNotContain(events, e => e.GetProperty("tool").GetString() == "discord_get_guild");
        Assert.Contains(events, e => e.GetProperty("principal_id").GetString() == _adminA.Principal
            && e.GetProperty("tool").GetString() == "discord_list_roles" && e.GetProperty("outcome").GetString() == "executed");
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.DoesNotContain(_adminB.Principal, text, StringComparison.Ordinal);
        Assert.Equal(events.Count + 1, text.Split('\n').Length); // a header, then one line per event

        // And the other way round: B's admin sees B's calls, none of A's.
        var (listB, _) = await ListAsync(_adminB.Key, new() { ["limit"] = 200 });
        var eventsB = Events(listB);
        Assert.Equal(WorkspaceB, listB.GetProperty("workspace_id").GetString());
        Assert.Contains(eventsB, e => e.GetProperty("tool").GetString() == "discord_get_guild");
        Assert.All(eventsB, e => Assert.NotEqual(_adminA.Principal, e.GetProperty("principal_id").GetString()));
    }

    [Fact]
    public async Task Passing_the_other_workspaces_guild_id_shows_only_the_callers_own_events_about_it()
    {
        var (list, _) = await ListAsync(_adminA.Key, new() { ["guild_id"] = GuildB });

        var only = Assert.Single(Events(list));
        Assert.Equal(_adminA.Principal, only.GetProperty("principal_id").GetString());
        Assert.Equal("discord_list_channels", only.GetProperty("tool").GetString());
        Assert.Equal("denied", only.GetProperty("decision").GetString());
        Assert.Equal("guild_not_installed", only.GetProperty("reason_code").GetString());
        Assert.Equal(GuildB, only.GetProperty("guild_id").GetString());
    }

    [Theory]
    [InlineData(PlatformRole.Viewer)]
    [InlineData(PlatformRole.Operator)]
    public async Task A_viewer_or_operator_is_refused_by_the_policy_and_the_refusal_is_audited(PlatformRole role)
    {
        var (key, principal) = await IssueKeyAsync(WorkspaceA, role);
        await using var client = await ConnectAsync(key);

        var result = await client.CallToolAsync(Tool, new Dictionary<string, object?>());

        Assert.True(result.IsError);
        Assert.Contains("Denied by platform_permission (platform_permission_denied)", Text(result), StringComparison.Ordinal);
        Assert.Contains("'admin'", Text(result), StringComparison.Ordinal);
        Assert.Null(result.StructuredContent);
        var audit = await _app.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(PrincipalId: principal, Tool: Tool), CancellationToken.None);
        var denied = Assert.Single(audit);
        Assert.Equal(AuditDecision.Denied, denied.Decision);
        Assert.Null(denied.GuildId); // a platform tool is guild-less
    }

    [Fact]
    public async Task The_admins_own_call_of_the_tool_needs_no_guild_and_is_audited_in_its_workspace()
    {
        await ListAsync(_adminA.Key, new());

        var audit = await _app.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(PrincipalId: _adminA.Principal, Tool: Tool), CancellationToken.None);
        Assert.Contains(audit, e => e.Outcome == AuditOutcome.Executed && e.WorkspaceId == WorkspaceA && e.GuildId is null);
    }

    [Fact]
    public async Task Filters_narrow_by_decision_tool_category_time_and_limit()
    {
        var (denied, _) = await ListAsync(_adminA.Key, new() { ["decision"] = "denied" });
        Assert.NotEmpty(Events(denied));
        Assert.All(Events(denied), e => Assert.Equal("denied", e.GetProperty("decision").GetString()));

        var (byTool, _) = await ListAsync(_adminA.Key, new() { ["tool"] = "discord_list_roles" });
        Assert.NotEmpty(Events(byTool));
        Assert.All(Events(byTool), e => Assert.Equal("discord_list_roles", e.GetProperty("tool").GetString()));

        var (channels, _) = await ListAsync(_adminA.Key, new() { ["category"] = "channels" });
        Assert.Contains(Events(channels), e => e.GetProperty("tool").GetString() == "discord_list_channels");
        Assert.All(Events(channels), e => Assert.StartsWith("discord_", e.GetProperty("tool").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain(Events(channels), e => e.GetProperty("tool").GetString() == "discord_list_roles");

        var (one, oneText) = await ListAsync(_adminA.Key, new() { ["limit"] = 1 });
        Assert.Single(Events(one));
        Assert.True(one.GetProperty("more").GetBoolean());
        Assert.Contains("older ones exist", oneText, StringComparison.Ordinal);

        var (future, futureText) = await ListAsync(_adminA.Key, new() { ["since"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O", CultureInfo.InvariantCulture) });
        Assert.Empty(Events(future));
        Assert.Equal($"No audit events of workspace '{WorkspaceA}' match.", futureText);

        var (past, _) = await ListAsync(_adminA.Key, new() { ["until"] = "2000-01-01" });
        Assert.Empty(Events(past));
    }

    [Theory]
    [InlineData("limit", 500, "limit must be between 1 and 200 (default 50); got 500.")]
    [InlineData("decision", "maybe", "decision 'maybe' is not a decision; use one of: allowed, denied, dry_run, pending, approved, rejected.")]
    [InlineData("since", "last tuesday", "since 'last tuesday' is not an ISO-8601 time")]
    [InlineData("category", "weather", "category 'weather' is not a toolset")]
    [InlineData("guild_id", "Tenant B", "guild_id 'Tenant B' is not a numeric guild id")]
    [InlineData("workspace", "tenant-b", "Unknown argument 'workspace' for platform_list_audit_events")]
    public async Task Bad_arguments_give_an_error_naming_the_field(string name, object value, string expected)
    {
        await using var client = await ConnectAsync(_adminA.Key);

        var result = await client.CallToolAsync(Tool, new Dictionary<string, object?> { [name] = value });

        Assert.True(result.IsError);
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
    }

    private async Task<(JsonElement List, string Text)> ListAsync(string key, Dictionary<string, object?> args)
    {
        await using var client = await ConnectAsync(key);
        var result = await client.CallToolAsync(Tool, args);
        Assert.True(result.IsError != true, Text(result));
        return (JsonSerializer.SerializeToElement(result.StructuredContent), Text(result));
    }

    private static List<JsonElement> Events(JsonElement list) => [.. list.GetProperty("events").EnumerateArray()];

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private async Task<McpClient> ConnectAsync(string key)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _mcpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    private async Task<(string Key, string Principal)> IssueKeyAsync(string workspace, PlatformRole role)
    {
        var generated = ApiKeys.Generate();
        var principal = "key:" + generated.LookupId;
        await _store.UpsertPrincipalAsync(new Principal(principal, PrincipalKind.ApiClient, "test"), CancellationToken.None);
        await _store.SetMembershipAsync(new WorkspaceMembership(workspace, principal, role, null), CancellationToken.None);
        await _store.CreateApiKeyAsync(new ApiKeyRecord(Guid.NewGuid().ToString("N"), workspace, principal, role, generated.LookupId, generated.SecretHash,
            DateTimeOffset.UtcNow), CancellationToken.None);
        return (generated.Key, principal);
    }
}
