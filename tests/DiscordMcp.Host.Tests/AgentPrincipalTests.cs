using System.Globalization;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// The agent's principal end to end, in process: the host's own pipeline, the Discord-backed probe over the sandbox and the
/// host's audit store. A member acting through the agent gets exactly their own Discord permissions, never the bot's.
/// </summary>
public sealed class AgentPrincipalTests
{
    private static readonly ToolDescriptor CreateChannel = new("discord_create_channel", "channels", ToolAccess.Write);
    private static readonly ulong Guild = ulong.Parse(DemoGuild.GuildId, CultureInfo.InvariantCulture);

    private static PolicyRequest AsMember(string userId) => new()
    {
        Credential = new DiscordUserCredential("default", ulong.Parse(userId, CultureInfo.InvariantCulture), "member") { GuildId = Guild },
        Tool = CreateChannel,
        GuildId = Guild,
        RequiredBotPermissions = (ulong)DiscordPermissions.ManageChannels,
        CanonicalArguments = """{"guild_id":"1213093380096131072","name":"agent-made"}""",
    };

    [Fact]
    public async Task A_member_without_Manage_Channels_is_denied_as_themselves_and_a_moderator_who_has_it_gets_the_plan()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true),
            configureServices: s => s.AddSecretScanCapture("Host.Tests AgentPrincipalTests"));
        await app.StartAsync();
        var pipeline = app.Services.GetRequiredService<PolicyPipeline>();
        var audit = app.Services.GetRequiredService<IAuditLog>();
        var executions = 0;
        ValueTask<int> Execute(PolicyContext _, CancellationToken __)
        {
            executions++;
            return ValueTask.FromResult(1);
        }

        // The bot can create channels; new-user cannot, and the bot does not lend its permission.
        var denied = await pipeline.RunAsync(AsMember(DemoGuild.NewUserId), Execute, CancellationToken.None);

        Assert.Equal(PolicyVerdict.Deny, denied.Decision.Verdict);
        Assert.Equal(ReasonCodes.PlatformPermissionDenied, denied.Decision.ReasonCode);
        Assert.Equal("You lack Manage Channels in this server, so the agent will not do this for you. Ask a server moderator.", denied.Decision.Message);
        var deniedEvent = Assert.Single(await audit.ReadAsync(new AuditQuery(CallId: denied.CallId), CancellationToken.None));
        Assert.Equal(("discord:" + DemoGuild.NewUserId, "agent", AuditDecision.Denied, "platform_permission"),
            (deniedEvent.PrincipalId, deniedEvent.EntryPoint, deniedEvent.Decision, deniedEvent.Layer));

        // The demo Moderator role lacks Manage Channels too; a server admin gives moderators a role that has it, and the
        // next call sees it.
        var rest = app.Services.GetRequiredService<DiscordRestClient>();
        var stillDenied = await pipeline.RunAsync(AsMember(DemoGuild.ModeratorUserId), Execute, CancellationToken.None);
        Assert.Equal(ReasonCodes.PlatformPermissionDenied, stillDenied.Decision.ReasonCode);
        var channelManagers = await rest.CreateRoleAsync(new Snowflake(Guild), new CreateRoleRequest { Name = "Channel managers", Permissions = DiscordPermissions.ManageChannels });
        await rest.AddMemberRoleAsync(new Snowflake(Guild), new Snowflake(ulong.Parse(DemoGuild.ModeratorUserId, CultureInfo.InvariantCulture)), channelManagers.Id);
        app.Services.GetRequiredService<IBotPermissionProbe>().Invalidate(Guild);

        var planned = await pipeline.RunAsync(AsMember(DemoGuild.ModeratorUserId), Execute, CancellationToken.None);

        // Allowed by every permission layer: a write from the agent becomes a pending action (the plan with buttons).
        Assert.Equal(PolicyVerdict.Pending, planned.Decision.Verdict);
        var plannedEvent = Assert.Single(await audit.ReadAsync(new AuditQuery(CallId: planned.CallId), CancellationToken.None));
        Assert.Equal(("discord:" + DemoGuild.ModeratorUserId, "agent", AuditDecision.Pending), (plannedEvent.PrincipalId, plannedEvent.EntryPoint, plannedEvent.Decision));
        Assert.Equal(0, executions);
        Assert.Equal(2, (await audit.ReadAsync(new AuditQuery(EntryPoint: AuditEntryPoints.Agent, Decision: AuditDecision.Denied), CancellationToken.None)).Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_member_is_denied_in_a_guild_other_than_the_one_they_asked_in()
    {
        await using var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true),
            configureServices: s => s.AddSecretScanCapture("Host.Tests AgentPrincipalTests guild"));
        await app.StartAsync();
        var pipeline = app.Services.GetRequiredService<PolicyPipeline>();
        var request = AsMember(DemoGuild.AdminUserId) with { Credential = new DiscordUserCredential("default", ulong.Parse(DemoGuild.AdminUserId, CultureInfo.InvariantCulture)) { GuildId = 4242 } };

        var result = await pipeline.RunAsync(request, (_, _) => ValueTask.FromResult(1), CancellationToken.None);

        Assert.Equal(ReasonCodes.AgentGuildMismatch, result.Decision.ReasonCode);
        Assert.False(result.Executed);
        await app.StopAsync();
    }
}
