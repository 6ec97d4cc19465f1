using DiscordMcp.Mcp.Tools.Platform;
using DiscordMcp.Policy.Model;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Mcp.Tests;

/// <summary>
/// <c>platform_list_audit_events</c> without the platform (it must refuse), its argument checks and its text rendering.
/// The workspace isolation and the role check over HTTP are in the Host tests (PlatformAuditToolE2ETests).
/// </summary>
public sealed class PlatformAuditToolTests(NoDiscordServerFixture fixture) : IClassFixture<NoDiscordServerFixture>
{
    [Fact]
    public async Task Outside_an_authorised_call_the_tool_refuses_instead_of_reading_any_workspace()
    {
        var result = await fixture.Server.CallAsync("platform_list_audit_events");

        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Contains("Denied (policy_error)", text, StringComparison.Ordinal);
        Assert.Null(result.StructuredContent);
    }

    [Theory]
    [InlineData(0, null, null, null, null, null, null, "limit must be between 1 and 200 (default 50); got 0.")]
    [InlineData(201, null, null, null, null, null, null, "limit must be between 1 and 200 (default 50); got 201.")]
    [InlineData(null, "yesterday", null, null, null, null, null, "since 'yesterday' is not an ISO-8601 time")]
    [InlineData(null, null, "2025-13-01", null, null, null, null, "until '2025-13-01' is not an ISO-8601 time")]
    [InlineData(null, "2025-02-01", "2025-01-01", null, null, null, null, "since must be earlier than until.")]
    [InlineData(null, null, null, "Discord List Roles", null, null, null, "tool 'Discord List Roles' is not a tool name")]
    [InlineData(null, null, null, null, "maybe", null, null, "decision 'maybe' is not a decision; use one of: allowed, denied, dry_run, pending, approved, rejected.")]
    [InlineData(null, null, null, null, null, "weather", null, "category 'weather' is not a toolset; use one of: guilds, channels,")]
    [InlineData(null, null, null, null, null, null, "My Server", "guild_id 'My Server' is not a numeric guild id")]
    public void Bad_arguments_are_refused_with_the_field_and_its_limit(int? limit, string? since, string? until, string? tool, string? decision, string? category, string? guild, string expected)
    {
        var query = ListAuditEventsTool.BuildQuery("ws-a", limit, since, until, tool, decision, category, guild, out var error);

        Assert.Null(query);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_query_is_always_scoped_to_the_callers_workspace_newest_first_with_the_default_limit()
    {
        var query = ListAuditEventsTool.BuildQuery("ws-a", null, null, null, null, null, null, null, out var error);

        Assert.Null(error);
        Assert.NotNull(query);
        Assert.Equal("ws-a", query.WorkspaceId);
        Assert.True(query.NewestFirst);
        Assert.Equal(50, query.Limit);
        Assert.Null(query.Tools);
    }

    [Fact]
    public void Filters_map_to_the_query_category_to_the_tools_of_that_toolset()
    {
        var query = ListAuditEventsTool.BuildQuery("ws-a", 10, "2025-01-31", "2025-02-01T08:30:00+02:00", "discord_list_roles", "DRY_RUN", "Roles", "123", out var error);

        Assert.Null(error);
        Assert.NotNull(query);
        Assert.Equal(10, query.Limit);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 6, 30, 0, TimeSpan.Zero), query.To);
        Assert.Equal("discord_list_roles", query.Tool);
        Assert.Equal(AuditDecision.DryRun, query.Decision);
        Assert.Equal(123UL, query.GuildId);
        // Every tool of the roles toolset (reads and writes), as the catalog lists them.
        var roles = ToolCatalog.All.Where(t => t.Toolset == Toolsets.Roles).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("discord_list_roles", roles);
        Assert.Equal(roles, query.Tools!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_toolset_without_tools_filters_to_nothing_rather_than_everything()
    {
        // Every toolset has tools now, so the situation is built: a catalog without the threads toolset's tools. The filter
        // must then match nothing, not every tool (an empty tool list is not "no filter").
        var catalog = ToolCatalog.All.Where(t => t.Toolset != Toolsets.Threads).ToList();
        Assert.Contains(ToolCatalog.All, t => t.Toolset == Toolsets.Threads);
        var query = ListAuditEventsTool.BuildQuery("ws-a", null, null, null, null, null, Toolsets.Threads, null, out _, catalog);

        Assert.NotNull(query?.Tools);
        Assert.Empty(query.Tools);
    }

    [Theory]
    [InlineData("agent", "agent", null)]
    [InlineData(" Stdio ", "stdio", null)]
    [InlineData("discord", null, "entry_point 'discord' is not an entry point; use one of: http, stdio, agent, cli.")]
    public void Entry_point_filter_takes_the_known_entry_points_only(string given, string? expected, string? expectedError)
    {
        var query = ListAuditEventsTool.BuildQuery("ws-a", null, null, null, null, null, null, null, out var error, entryPoint: given);
        Assert.Equal(expected, query?.EntryPoint);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Each_event_renders_as_one_line_with_time_principal_entry_point_tool_place_decision_reason_and_arguments()
    {
        var list = new AuditEventList("ws-a",
        [
            new AuditEventItem(7, "e7", "c7", "2025-01-31T08:00:01.000Z", "key:abc", "discord_list_messages", "111", "222", "denied", "none",
                "channel_policy", "channel_policy_denied", "Reading #ops is denied.", """{"channel":"222","guild_id":"111"}""", "agent"),
            new AuditEventItem(6, "e6", "c6", "2025-01-31T08:00:00.000Z", "key:abc", "discord_list_guilds", null, null, "allowed", "executed",
                null, null, null, "{}", null),
        ], More: true);

        var lines = ListAuditEventsTool.Render(list).Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Contains("older ones exist", lines[0], StringComparison.Ordinal);
        Assert.Equal("""[2025-01-31T08:00:01.000Z] key:abc via agent discord_list_messages guild 111 channel 222 → denied (channel_policy: channel_policy_denied) args {"channel":"222","guild_id":"111"}""", lines[1]);
        Assert.Equal("[2025-01-31T08:00:00.000Z] key:abc discord_list_guilds → allowed/executed", lines[2]);
    }
}
