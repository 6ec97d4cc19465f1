using DiscordMcp.Mcp.Writes;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Mcp.Tests;

/// <summary>The confirmation's routing memory: only unexpired actions, forgotten on request, and bounded.</summary>
public sealed class PendingActionRoutesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_route_is_known_until_its_action_expires_or_it_is_forgotten()
    {
        var routes = new PendingActionRoutes(_time);
        routes.Remember("pa_1", "discord_create_channel", "{\"name\":\"a\"}", _time.GetUtcNow().AddMinutes(10));
        routes.Remember("pa_2", "discord_delete_channel", "{\"channel\":\"5\"}", _time.GetUtcNow().AddMinutes(10));

        Assert.True(routes.TryGet("pa_1", out var tool, out var arguments));
        Assert.Equal(("discord_create_channel", "{\"name\":\"a\"}"), (tool, arguments));
        Assert.False(routes.TryGet("pa_unknown", out _, out _));

        routes.Forget("pa_1");
        Assert.False(routes.TryGet("pa_1", out _, out _));

        _time.Advance(TimeSpan.FromMinutes(10)); // expires exactly now
        Assert.False(routes.TryGet("pa_2", out _, out _));
        Assert.Equal(0, routes.Count); // an expired route is dropped when asked for
    }

    [Fact]
    public void When_full_expired_routes_make_room_and_otherwise_new_ones_are_not_kept()
    {
        var routes = new PendingActionRoutes(_time);
        var soon = _time.GetUtcNow().AddMinutes(1);
        var later = _time.GetUtcNow().AddMinutes(10);
        for (var i = 0; i < PendingActionRoutes.Capacity; i++)
            routes.Remember("pa_" + i, "discord_send_message", "{}", i % 2 == 0 ? soon : later);

        routes.Remember("pa_full", "discord_send_message", "{}", later);
        Assert.False(routes.TryGet("pa_full", out _, out _)); // full of live routes: the store will answer for it
        Assert.Equal(PendingActionRoutes.Capacity, routes.Count);

        _time.Advance(TimeSpan.FromMinutes(1));
        routes.Remember("pa_after", "discord_send_message", "{}", later);
        Assert.True(routes.TryGet("pa_after", out _, out _));
        Assert.Equal(PendingActionRoutes.Capacity / 2 + 1, routes.Count);
        Assert.True(routes.TryGet("pa_1", out _, out _)); // a live one survived the clean-up
    }
}
