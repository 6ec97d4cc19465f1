using System.Globalization;
using System.Text.Json;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Policy.Audit;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary><c>discord-mcp audit verify|list|export</c>. Events are stored redacted; nothing here un-redacts.</summary>
internal static class AuditCommand
{
    private const int PageSize = 1000;
    private const int MaxListLimit = 10_000;

    private static readonly OptionSpec Workspace = new("--workspace", "ID", "Only events of this workspace.");
    private static readonly OptionSpec Tool = new("--tool", "NAME", "Only events of this tool.");
    private static readonly OptionSpec Decision = new("--decision", "DECISION", "Only this decision: allowed, denied, dry_run, pending, approved, rejected.");
    private static readonly OptionSpec Entry = new("--entry-point", "ENTRY", "Only events that came in this way: http, stdio, agent, cli (events recorded before entry points were kept have none).");
    private static readonly OptionSpec Since = new("--since", "WHEN", "Only events at or after: a duration back from now (24h, 7d, 90m, 2w) or an ISO-8601 instant.");
    private static readonly OptionSpec Limit = new("--limit", "N", $"At most N events (list: default 50, max {MaxListLimit}; export: default all).");
    private static readonly OptionSpec Format = new("--format", "FORMAT", "Output format: jsonl (one JSON event per line; the default and only format).");

    public static CommandSpec Definition { get; } = AdminGroup.Define("audit", "Verify the audit hash chain; list and export audit events.",
    [
        new("verify", "Recompute the hash chain and report the first broken link (exit 1 when broken).", [], [AdminGroup.JsonOption], VerifyAsync),
        new("list", "List audit events, oldest first.", [], [Workspace, Tool, Decision, Entry, Since, Limit, AdminGroup.JsonOption], ListAsync),
        new("export", "Export audit events as JSON lines (already redacted).", [], [Workspace, Tool, Decision, Entry, Since, Limit, Format], ExportAsync),
    ]);

    private static async Task<int> VerifyAsync(AdminInvocation call)
    {
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var result = await VerifyChainAsync(services.Audit, CancellationToken.None);
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("valid", result.IsValid);
                w.WriteNumber("verified_events", result.VerifiedCount);
                if (result.FirstBrokenSequence is { } seq)
                    w.WriteNumber("first_broken_sequence", seq);
                else
                    w.WriteNull("first_broken_sequence");
                w.WriteStringOrNull("first_broken_event_id", result.FirstBrokenEventId);
                w.WriteStringOrNull("reason", result.Reason);
                w.WriteEndObject();
            }));
        }
        else if (result.IsValid)
        {
            await call.Context.Out.WriteLineAsync($"Audit chain OK: {result.VerifiedCount} event{(result.VerifiedCount == 1 ? "" : "s")} verified.");
        }
        else
        {
            await call.Context.Out.WriteLineAsync(
                $"Audit chain BROKEN at sequence {result.FirstBrokenSequence} (event {result.FirstBrokenEventId}): {result.Reason}. " +
                $"{result.VerifiedCount} event{(result.VerifiedCount == 1 ? "" : "s")} before it verified.");
        }
        return result.IsValid ? AdminExit.Ok : AdminExit.Failed;
    }

    /// <summary>Walks the whole chain in pages from the genesis hash; a missing sequence number is a broken link.</summary>
    internal static async Task<AuditChainVerification> VerifyChainAsync(IAuditLog audit, CancellationToken cancellationToken)
    {
        var prev = AuditChain.GenesisHash;
        long expected = 1;
        long verified = 0;
        while (true)
        {
            var page = await audit.ReadAsync(new AuditQuery(AfterSequence: expected - 1, Limit: PageSize), cancellationToken);
            if (page.Count == 0)
                return AuditChainVerification.Valid(verified);
            if (page[0].Sequence != expected)
            {
                return AuditChainVerification.Broken(page[0].Sequence, page[0].Id,
                    $"sequence gap: expected {expected}, found {page[0].Sequence} (an event was removed)", verified);
            }
            var result = AuditChain.Verify(page, prev);
            if (!result.IsValid)
                return result with { VerifiedCount = verified + result.VerifiedCount };
            verified += result.VerifiedCount;
            prev = page[^1].Hash;
            expected = page[^1].Sequence + 1;
            if (page.Count < PageSize)
                return AuditChainVerification.Valid(verified);
        }
    }

    private static async Task<int> ListAsync(AdminInvocation call)
    {
        var limit = 50;
        if (call.Value(Limit.Name) is { } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxListLimit))
        {
            return await call.UsageErrorAsync($"--limit '{limitText}' must be a whole number from 1 to {MaxListLimit}.");
        }
        if (await ValidateFiltersAsync(call) is { } error)
            return error;
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var query = await BuildQueryAsync(call, services);
        if (query is null)
            return AdminExit.Failed;
        var events = await services.Audit.ReadAsync(query with { Limit = limit }, CancellationToken.None);
        if (call.Json)
        {
            await call.Context.Out.WriteAsync(AdminFormat.Json(w =>
            {
                w.WriteStartArray();
                foreach (var e in events)
                    WriteEvent(w, e);
                w.WriteEndArray();
            }));
            return AdminExit.Ok;
        }
        if (events.Count == 0)
        {
            await call.Context.Out.WriteLineAsync("No audit events match.");
            return AdminExit.Ok;
        }
        await call.Context.Out.WriteAsync(AdminFormat.Table(["SEQ", "TIME", "WORKSPACE", "PRINCIPAL", "VIA", "TOOL", "DECISION", "OUTCOME", "REASON"],
            events.Select(e => (IReadOnlyList<string>)[e.Sequence.ToString(CultureInfo.InvariantCulture), AdminFormat.Time(e.Time), e.WorkspaceId ?? "-",
                e.PrincipalId ?? "-", e.EntryPoint ?? "-", e.Tool, DecisionWord(e.Decision), OutcomeWord(e.Outcome), e.ReasonCode ?? "-"])));
        return AdminExit.Ok;
    }

    private static async Task<int> ExportAsync(AdminInvocation call)
    {
        long? limit = null;
        if (call.Value(Limit.Name) is { } limitText)
        {
            if (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                return await call.UsageErrorAsync($"--limit '{limitText}' must be a positive whole number.");
            limit = n;
        }
        if (call.Value(Format.Name) is { } format && format != "jsonl")
            return await call.UsageErrorAsync($"--format '{format}' is not supported; use jsonl.");
        if (await ValidateFiltersAsync(call) is { } error)
            return error;
        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        var query = await BuildQueryAsync(call, services);
        if (query is null)
            return AdminExit.Failed;
        long written = 0;
        long after = 0;
        while (limit is null || written < limit)
        {
            var take = (int)Math.Min(PageSize, (limit ?? long.MaxValue) - written);
            var page = await services.Audit.ReadAsync(query with { AfterSequence = after, Limit = take }, CancellationToken.None);
            foreach (var e in page)
                await call.Context.Out.WriteAsync(AdminFormat.Json(w => WriteEvent(w, e), indented: false));
            written += page.Count;
            if (page.Count < take)
                break;
            after = page[^1].Sequence;
        }
        return AdminExit.Ok;
    }

    private static async Task<int?> ValidateFiltersAsync(AdminInvocation call)
    {
        if (call.Value(Workspace.Name) is { } ws && !AdminFormat.IsWorkspaceId(ws))
            return await call.UsageErrorAsync($"--workspace '{ws}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
        if (call.Value(Decision.Name) is { } d && ParseDecision(d) is null)
            return await call.UsageErrorAsync($"--decision '{d}' is not a decision; use allowed, denied, dry_run, pending, approved or rejected.");
        if (call.Value(Entry.Name) is { } entry && !AuditEntryPoints.All.Contains(entry, StringComparer.Ordinal))
            return await call.UsageErrorAsync($"--entry-point '{entry}' is not an entry point; use {string.Join(", ", AuditEntryPoints.All)}.");
        if (call.Value(Since.Name) is { } since && !AdminFormat.TryParseInstant(since, DateTimeOffset.UnixEpoch, future: false, out _))
            return await call.UsageErrorAsync($"--since '{since}' is neither a duration (24h, 7d, 90m, 2w) nor an ISO-8601 instant.");
        return null;
    }

    private static async Task<AuditQuery?> BuildQueryAsync(AdminInvocation call, AdminServices services)
    {
        var ws = call.Value(Workspace.Name);
        if (ws is not null && await WorkspaceArgument.ResolveAsync(call, services, ws, "--workspace") is null)
            return null;
        DateTimeOffset? from = null;
        if (call.Value(Since.Name) is { } since && AdminFormat.TryParseInstant(since, services.Time.GetUtcNow(), future: false, out var instant))
            from = instant;
        return new AuditQuery(WorkspaceId: ws, Tool: call.Value(Tool.Name), Decision: call.Value(Decision.Name) is { } d ? ParseDecision(d) : null, From: from,
            EntryPoint: call.Value(Entry.Name));
    }

    private static AuditDecision? ParseDecision(string text) => AuditWords.ParseDecision(text);

    private static string DecisionWord(AuditDecision decision) => AuditWords.Decision(decision);

    private static string OutcomeWord(AuditOutcome outcome) => outcome == AuditOutcome.None ? "-" : AuditWords.Outcome(outcome);

    private static void WriteEvent(Utf8JsonWriter w, AuditEvent e)
    {
        w.WriteStartObject();
        w.WriteNumber("sequence", e.Sequence);
        w.WriteString("id", e.Id);
        w.WriteString("call_id", e.CallId);
        w.WriteString("time", e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStringOrNull("principal_id", e.PrincipalId);
        w.WriteStringOrNull("workspace_id", e.WorkspaceId);
        w.WriteStringOrNull("entry_point", e.EntryPoint);
        w.WriteStringOrNull("guild_id", e.GuildId?.ToString(CultureInfo.InvariantCulture));
        w.WriteStringOrNull("channel_id", e.ChannelId?.ToString(CultureInfo.InvariantCulture));
        w.WriteString("tool", e.Tool);
        w.WriteStringOrNull("arguments", e.Arguments);
        w.WriteString("decision", DecisionWord(e.Decision));
        w.WriteStringOrNull("layer", e.Layer);
        w.WriteStringOrNull("reason_code", e.ReasonCode);
        w.WriteStringOrNull("message", e.Message);
        w.WriteNumber("latency_us", e.LatencyMicroseconds);
        w.WriteString("outcome", e.Outcome == AuditOutcome.None ? "none" : OutcomeWord(e.Outcome));
        w.WriteString("prev_hash", e.PrevHash);
        w.WriteString("hash", e.Hash);
        w.WriteEndObject();
    }
}
