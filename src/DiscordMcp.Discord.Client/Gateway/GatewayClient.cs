using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>
/// One gateway shard: connects, identifies or resumes, heartbeats, reconnects, and hands dispatches to consumers
/// through a bounded queue read off the receive loop (<see cref="ReadDispatchesAsync"/>), so a slow consumer never
/// delays heartbeats. Stops only when asked to, or on a fatal close code (then <see cref="Completion"/> and the
/// dispatch reader fault with <see cref="GatewayStoppedException"/>).
/// </summary>
public sealed class GatewayClient : IAsyncDisposable
{
    private const long NoSequence = -1;

    private readonly GatewayOptions _options;
    private readonly IGatewayUrlSource _urlSource;
    private readonly Func<IGatewayTransport> _transportFactory;
    private readonly IGatewayIdentifyLimiter _identifyLimiter;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly ILogger _logger;
    private readonly Channel<GatewayDispatch> _dispatches;
    private readonly GatewayFrameReader _frameReader = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _normalSendLock = new(1, 1);
    private readonly ClientEventRateLimiter _eventLimiter;
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopCts = new();

    private Task? _runTask;
    private Connection? _current;
    private int _state = (int)GatewayState.Disconnected;
    private long _sequence = NoSequence;
    private long _latencyTicks = -1;
    private string? _sessionId;
    private Uri? _resumeUrl;
    private GatewayBotInfo? _gatewayInfo;
    private int _identifiesRemaining;
    private DateTimeOffset _identifyBudgetResetsAt;
    private bool _queueFullLogged;
    private bool _stopping;
    private int _disposed;

    public GatewayClient(
        GatewayOptions options,
        IGatewayUrlSource urlSource,
        Func<IGatewayTransport>? transportFactory = null,
        IGatewayIdentifyLimiter? identifyLimiter = null,
        TimeProvider? timeProvider = null,
        Random? random = null,
        ILogger<GatewayClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(urlSource);
        options.Validate();
        _options = options;
        _urlSource = urlSource;
        _transportFactory = transportFactory ?? (() => new WebSocketGatewayTransport());
        _time = timeProvider ?? TimeProvider.System;
        _identifyLimiter = identifyLimiter ?? new InMemoryGatewayIdentifyLimiter(_time);
        _random = random ?? new Random();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _eventLimiter = new ClientEventRateLimiter(_time);
        _jsonWriter = new Utf8JsonWriter(_sendBuffer, new JsonWriterOptions { SkipValidation = true });
        _dispatches = Channel.CreateBounded<GatewayDispatch>(new BoundedChannelOptions(options.DispatchQueueCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public GatewayState State => (GatewayState)Volatile.Read(ref _state);

    /// <summary>Time between the last heartbeat and its ACK; null before the first ACK.</summary>
    public TimeSpan? HeartbeatLatency => Interlocked.Read(ref _latencyTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;

    /// <summary>The current session id (never the token); null before READY or after the session ended.</summary>
    public string? SessionId => Volatile.Read(ref _sessionId);

    /// <summary>The last sequence number delivered; null before the first dispatch of a session.</summary>
    public long? Sequence => Interlocked.Read(ref _sequence) is var s and >= 0 ? s : null;

    /// <summary>The bot's user id from READY.</summary>
    public Snowflake? CurrentUserId { get; private set; }

    /// <summary>The application id from READY.</summary>
    public Snowflake? ApplicationId { get; private set; }

    /// <summary>Completes when the client stopped: successfully after <see cref="StopAsync"/>, faulted with <see cref="GatewayStoppedException"/> on a fatal error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The dispatch queue. Completes (with the stop exception, if any) when the client stops.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>Dispatches in sequence order, each exactly once, across reconnects and resumes.</summary>
    public IAsyncEnumerable<GatewayDispatch> ReadDispatchesAsync(CancellationToken cancellationToken = default) =>
        _dispatches.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Starts connecting in the background. Call once.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _runTask, Task.CompletedTask, null) is not null)
            throw new InvalidOperationException("The gateway client was already started.");
        _runTask = Task.Run(() => RunAsync(_stopCts.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Closes the connection with 1000 (ending the session) and stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var run = _runTask;
        if (run is null)
        {
            SetState(GatewayState.Stopped);
            _dispatches.Writer.TryComplete();
            _completion.TrySetResult();
            return;
        }
        // Mark first so the close below is not taken for a server-side drop and answered with a reconnect.
        Volatile.Write(ref _stopping, true);
        if (Volatile.Read(ref _current) is { } connection)
        {
            try
            {
                await CloseAsync(connection, 1000, "client stopping", cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Closing a broken connection: nothing to do, cancellation below ends the loop.
            }
        }
        await _stopCts.CancelAsync();
        await run.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await StopAsync();
        _stopCts.Dispose();
        _sendLock.Dispose();
        _normalSendLock.Dispose();
        await _jsonWriter.DisposeAsync();
    }

    /// <summary>
    /// Sends Request Guild Members (op 8); answers arrive as GUILD_MEMBERS_CHUNK dispatches. Give either a
    /// <paramref name="query"/> (username prefix, "" for all) with a <paramref name="limit"/>, or <paramref name="userIds"/>.
    /// </summary>
    public async ValueTask RequestGuildMembersAsync(
        Snowflake guildId,
        string? query = "",
        int limit = 0,
        IReadOnlyList<Snowflake>? userIds = null,
        bool presences = false,
        string? nonce = null,
        CancellationToken cancellationToken = default)
    {
        const int MaxUserIds = 100;
        const int MaxNonceBytes = 32;
        if (userIds is not null && query is not null)
            throw new DiscordValidationException("query", "Request Guild Members takes either query or user_ids, not both; pass query: null with user_ids.");
        if (userIds is null && query is null)
            throw new DiscordValidationException("query", "Request Guild Members needs query (\"\" for all) or user_ids.");
        if (userIds is { Count: 0 or > MaxUserIds })
            throw new DiscordValidationException("user_ids", $"user_ids must hold 1 to {MaxUserIds} ids (had {userIds.Count}).");
        if (limit < 0)
            throw new DiscordValidationException("limit", $"limit must be 0 (no limit) or positive (was {limit}).");
        if (nonce is not null && System.Text.Encoding.UTF8.GetByteCount(nonce) > MaxNonceBytes)
            throw new DiscordValidationException("nonce", $"nonce must be at most {MaxNonceBytes} bytes.");
        if (presences && !_options.Intents.HasFlag(GatewayIntents.GuildPresences))
            throw new DiscordValidationException("presences", "presences: true needs the privileged GuildPresences intent in Intents.");
        if (query == "" && limit == 0 && !_options.Intents.HasFlag(GatewayIntents.GuildMembers))
            throw new DiscordValidationException("limit", "Requesting every member (query \"\" and limit 0) needs the privileged GuildMembers intent; give a limit or a query.");

        var connection = Volatile.Read(ref _current);
        if (connection is null || State != GatewayState.Ready)
            throw new InvalidOperationException($"The gateway is not ready (state {State}); Request Guild Members can only be sent on a ready connection.");
        var frame = new GatewayOutgoing<RequestGuildMembersData>(GatewayOpcode.RequestGuildMembers, new RequestGuildMembersData
        {
            GuildId = guildId.ToString(),
            Query = query,
            Limit = userIds is null ? limit : null,
            Presences = presences ? true : null,
            UserIds = userIds?.Select(id => id.ToString()).ToArray(),
            Nonce = nonce,
        });
        await SendAsync(connection, frame, GatewayJsonContext.Default.GatewayOutgoingRequestGuildMembersData, priority: false, cancellationToken);
    }

    // ---------------------------------------------------------------- run loop

    private enum Next { Resume, Identify, Fatal }

    private sealed record Outcome(Next Next, TimeSpan? Delay = null, int? CloseCode = null, string? Reason = null, GatewayStoppedException? Stopped = null);

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var resume = false;
            var failures = 0;
            TimeSpan delay = TimeSpan.Zero;
            while (true)
            {
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, _time, stop);
                SetState(GatewayState.Connecting);
                Outcome outcome;
                var reachedReady = false;
                try
                {
                    if (_gatewayInfo is null)
                        await RefreshGatewayInfoAsync(stop);
                    (outcome, reachedReady) = await RunConnectionAsync(resume && _sessionId is not null, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not GatewayStoppedException && !Volatile.Read(ref _stopping))
                {
                    failures++;
                    var backoff = Backoff(failures);
                    GatewayLog.ConnectFailed(_logger, _options.ShardId, backoff, ex);
                    SetState(GatewayState.Disconnected);
                    delay = backoff;
                    continue;
                }
                SetState(GatewayState.Disconnected);
                if (Volatile.Read(ref _stopping))
                    throw new OperationCanceledException(stop);
                if (outcome.Stopped is { } stopped)
                    throw stopped;
                if (outcome.Next == Next.Fatal)
                {
                    var code = outcome.CloseCode ?? 0;
                    throw new GatewayStoppedException(code,
                        GatewayCloseCodes.FixFor(code, _options.Intents) ?? $"Gateway closed with {code} ({outcome.Reason}).");
                }
                failures = reachedReady ? 0 : failures + 1;
                resume = outcome.Next == Next.Resume && _sessionId is not null;
                if (!resume)
                    ClearSession();
                delay = outcome.Delay ?? (failures == 0 ? TimeSpan.Zero : Backoff(failures));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || Volatile.Read(ref _stopping))
        {
            SetState(GatewayState.Stopped);
            _dispatches.Writer.TryComplete();
            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            var stopped = ex as GatewayStoppedException ?? new GatewayStoppedException(null, "The gateway client failed unexpectedly: " + ex.Message, ex);
            GatewayLog.Stopped(_logger, _options.ShardId, stopped.Message);
            SetState(GatewayState.Stopped);
            _dispatches.Writer.TryComplete(stopped);
            _completion.TrySetException(stopped);
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var ceiling = Math.Min(_options.ReconnectMaxDelay.Ticks, _options.ReconnectBaseDelay.Ticks * (1L << exponent));
        // Equal jitter: half fixed, half random, so shards that dropped together do not reconnect together.
        return WholeMilliseconds(TimeSpan.FromTicks(ceiling).TotalMilliseconds * (0.5 + 0.5 * NextRandom()));
    }

    /// <summary>Timers resolve to milliseconds; rounding here keeps computed and armed delays identical.</summary>
    private static TimeSpan WholeMilliseconds(double milliseconds) => TimeSpan.FromMilliseconds(Math.Floor(milliseconds));

    private double NextRandom()
    {
        lock (_randomLock)
            return _random.NextDouble();
    }

    private async Task RefreshGatewayInfoAsync(CancellationToken cancellationToken)
    {
        GatewayBotInfo info;
        try
        {
            info = await _urlSource.GetGatewayBotAsync(cancellationToken);
        }
        catch (DiscordHttpException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            // Retrying cannot help, and every refused request counts towards Discord's invalid-request ban.
            throw new GatewayStoppedException(null,
                "GET /gateway/bot was refused with 401 Unauthorized: Discord rejected the bot token. Reset the token in the developer portal (Bot page) and update the configured token.", ex);
        }
        _gatewayInfo = info;
        _identifiesRemaining = info.SessionStartLimit.Remaining;
        _identifyBudgetResetsAt = _time.GetUtcNow() + info.SessionStartLimit.ResetAfter;
    }

    private void ClearSession()
    {
        Volatile.Write(ref _sessionId, null);
        _resumeUrl = null;
        Interlocked.Exchange(ref _sequence, NoSequence);
    }

    private static Uri WithQuery(Uri baseUrl)
    {
        var builder = new UriBuilder(baseUrl) { Query = $"v={GatewayLimits.ApiVersion}&encoding=json" };
        return builder.Uri;
    }

    private void SetState(GatewayState state)
    {
        var previous = (GatewayState)Interlocked.Exchange(ref _state, (int)state);
        if ((previous == GatewayState.Ready) != (state == GatewayState.Ready))
            DiscordClientTelemetry.GatewayReadyChanged(state == GatewayState.Ready);
    }

    // ---------------------------------------------------------------- one connection

    private sealed class Connection(IGatewayTransport transport, CancellationTokenSource cts)
    {
        private Outcome? _outcome;

        public IGatewayTransport Transport { get; } = transport;
        public CancellationTokenSource Cts { get; } = cts;
        public volatile bool AckReceived = true;
        public long LastHeartbeatTimestamp;
        public bool ReachedReady;
        public Task Heartbeat = Task.CompletedTask;
        public Task Identify = Task.CompletedTask;

        public Outcome? RequestedOutcome => Volatile.Read(ref _outcome);

        /// <summary>First caller wins; returns the winning outcome.</summary>
        public Outcome SetOutcome(Outcome outcome) => Interlocked.CompareExchange(ref _outcome, outcome, null) ?? outcome;
    }

    private async Task<(Outcome, bool)> RunConnectionAsync(bool resume, CancellationToken stop)
    {
        var baseUrl = resume ? _resumeUrl ?? _gatewayInfo!.Url : _gatewayInfo!.Url;
        GatewayLog.Connecting(_logger, _options.ShardId, baseUrl.Host, resume ? "resume" : "identify");
        await using var transport = _transportFactory();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var connection = new Connection(transport, cts);
        await transport.ConnectAsync(WithQuery(baseUrl), cts.Token);
        await _sendLock.WaitAsync(stop);
        _eventLimiter.Reset();
        _sendLock.Release();
        Volatile.Write(ref _current, connection);
        try
        {
            var outcome = await ReceiveLoopAsync(connection, resume, stop);
            return (outcome, connection.ReachedReady);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested && connection.RequestedOutcome is { } requested)
        {
            return (requested, connection.ReachedReady);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not GatewayStoppedException && !stop.IsCancellationRequested)
        {
            // A dropped connection (1006) is an unlisted close: resume if there is a session.
            GatewayLog.Dropped(_logger, _options.ShardId, ex);
            return (connection.SetOutcome(new Outcome(Next.Resume)), connection.ReachedReady);
        }
        finally
        {
            Volatile.Write(ref _current, null);
            await cts.CancelAsync();
            try
            {
                await connection.Heartbeat;
            }
            catch (OperationCanceledException)
            {
                // The heartbeat loop ends by cancellation.
            }
            // Never throws: IdentifyInBackgroundAsync turns every failure into an outcome.
            await connection.Identify;
        }
    }

    private async Task<Outcome> ReceiveLoopAsync(Connection connection, bool resume, CancellationToken stop)
    {
        var token = connection.Cts.Token;
        while (true)
        {
            var result = await connection.Transport.ReceiveAsync(token);
            if (connection.RequestedOutcome is { } requested)
                return requested;
            if (result.IsClose)
            {
                var code = result.CloseCode!.Value;
                var action = GatewayCloseCodes.Classify(code);
                GatewayLog.ServerClosed(_logger, _options.ShardId, code, result.CloseReason, action);
                return connection.SetOutcome(action switch
                {
                    GatewayCloseAction.Fatal => new Outcome(Next.Fatal, CloseCode: code, Reason: result.CloseReason),
                    GatewayCloseAction.Reidentify => new Outcome(Next.Identify),
                    _ => new Outcome(Next.Resume),
                });
            }

            var message = result.Message;
            var frame = _frameReader.Read(message.Span);
            var data = frame.HasData ? message.Slice(frame.DataStart, frame.DataLength) : ReadOnlyMemory<byte>.Empty;
            switch (frame.Op)
            {
                case GatewayOpcode.Dispatch:
                    await HandleDispatchAsync(connection, frame, data, token);
                    break;
                case GatewayOpcode.HeartbeatAck:
                    connection.AckReceived = true;
                    var latency = _time.GetElapsedTime(Interlocked.Read(ref connection.LastHeartbeatTimestamp));
                    Interlocked.Exchange(ref _latencyTicks, latency.Ticks);
                    DiscordClientTelemetry.Heartbeat(latency);
                    break;
                case GatewayOpcode.Heartbeat:
                    await SendHeartbeatAsync(connection, token);
                    break;
                case GatewayOpcode.Hello:
                    var hello = JsonSerializer.Deserialize(data.Span, GatewayJsonContext.Default.HelloData);
                    if (hello is null || hello.HeartbeatInterval <= 0)
                        throw new DiscordProtocolException("HELLO carried no heartbeat_interval.");
                    var interval = TimeSpan.FromMilliseconds(hello.HeartbeatInterval);
                    connection.Heartbeat = HeartbeatLoopAsync(connection, interval);
                    if (resume)
                        await SendResumeAsync(connection, token);
                    else
                        connection.Identify = IdentifyInBackgroundAsync(connection);
                    break;
                case GatewayOpcode.Reconnect:
                    GatewayLog.ReconnectRequested(_logger, _options.ShardId);
                    await CloseAsync(connection, GatewayCloseCodes.ClientResume, "reconnect requested", stop);
                    return connection.SetOutcome(new Outcome(Next.Resume));
                case GatewayOpcode.InvalidSession:
                    var resumable = data.Span.SequenceEqual("true"u8);
                    GatewayLog.InvalidSession(_logger, _options.ShardId, resumable);
                    if (resumable)
                    {
                        await CloseAsync(connection, GatewayCloseCodes.ClientResume, "invalid session, resuming", stop);
                        return connection.SetOutcome(new Outcome(Next.Resume));
                    }
                    // The session is gone; 1000 says so. Wait 1-5 s (Discord's guidance) before identifying again.
                    await CloseAsync(connection, 1000, "invalid session", stop);
                    var wait = WholeMilliseconds(1000 + 4000 * NextRandom());
                    return connection.SetOutcome(new Outcome(Next.Identify, Delay: wait));
                default:
                    // Unknown or client-only opcodes are ignored, as Discord may add new ones.
                    break;
            }
        }
    }

    private async ValueTask HandleDispatchAsync(Connection connection, GatewayFrame frame, ReadOnlyMemory<byte> data, CancellationToken token)
    {
        var last = Interlocked.Read(ref _sequence);
        if (frame.Sequence is long seq && last != NoSequence)
        {
            if (seq <= last)
            {
                // Replays overlapping what was already delivered: deliver each event exactly once.
                GatewayLog.DuplicateSkipped(_logger, _options.ShardId, seq, last);
                return;
            }
            if (seq != last + 1)
                GatewayLog.SequenceGap(_logger, _options.ShardId, last + 1, seq);
        }

        var name = frame.EventName ?? "";
        if (name == "READY")
        {
            var ready = JsonSerializer.Deserialize(data.Span, GatewayJsonContext.Default.ReadyData)
                ?? throw new DiscordProtocolException("READY carried no data.");
            if (string.IsNullOrEmpty(ready.SessionId))
                throw new DiscordProtocolException("READY carried no session_id.");
            Volatile.Write(ref _sessionId, ready.SessionId);
            _resumeUrl = Uri.TryCreate(ready.ResumeGatewayUrl, UriKind.Absolute, out var resumeUrl) ? resumeUrl : null;
            CurrentUserId = Snowflake.TryParse(ready.User?.Id, out var userId) ? userId : null;
            ApplicationId = Snowflake.TryParse(ready.Application?.Id, out var appId) ? appId : null;
            connection.ReachedReady = true;
            SetState(GatewayState.Ready);
            GatewayLog.Ready(_logger, _options.ShardId, ready.User?.Id, ready.SessionId);
        }
        else if (name == "RESUMED")
        {
            connection.ReachedReady = true;
            SetState(GatewayState.Ready);
            GatewayLog.Resumed(_logger, _options.ShardId, _sessionId, last);
        }

        var dispatch = new GatewayDispatch(name, frame.Sequence ?? last, data.ToArray());
        // Advance before publishing, so a consumer that saw the event also sees its sequence in heartbeats.
        if (frame.Sequence is long received)
            Interlocked.Exchange(ref _sequence, received);
        if (_dispatches.Writer.TryWrite(dispatch))
            return;
        if (!_queueFullLogged)
        {
            _queueFullLogged = true;
            GatewayLog.DispatchQueueFull(_logger, _options.ShardId, _options.DispatchQueueCapacity);
        }
        try
        {
            await _dispatches.Writer.WriteAsync(dispatch, token);
        }
        catch (OperationCanceledException)
        {
            // Not delivered: roll back so the resume asks Discord to replay it.
            Interlocked.Exchange(ref _sequence, last);
            throw;
        }
    }

    // ---------------------------------------------------------------- heartbeats

    private async Task HeartbeatLoopAsync(Connection connection, TimeSpan interval)
    {
        var token = connection.Cts.Token;
        try
        {
            await Task.Delay(WholeMilliseconds(interval.TotalMilliseconds * NextRandom()), _time, token);
            while (true)
            {
                if (!connection.AckReceived)
                {
                    GatewayLog.Zombie(_logger, _options.ShardId, GatewayCloseCodes.ClientResume);
                    connection.SetOutcome(new Outcome(Next.Resume));
                    await CloseAsync(connection, GatewayCloseCodes.ClientResume, "heartbeat not acknowledged", token);
                    await connection.Cts.CancelAsync();
                    return;
                }
                connection.AckReceived = false;
                await SendHeartbeatAsync(connection, token);
                await Task.Delay(interval, _time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The connection ended.
        }
        catch (Exception ex)
        {
            GatewayLog.HeartbeatFailed(_logger, _options.ShardId, ex);
            connection.SetOutcome(new Outcome(Next.Resume));
            await connection.Cts.CancelAsync();
        }
    }

    private async ValueTask SendHeartbeatAsync(Connection connection, CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try
        {
            _sendBuffer.ResetWrittenCount();
            _jsonWriter.Reset(_sendBuffer);
            _jsonWriter.WriteStartObject();
            _jsonWriter.WriteNumber("op"u8, GatewayOpcode.Heartbeat);
            var seq = Interlocked.Read(ref _sequence);
            if (seq == NoSequence)
                _jsonWriter.WriteNull("d"u8);
            else
                _jsonWriter.WriteNumber("d"u8, seq);
            _jsonWriter.WriteEndObject();
            _jsonWriter.Flush();
            Interlocked.Exchange(ref connection.LastHeartbeatTimestamp, _time.GetTimestamp());
            await connection.Transport.SendAsync(_sendBuffer.WrittenMemory, token);
            _eventLimiter.Record();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // ---------------------------------------------------------------- identify / resume

    private async ValueTask SendIdentifyAsync(Connection connection, CancellationToken token)
    {
        SetState(GatewayState.Identifying);
        await EnsureIdentifyBudgetAsync(token);
        await _identifyLimiter.WaitToIdentifyAsync(_options.ShardId, _gatewayInfo!.SessionStartLimit.MaxConcurrency, token);
        _identifiesRemaining--;
        // A new session starts counting from scratch.
        Interlocked.Exchange(ref _sequence, NoSequence);
        var presence = _options.Presence is { } p
            ? new PresenceData(null, p.ActivityName is null ? [] : [new ActivityData(p.ActivityName, p.ActivityType, p.ActivityType == 4 ? p.ActivityName : null)], p.Status, false)
            : null;
        var frame = new GatewayOutgoing<IdentifyData>(GatewayOpcode.Identify, new IdentifyData
        {
            Token = _options.Token,
            Properties = new IdentifyProperties(_options.Os, _options.Browser, _options.Device),
            Intents = (ulong)_options.Intents,
            Compress = false,
            LargeThreshold = _options.LargeThreshold,
            Shard = [_options.ShardId, _options.ShardCount],
            Presence = presence,
        });
        await SendAsync(connection, frame, GatewayJsonContext.Default.GatewayOutgoingIdentifyData, priority: true, token);
    }

    /// <summary>
    /// Identifies off the receive loop: the wait for the identify budget and the 5-s slot can be long, and the loop must
    /// keep reading meanwhile, or heartbeat ACKs go unread and the connection is taken for a zombie.
    /// </summary>
    private async Task IdentifyInBackgroundAsync(Connection connection)
    {
        var token = connection.Cts.Token;
        try
        {
            await SendIdentifyAsync(connection, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The connection ended while waiting to identify.
        }
        catch (GatewayStoppedException stopped)
        {
            connection.SetOutcome(new Outcome(Next.Fatal, Stopped: stopped));
            await connection.Cts.CancelAsync();
        }
        catch (Exception ex)
        {
            GatewayLog.Dropped(_logger, _options.ShardId, ex);
            connection.SetOutcome(new Outcome(Next.Resume));
            await connection.Cts.CancelAsync();
        }
    }

    private async ValueTask EnsureIdentifyBudgetAsync(CancellationToken token)
    {
        if (_identifiesRemaining > 0)
            return;
        var now = _time.GetUtcNow();
        if (now >= _identifyBudgetResetsAt)
        {
            await RefreshGatewayInfoAsync(token);
            if (_identifiesRemaining > 0)
                return;
            now = _time.GetUtcNow();
        }
        var wait = _identifyBudgetResetsAt - now;
        var limit = _gatewayInfo!.SessionStartLimit;
        if (wait > _options.MaxSessionStartWait || wait <= TimeSpan.Zero)
        {
            throw new GatewayStoppedException(null,
                $"Discord's identify budget is used up ({limit.Total} sessions per window, 0 remaining) and resets in {wait.TotalMinutes:0.#} min, "
                + $"longer than MaxSessionStartWait ({_options.MaxSessionStartWait.TotalMinutes:0.#} min). Look for a reconnect loop; exceeding the budget resets the bot token.");
        }
        GatewayLog.WaitingForIdentifyBudget(_logger, _options.ShardId, wait);
        await Task.Delay(wait, _time, token);
        await RefreshGatewayInfoAsync(token);
        if (_identifiesRemaining <= 0)
            throw new GatewayStoppedException(null, "Discord's identify budget is still used up after its reset time; look for a reconnect loop.");
    }

    private async ValueTask SendResumeAsync(Connection connection, CancellationToken token)
    {
        SetState(GatewayState.Resuming);
        var seq = Interlocked.Read(ref _sequence);
        var frame = new GatewayOutgoing<ResumeData>(GatewayOpcode.Resume, new ResumeData
        {
            Token = _options.Token,
            SessionId = _sessionId!,
            Seq = seq == NoSequence ? null : seq,
        });
        await SendAsync(connection, frame, GatewayJsonContext.Default.GatewayOutgoingResumeData, priority: true, token);
    }

    // ---------------------------------------------------------------- sending

    private async ValueTask SendAsync<T>(Connection connection, GatewayOutgoing<T> frame, JsonTypeInfo<GatewayOutgoing<T>> typeInfo, bool priority, CancellationToken token)
    {
        if (!priority)
            await _normalSendLock.WaitAsync(token);
        try
        {
            while (true)
            {
                TimeSpan delay;
                await _sendLock.WaitAsync(token);
                try
                {
                    delay = _eventLimiter.DelayFor(priority);
                    if (delay <= TimeSpan.Zero)
                    {
                        _sendBuffer.ResetWrittenCount();
                        _jsonWriter.Reset(_sendBuffer);
                        JsonSerializer.Serialize(_jsonWriter, frame, typeInfo);
                        _jsonWriter.Flush();
                        if (_sendBuffer.WrittenCount > GatewayLimits.MaxClientPayloadBytes)
                        {
                            throw new DiscordValidationException("payload",
                                $"Gateway payload (op {frame.Op}) is {_sendBuffer.WrittenCount} bytes; Discord accepts at most {GatewayLimits.MaxClientPayloadBytes} bytes.");
                        }
                        await connection.Transport.SendAsync(_sendBuffer.WrittenMemory, token);
                        _eventLimiter.Record();
                        return;
                    }
                }
                finally
                {
                    _sendLock.Release();
                }
                await Task.Delay(delay, _time, token);
            }
        }
        finally
        {
            if (!priority)
                _normalSendLock.Release();
        }
    }

    private async Task CloseAsync(Connection connection, int code, string reason, CancellationToken token)
    {
        await _sendLock.WaitAsync(token);
        try
        {
            await connection.Transport.CloseAsync(code, reason, token);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
