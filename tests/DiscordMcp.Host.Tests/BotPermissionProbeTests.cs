using System.Globalization;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests;

/// <summary>The Discord-backed <see cref="IBotPermissionProbe"/> against the sandbox's demo guild.</summary>
public sealed class BotPermissionProbeTests
{
    private static ulong Id(string id) => ulong.Parse(id, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Probe_answers_membership_permissions_and_ownership_from_one_cached_guild_snapshot()
    {
        var counter = new DiscordRequestCounter();
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true),
            configureServices: s => s.AddSecretScanCapture("Host.Tests BotPermissionProbeTests")
                .AddHttpClient(DiscordClientServiceCollectionExtensions.HttpClientName)
                .AddHttpMessageHandler(() => new DiscordRequestCounter.Handler(counter)));
        var probe = app.Services.GetRequiredService<IBotPermissionProbe>();
        var sandbox = app.Services.GetRequiredService<SandboxHost>();
        var otherGuild = sandbox.State.AddGuild("Elsewhere", DemoGuild.AdminUserId);
        var otherChannel = sandbox.State.AddChannel(otherGuild, "elsewhere-general");
        var guild = Id(DemoGuild.GuildId);
        var ct = CancellationToken.None;

        Assert.True(await probe.IsBotInGuildAsync(guild, ct));
        var afterSnapshot = counter.Count;
        var general = await probe.GetChannelPermissionsAsync(guild, Id(DemoGuild.GeneralChannelId), ct);
        var staff = await probe.GetChannelPermissionsAsync(guild, Id(DemoGuild.StaffPrivateChannelId), ct);
        Assert.Equal(guild, await probe.GetOwningGuildAsync(ResourceKind.Channel, Id(DemoGuild.GeneralChannelId), null, ct));
        Assert.Equal(afterSnapshot, counter.Count); // served from the snapshot

        Assert.NotEqual(0UL, general & (ulong)DiscordPermissions.ViewChannel);
        Assert.NotEqual(0UL, general & (ulong)DiscordPermissions.ReadMessageHistory);
        Assert.NotEqual(0UL, staff & (ulong)DiscordPermissions.ViewChannel); // the staff overwrite allows the bot's role
        Assert.NotEqual(0UL, await probe.GetGuildPermissionsAsync(guild, ct) & (ulong)DiscordPermissions.ViewAuditLog);
        Assert.True(await probe.GetBotTopRolePositionAsync(guild, ct) > 0);
        Assert.NotNull(await probe.GetRolePositionAsync(guild, Id(DemoGuild.AdminRoleId), ct));

        // Cross-guild: a channel of another guild is owned by that guild, not the demo guild; unknown ids have no owner.
        Assert.Equal(Id(otherGuild), await probe.GetOwningGuildAsync(ResourceKind.Channel, Id(otherChannel), null, ct));
        Assert.Null(await probe.GetOwningGuildAsync(ResourceKind.Channel, 1500000000000000001, null, ct));
        Assert.Null(await probe.GetRolePositionAsync(guild, 1500000000000000001, ct));
        Assert.Equal(guild, await probe.GetOwningGuildAsync(ResourceKind.Role, Id(DemoGuild.AdminRoleId), null, ct));
    }

    [Fact]
    public async Task Member_permissions_use_the_same_math_as_the_bots_roles_overwrites_and_ownership()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true),
            configureServices: s => s.AddSecretScanCapture("Host.Tests BotPermissionProbeTests members"));
        var probe = app.Services.GetRequiredService<IBotPermissionProbe>();
        var guild = Id(DemoGuild.GuildId);
        var general = Id(DemoGuild.GeneralChannelId);
        var staff = Id(DemoGuild.StaffPrivateChannelId);
        var ct = CancellationToken.None;
        const ulong view = (ulong)DiscordPermissions.ViewChannel;
        const ulong manageChannels = (ulong)DiscordPermissions.ManageChannels;
        const ulong manageMessages = (ulong)DiscordPermissions.ManageMessages;

        var newUserGeneral = await probe.GetMemberPermissionsAsync(guild, general, Id(DemoGuild.NewUserId), ct);
        var newUserStaff = await probe.GetMemberPermissionsAsync(guild, staff, Id(DemoGuild.NewUserId), ct);
        var moderatorStaff = await probe.GetMemberPermissionsAsync(guild, staff, Id(DemoGuild.ModeratorUserId), ct);
        var moderatorGuild = await probe.GetMemberPermissionsAsync(guild, null, Id(DemoGuild.ModeratorUserId), ct);
        var owner = await probe.GetMemberPermissionsAsync(guild, staff, Id(DemoGuild.AdminUserId), ct);

        // A plain member sees #general but manages nothing; the staff category's @everyone deny hides #staff-private.
        Assert.NotEqual(0UL, newUserGeneral!.Value & view);
        Assert.Equal(0UL, newUserGeneral.Value & (manageChannels | manageMessages));
        Assert.Equal(0UL, newUserStaff);
        // The Moderator role's overwrite lets moderators in; their role gives Manage Messages but not Manage Channels.
        Assert.NotEqual(0UL, moderatorStaff!.Value & view);
        Assert.NotEqual(0UL, moderatorStaff.Value & manageMessages);
        Assert.Equal(0UL, moderatorGuild!.Value & manageChannels);
        // The owner (and Administrator) has everything, wherever.
        Assert.Equal((ulong)DiscordPermissionSet.All, owner);
        // Someone who is not a member has no permissions at all to lend.
        Assert.Null(await probe.GetMemberPermissionsAsync(guild, general, 1500000000000000001, ct));
        // A channel of another guild gives a member of this one nothing.
        var sandbox = app.Services.GetRequiredService<SandboxHost>();
        var otherChannel = sandbox.State.AddChannel(sandbox.State.AddGuild("Elsewhere", DemoGuild.AdminUserId), "elsewhere-general");
        Assert.Equal(0UL, await probe.GetMemberPermissionsAsync(guild, Id(otherChannel), Id(DemoGuild.ModeratorUserId), ct));
    }
}
