using System.Globalization;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>
/// One identified gateway session: its intents and shard, the sequence counter and the dispatches it was sent
/// (kept for RESUME replay). It outlives its connection for the resume window; closing with 1000/1001 ends it.
/// </summary>
internal sealed class GatewaySession : IDisposable
{
    private const int ReplayBufferSize = 10_000;
    private readonly Lock _lock = new();
    private readonly LinkedList<(long Seq, string Frame)> _sent = new();
    private readonly List<SandboxDispatch> _pending = [];
    private readonly string _botUserId;
    private IDisposable? _subscription;
    private bool _started;
    private long _seq;

    public GatewaySession(string id, int intents, int shardId, int shardCount, bool shardGiven, string botUserId)
    {
        Id = id;
        Intents = intents;
        ShardId = shardId;
        ShardCount = shardCount;
        ShardGiven = shardGiven;
        _botUserId = botUserId;
    }

    public string Id { get; }
    public int Intents { get; }
    public int ShardId { get; }
    public int ShardCount { get; }
    public bool ShardGiven { get; }
    public GatewayConnection? Connection { get; private set; }
    public DateTimeOffset? DisconnectedAt { get; private set; }
    public bool Ended { get; private set; }

    public long Sequence
    {
        get
        {
            lock (_lock)
                return _seq;
        }
    }

    /// <summary>True when the guild belongs to this session's shard (<c>(guild_id &gt;&gt; 22) % count == id</c>).</summary>
    public bool OwnsGuild(string? guildId)
    {
        if (guildId is null)
            return ShardId == 0;
        return ulong.TryParse(guildId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && (int)((id >> 22) % (ulong)ShardCount) == ShardId;
    }

    /// <summary>Subscribes to live dispatches before the snapshot so nothing is missed; they wait until <see cref="Start"/>.</summary>
    public void Subscribe(ISandboxGatewayData data) => _subscription = data.Subscribe(OnLiveDispatch);

    /// <summary>Sends READY and the GUILD_CREATEs (<paramref name="initial"/>), then releases held live events.</summary>
    public void Start(GatewayConnection connection, IReadOnlyList<(string EventName, string Json)> initial)
    {
        lock (_lock)
        {
            Connection = connection;
            foreach (var (eventName, json) in initial)
                Dispatch(eventName, json);
            _started = true;
            foreach (var dispatch in _pending)
                DispatchLive(dispatch);
            _pending.Clear();
        }
    }

    /// <summary>Sends one dispatch (op 0) with the next sequence number and keeps it for replay.</summary>
    public void Dispatch(string eventName, string dataJson)
    {
        lock (_lock)
        {
            if (Ended)
                return;
            var seq = ++_seq;
            var frame = "{\"op\":0,\"t\":\"" + eventName + "\",\"s\":" + seq.ToString(CultureInfo.InvariantCulture) + ",\"d\":" + dataJson + "}";
            _sent.AddLast((seq, frame));
            if (_sent.Count > ReplayBufferSize)
                _sent.RemoveFirst();
            Connection?.Send(frame);
        }
    }

    /// <summary>
    /// Attaches a new connection and replays every dispatch after <paramref name="lastSeq"/>, then RESUMED.
    /// False when the events after <paramref name="lastSeq"/> are no longer (or never were) available.
    /// </summary>
    public bool Resume(GatewayConnection connection, long lastSeq, out GatewayConnection? previous)
    {
        lock (_lock)
        {
            previous = null;
            if (Ended || lastSeq > _seq || lastSeq < 0 || (_sent.First is { } first && first.Value.Seq > lastSeq + 1))
                return false;
            previous = Connection;
            Connection = connection;
            DisconnectedAt = null;
            foreach (var (seq, frame) in _sent)
            {
                if (seq > lastSeq)
                    connection.Send(frame);
            }
            Dispatch("RESUMED", "{\"_trace\":[\"discordmcp-sandbox\"]}");
            return true;
        }
    }

    /// <summary>The connection went away without ending the session: keep it for resuming.</summary>
    public void Detach(GatewayConnection connection, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(Connection, connection))
                return;
            Connection = null;
            DisconnectedAt = now;
        }
    }

    public void End()
    {
        lock (_lock)
        {
            Ended = true;
            Connection = null;
            _sent.Clear();
            _pending.Clear();
        }
        Dispose();
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
    }

    private void OnLiveDispatch(SandboxDispatch dispatch)
    {
        lock (_lock)
        {
            if (Ended)
                return;
            if (!_started)
            {
                _pending.Add(dispatch);
                return;
            }
            DispatchLive(dispatch);
        }
    }

    private void DispatchLive(SandboxDispatch dispatch)
    {
        if (!OwnsGuild(dispatch.GuildId))
            return;
        var json = GatewayIntents.Render(dispatch, Intents, _botUserId);
        if (json is not null)
            Dispatch(dispatch.EventName, json);
    }
}
