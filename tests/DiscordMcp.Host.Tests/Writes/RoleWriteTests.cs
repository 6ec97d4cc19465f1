using DiscordMcp.Discord.Client;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class AssignRemoveRoleTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, object?> Args(string member, string role) =>
        new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = member, ["role"] = role };

    [Fact]
    public async Task Assigning_Support_to_Alex_is_planned_then_done_once()
    {
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_assign_role", Args("@Alex", "Support"));

        Assert.StartsWith("Dry-run: I would assign the Support role to @Alex.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Bot permission used: Manage Roles", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Assigned the Support role to @Alex.", Text(confirmed), StringComparison.Ordinal);
        var alex = await _host.MemberAsync(DemoGuild.AlexUserId);
        Assert.Contains(Snowflake.Parse(DemoGuild.SupportRoleId), alex!.Roles);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        var events = await _host.AuditAsync("discord_assign_role");
        Assert.Single(events, e => e.Outcome == AuditOutcome.Executed);
    }

    [Fact]
    public async Task A_role_above_the_bots_highest_role_is_denied_by_the_hierarchy_check_end_to_end()
    {
        // Admin (position 5) sits above the bot's role (position 4): the pipeline's bot-permission layer refuses it.
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_assign_role", Args("@Alex", "Admin"));
        Assert.True(result.IsError, Text(result));
        Assert.Contains("hierarchy_denied", Text(result), StringComparison.Ordinal);
        Assert.Contains("The plan was: I would assign the Admin role to @Alex.", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.DoesNotContain(Snowflake.Parse(DemoGuild.AdminRoleId), (await _host.MemberAsync(DemoGuild.AlexUserId))!.Roles);
    }

    [Fact]
    public async Task Removing_a_role_needs_approval_by_default_and_runs_once_in_confirm_mode()
    {
        await _host.AssertApprovalRequiredAsync("discord_remove_role", Args("sam.support", "Support"));

        await _host.SetModeAsync("discord_remove_role", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_remove_role", Args("sam.support", "Support"));
        Assert.StartsWith("Dry-run: I would remove the Support role from @Sam (Support).", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Removed the Support role from @Sam (Support).", Text(confirmed), StringComparison.Ordinal);
        Assert.DoesNotContain(Snowflake.Parse(DemoGuild.SupportRoleId), (await _host.MemberAsync(DemoGuild.SupportUserId))!.Roles);
    }

    [Theory]
    [InlineData("discord_assign_role", "@Luis", "Moderator", "role: @Luis already has the Moderator role, so there is nothing to change.")]
    [InlineData("discord_remove_role", "@Alex", "Support", "role: @Alex does not have the Support role, so there is nothing to change.")]
    [InlineData("discord_assign_role", "@Alex", "@everyone", "role: @everyone cannot be assigned")]
    [InlineData("discord_assign_role", "@Alex", "DiscordMCP", "is managed by an integration or bot")]
    [InlineData("discord_assign_role", "@Alex", "Nonexistent", "role")]
    [InlineData("discord_assign_role", "@nobody-by-that-name", "Support", "member")]
    public async Task Bad_input_and_no_op_cases_name_the_field_and_store_nothing(string tool, string member, string role, string expected)
    {
        await _host.AssertRefusedAsync(tool, Args(member, role), expected);
        Assert.DoesNotContain(await _host.AuditAsync(tool), e => e.Decision == AuditDecision.DryRun);
    }
}

public sealed class CreateModifyDeleteRoleTests : IAsyncLifetime
{
    private static readonly string[] HelperPermissions = ["VIEW_CHANNEL", "send messages"];

    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Creating_a_role_makes_exactly_the_planned_role_once()
    {
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_role", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["name"] = "Helpers", ["color"] = "blue", ["hoist"] = true, ["mentionable"] = true,
            ["permissions"] = HelperPermissions,
        });

        Assert.StartsWith("Dry-run: I would create the role Helpers with permissions: VIEW_CHANNEL, SEND_MESSAGES.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Colour: #3498DB", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Created the role Helpers.", Text(confirmed), StringComparison.Ordinal);
        var role = _host.Role("Helpers");
        Assert.Equal(Structured(confirmed).GetProperty("ids").GetProperty("role_id").GetString(), (string?)role["id"]);
        Assert.Equal(0x3498DB, (int)role["color"]!);
        Assert.True((bool)role["hoist"]!);
        Assert.True((bool)role["mentionable"]!);
        Assert.Equal("3072", (string?)role["permissions"]); // VIEW_CHANNEL | SEND_MESSAGES
        Assert.Single(_host.Roles(), r => (string?)r["name"] == "Helpers");
    }

    [Theory]
    [InlineData("name", "", "name must be 1–100 characters")]
    [InlineData("color", "bluish", "color must be #RRGGBB")]
    [InlineData("color", "#12345", "color must be #RRGGBB")]
    [InlineData("permissions", "FLY", "permissions[0]")]
    [InlineData("permissions", "ADMINISTRATOR", "the bot can only grant permissions it has itself, and it lacks ADMINISTRATOR")]
    [InlineData("reason", "long", "reason must be at most 512 characters")]
    public async Task Create_role_bad_input_names_the_field(string field, string value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["name"] = "Helpers" };
        args[field] = field switch
        {
            "permissions" => new[] { value },
            "reason" => new string('r', 513),
            "name" => new string('n', 101),
            _ => value,
        };
        await _host.AssertRefusedAsync("discord_create_role", args, expected);
    }

    [Fact]
    public async Task Modifying_a_role_changes_only_the_given_fields_and_shows_from_and_to()
    {
        var before = _host.Role("Support");
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_modify_role", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["role"] = "Support", ["name"] = "Helpdesk", ["color"] = "#112233",
        });

        Assert.Contains("Name: Support → Helpdesk", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Colour: #2ECC71 → #112233", Text(dry), StringComparison.Ordinal);
        Assert.DoesNotContain("Permissions:", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Updated the role Helpdesk:", Text(confirmed), StringComparison.Ordinal);
        var after = _host.Role("Helpdesk");
        Assert.Equal(DemoGuild.SupportRoleId, (string?)after["id"]);
        Assert.Equal(0x112233, (int)after["color"]!);
        Assert.Equal((string?)before["permissions"], (string?)after["permissions"]);
        Assert.Equal((bool)before["hoist"]!, (bool)after["hoist"]!);
    }

    [Fact]
    public async Task Modifying_a_role_above_the_bot_is_denied_by_the_hierarchy_check()
    {
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_modify_role", new() { ["guild_id"] = DemoGuild.GuildId, ["role"] = "Admin", ["name"] = "Boss" });
        Assert.True(result.IsError, Text(result));
        Assert.Contains("hierarchy_denied", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Theory]
    [InlineData(null, null, "Nothing to change")]
    [InlineData("name", "Support", "already has these settings")]
    [InlineData("color", "sky", "color must be #RRGGBB")]
    [InlineData("permissions", "ADMINISTRATOR", "lacks ADMINISTRATOR")]
    public async Task Modify_role_bad_input_names_the_field(string? field, string? value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["role"] = "Support" };
        if (field is not null)
            args[field] = field == "permissions" ? new[] { value } : value;
        await _host.AssertRefusedAsync("discord_modify_role", args, expected);
    }

    [Fact]
    public async Task Deleting_a_role_needs_approval_by_default_then_deletes_it_once()
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["role"] = "Member" };
        await _host.AssertApprovalRequiredAsync("discord_delete_role", args);

        await _host.SetModeAsync("discord_delete_role", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_role", args);
        Assert.StartsWith("Dry-run: I would delete the role Member; every member who has it loses it.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Reversible: no.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Deleted the role Member.", Text(confirmed), StringComparison.Ordinal);
        Assert.DoesNotContain(_host.Roles(), r => (string?)r["id"] == DemoGuild.MemberRoleId);
        Assert.DoesNotContain(Snowflake.Parse(DemoGuild.MemberRoleId), (await _host.MemberAsync(DemoGuild.AlexUserId))!.Roles);
    }

    [Theory]
    [InlineData("@everyone", "@everyone cannot be deleted")]
    [InlineData("DiscordMCP", "is managed by an integration or bot and cannot be deleted")]
    [InlineData("Ghosts", "role")]
    public async Task Delete_role_refuses_everyone_managed_and_unknown_roles(string role, string expected)
    {
        await _host.AssertRefusedAsync("discord_delete_role", new() { ["guild_id"] = DemoGuild.GuildId, ["role"] = role }, expected);
    }
}

public sealed class ReorderRolesTests : IAsyncLifetime
{
    private static readonly string[] MemberAboveSupport = ["Member", "Support"];

    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private int Position(string name) => (int)_host.Role(name)["position"]!;

    [Fact]
    public async Task Moving_one_role_shifts_the_roles_between_and_nothing_else()
    {
        // Seed: Admin 5, DiscordMCP (bot) 4, Moderator 3, Support 2, Member 1.
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_reorder_roles", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["role"] = "Member", ["position"] = 3,
        });

        Assert.StartsWith("Dry-run: I would move the role Member to position 3, shifting 2 other roles.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Member: position 1 → 3", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Moderator: position 3 → 2", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Reordered the roles:", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal((5, 4, 3, 2, 1), (Position("Admin"), Position("DiscordMCP"), Position("Member"), Position("Moderator"), Position("Support")));
    }

    [Fact]
    public async Task An_ordered_list_swaps_roles_among_their_own_positions()
    {
        await _host.DryRunThenConfirmAsync("discord_reorder_roles", new()
        {
            ["guild_id"] = DemoGuild.GuildId, ["order"] = MemberAboveSupport,
        });
        Assert.Equal((2, 1, 3), (Position("Member"), Position("Support"), Position("Moderator")));
    }

    [Theory]
    [InlineData("position", 4, "position must be below the bot's highest role: at most 3, got 4")]
    [InlineData("position", 0, "position must be at least 1")]
    [InlineData("role", "Admin", "role: Admin is at or above the bot's highest role")]
    [InlineData("role", "@everyone", "@everyone is always at the bottom")]
    [InlineData("order", "Admin", "order[1]: Admin is at or above the bot's highest role")]
    [InlineData("order", "Support", "order[1]: Support is listed twice")]
    [InlineData("position", 2, "already in that order")]
    public async Task Reorder_bad_input_names_the_field(string field, object value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId };
        switch (field)
        {
            case "order":
                args["order"] = new[] { "Support", (string)value };
                break;
            case "role":
                args["role"] = value;
                args["position"] = 2;
                break;
            default:
                args["role"] = "Support";
                args["position"] = value;
                break;
        }
        await _host.AssertRefusedAsync("discord_reorder_roles", args, expected);
    }
}
