using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Mcp.Tests;

public sealed class GuildContextCacheTests
{
    private static readonly Snowflake Guild = Snowflake.Parse("1213093380096131072");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 23, 12, 0, 0, TimeSpan.Zero));
    private int _loads;

    private Func<Task<string>> Load(string value = "ctx") => () =>
    {
        Interlocked.Increment(ref _loads);
        return Task.FromResult(value + _loads);
    };

    [Fact]
    public async Task A_second_read_within_the_lifetime_reuses_the_first_load()
    {
        var cache = new GuildContextCache<string>(_time);

        var first = await cache.GetAsync(Guild, Load(), CancellationToken.None);
        _time.Advance(GuildContextCache<string>.Lifetime - TimeSpan.FromMilliseconds(1));
        var second = await cache.GetAsync(Guild, Load(), CancellationToken.None);

        Assert.Equal(1, _loads);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_read_after_the_lifetime_loads_again()
    {
        var cache = new GuildContextCache<string>(_time);

        await cache.GetAsync(Guild, Load(), CancellationToken.None);
        _time.Advance(GuildContextCache<string>.Lifetime);
        var again = await cache.GetAsync(Guild, Load(), CancellationToken.None);

        Assert.Equal(2, _loads);
        Assert.Equal("ctx2", again);
    }

    [Fact]
    public async Task Invalidate_makes_the_next_read_load_again()
    {
        var cache = new GuildContextCache<string>(_time);

        await cache.GetAsync(Guild, Load(), CancellationToken.None);
        cache.Invalidate(Guild);
        await cache.GetAsync(Guild, Load(), CancellationToken.None);

        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_load_in_flight()
    {
        var cache = new GuildContextCache<string>(_time);
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        Task<string> Slow()
        {
            Interlocked.Increment(ref loads);
            return gate.Task;
        }

        var readers = Enumerable.Range(0, 8).Select(_ => cache.GetAsync(Guild, Slow, CancellationToken.None)).ToArray();
        gate.SetResult("shared");
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, loads);
        Assert.All(results, r => Assert.Equal("shared", r));
    }

    [Fact]
    public async Task A_failed_load_is_not_cached()
    {
        var cache = new GuildContextCache<string>(_time);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.GetAsync(Guild, () => Task.FromException<string>(new InvalidOperationException("Discord down")), CancellationToken.None));
        var next = await cache.GetAsync(Guild, Load(), CancellationToken.None);

        Assert.Equal("ctx1", next);
    }

    [Fact]
    public async Task A_cancelled_reader_stops_waiting_without_cancelling_the_shared_load()
    {
        var cache = new GuildContextCache<string>(_time);
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();

        var impatient = cache.GetAsync(Guild, () => gate.Task, cancel.Token);
        var patient = cache.GetAsync(Guild, () => gate.Task, CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        gate.SetResult("loaded");

        Assert.Equal("loaded", await patient);
    }

    [Fact]
    public async Task The_cache_never_holds_more_than_its_bound()
    {
        var cache = new GuildContextCache<string>(_time);

        for (var i = 0; i < GuildContextCache<string>.MaxGuilds * 2; i++)
            await cache.GetAsync(new Snowflake(1_000_000UL + (ulong)i), Load(), CancellationToken.None);

        Assert.InRange(cache.Count, 1, GuildContextCache<string>.MaxGuilds);
    }
}
