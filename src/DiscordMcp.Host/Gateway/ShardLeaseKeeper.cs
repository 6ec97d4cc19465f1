using System.Globalization;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Gateway;

/// <summary>
/// How gateway shards are shared out in a cluster: <c>GATEWAY_SHARD_COUNT</c> shards (default 1), each leased for
/// <c>GATEWAY_LEASE_SECONDS</c> (default 15), renewed every third of that.
/// </summary>
internal sealed record GatewayLeaseSettings(int ShardCount, TimeSpan LeaseDuration)
{
    public const string ShardCountKey = "Discord:GatewayShardCount";
    public const string LeaseSecondsKey = "Discord:GatewayLeaseSeconds";
    public const int DefaultLeaseSeconds = 15;
    public const int MinLeaseSeconds = 2;
    public const int MaxLeaseSeconds = 300;
    public const int MaxShardCount = 1024;

    public static GatewayLeaseSettings Default { get; } = new(1, TimeSpan.FromSeconds(DefaultLeaseSeconds));

    /// <summary>Renewal every third of the lease.</summary>
    public TimeSpan RenewEvery => LeaseDuration / 3;

    /// <summary>A standby asks for the shard every tenth of the lease, so it takes over soon after the lease expires.</summary>
    public TimeSpan StandbyPoll => LeaseDuration / 10;

    /// <summary>
    /// A holder stops this long before its lease could expire (a fifth of it): room for the clocks of two processes to
    /// differ and for the connection to close, so that no other process can hold the shard while this one still handles it.
    /// </summary>
    public TimeSpan SafetyMargin => LeaseDuration / 5;

    /// <summary>Reads the settings; a bad value fails with a message naming the variable and its range.</summary>
    public static GatewayLeaseSettings Parse(string? shardCount, string? leaseSeconds) => new(
        ParseWhole(shardCount, "GATEWAY_SHARD_COUNT", 1, MaxShardCount, 1),
        TimeSpan.FromSeconds(ParseWhole(leaseSeconds, "GATEWAY_LEASE_SECONDS", MinLeaseSeconds, MaxLeaseSeconds, DefaultLeaseSeconds)));

    private static int ParseWhole(string? value, string name, int min, int max, int fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
            return fallback;
        return int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new Configuration.HostConfigurationException($"{name} must be a whole number from {min} to {max}; got '{value}'.");
    }
}

/// <summary>
/// Holds gateway shard leases for this process. <see cref="AcquireAsync"/> waits (polling every tenth of the lease) until
/// the shard is granted; the returned <see cref="HeldShard"/> renews it and signals <see cref="HeldShard.Lost"/> when it
/// could not renew in time — a safety margin BEFORE the lease can expire, so the shard is disconnected here before any
/// other process can take it. All timing runs on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class ShardLeaseKeeper(IShardLeases leases, GatewayLeaseSettings settings, TimeProvider time, ILogger<ShardLeaseKeeper> logger)
{
    /// <summary>This process's owner name in the leases (host, process id and a random part; not a secret).</summary>
    public string Owner { get; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    public GatewayLeaseSettings Settings { get; } = settings;

    private IShardLeases Store { get; } = leases;

    private TimeProvider Time { get; } = time;

    private ILogger Logger { get; } = logger;

    public async Task<HeldShard> AcquireAsync(int shardId, CancellationToken cancellationToken)
    {
        var waiting = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Time.GetTimestamp();
            ShardLease? lease = null;
            try
            {
                lease = await Store.TryAcquireAsync(shardId, Owner, Settings.LeaseDuration, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeaseStoreFailed(Logger, shardId, ex);
            }
            if (lease is not null)
            {
                Log.Acquired(Logger, shardId, lease.FencingToken);
                return new HeldShard(lease, this, started);
            }
            if (!waiting)
            {
                Log.Standby(Logger, shardId);
                waiting = true;
            }
            await Task.Delay(Settings.StandbyPoll, Time, cancellationToken);
        }
    }

    /// <summary>One held lease: renews itself until disposed (which releases it) or lost.</summary>
    internal sealed class HeldShard : IAsyncDisposable
    {
        private readonly ShardLeaseKeeper _keeper;
        private readonly CancellationTokenSource _lost;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public HeldShard(ShardLease lease, ShardLeaseKeeper keeper, long grantedSince)
        {
            Lease = lease;
            _keeper = keeper;
            var time = keeper.Time;
            _lost = new CancellationTokenSource(Remaining(grantedSince), time);
            _lost.Token.Register(() => Log.Lost(keeper.Logger, lease.ShardId, lease.FencingToken));
            var firstDelay = Task.Delay(keeper.Settings.RenewEvery, time, _stop.Token);
            _renewing = Task.Run(() => RenewLoopAsync(firstDelay, _stop.Token), CancellationToken.None);
        }

        public ShardLease Lease { get; }

        /// <summary>Cancelled when the lease is lost: stop handling the shard's events at once.</summary>
        public CancellationToken Lost => _lost.Token;

        /// <summary>Raised after each successful renewal (tests wait on it).</summary>
        public event Action<ShardLease>? Renewed;

        /// <summary>Time left before this process must have stopped, for a lease requested at <paramref name="requestedAt"/>.</summary>
        private TimeSpan Remaining(long requestedAt)
        {
            var settings = _keeper.Settings;
            var left = settings.LeaseDuration - settings.SafetyMargin - _keeper.Time.GetElapsedTime(requestedAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        private async Task RenewLoopAsync(Task firstDelay, CancellationToken stop)
        {
            var settings = _keeper.Settings;
            var time = _keeper.Time;
            var delay = firstDelay;
            try
            {
                while (true)
                {
                    await delay;
                    if (_lost.IsCancellationRequested)
                        return;
                    var requested = time.GetTimestamp();
                    bool? renewed;
                    try
                    {
                        renewed = await _keeper.Store.RenewAsync(Lease, settings.LeaseDuration, stop);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Unknown: the lease may still be ours; keep trying until the deadline, which still stands.
                        Log.LeaseStoreFailed(_keeper.Logger, Lease.ShardId, ex);
                        renewed = null;
                    }
                    if (renewed == false)
                    {
                        await _lost.CancelAsync();
                        return;
                    }
                    if (renewed == true)
                        _lost.CancelAfter(Remaining(requested));
                    // The next wait is armed before anyone hears of this renewal (tests advance a fake clock on it).
                    delay = Task.Delay(settings.RenewEvery, time, stop);
                    if (renewed == true)
                        Renewed?.Invoke(Lease);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>Stops renewing and releases the lease (if still held), so a standby can take the shard at once.</summary>
        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            try
            {
                await _keeper.Store.ReleaseAsync(Lease, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeaseStoreFailed(_keeper.Logger, Lease.ShardId, ex);
            }
            _lost.Dispose();
            _stop.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Discord gateway: this process holds shard {ShardId} (fencing token {Token})")]
        public static partial void Acquired(ILogger logger, int shardId, long token);

        [LoggerMessage(2, LogLevel.Information, "Discord gateway: shard {ShardId} is held by another process; standing by to take over if its lease expires")]
        public static partial void Standby(ILogger logger, int shardId);

        [LoggerMessage(3, LogLevel.Warning, "Discord gateway: the lease of shard {ShardId} (fencing token {Token}) was lost or could not be renewed in time; its connection is stopped")]
        public static partial void Lost(ILogger logger, int shardId, long token);

        [LoggerMessage(4, LogLevel.Warning, "Discord gateway: the shard lease store (Redis) failed for shard {ShardId}")]
        public static partial void LeaseStoreFailed(ILogger logger, int shardId, Exception exception);
    }
}
