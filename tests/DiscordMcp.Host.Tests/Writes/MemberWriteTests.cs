using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

public sealed class KickBanMemberTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Dictionary<string, object?> Args(string member) => new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = member };

    [Fact]
    public async Task Kicking_needs_approval_by_default_then_removes_the_member_once()
    {
        await _host.AssertApprovalRequiredAsync("discord_kick_member", Args("@Alex"));
        Assert.NotNull(await _host.MemberAsync(DemoGuild.AlexUserId));

        await _host.SetModeAsync("discord_kick_member", ToolMode.Confirm);
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_kick_member", Args("@Alex"));
        Assert.StartsWith("Dry-run: I would kick @Alex from DiscordMCP Demo.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Bot permission used: Kick Members", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Kicked @Alex.", Text(confirmed), StringComparison.Ordinal);
        Assert.Null(await _host.MemberAsync(DemoGuild.AlexUserId));

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kicking_a_member_whose_role_is_above_the_bot_is_denied_by_the_hierarchy_check()
    {
        var boss = _host.Sandbox.State.AddUser("boss");
        _host.Sandbox.State.AddMember(DemoGuild.GuildId, boss, [DemoGuild.AdminRoleId]);
        await _host.SetModeAsync("discord_kick_member", ToolMode.Confirm);
        var before = _host.Snapshot();

        var result = await _host.CallAsync("discord_kick_member", Args(boss));

        Assert.True(result.IsError, Text(result));
        Assert.Contains("hierarchy_denied", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Banning_deletes_recent_messages_and_a_second_ban_is_refused()
    {
        await _host.AssertApprovalRequiredAsync("discord_ban_member", Args("@Jordan"));
        await _host.SetModeAsync("discord_ban_member", ToolMode.Confirm);
        var args = Args("@Jordan");
        args["delete_message_seconds"] = 3600;
        args["reason"] = "spam";

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_ban_member", args);

        Assert.StartsWith("Dry-run: I would ban @Jordan from DiscordMCP Demo and delete their messages from the last 1 hour.", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Reversible: no.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Banned @Jordan.", Text(confirmed), StringComparison.Ordinal);
        Assert.True(await _host.IsBannedAsync(DemoGuild.JordanUserId));
        Assert.Null(await _host.MemberAsync(DemoGuild.JordanUserId));

        await _host.AssertRefusedAsync("discord_ban_member", Args(DemoGuild.JordanUserId), "member: @Jordan is already banned");
    }

    [Theory]
    [InlineData("discord_kick_member", "@Admin", "owns the server")]
    [InlineData("discord_kick_member", "@DiscordMCP", "is the bot itself")]
    [InlineData("discord_ban_member", "@Admin", "owns the server")]
    [InlineData("discord_ban_member", "@DiscordMCP", "is the bot itself")]
    [InlineData("discord_kick_member", "@nobody-here", "member")]
    [InlineData("discord_ban_member", "delete_message_seconds", "delete_message_seconds must be between 0 and 604800")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string tool, string member, string expected)
    {
        var args = member == "delete_message_seconds" ? Args("@Chen") : Args(member);
        if (member == "delete_message_seconds")
            args["delete_message_seconds"] = 604801;
        await _host.AssertRefusedAsync(tool, args, expected);
    }
}

public sealed class UnbanTimeoutNicknameTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Unbanning_a_banned_user_lifts_the_ban_once_and_an_unbanned_user_is_refused()
    {
        await _host.AssertRefusedAsync("discord_unban_member", new() { ["guild_id"] = DemoGuild.GuildId, ["banned_user_id"] = DemoGuild.PriyaUserId },
            $"banned_user_id: user {DemoGuild.PriyaUserId} is not banned");
        await _host.SetModeAsync("discord_ban_member", ToolMode.Allow);
        var ban = await _host.CallAsync("discord_ban_member", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Priya", ["dry_run"] = false });
        Assert.Equal("executed", Structured(ban).GetProperty("status").GetString());

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_unban_member", new() { ["guild_id"] = DemoGuild.GuildId, ["banned_user_id"] = $"<@{DemoGuild.PriyaUserId}>" });

        Assert.StartsWith("Dry-run: I would lift the ban of @Priya in DiscordMCP Demo.", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Lifted the ban of @Priya.", Text(confirmed), StringComparison.Ordinal);
        Assert.False(await _host.IsBannedAsync(DemoGuild.PriyaUserId));
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "banned_user_id must be a user id")]
    [InlineData("", "banned_user_id")]
    public async Task Unban_bad_input_names_the_field(string user, string expected) =>
        await _host.AssertRefusedAsync("discord_unban_member", new() { ["guild_id"] = DemoGuild.GuildId, ["banned_user_id"] = user }, expected);

    [Fact]
    public async Task Timing_out_sets_the_planned_end_and_none_removes_it()
    {
        var start = DateTimeOffset.UtcNow;
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_timeout_member", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Chen", ["duration"] = "PT10M" });
        Assert.StartsWith("Dry-run: I would time out @Chen for 10 minutes, until ", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Timed out @Chen until ", Text(confirmed), StringComparison.Ordinal);
        var until = (await _host.MemberAsync(DemoGuild.ChenUserId))!.CommunicationDisabledUntil;
        Assert.NotNull(until);
        Assert.InRange(until!.Value, start.AddMinutes(10).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(10).AddSeconds(1));

        var (removeDry, removed) = await _host.DryRunThenConfirmAsync("discord_timeout_member", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Chen", ["duration"] = "none" });
        Assert.StartsWith("Dry-run: I would remove the time-out of @Chen.", Text(removeDry), StringComparison.Ordinal);
        Assert.StartsWith("Removed the time-out of @Chen.", Text(removed), StringComparison.Ordinal);
        Assert.Null((await _host.MemberAsync(DemoGuild.ChenUserId))!.CommunicationDisabledUntil);
    }

    [Theory]
    [InlineData("@Chen", "P29D", "duration must be at most 28 days (P28D, 40320 minutes), got 29 days")]
    [InlineData("@Chen", "40321", "duration must be at most 28 days")]
    [InlineData("@Chen", "soon", "duration must be an ISO-8601 duration")]
    [InlineData("@Chen", "P", "duration must be an ISO-8601 duration")]
    [InlineData("@Chen", "none", "duration: @Chen is not timed out")]
    [InlineData("@Admin", "PT5M", "owns the server")]
    [InlineData("@DiscordMCP", "PT5M", "is the bot itself")]
    public async Task Timeout_bad_input_names_the_field_and_the_limit(string member, string duration, string expected) =>
        await _host.AssertRefusedAsync("discord_timeout_member", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = member, ["duration"] = duration }, expected);

    [Fact]
    public async Task Setting_and_resetting_a_nickname_changes_exactly_that()
    {
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_set_nickname", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Chen", ["nickname"] = "Chenny" });
        Assert.StartsWith("Dry-run: I would set the nickname of @Chen to \"Chenny\".", Text(dry), StringComparison.Ordinal);
        Assert.Contains("Nickname: none (shown as Chen) → \"Chenny\"", Text(dry), StringComparison.Ordinal);
        Assert.StartsWith("Set the nickname of @Chen to \"Chenny\".", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal("Chenny", (await _host.MemberAsync(DemoGuild.ChenUserId))!.Nick);

        var (resetDry, _) = await _host.DryRunThenConfirmAsync("discord_set_nickname", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Chenny", ["nickname"] = "" });
        Assert.StartsWith("Dry-run: I would reset the nickname of @Chenny.", Text(resetDry), StringComparison.Ordinal);
        Assert.Null((await _host.MemberAsync(DemoGuild.ChenUserId))!.Nick);
    }

    [Theory]
    [InlineData("@Chen", "a-nickname-that-is-far-too-long-x", "nickname must be at most 32 characters, got 33")]
    [InlineData("@Chen", "", "nickname: @Chen has no nickname")]
    [InlineData("@Admin", "Boss", "owns the server")]
    public async Task Nickname_bad_input_names_the_field(string member, string nickname, string expected) =>
        await _host.AssertRefusedAsync("discord_set_nickname", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = member, ["nickname"] = nickname }, expected);
}
