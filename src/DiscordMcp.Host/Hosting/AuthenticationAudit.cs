using System.Globalization;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// Why an authentication handler rejected a request, in words safe to audit and log: a stable reason code, a sentence
/// with at most the key id (<c>dmcp_&lt;key id&gt;_…</c>) and never key or token material, and the principal and
/// workspace when the credential itself was genuine (a revoked or expired key).
/// </summary>
internal sealed class AuthenticationRejectedException(string reasonCode, string message, string? principalId = null, string? workspaceId = null)
    : Exception(message)
{
    public string ReasonCode { get; } = reasonCode;
    public string? PrincipalId { get; } = principalId;
    public string? WorkspaceId { get; } = workspaceId;
}

/// <summary>Per source and in total, how many rejected requests per minute are audited one by one.</summary>
internal sealed record AuthenticationAuditLimits(int PerSourcePerMinute = 10, int TotalPerMinute = 300);

/// <summary>
/// Audits HTTP requests rejected with 401 (decision denied, layer authentication, a reason code), bounded so a flood of
/// bad requests cannot fill the audit log: in each clock minute at most <see cref="AuthenticationAuditLimits.PerSourcePerMinute"/>
/// rejections per source address and <see cref="AuthenticationAuditLimits.TotalPerMinute"/> in all are written one by one;
/// the rest are counted, and one <c>rejections_suppressed</c> event per source (and one for the total) reports the count
/// when a later minute sees its first rejection, or when the host stops. Memory is bounded the same way: a source gets a
/// counter only while the total cap is not reached. A failing audit store is logged; the request is refused either way.
/// </summary>
internal sealed partial class AuthenticationAuditor(IAuditLog audit, TimeProvider time, AuthenticationAuditLimits limits, ILogger<AuthenticationAuditor> logger)
    : IHostedService
{
    public const string Tool = "mcp_http_request";
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SourceWindow> _sources = new(StringComparer.Ordinal);
    private DateTimeOffset _window = DateTimeOffset.MinValue;
    private int _audited;
    private int _untracked;

    /// <summary>Records one rejected request from <paramref name="source"/> (the peer address).</summary>
    public async Task RecordAsync(string source, string reasonCode, string message, string? principalId, string? workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var events = new List<AuditEvent>(2);
        lock (_lock)
        {
            var window = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
            if (window != _window)
            {
                events.AddRange(CloseWindow(now));
                _window = window;
            }
            if (!_sources.TryGetValue(source, out var counts))
            {
                if (_audited >= limits.TotalPerMinute)
                {
                    _untracked++;
                    counts = null;
                }
                else
                {
                    counts = new SourceWindow();
                    _sources[source] = counts;
                }
            }
            if (counts is not null)
            {
                if (counts.Audited < limits.PerSourcePerMinute && _audited < limits.TotalPerMinute)
                {
                    counts.Audited++;
                    _audited++;
                    events.Add(Event(now, principalId, workspaceId, reasonCode, $"HTTP request from {source} rejected (401): {message}"));
                }
                else
                {
                    counts.Suppressed++;
                }
            }
        }
        await AppendAsync(events, cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes the counts of the current minute, so a stop loses none.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<AuditEvent> events;
        lock (_lock)
        {
            events = CloseWindow(time.GetUtcNow());
            _window = DateTimeOffset.MinValue;
        }
        await AppendAsync(events, cancellationToken);
    }

    /// <summary>Summary events for the closing window, and a fresh window. Call under the lock.</summary>
    private List<AuditEvent> CloseWindow(DateTimeOffset now)
    {
        var events = new List<AuditEvent>();
        var end = _window.AddMinutes(1);
        foreach (var (source, counts) in _sources.Where(s => s.Value.Suppressed > 0).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            events.Add(Event(now, null, null, ReasonCodes.RejectionsSuppressed, string.Create(CultureInfo.InvariantCulture,
                $"{counts.Suppressed} more rejected HTTP requests from {source} between {_window:u} and {end:u} were counted, not audited one by one (at most {limits.PerSourcePerMinute} per source per minute).")));
        }
        if (_untracked > 0)
        {
            events.Add(Event(now, null, null, ReasonCodes.RejectionsSuppressed, string.Create(CultureInfo.InvariantCulture,
                $"{_untracked} more rejected HTTP requests from other sources between {_window:u} and {end:u} were counted, not audited one by one (at most {limits.TotalPerMinute} per minute in all).")));
        }
        _sources.Clear();
        _audited = 0;
        _untracked = 0;
        return events;
    }

    private async Task AppendAsync(List<AuditEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
            return;
        try
        {
            await audit.AppendBatchAsync(events, cancellationToken);
        }
#pragma warning disable CA1031 // The request is refused either way; a failing audit store must not turn a 401 into a 500.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogAuditFailed(logger, events.Count, e.GetType().Name);
        }
    }

    private static AuditEvent Event(DateTimeOffset now, string? principalId, string? workspaceId, string reasonCode, string message)
    {
        var id = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        return new AuditEvent(id, id, now, principalId, workspaceId, null, null, Tool, null, AuditDecision.Denied,
            PolicyLayerNames.Of(PolicyLayer.Authentication), reasonCode, message, 0, AuditOutcome.None)
        { EntryPoint = AuditEntryPoints.Http };
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Error, Message = "Could not audit {Count} rejected HTTP request event(s): {Error}")]
    private static partial void LogAuditFailed(ILogger logger, int count, string error);

    private sealed class SourceWindow
    {
        public int Audited { get; set; }
        public int Suppressed { get; set; }
    }
}

/// <summary>After the pipeline answered: a 401 on <c>/mcp</c> is audited with the reason its authentication handler gave.</summary>
internal sealed class AuthenticationAuditMiddleware(RequestDelegate next, AuthenticationAuditor auditor)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status401Unauthorized || !context.Request.Path.StartsWithSegments(DiscordMcpHttpHost.McpPath, StringComparison.Ordinal))
            return;
        // The handler caches its result per request: this reads it again without a second lookup.
        var result = await context.AuthenticateAsync();
        var (code, message, principal, workspace) = result.Failure switch
        {
            AuthenticationRejectedException r => (r.ReasonCode, r.Message, r.PrincipalId, r.WorkspaceId),
            null when result.None || !result.Succeeded => (ReasonCodes.CredentialsMissing, "no bearer credentials were presented.", null, null),
            null => (ReasonCodes.Unauthenticated, "the credentials were not accepted.", null, null),
            _ => (ReasonCodes.Unauthenticated, "the credentials were not accepted.", null, null),
        };
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        await auditor.RecordAsync(source, code, message, principal, workspace, CancellationToken.None);
    }
}
