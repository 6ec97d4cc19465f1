using DiscordMcp.Host.Gateway;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>
/// The gateway's lease keeping on a fake clock (lease 15 s: renew every 5 s, stop 3 s before expiry, standby polls every
/// 1.5 s): renewals keep the shard, a holder that cannot renew stops BEFORE another process can take the shard, a
/// standby takes over after expiry, and stopping releases the shard at once.
/// </summary>
public sealed class ShardLeaseKeeperTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10); // real-time safety net, never the assertion
    private static readonly GatewayLeaseSettings Settings = GatewayLeaseSettings.Default;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private ShardLeaseKeeper Keeper(IShardLeases store) => new(store, Settings, _time, NullLogger<ShardLeaseKeeper>.Instance);

    [Fact]
    public void Defaults_are_one_shard_and_a_15_second_lease_renewed_every_5_seconds()
    {
        Assert.Equal(1, Settings.ShardCount);
        Assert.Equal(TimeSpan.FromSeconds(15), Settings.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), Settings.RenewEvery);
        Assert.Equal(new GatewayLeaseSettings(4, TimeSpan.FromSeconds(3)), GatewayLeaseSettings.Parse("4", " 3 "));
        var error = Assert.Throws<Host.Configuration.HostConfigurationException>(() => GatewayLeaseSettings.Parse(null, "1"));
        Assert.Contains("GATEWAY_LEASE_SECONDS", error.Message, StringComparison.Ordinal);
        Assert.Contains("GATEWAY_SHARD_COUNT", Assert.Throws<Host.Configuration.HostConfigurationException>(() => GatewayLeaseSettings.Parse("0", null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renewals_keep_the_shard_past_the_first_lease_time()
    {
        var store = new InMemoryShardLeases(_time);
        await using var held = await Keeper(store).AcquireAsync(0, CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            var renewed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            held.Renewed += Signal;
            _time.Advance(Settings.RenewEvery);
            await renewed.Task.WaitAsync(Guard);
            held.Renewed -= Signal;

            void Signal(ShardLease _) => renewed.TrySetResult();
        }
        // 20 s in: beyond the first lease, still held, and nobody else gets it.
        Assert.False(held.Lost.IsCancellationRequested);
        Assert.Null(await store.TryAcquireAsync(0, "other", Settings.LeaseDuration, CancellationToken.None));
    }

    [Fact]
    public async Task A_holder_that_cannot_renew_stops_before_its_lease_expires_and_another_takes_over_after()
    {
        var store = new InMemoryShardLeases(_time);
        var failing = new FailingRenewals(store);
        var held = await Keeper(failing).AcquireAsync(0, CancellationToken.None);
        failing.Down = true; // Redis unreachable from the holder from now on

        _time.Advance(Settings.LeaseDuration - Settings.SafetyMargin - TimeSpan.FromMilliseconds(1));
        Assert.False(held.Lost.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(held.Lost.IsCancellationRequested);

        // The holder has stopped; the shard is still leased to it, so nobody can have connected it meanwhile.
        Assert.Null(await store.TryAcquireAsync(0, "other", Settings.LeaseDuration, CancellationToken.None));
        _time.Advance(Settings.SafetyMargin);
        await using var takeover = await Keeper(store).AcquireAsync(0, CancellationToken.None).WaitAsync(Guard);
        Assert.True(takeover.Lease.FencingToken > held.Lease.FencingToken);
        failing.Down = false;
        await held.DisposeAsync(); // a late release by the old holder does not free the new holder's lease
        Assert.Null(await store.TryAcquireAsync(0, "third", Settings.LeaseDuration, CancellationToken.None));
    }

    [Fact]
    public async Task A_renewal_refused_by_the_store_loses_the_shard_at_once()
    {
        var store = new InMemoryShardLeases(_time);
        await using var held = await Keeper(store).AcquireAsync(0, CancellationToken.None);
        await store.ReleaseAsync(held.Lease, CancellationToken.None); // e.g. an operator freed it, another took it
        var thief = await store.TryAcquireAsync(0, "other", Settings.LeaseDuration, CancellationToken.None);
        Assert.NotNull(thief);

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = held.Lost.Register(() => lost.TrySetResult());
        _time.Advance(Settings.RenewEvery);
        await lost.Task.WaitAsync(Guard); // at the first renewal, 5 s in, long before the 12 s deadline
    }

    [Fact]
    public async Task A_standby_waits_while_the_shard_is_held_and_takes_it_when_the_holder_stops()
    {
        var store = new InMemoryShardLeases(_time);
        var holder = await Keeper(store).AcquireAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var standby = Keeper(store).AcquireAsync(0, cancel.Token);
        Assert.False(standby.IsCompleted);

        await holder.DisposeAsync(); // graceful stop: the lease is released
        _time.Advance(Settings.StandbyPoll);
        await using var taken = await standby.WaitAsync(Guard);
        Assert.True(taken.Lease.FencingToken > holder.Lease.FencingToken);
    }

    /// <summary>Renewals throw while <see cref="Down"/> (the shared store unreachable); the rest passes through.</summary>
    private sealed class FailingRenewals(IShardLeases inner) : IShardLeases
    {
        public volatile bool Down;

        public ValueTask<ShardLease?> TryAcquireAsync(int shardId, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
            Down ? throw new TimeoutException("store down") : inner.TryAcquireAsync(shardId, owner, duration, cancellationToken);

        public ValueTask<bool> RenewAsync(ShardLease lease, TimeSpan duration, CancellationToken cancellationToken) =>
            Down ? throw new TimeoutException("store down") : inner.RenewAsync(lease, duration, cancellationToken);

        public ValueTask ReleaseAsync(ShardLease lease, CancellationToken cancellationToken) =>
            Down ? throw new TimeoutException("store down") : inner.ReleaseAsync(lease, cancellationToken);
    }
}
