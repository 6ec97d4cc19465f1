using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage.SharedState;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Storage.Tests;

/// <summary>
/// The shard-lease rules, checked alike on the in-memory store and on the real Redis (two connections standing for two
/// processes): acquire, renew, expiry, takeover with a larger fencing token, owner-checked renew and release.
/// </summary>
public sealed class ShardLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    public static TheoryData<string> Stores => ["memory", "redis"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Only_one_owner_holds_a_shard_and_its_renewals_keep_it(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var a = await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None);
        Assert.NotNull(a);
        Assert.Null(await world.B.TryAcquireAsync(0, "b", Lease, CancellationToken.None));
        // Another shard is independent.
        Assert.NotNull(await world.B.TryAcquireAsync(1, "b", Lease, CancellationToken.None));

        // Renewed every third of the lease: after three whole lease times it is still a's.
        for (var i = 0; i < 9; i++)
        {
            world.Time.Advance(Lease / 3);
            Assert.True(await world.A.RenewAsync(a, Lease, CancellationToken.None));
            Assert.Null(await world.B.TryAcquireAsync(0, "b", Lease, CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_unrenewed_lease_expires_then_another_owner_takes_over_with_a_larger_fencing_token(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var a = (await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None))!;

        world.Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        Assert.Null(await world.B.TryAcquireAsync(0, "b", Lease, CancellationToken.None));
        world.Time.Advance(TimeSpan.FromMilliseconds(1));
        var b = await world.B.TryAcquireAsync(0, "b", Lease, CancellationToken.None);

        Assert.NotNull(b);
        Assert.True(b.FencingToken > a.FencingToken);
        // The old holder can neither renew nor release the new holder's lease.
        Assert.False(await world.A.RenewAsync(a, Lease, CancellationToken.None));
        await world.A.ReleaseAsync(a, CancellationToken.None);
        Assert.Null(await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None));
        Assert.True(await world.B.RenewAsync(b, Lease, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_expired_lease_is_not_renewed_even_when_nobody_took_it(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var a = (await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None))!;
        world.Time.Advance(Lease);
        Assert.False(await world.A.RenewAsync(a, Lease, CancellationToken.None));
        var again = await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None);
        Assert.NotNull(again);
        Assert.True(again.FencingToken > a.FencingToken);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Release_frees_the_shard_at_once(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var a = (await world.A.TryAcquireAsync(0, "a", Lease, CancellationToken.None))!;
        await world.A.ReleaseAsync(a, CancellationToken.None);
        var b = await world.B.TryAcquireAsync(0, "b", Lease, CancellationToken.None);
        Assert.NotNull(b);
        Assert.False(await world.A.RenewAsync(a, Lease, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Concurrent_acquirers_get_exactly_one_grant(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var grants = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? world.A : world.B).TryAcquireAsync(0, "owner-" + i, Lease, CancellationToken.None).AsTask()));
        Assert.Single(grants, g => g is not null);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_event_is_claimed_once_across_stores(string kind)
    {
        await using var world = await World.CreateAsync(kind);
        var claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? world.ClaimsA : world.ClaimsB).TryClaimAsync("interaction:42", TimeSpan.FromMinutes(1), CancellationToken.None).AsTask()));
        Assert.Single(claims, c => c);
        Assert.True(await world.ClaimsB.TryClaimAsync("interaction:43", TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    /// <summary>Two handles on one store: the in-memory store shared, or two Redis connections (two processes).</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly IDisposable[] _connections;

        private World(FakeTimeProvider time, IShardLeases a, IShardLeases b, IEventClaims claimsA, IEventClaims claimsB, params IDisposable[] connections)
        {
            (Time, A, B, ClaimsA, ClaimsB, _connections) = (time, a, b, claimsA, claimsB, connections);
        }

        public FakeTimeProvider Time { get; }
        public IShardLeases A { get; }
        public IShardLeases B { get; }
        public IEventClaims ClaimsA { get; }
        public IEventClaims ClaimsB { get; }

        public static async Task<World> CreateAsync(string kind)
        {
            // Redis also expires the key on its own clock after the lease, so the fake clock starts at the real now.
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            if (kind == "memory")
            {
                var leases = new InMemoryShardLeases(time);
                var claims = new InMemoryEventClaims(time);
                return new World(time, leases, leases, claims, claims);
            }
            var one = await Services.ConnectRedisAsync();
            var two = await Services.ConnectRedisAsync();
            var prefix = "dmcp-test:" + Guid.NewGuid().ToString("N") + ":";
            return new World(time, new RedisShardLeases(one, time, prefix), new RedisShardLeases(two, time, prefix),
                new RedisEventClaims(one, prefix), new RedisEventClaims(two, prefix), one, two);
        }

        public ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
                connection.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
