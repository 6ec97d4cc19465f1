using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>discord_create_invite, discord_delete_invite, discord_list_invites and discord_get_invite against the sandbox.</summary>
public sealed class InviteWriteTests : IAsyncLifetime
{
    private WriteTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WriteTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Create_invite_plans_then_creates_exactly_one_invite_with_the_planned_settings()
    {
        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_create_invite",
            new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#general", ["max_age_seconds"] = 3600, ["max_uses"] = 5, ["unique"] = true });

        Assert.StartsWith("Dry-run: I would create an invite to #general that expires after 1 hour with at most 5 uses.", Text(dry), StringComparison.Ordinal);
        Assert.Equal(["CREATE_INSTANT_INVITE"], Structured(dry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()).ToList());
        var code = Structured(confirmed).GetProperty("ids").GetProperty("invite_code").GetString()!;
        Assert.StartsWith($"Created the invite https://discord.gg/{code} to #general.", Text(confirmed), StringComparison.Ordinal);
        var invite = Assert.Single(Invites());
        Assert.Equal(code, (string?)invite["code"]);
        Assert.Equal(DemoGuild.GeneralChannelId, (string?)invite["channel_id"]);
        Assert.Equal(3600, (int)invite["max_age"]!);
        Assert.Equal(5, (int)invite["max_uses"]!);

        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
        Assert.Single(Invites());
    }

    [Theory]
    [InlineData("max_age_seconds", 604801, "max_age_seconds must be between 0 and 604800")]
    [InlineData("max_uses", 101, "max_uses must be between 0 and 100")]
    [InlineData("max_uses", -1, "max_uses must be between 0 and 100")]
    [InlineData("channel", "Voice", "channel: Voice is a category")]
    [InlineData("channel", "no-such-channel", "channel")]
    public async Task Create_invite_bad_input_names_the_field_and_changes_nothing(string field, object value, string expected)
    {
        var args = new Dictionary<string, object?> { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "general" };
        args[field] = value;
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_create_invite", args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Delete_invite_by_link_in_confirm_mode_deletes_it_once()
    {
        var code = await CreateInviteAsync(DemoGuild.SupportChannelId);
        await _host.SetModeAsync("discord_delete_invite", ToolMode.Confirm);

        var (dry, confirmed) = await _host.DryRunThenConfirmAsync("discord_delete_invite", new() { ["guild_id"] = DemoGuild.GuildId, ["code"] = "https://discord.gg/" + code });

        Assert.Contains($"I would delete the invite https://discord.gg/{code} to #support. This cannot be undone.", Text(dry), StringComparison.Ordinal);
        Assert.False(Structured(dry).GetProperty("plan").GetProperty("reversible").GetBoolean());
        Assert.Equal(["MANAGE_CHANNELS"], Structured(dry).GetProperty("plan").GetProperty("bot_permissions").EnumerateArray().Select(p => p.GetString()).ToList());
        Assert.StartsWith($"Deleted the invite https://discord.gg/{code} to #support.", Text(confirmed), StringComparison.Ordinal);
        Assert.Empty(Invites());
        var replay = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(replay.IsError);
        Assert.Contains("confirmation_invalid", Text(replay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_invite_in_default_approve_mode_cannot_be_confirmed_by_the_model()
    {
        var code = await CreateInviteAsync(DemoGuild.SupportChannelId);
        var dry = await _host.CallAsync("discord_delete_invite", new() { ["guild_id"] = DemoGuild.GuildId, ["code"] = code });
        Assert.True(dry.IsError != true, Text(dry));
        var before = _host.Snapshot();
        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(confirmed).GetProperty("status").GetString());
        Assert.Equal(before, _host.Snapshot());
        Assert.Single(Invites());
    }

    [Theory]
    [InlineData("nosuchcode", "code: there is no invite nosuchcode")]
    [InlineData("bad code!", "code must be an invite code")]
    [InlineData("other-guild", "code: there is no invite")]
    public async Task Delete_invite_bad_input_names_the_field_and_changes_nothing(string code, string expected)
    {
        if (code == "other-guild")
            code = await OtherGuildInviteAsync();
        var before = _host.Snapshot();
        var result = await _host.CallAsync("discord_delete_invite", new() { ["guild_id"] = DemoGuild.GuildId, ["code"] = code });
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("Elsewhere", Text(result), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
    }

    [Fact]
    public async Task Get_invite_shows_an_invite_of_this_guild_and_refuses_another_guilds_without_details()
    {
        var code = await CreateInviteAsync(DemoGuild.DeploymentsChannelId);
        var ok = await _host.CallAsync("discord_get_invite", new() { ["guild_id"] = DemoGuild.GuildId, ["code"] = "discord.gg/" + code });
        Assert.True(ok.IsError != true, Text(ok));
        Assert.Equal(code, Structured(ok).GetProperty("code").GetString());
        Assert.Equal("#deployments", Structured(ok).GetProperty("channel_name").GetString());

        var foreign = await OtherGuildInviteAsync();
        var refused = await _host.CallAsync("discord_get_invite", new() { ["guild_id"] = DemoGuild.GuildId, ["code"] = foreign });
        Assert.True(refused.IsError);
        Assert.Contains($"code: there is no invite {foreign} to DiscordMCP Demo", Text(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("Elsewhere", Text(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("lobby", Text(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_invites_of_one_channel_needs_manage_channels_and_guild_wide_needs_manage_guild()
    {
        var code = await CreateInviteAsync(DemoGuild.RandomChannelId);
        await CreateInviteAsync(DemoGuild.GeneralChannelId);

        var channel = await _host.CallAsync("discord_list_invites", new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "random" });
        Assert.True(channel.IsError != true, Text(channel));
        var invite = Assert.Single(Structured(channel).GetProperty("invites").EnumerateArray());
        Assert.Equal(code, invite.GetProperty("code").GetString());

        // The demo bot lacks MANAGE_GUILD: the guild-wide list is denied by the policy before Discord is asked.
        var denied = await _host.CallAsync("discord_list_invites", new() { ["guild_id"] = DemoGuild.GuildId });
        Assert.True(denied.IsError, Text(denied));
        Assert.Contains("bot_missing_per", Text(denied), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_invites_guild_wide_lists_every_channels_invites_when_the_bot_has_manage_guild()
    {
        // Before the host reads the guild (its permission view is cached for a short while).
        _host.Sandbox.State.AddMember(DemoGuild.GuildId, DemoGuild.BotUserId, [DemoGuild.BotRoleId, DemoGuild.AdminRoleId]);
        var first = await CreateInviteAsync(DemoGuild.RandomChannelId);
        var second = await CreateInviteAsync(DemoGuild.GeneralChannelId);
        var all = await _host.CallAsync("discord_list_invites", new() { ["guild_id"] = DemoGuild.GuildId });
        Assert.True(all.IsError != true, Text(all));
        var codes = Structured(all).GetProperty("invites").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([.. new[] { first, second }.Order(StringComparer.Ordinal)], codes);
        Assert.Contains("2 invites", Text(all), StringComparison.Ordinal);
    }

    private async Task<string> CreateInviteAsync(string channelId) =>
        (await _host.App.Services.GetRequiredService<DiscordRestClient>().CreateChannelInviteAsync(new Snowflake(ulong.Parse(channelId, System.Globalization.CultureInfo.InvariantCulture)),
            new Discord.Client.Models.CreateInviteRequest { MaxAge = 0, Unique = true })).Code;

    private async Task<string> OtherGuildInviteAsync()
    {
        var other = _host.Sandbox.State.AddGuild("Elsewhere", DemoGuild.AdminUserId);
        var lobby = _host.Sandbox.State.AddChannel(other, "lobby");
        return await CreateInviteAsync(lobby);
    }

    private List<JsonObject> Invites() =>
        [.. JsonNode.Parse(_host.Snapshot())!["invites"]!.AsArray().Select(i => i!.AsObject())];
}
