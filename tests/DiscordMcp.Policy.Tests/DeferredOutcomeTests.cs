using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using static DiscordMcp.Policy.Tests.PolicyWorld;

namespace DiscordMcp.Policy.Tests;

/// <summary>
/// A write's answer does not wait for its outcome event (architecture §4: executing before Discord is called, the
/// outcome after): the write-ahead event is awaited before execution, the outcome is handed to the log as deferred.
/// Reads still return nothing unaudited.
/// </summary>
public sealed class DeferredOutcomeTests
{
    private static readonly ToolDescriptor Write = new("discord_send_message", "messages", ToolAccess.Write);
    private static readonly ToolDescriptor Read = new("discord_list_messages", "messages", ToolAccess.Read);

    [Fact]
    public async Task A_write_returns_while_its_outcome_event_is_still_being_stored_but_never_before_its_executing_event()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), default);
        var audit = new HeldDeferredAudit();
        var seenAtExecution = new List<AuditOutcome>();

        var result = await w.Pipeline(audit: audit).RunAsync(Request(w.OperatorKey, Write), (_, _) =>
        {
            seenAtExecution.AddRange(audit.Stored.Select(e => e.Outcome));
            return ValueTask.FromResult(7);
        }, default);

        Assert.True(result.Decision.IsAllowed);
        Assert.Equal(7, result.Value);
        Assert.Equal([AuditOutcome.Executing], seenAtExecution); // durable, before Discord
        var (outcome, durability) = Assert.Single(audit.Held);
        Assert.Equal(AuditDurability.Deferred, durability);
        Assert.Equal(AuditOutcome.Executed, outcome.Outcome);
        Assert.Equal(result.CallId, outcome.CallId);
        Assert.DoesNotContain(audit.Stored, e => e.Outcome == AuditOutcome.Executed); // not stored yet when the call returned

        await audit.ReleaseAsync();
        Assert.Equal([AuditOutcome.Executing, AuditOutcome.Executed], audit.Stored.Select(e => e.Outcome));
    }

    [Fact]
    public async Task A_read_waits_for_its_audit_event_and_never_defers_it()
    {
        var w = await CreateAsync();
        var audit = new HeldDeferredAudit();

        var result = await w.Pipeline(audit: audit).RunAsync(Request(w.ViewerKey, Read), (_, _) => ValueTask.FromResult("data"), default);

        Assert.Equal("data", result.Value);
        Assert.Empty(audit.Held);
        Assert.Equal([AuditOutcome.Executed], audit.Stored.Select(e => e.Outcome));
    }

    /// <summary>Stores at once, except deferred events, which wait in <see cref="Held"/> until <see cref="Release"/>.</summary>
    private sealed class HeldDeferredAudit : IAuditLog
    {
        private readonly InMemoryAuditLog _inner = new();
        private readonly List<(AuditEvent Event, TaskCompletionSource<AuditEvent> Done)> _held = [];

        public IReadOnlyList<AuditEvent> Stored => _inner.Snapshot();

        public IReadOnlyList<(AuditEvent Event, AuditDurability Durability)> Held => [.. _held.Select(h => (h.Event, AuditDurability.Deferred))];

        public async Task ReleaseAsync()
        {
            foreach (var (e, done) in _held)
                done.SetResult(await _inner.AppendAsync(e, default));
            _held.Clear();
        }

        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => _inner.AppendAsync(auditEvent, cancellationToken);

        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken cancellationToken)
        {
            if (durability != AuditDurability.Deferred)
                return _inner.AppendAsync(auditEvent, cancellationToken);
            var done = new TaskCompletionSource<AuditEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Add((auditEvent, done));
            return new ValueTask<AuditEvent>(done.Task);
        }

        public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
            _inner.AppendBatchAsync(auditEvents, cancellationToken);

        public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => _inner.ReadAsync(query, cancellationToken);

        public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => _inner.GetHeadAsync(cancellationToken);
    }
}
