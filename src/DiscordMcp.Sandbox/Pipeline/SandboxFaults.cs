namespace DiscordMcp.Sandbox.Pipeline;

/// <summary>Which limit an injected 429 claims to come from (the <c>X-RateLimit-Scope</c> header).</summary>
public enum SandboxRateLimitScope
{
    /// <summary>The caller's own per-route bucket (<c>user</c>).</summary>
    User,
    /// <summary>The bot-wide global limit (<c>global</c>, with <c>X-RateLimit-Global</c>).</summary>
    Global,
    /// <summary>A per-resource limit shared with others (<c>shared</c>).</summary>
    Shared,
}

/// <summary>A gateway fault the sandbox applies to every connected gateway session.</summary>
public enum SandboxGatewayFaultKind
{
    /// <summary>Send op 7 Reconnect.</summary>
    Reconnect,
    /// <summary>Send op 9 Invalid Session (with <see cref="SandboxGatewayFault.Resumable"/>).</summary>
    InvalidSession,
    /// <summary>Abort the socket without a close handshake (the session stays resumable).</summary>
    DropSocket,
    /// <summary>Close the socket with <see cref="SandboxGatewayFault.CloseCode"/>.</summary>
    Close,
    /// <summary>Send a server-initiated op 1 Heartbeat request.</summary>
    RequestHeartbeat,
}

/// <summary>One gateway fault.</summary>
public sealed record SandboxGatewayFault(SandboxGatewayFaultKind Kind, bool Resumable = true, int CloseCode = 4000);

/// <summary>What the pipeline does to one request because of an injected fault.</summary>
internal sealed record HttpFaultDecision(
    TimeSpan Delay,
    bool Drop,
    int? ServerErrorStatus,
    SandboxRateLimitScope? RateLimitScope,
    double RetryAfterSeconds);

/// <summary>
/// Fault-injection switches, thread-safe, switchable at start or from a test: 429 storms, 5xx, slow responses and
/// dropped connections for REST (each for the next N requests, optionally only on one route key such as
/// <c>POST /channels/{channel_id}/messages</c>), and gateway faults (op 7, op 9, zombie, dropped socket, close code).
/// </summary>
public sealed class SandboxFaults
{
    private readonly Lock _lock = new();
    private readonly List<HttpFault> _http = [];
    private volatile bool _gatewayZombie;

    /// <summary>Raised for each gateway fault; the gateway server applies it to its live connections.</summary>
    internal event Action<SandboxGatewayFault>? GatewayFaultRaised;

    /// <summary>When true the gateway stops answering heartbeats with op 11 (a zombie connection).</summary>
    public bool GatewayZombie
    {
        get => _gatewayZombie;
        set => _gatewayZombie = value;
    }

    /// <summary>The next <paramref name="count"/> REST requests (on <paramref name="routeKey"/>, or any) get a 429.</summary>
    public void Inject429Storm(int count, SandboxRateLimitScope scope = SandboxRateLimitScope.User, double retryAfterSeconds = 1.0, string? routeKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        Add(new HttpFault(FaultKind.RateLimit, count, routeKey) { Scope = scope, RetryAfter = retryAfterSeconds });
    }

    /// <summary>The next <paramref name="count"/> REST requests get a 5xx (500, 502, 503 or 504).</summary>
    public void InjectServerErrors(int count, int status = 500, string? routeKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (status is not (500 or 502 or 503 or 504))
            throw new ArgumentOutOfRangeException(nameof(status), status, "status must be 500, 502, 503 or 504");
        Add(new HttpFault(FaultKind.ServerError, count, routeKey) { Status = status });
    }

    /// <summary>The next <paramref name="count"/> REST requests are answered only after <paramref name="delay"/> (sandbox clock).</summary>
    public void InjectSlowResponses(int count, TimeSpan delay, string? routeKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Add(new HttpFault(FaultKind.Slow, count, routeKey) { Delay = delay });
    }

    /// <summary>The next <paramref name="count"/> REST requests have their connection aborted without a response.</summary>
    public void InjectConnectionDrops(int count, string? routeKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Add(new HttpFault(FaultKind.Drop, count, routeKey));
    }

    /// <summary>Sends op 7 Reconnect on every connected gateway session.</summary>
    public void GatewayReconnect() => Raise(new SandboxGatewayFault(SandboxGatewayFaultKind.Reconnect));

    /// <summary>Sends op 9 Invalid Session; when not resumable the sessions are discarded.</summary>
    public void GatewayInvalidSession(bool resumable) => Raise(new SandboxGatewayFault(SandboxGatewayFaultKind.InvalidSession, Resumable: resumable));

    /// <summary>Aborts every gateway socket without a close frame; sessions stay resumable.</summary>
    public void GatewayDropSocket() => Raise(new SandboxGatewayFault(SandboxGatewayFaultKind.DropSocket));

    /// <summary>Closes every gateway socket with <paramref name="closeCode"/>.</summary>
    public void GatewayClose(int closeCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(closeCode, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(closeCode, 4999);
        Raise(new SandboxGatewayFault(SandboxGatewayFaultKind.Close, CloseCode: closeCode));
    }

    /// <summary>Sends a server-initiated op 1 Heartbeat request on every connected gateway session.</summary>
    public void GatewayRequestHeartbeat() => Raise(new SandboxGatewayFault(SandboxGatewayFaultKind.RequestHeartbeat));

    /// <summary>Removes every pending REST fault and turns the zombie switch off.</summary>
    public void Clear()
    {
        lock (_lock)
            _http.Clear();
        _gatewayZombie = false;
    }

    /// <summary>Number of REST faults still pending (for tests and the control API).</summary>
    public int PendingHttpFaults
    {
        get
        {
            lock (_lock)
                return _http.Count;
        }
    }

    /// <summary>
    /// Raised with the route key (e.g. <c>POST /guilds/{guild_id}/channels</c>) when an injected REST fault is applied to a
    /// request, before the request is delayed, dropped or answered: lets a test act at that moment (e.g. kill the client
    /// process while its request is held) without polling. Handlers must be quick.
    /// </summary>
    public event Action<string>? HttpFaultApplied;

    /// <summary>Consumes the faults that apply to one request with <paramref name="routeKey"/>; null when none.</summary>
    internal HttpFaultDecision? Take(string routeKey)
    {
        var decision = TakeLocked(routeKey);
        if (decision is not null)
            HttpFaultApplied?.Invoke(routeKey);
        return decision;
    }

    private HttpFaultDecision? TakeLocked(string routeKey)
    {
        lock (_lock)
        {
            if (_http.Count == 0)
                return null;
            var delay = TimeSpan.Zero;
            var drop = false;
            int? status = null;
            SandboxRateLimitScope? scope = null;
            var retryAfter = 0.0;
            var matched = false;
            foreach (var kind in (ReadOnlySpan<FaultKind>)[FaultKind.Slow, FaultKind.Drop, FaultKind.ServerError, FaultKind.RateLimit])
            {
                var fault = _http.Find(f => f.Kind == kind && (f.RouteKey is null || string.Equals(f.RouteKey, routeKey, StringComparison.Ordinal)));
                if (fault is null)
                    continue;
                matched = true;
                if (--fault.Remaining == 0)
                    _http.Remove(fault);
                switch (kind)
                {
                    case FaultKind.Slow:
                        delay = fault.Delay;
                        continue;
                    case FaultKind.Drop:
                        drop = true;
                        break;
                    case FaultKind.ServerError:
                        status = fault.Status;
                        break;
                    default:
                        scope = fault.Scope;
                        retryAfter = fault.RetryAfter;
                        break;
                }
                break; // one terminal fault per request (a slow response may precede it)
            }
            return matched ? new HttpFaultDecision(delay, drop, status, scope, retryAfter) : null;
        }
    }

    private void Add(HttpFault fault)
    {
        lock (_lock)
            _http.Add(fault);
    }

    private void Raise(SandboxGatewayFault fault) => GatewayFaultRaised?.Invoke(fault);

    private enum FaultKind
    {
        Slow,
        Drop,
        ServerError,
        RateLimit,
    }

    private sealed class HttpFault(FaultKind kind, int count, string? routeKey)
    {
        public FaultKind Kind { get; } = kind;
        public string? RouteKey { get; } = routeKey;
        public int Remaining { get; set; } = count;
        public SandboxRateLimitScope Scope { get; init; }
        public double RetryAfter { get; init; }
        public int Status { get; init; }
        public TimeSpan Delay { get; init; }
    }
}
