using System.Collections.Concurrent;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// A call that may execute plans on the cached guild state (which the policy layers judge) and, at the same time, on
/// state read from Discord now; the fresh plan must agree before anything is sent. The host's clock is frozen here, so
/// the guild state the dry run cached is still "fresh enough" at confirmation: exactly the case where a stale plan could
/// slip through if the fresh read were skipped.
/// </summary>
public sealed class ConfirmationReplanTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<string> _requests = new();
    private WriteTestHost _host = null!;

    // With the clock frozen, nothing that waits for time may be reached: the sandbox's buckets and the client's global
    // pacing are raised so that no request ever waits for a refill.
    private static readonly Dictionary<string, string?> NoPacing = new()
    {
        ["Sandbox__RateLimits__Enabled"] = "false",
        ["Sandbox__RateLimits__GlobalPerSecond"] = "1000000",
        ["Sandbox__RateLimits__DefaultLimit"] = "1000000",
        ["Discord__GlobalRequestsPerSecond"] = "1000000",
    };

    public async Task InitializeAsync() =>
        _host = await WriteTestHost.StartAsync(NoPacing, scanName: "Host.Tests ConfirmationReplan", configure: services => services
            .AddSingleton<TimeProvider>(_time)
            .AddHttpClient(DiscordClientServiceCollectionExtensions.HttpClientName)
            .AddHttpMessageHandler(() => new Recorder(_requests)));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task With_the_guild_still_cached_a_confirmation_reads_it_from_Discord_before_executing()
    {
        var dry = await _host.CallAsync("discord_assign_role", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Luis", ["role"] = "Support" });
        Assert.True(dry.IsError != true, Text(dry));
        _requests.Clear();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError != true, Text(confirmed));
        Assert.Equal("executed", Structured(confirmed).GetProperty("status").GetString());
        var sent = _requests.ToList();
        var channelsRead = sent.IndexOf($"GET /api/v10/guilds/{DemoGuild.GuildId}/channels");
        var write = sent.FindIndex(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains($"/roles/{DemoGuild.SupportRoleId}", StringComparison.Ordinal));
        Assert.True(channelsRead >= 0, "the confirmation did not read the guild fresh: " + string.Join(", ", sent));
        Assert.True(write > channelsRead, "the role was not assigned after the fresh read: " + string.Join(", ", sent));
        Assert.Contains(DemoGuild.SupportRoleId, await MemberRolesAsync(DemoGuild.LuisUserId));
    }

    [Fact]
    public async Task A_role_recreated_under_the_same_name_after_the_plan_is_drift_and_nothing_is_assigned()
    {
        var dry = await _host.CallAsync("discord_assign_role", new() { ["guild_id"] = DemoGuild.GuildId, ["member"] = "@Luis", ["role"] = "Support" });
        Assert.True(dry.IsError != true, Text(dry));
        // Behind the server's back: "Support" is now another role (another id) than the one the policy layers will judge.
        var client = _host.App.Services.GetRequiredService<DiscordRestClient>();
        var guild = Snowflake.Parse(DemoGuild.GuildId);
        await client.DeleteRoleAsync(guild, Snowflake.Parse(DemoGuild.SupportRoleId));
        var replacement = await client.CreateRoleAsync(guild, new CreateRoleRequest { Name = "Support" });
        var before = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("I would now", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("Nothing was sent to Discord", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());
        Assert.DoesNotContain(replacement.Id.ToString(), await MemberRolesAsync(DemoGuild.LuisUserId));
        var events = await _host.AuditAsync("discord_assign_role");
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Executing);
        Assert.Contains(events, e => e.Outcome == AuditOutcome.Failed && e.Message!.Contains("changed", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(events, e => e.Outcome == AuditOutcome.Executed);
    }

    [Fact]
    public async Task A_name_taken_after_the_plan_is_drift_even_while_the_cache_holds_the_old_state()
    {
        var dry = await _host.CallAsync("discord_create_channel", new() { ["guild_id"] = DemoGuild.GuildId, ["name"] = "launch-room" });
        Assert.True(dry.IsError != true, Text(dry));
        _host.Sandbox.State.AddChannel(DemoGuild.GuildId, "launch-room");
        var before = _host.Snapshot();

        var confirmed = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });

        Assert.True(confirmed.IsError);
        Assert.Contains("the server changed since the plan", Text(confirmed), StringComparison.Ordinal);
        Assert.Contains("already exists", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, _host.Snapshot());

        // Used up (the layers consumed it before the fresh plan disagreed): a second confirmation is a replay.
        var again = await _host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.True(again.IsError);
        Assert.Equal(before, _host.Snapshot());
    }

    private async Task<List<string>> MemberRolesAsync(string userId) =>
        [.. (await _host.MemberAsync(userId))!.Roles.Select(r => r.ToString())];

    /// <summary>Records "METHOD /path" of every request the host's Discord client sends.</summary>
    private sealed class Recorder(ConcurrentQueue<string> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
