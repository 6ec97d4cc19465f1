using System.Text.Json;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands.Admin;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Storage;
using DiscordMcp.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DiscordMcp.Host.Tests.Admin;

/// <summary>
/// A fresh database (a temporary SQLite file, or a new PostgreSQL database on the server of
/// <c>ConnectionStrings__Postgres</c>) and a way to run admin commands in-process against it.
/// </summary>
internal sealed class AdminFixture : IAsyncDisposable
{
    private static readonly IReadOnlyList<CommandSpec> Commands =
        [WorkspacesCommand.Definition, KeysCommand.Definition, GuildsCommand.Definition, PoliciesCommand.Definition, AuditCommand.Definition, ApprovalsCommand.Definition, WebhooksCommand.Definition];

    private readonly string _directory = Directory.CreateTempSubdirectory("dmcp-admin-").FullName;
    private readonly string? _postgresDatabase;
    private readonly string? _postgresServer;

    public AdminFixture(string provider)
    {
        if (provider == "postgres")
        {
            _postgresServer = PostgresServer ?? throw new InvalidOperationException("ConnectionStrings__Postgres is not set.");
            _postgresDatabase = "dmcp_admin_" + Guid.NewGuid().ToString("N");
        }
    }

    /// <summary>The PostgreSQL server scripts/test.sh starts, or null (then only SQLite cases run).</summary>
    public static string? PostgresServer => System.Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") is { Length: > 0 } v ? v : null;

    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (PostgresServer is not null)
            data.Add("postgres");
        return data;
    }

    public string DatabasePath => Path.Combine(_directory, "admin.db");

    /// <summary>The fresh PostgreSQL database's name, or null on SQLite.</summary>
    public string? PostgresDatabase => _postgresDatabase;

    private string PostgresConnectionString =>
        new NpgsqlConnectionStringBuilder(_postgresServer) { Database = _postgresDatabase, Pooling = false }.ConnectionString;

    /// <summary>More variables for the commands' environment (e.g. a bot token and a Discord base URL).</summary>
    public Dictionary<string, string?> ExtraEnvironment { get; } = [];

    public Dictionary<string, string?> Environment
    {
        get
        {
            var environment = new Dictionary<string, string?>(ExtraEnvironment)
            {
                ["DATABASE_URL"] = _postgresDatabase is null ? $"sqlite://{DatabasePath}" : PostgresConnectionString,
            };
            return environment;
        }
    }

    public async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, Commands, new CliContext(output, error, Environment), _ => null);
        return (exit, output.ToString(), error.ToString());
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The same storage the commands use, for arranging and checking state.</summary>
    public async Task<ServiceProvider> OpenStorageAsync()
    {
        var configuration = HostConfiguration.Load(new HostSettings { Environment = Environment, UseAppSettingsFile = false });
        var provider = new ServiceCollection().AddDiscordMcpStorage(configuration).BuildServiceProvider();
        await provider.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        return provider;
    }

    /// <summary>Raw SQL behind the application's back (tampering). Identifiers are double-quoted for both engines.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        System.Data.Common.DbConnection connection = _postgresDatabase is null
            ? new SqliteConnection($"Data Source={DatabasePath}")
            : new NpgsqlConnection(PostgresConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (SecretScan.Sink is not null && (_postgresDatabase is not null || File.Exists(DatabasePath)))
        {
            System.Data.Common.DbConnection connection = _postgresDatabase is null
                ? new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly")
                : new NpgsqlConnection(PostgresConnectionString);
            await using (connection)
            {
                await connection.OpenAsync();
                await SecretScan.RecordDatabaseRowsAsync(connection, "Host.Tests AdminCli " + (_postgresDatabase is null ? "sqlite" : "postgres"));
            }
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (_postgresDatabase is not null)
        {
            var admin = new NpgsqlConnectionStringBuilder(_postgresServer) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Admin commands run in-process on SQLite, and on PostgreSQL when <c>ConnectionStrings__Postgres</c> is set.</summary>
public sealed class AdminCliTests
{
    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Issued_key_is_shown_once_verifies_against_the_store_is_listed_without_secret_and_can_be_revoked(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("workspaces", "create", "Team A")).Exit);

        var issued = await admin.RunAsync("keys", "issue", "--workspace", "team-a", "--role", "operator", "--name", "ci", "--expires", "30d", "--json");
        Assert.Equal(0, issued.Exit);
        Assert.Contains("shown only once", issued.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(issued.Out);
        var key = json.RootElement.GetProperty("key").GetString()!;
        var keyId = json.RootElement.GetProperty("key_id").GetString()!;
        Assert.True(ApiKeys.TryParse(key, out var lookupId, out var secret));
        Assert.Equal(keyId, lookupId);

        await using (var storage = await admin.OpenStorageAsync())
        {
            var platform = storage.GetRequiredService<IPlatformStore>();
            var record = await platform.FindApiKeyByLookupIdAsync(lookupId, CancellationToken.None);
            Assert.NotNull(record);
            Assert.True(ApiKeys.VerifySecret(secret, record.SecretHash));
            Assert.False(ApiKeys.VerifySecret(secret + "x", record.SecretHash));
            Assert.Equal(PlatformRole.Operator, record.Role);
            Assert.NotNull(record.ExpiresAt);
            var membership = await platform.GetMembershipAsync("team-a", record.PrincipalId, CancellationToken.None);
            Assert.Equal(PlatformRole.Operator, membership?.Role);
        }

        foreach (var listArgs in new[] { new[] { "keys", "list", "--workspace", "team-a" }, ["keys", "list", "--workspace", "team-a", "--json"] })
        {
            var list = await admin.RunAsync(listArgs);
            Assert.Equal(0, list.Exit);
            Assert.Contains(keyId, list.Out, StringComparison.Ordinal);
            Assert.Contains("active", list.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, list.Out, StringComparison.Ordinal);
        }

        var revoke = await admin.RunAsync("keys", "revoke", keyId);
        Assert.Equal(0, revoke.Exit);
        var after = await admin.RunAsync("keys", "list", "--workspace", "team-a");
        Assert.Contains("revoked", after.Out, StringComparison.Ordinal);
        await using (var storage = await admin.OpenStorageAsync())
        {
            var record = await storage.GetRequiredService<IPlatformStore>().FindApiKeyByLookupIdAsync(lookupId, CancellationToken.None);
            Assert.NotNull(record?.RevokedAt);
        }
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Key_commands_name_bad_arguments_with_exit_2_and_unknown_workspace_or_key_with_exit_1(string provider)
    {
        await using var admin = new AdminFixture(provider);
        var badRole = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "owner");
        Assert.Equal(2, badRole.Exit);
        Assert.Contains("--role 'owner'", badRole.Error, StringComparison.Ordinal);

        var badExpiry = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "admin", "--expires", "soon");
        Assert.Equal(2, badExpiry.Exit);
        Assert.Contains("--expires 'soon'", badExpiry.Error, StringComparison.Ordinal);

        var badToolset = await admin.RunAsync("keys", "issue", "--workspace", "default", "--role", "admin", "--toolsets", "nope");
        Assert.Equal(2, badToolset.Exit);
        Assert.Contains("'nope'", badToolset.Error, StringComparison.Ordinal);

        var unknownOption = await admin.RunAsync("keys", "list", "--workspac", "default");
        Assert.Equal(2, unknownOption.Exit);
        Assert.Contains("unknown option '--workspac'", unknownOption.Error, StringComparison.Ordinal);

        var unknownWorkspace = await admin.RunAsync("keys", "issue", "--workspace", "nowhere", "--role", "admin");
        Assert.Equal(1, unknownWorkspace.Exit);
        Assert.Contains("workspace 'nowhere' does not exist", unknownWorkspace.Error, StringComparison.Ordinal);
        Assert.Equal("", unknownWorkspace.Out);

        var unknownKey = await admin.RunAsync("keys", "revoke", "0123456789ab");
        Assert.Equal(1, unknownKey.Exit);
        Assert.Contains("no API key with id '0123456789ab'", unknownKey.Error, StringComparison.Ordinal);

        var help = await admin.RunAsync("keys", "issue", "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("--expires <WHEN>", help.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Guild_installed_in_one_workspace_cannot_be_installed_into_another(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("workspaces", "create", "Team B")).Exit);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111222333444555666", "--workspace", "default")).Exit);
        var again = await admin.RunAsync("guilds", "install", "111222333444555666", "--workspace", "default");
        Assert.Equal(0, again.Exit);
        Assert.Contains("already installed in workspace 'default'", again.Out, StringComparison.Ordinal);

        var conflict = await admin.RunAsync("guilds", "install", "111222333444555666", "--workspace", "team-b");
        Assert.Equal(1, conflict.Exit);
        Assert.Contains("already installed in workspace 'default'", conflict.Error, StringComparison.Ordinal);

        var list = await admin.RunAsync("guilds", "list", "--json");
        using var json = JsonDocument.Parse(list.Out);
        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("default", only.GetProperty("workspace").GetString());

        var badId = await admin.RunAsync("guilds", "install", "12x", "--workspace", "team-b");
        Assert.Equal(2, badId.Exit);
        Assert.Contains("GUILD_ID '12x'", badId.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await admin.RunAsync("guilds", "uninstall", "111222333444555666")).Exit);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111222333444555666", "--workspace", "team-b")).Exit);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Valid_policy_file_is_applied_and_export_round_trips_it(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111", "--workspace", "default")).Exit);
        var catalog = DiscordMcpRegistration.Catalog();
        var tool = catalog[0].Name;
        var toolset = catalog[^1].Toolset;
        var file = admin.WriteFile("policy.json", $$"""
            {
              "workspace": "default",
              "tools": [ { "tool": "{{tool}}", "mode": "approve" }, { "toolset": "{{toolset}}", "mode": "deny" } ],
              "channels": [
                { "guild": "111", "scope": "guild", "write": "deny" },
                { "guild": "111", "scope": "channel", "id": "222", "read": "allow", "write": "allow", "agent_chat": "deny" }
              ]
            }
            """);

        var dry = await admin.RunAsync("policies", "apply", file, "--dry-run");
        Assert.Equal(0, dry.Exit);
        Assert.Contains("Nothing changed", dry.Out, StringComparison.Ordinal);
        var beforeApply = await admin.RunAsync("policies", "export", "--workspace", "default");
        Assert.DoesNotContain(tool, beforeApply.Out, StringComparison.Ordinal);

        var apply = await admin.RunAsync("policies", "apply", file);
        Assert.Equal(0, apply.Exit);

        var export = await admin.RunAsync("policies", "export", "--workspace", "default");
        Assert.Equal(0, export.Exit);
        Assert.Contains(tool, export.Out, StringComparison.Ordinal);
        Assert.Contains("\"222\"", export.Out, StringComparison.Ordinal);

        // Re-applying the export changes nothing: the export of the result is identical.
        var exported = admin.WriteFile("exported.json", export.Out);
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", exported)).Exit);
        Assert.Equal(export.Out, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out);

        await using var storage = await admin.OpenStorageAsync();
        var platform = storage.GetRequiredService<IPlatformStore>();
        var tools = await platform.GetToolPoliciesAsync("default", CancellationToken.None);
        Assert.Contains(new ToolPolicy("default", ToolPolicyTarget.Tool, tool, ToolMode.Approve), tools);
        var channels = await platform.GetChannelPoliciesAsync(111, CancellationToken.None);
        Assert.Contains(new ChannelPolicy(111, ChannelPolicyScope.Channel, 222, AccessRule.Allow, AccessRule.Allow, AccessRule.Deny), channels);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Policy_file_with_typos_and_unknown_tools_reports_every_problem_and_changes_nothing(string provider)
    {
        await using var admin = new AdminFixture(provider);
        Assert.Equal(0, (await admin.RunAsync("guilds", "install", "111", "--workspace", "default")).Exit);
        var tool = DiscordMcpRegistration.Catalog()[0].Name;
        var good = admin.WriteFile("good.json", $$"""{ "workspace": "default", "tools": [ { "tool": "{{tool}}", "mode": "deny" } ], "channels": [] }""");
        Assert.Equal(0, (await admin.RunAsync("policies", "apply", good)).Exit);
        var before = (await admin.RunAsync("policies", "export", "--workspace", "default")).Out;

        var bad = admin.WriteFile("bad.json", $$"""
            {
              "workspace": "default",
              "tools": [ { "tool": "discord_no_such_tool", "mode": "allow" }, { "tool": "{{tool}}", "mod": "allow" }, { "toolset": "{{DiscordMcpRegistration.Catalog()[0].Toolset}}", "mode": "sometimes" } ],
              "channels": [ { "guild": "12x", "scope": "channel", "id": "5" }, { "guild": "999", "scope": "channel", "id": "5" } ]
            }
            """);
        var result = await admin.RunAsync("policies", "apply", bad);
        Assert.Equal(1, result.Exit);
        Assert.Contains("nothing was changed", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.tools[0].tool: unknown tool 'discord_no_such_tool'", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.tools[1].mod: unknown key 'mod' (did you mean 'mode'?)", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.tools[1].mode: missing", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.tools[2].mode: 'sometimes' is not a mode", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.channels[0].guild: '12x' is not a Discord id", result.Error, StringComparison.Ordinal);
        Assert.Contains("$.channels[1].guild: guild 999 is not installed", result.Error, StringComparison.Ordinal);

        var json = await admin.RunAsync("policies", "apply", bad, "--json");
        using var report = JsonDocument.Parse(json.Out);
        Assert.False(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(6, report.RootElement.GetProperty("problems").GetArrayLength());

        Assert.Equal(before, (await admin.RunAsync("policies", "export", "--workspace", "default")).Out);
    }

    [Fact]
    public async Task Audit_list_shows_and_filters_the_entry_point_and_rejects_an_unknown_one()
    {
        await using var admin = new AdminFixture("sqlite");
        await using (var storage = await admin.OpenStorageAsync())
        {
            var audit = storage.GetRequiredService<IAuditLog>();
            string?[] entries = [null, "agent", "http"];
            for (var i = 0; i < entries.Length; i++)
            {
                await audit.AppendAsync(new AuditEvent($"ev{i}", $"call{i}", DateTimeOffset.UnixEpoch.AddMinutes(i), i == 1 ? "discord:42" : "key:abc", "default", 111, null,
                    "discord_list_channels", "{}", AuditDecision.Allowed, null, null, null, 10, AuditOutcome.Executed) { EntryPoint = entries[i] }, CancellationToken.None);
            }
        }

        var agent = await admin.RunAsync("audit", "list", "--entry-point", "agent", "--json");
        using (var json = JsonDocument.Parse(agent.Out))
        {
            var only = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(("discord:42", "agent"), (only.GetProperty("principal_id").GetString(), only.GetProperty("entry_point").GetString()));
        }

        var table = await admin.RunAsync("audit", "list");
        Assert.Contains("VIA", table.Out, StringComparison.Ordinal);
        Assert.Contains("agent", table.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await admin.RunAsync("audit", "verify")).Exit);

        var bad = await admin.RunAsync("audit", "list", "--entry-point", "discord");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("--entry-point 'discord' is not an entry point; use http, stdio, agent, cli.", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Audit_verify_passes_on_a_clean_chain_and_reports_the_tampered_sequence(string provider)
    {
        await using var admin = new AdminFixture(provider);
        await using (var storage = await admin.OpenStorageAsync())
        {
            var audit = storage.GetRequiredService<IAuditLog>();
            for (var i = 0; i < 3; i++)
            {
                await audit.AppendAsync(new AuditEvent($"ev{i}", $"call{i}", DateTimeOffset.UnixEpoch.AddMinutes(i), "key:abc", "default", 111, null,
                    i == 1 ? "discord_send_message" : "discord_list_channels", "{\"content\":\"hi\"}",
                    i == 1 ? AuditDecision.Denied : AuditDecision.Allowed, null, i == 1 ? "rate_limited" : null, null, 10, AuditOutcome.None), CancellationToken.None);
            }
        }

        var clean = await admin.RunAsync("audit", "verify");
        Assert.Equal(0, clean.Exit);
        Assert.Contains("3 events verified", clean.Out, StringComparison.Ordinal);

        var list = await admin.RunAsync("audit", "list", "--decision", "denied", "--json");
        using (var json = JsonDocument.Parse(list.Out))
            Assert.Equal("discord_send_message", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("tool").GetString());

        var export = await admin.RunAsync("audit", "export", "--tool", "discord_list_channels");
        Assert.Equal(0, export.Exit);
        var lines = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Equal("discord_list_channels", JsonDocument.Parse(l).RootElement.GetProperty("tool").GetString()));

        await admin.ExecuteSqlAsync("UPDATE audit_events SET \"Message\" = 'edited' WHERE \"Sequence\" = 2");
        var broken = await admin.RunAsync("audit", "verify", "--json");
        Assert.Equal(1, broken.Exit);
        using var result = JsonDocument.Parse(broken.Out);
        Assert.False(result.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.RootElement.GetProperty("first_broken_sequence").GetInt64());

        var human = await admin.RunAsync("audit", "verify");
        Assert.Equal(1, human.Exit);
        Assert.Contains("BROKEN at sequence 2", human.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Audit_verify_reports_a_deleted_event_as_a_gap(string provider)
    {
        await using var admin = new AdminFixture(provider);
        await using (var storage = await admin.OpenStorageAsync())
        {
            var audit = storage.GetRequiredService<IAuditLog>();
            for (var i = 0; i < 3; i++)
            {
                await audit.AppendAsync(new AuditEvent($"ev{i}", $"call{i}", DateTimeOffset.UnixEpoch, null, "default", null, null, "t", null,
                    AuditDecision.Allowed, null, null, null, 1, AuditOutcome.None), CancellationToken.None);
            }
        }
        await admin.ExecuteSqlAsync("DELETE FROM audit_events WHERE \"Sequence\" = 2");
        var broken = await admin.RunAsync("audit", "verify");
        Assert.Equal(1, broken.Exit);
        Assert.Contains("sequence 3", broken.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Workspaces_limits_shows_defaults_sets_some_budgets_and_refuses_bad_ones_without_changing_anything(string provider)
    {
        await using var admin = new AdminFixture(provider);
        var shown = await admin.RunAsync("workspaces", "limits", "default");
        Assert.Equal(0, shown.Exit);
        Assert.Contains("(defaults)", shown.Out, StringComparison.Ordinal);

        var set = await admin.RunAsync("workspaces", "limits", "default", "--reads", "500/250.5", "--guild-writes", "7/0.5", "--json");
        Assert.Equal(0, set.Exit);
        using (var json = JsonDocument.Parse(set.Out))
        {
            Assert.Equal(500, json.RootElement.GetProperty("reads").GetProperty("burst").GetInt32());
            Assert.Equal(250.5, json.RootElement.GetProperty("reads").GetProperty("per_second").GetDouble());
            Assert.Equal(7, json.RootElement.GetProperty("guild_writes").GetProperty("burst").GetInt32());
            Assert.Equal(RateLimitSettings.Default.PrincipalWriteCapacity, json.RootElement.GetProperty("writes").GetProperty("burst").GetInt32()); // untouched
        }

        // One bad value among good ones: refused with the option and the rule named, and nothing written.
        var bad = await admin.RunAsync("workspaces", "limits", "default", "--writes", "5/1", "--guild-reads", "0/10");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("--guild-reads '0/10' is not a budget", bad.Error, StringComparison.Ordinal);
        Assert.Contains("BURST a whole number 1-1,000,000", bad.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await admin.RunAsync("workspaces", "limits", "missing", "--reads", "1/1")).Exit);

        await using var storage = await admin.OpenStorageAsync();
        var stored = (await storage.GetRequiredService<IPlatformStore>().GetWorkspaceAsync("default", CancellationToken.None))!.RateLimits!;
        Assert.Equal(RateLimitSettings.Default with { PrincipalReadCapacity = 500, PrincipalReadRefillPerSecond = 250.5, GuildWriteCapacity = 7, GuildWriteRefillPerSecond = 0.5 }, stored);
    }

    [Theory]
    [InlineData("60/10", 60, 10.0)]
    [InlineData(" 5 / 0.25 ", 5, 0.25)]
    [InlineData("1000000/1000000", 1_000_000, 1_000_000.0)]
    [InlineData("0/1", null, null)]
    [InlineData("1000001/1", null, null)]
    [InlineData("5/0", null, null)]
    [InlineData("5/-1", null, null)]
    [InlineData("5", null, null)]
    [InlineData("a/b", null, null)]
    [InlineData("5/1/2", null, null)]
    public void Budgets_parse_burst_slash_rate_within_bounds(string text, int? burst, double? perSecond)
    {
        var parsed = WorkspacesCommand.ParseBudget(text);
        Assert.Equal(burst, parsed?.Burst);
        Assert.Equal(perSecond, parsed?.PerSecond);
    }

    [Theory]
    [MemberData(nameof(AdminFixture.Providers), MemberType = typeof(AdminFixture))]
    public async Task Workspaces_create_list_show_and_report_duplicates(string provider)
    {
        await using var admin = new AdminFixture(provider);
        var created = await admin.RunAsync("workspaces", "create", "Ops Team", "--json");
        Assert.Equal(0, created.Exit);
        Assert.Contains("\"ops-team\"", created.Out, StringComparison.Ordinal);
        var duplicate = await admin.RunAsync("workspaces", "create", "Ops Team");
        Assert.Equal(1, duplicate.Exit);
        Assert.Contains("already exists", duplicate.Error, StringComparison.Ordinal);

        var list = await admin.RunAsync("workspaces", "list");
        Assert.Contains("ops-team", list.Out, StringComparison.Ordinal);
        Assert.Contains("default", list.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await admin.RunAsync("workspaces", "show", "ops-team")).Exit);
        Assert.Equal(1, (await admin.RunAsync("workspaces", "show", "missing")).Exit);
        var bad = await admin.RunAsync("workspaces", "show", "Bad Id");
        Assert.Equal(2, bad.Exit);
        Assert.Contains("ID 'Bad Id'", bad.Error, StringComparison.Ordinal);
        var unknown = await admin.RunAsync("workspaces", "frobnicate");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("unknown subcommand 'frobnicate'", unknown.Error, StringComparison.Ordinal);
        var groupHelp = await admin.RunAsync("workspaces", "--help");
        Assert.Equal(0, groupHelp.Exit);
        Assert.Contains("discord-mcp workspaces <subcommand>", groupHelp.Out, StringComparison.Ordinal);
        Assert.Contains("workspaces create NAME", groupHelp.Out, StringComparison.Ordinal);
    }
}
