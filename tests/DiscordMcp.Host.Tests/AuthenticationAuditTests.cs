using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Host.Tests;

/// <summary>The bounded audit of rejected HTTP requests: caps per source and in total, counts reported, never lost on stop.</summary>
public sealed class AuthenticationAuditorTests
{
    private readonly InMemoryAuditLog _audit = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 5, TimeSpan.Zero));

    [Fact]
    public async Task Each_rejection_is_audited_as_an_authentication_denial_until_the_per_source_cap()
    {
        var auditor = Create(perSource: 3, total: 100);

        for (var i = 0; i < 5; i++)
            await RecordAsync(auditor, "10.0.0.1");
        await RecordAsync(auditor, "10.0.0.2");

        var events = _audit.Snapshot();
        Assert.Equal(4, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(AuditDecision.Denied, e.Decision);
            Assert.Equal("authentication", e.Layer);
            Assert.Equal(ReasonCodes.KeyUnknown, e.ReasonCode);
            Assert.Equal(AuthenticationAuditor.Tool, e.Tool);
        });
        Assert.Equal(3, events.Count(e => e.Message!.Contains("10.0.0.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_next_minute_reports_how_many_rejections_were_counted_but_not_audited()
    {
        var auditor = Create(perSource: 2, total: 100);
        for (var i = 0; i < 7; i++)
            await RecordAsync(auditor, "10.0.0.1");

        _time.Advance(TimeSpan.FromMinutes(1));
        await RecordAsync(auditor, "10.0.0.1");

        var events = _audit.Snapshot();
        var summary = Assert.Single(events, e => e.ReasonCode == ReasonCodes.RejectionsSuppressed);
        Assert.StartsWith("5 more rejected HTTP requests from 10.0.0.1", summary.Message, StringComparison.Ordinal);
        Assert.Equal(ReasonCodes.KeyUnknown, events[^1].ReasonCode); // the new minute audits again
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public async Task The_total_cap_bounds_events_and_tracked_sources_across_many_addresses()
    {
        var auditor = Create(perSource: 10, total: 3);
        for (var i = 0; i < 50; i++)
            await RecordAsync(auditor, $"10.0.1.{i}");

        Assert.Equal(3, _audit.Count);
        await auditor.StopAsync(CancellationToken.None);

        var summary = Assert.Single(_audit.Snapshot(), e => e.ReasonCode == ReasonCodes.RejectionsSuppressed);
        Assert.StartsWith("47 more rejected HTTP requests from other sources", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_writes_the_counts_of_the_current_minute()
    {
        var auditor = Create(perSource: 1, total: 100);
        await RecordAsync(auditor, "10.0.0.1");
        await RecordAsync(auditor, "10.0.0.1");

        await auditor.StopAsync(CancellationToken.None);

        Assert.Contains(_audit.Snapshot(), e => e.ReasonCode == ReasonCodes.RejectionsSuppressed && e.Message!.StartsWith("1 more", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_audit_store_does_not_throw()
    {
        var auditor = new AuthenticationAuditor(new FailingAudit(), _time, new AuthenticationAuditLimits(), NullLogger<AuthenticationAuditor>.Instance);

        await RecordAsync(auditor, "10.0.0.1"); // completes: the request is refused (401) either way
    }

    private AuthenticationAuditor Create(int perSource, int total) =>
        new(_audit, _time, new AuthenticationAuditLimits(perSource, total), NullLogger<AuthenticationAuditor>.Instance);

    private static Task RecordAsync(AuthenticationAuditor auditor, string source) =>
        auditor.RecordAsync(source, ReasonCodes.KeyUnknown, "unknown API key dmcp_0123456789ab_….", null, null, CancellationToken.None);

    private sealed class FailingAudit : IAuditLog
    {
        public ValueTask<AuditEvent> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new IOException("down");
        public ValueTask<IReadOnlyList<AuditEvent>> AppendBatchAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) => throw new IOException("down");
        public Task<IReadOnlyList<AuditEvent>> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => throw new IOException("down");
        public ValueTask<AuditChainHead> GetHeadAsync(CancellationToken cancellationToken) => throw new IOException("down");
    }
}

/// <summary>Over HTTP with the sandbox: every 401 on /mcp is audited with its reason, and no key material reaches the audit log.</summary>
public sealed class RejectedRequestAuditTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _mcpUrl = null!;
    private IPlatformStore _store = null!;

    public async Task InitializeAsync()
    {
        _app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false));
        await _app.StartAsync();
        _mcpUrl = new Uri(_app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath);
        _store = _app.Services.GetRequiredService<IPlatformStore>();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Every_kind_of_rejected_request_is_audited_with_its_reason_code_and_without_the_key()
    {
        var unknown = ApiKeys.Generate();
        var revoked = await IssueKeyAsync(revokedAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var expired = await IssueKeyAsync(expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var cases = new (string? Authorization, string Reason)[]
        {
            (null, ReasonCodes.CredentialsMissing),
            ("Bearer not-a-key-but-a-secret-value", ReasonCodes.KeyMalformed),
            ("Bearer " + unknown.Key, ReasonCodes.KeyUnknown),
            ("Bearer " + revoked.Key, ReasonCodes.KeyRevoked),
            ("Bearer " + expired.Key, ReasonCodes.KeyExpired),
        };

        foreach (var (authorization, _) in cases)
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(authorization));

        var events = await _app.Services.GetRequiredService<IAuditLog>().ReadAsync(
            new AuditQuery(Tool: AuthenticationAuditor.Tool, Limit: 100), CancellationToken.None);
        Assert.Equal(cases.Select(c => c.Reason), events.Select(e => e.ReasonCode));
        Assert.All(events, e =>
        {
            Assert.Equal(AuditDecision.Denied, e.Decision);
            Assert.Equal("authentication", e.Layer);
            Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
        });
        var text = string.Join("\n", events.Select(e => $"{e.PrincipalId} {e.WorkspaceId} {e.Arguments} {e.Message}"));
        foreach (var secret in new[] { "not-a-key-but-a-secret-value", unknown.Key, revoked.Key, expired.Key })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Contains($"dmcp_{unknown.LookupId}_…", events[2].Message, StringComparison.Ordinal);
        Assert.Equal("key:" + revoked.LookupId, events[3].PrincipalId); // genuine but revoked: the admin sees whose
        Assert.Equal("default", events[3].WorkspaceId);
        Assert.Null(events[2].PrincipalId);
    }

    [Fact]
    public async Task Accepted_requests_and_other_paths_are_not_audited_as_rejections()
    {
        Assert.Equal(HttpStatusCode.OK, await PostAsync("Bearer " + DiscordMcpHttpHost.SandboxApiKey(_app.Services)));
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(_mcpUrl, "/health"));

        var events = await _app.Services.GetRequiredService<IAuditLog>().ReadAsync(
            new AuditQuery(Tool: AuthenticationAuditor.Tool, Limit: 100), CancellationToken.None);
        Assert.Empty(events);
    }

    private async Task<HttpStatusCode> PostAsync(string? authorization)
    {
        using var http = new HttpClient();
        using var content = new StringContent(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
            Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _mcpUrl) { Content = content };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<GeneratedApiKey> IssueKeyAsync(DateTimeOffset? expiresAt = null, DateTimeOffset? revokedAt = null)
    {
        var generated = ApiKeys.Generate();
        var principal = "key:" + generated.LookupId;
        await _store.UpsertPrincipalAsync(new Principal(principal, PrincipalKind.ApiClient, "test"), CancellationToken.None);
        await _store.SetMembershipAsync(new WorkspaceMembership("default", principal, PlatformRole.Admin), CancellationToken.None);
        await _store.CreateApiKeyAsync(new ApiKeyRecord(Guid.NewGuid().ToString("N"), "default", principal, PlatformRole.Admin, generated.LookupId,
            generated.SecretHash, DateTimeOffset.UtcNow.AddHours(-1), expiresAt, revokedAt), CancellationToken.None);
        return generated;
    }
}
