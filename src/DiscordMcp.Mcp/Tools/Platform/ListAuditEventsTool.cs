using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Platform;

/// <summary>The platform's own audit events of the caller's workspace, newest first (stored redacted; shown as stored).</summary>
/// <param name="WorkspaceId">The caller's workspace: the only one whose events are ever returned.</param>
/// <param name="Events">Newest first.</param>
/// <param name="More">True when older matching events exist beyond <c>limit</c> (narrow with <c>until</c> to page back).</param>
internal sealed record AuditEventList(string WorkspaceId, IReadOnlyList<AuditEventItem> Events, bool More);

/// <summary>One audit event. <c>Arguments</c> and <c>Message</c> are redacted as stored. <c>EntryPoint</c>: http, stdio, agent or cli (null for events recorded before entry points were kept).</summary>
internal sealed record AuditEventItem(
    long Sequence,
    string Id,
    string CallId,
    string Time,
    string? PrincipalId,
    string Tool,
    string? GuildId,
    string? ChannelId,
    string Decision,
    string Outcome,
    string? Layer,
    string? ReasonCode,
    string? Message,
    string? Arguments,
    string? EntryPoint);

[McpServerToolType, Toolset(Toolsets.Platform)]
internal sealed class ListAuditEventsTool(PolicyCallContext callContext, IServiceProvider services)
{
    internal const int MaxLimit = 200;
    internal const int DefaultLimit = 50;
    private const int MaxArgumentsInText = 200;

    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    [McpServerTool(Name = "platform_list_audit_events", Title = "List platform audit events", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AuditEventList))]
    [Description("Lists this platform's own audit events (every tool call it authorised or refused) for YOUR workspace only, newest first: time, principal, entry point, tool, guild/channel, decision, outcome, reason code and the redacted arguments. Workspace admins only. Filter by since/until, tool, decision, category (a toolset such as roles), guild_id or entry_point. This is not Discord's audit log (see discord_get_audit_log).")]
    public async Task<CallToolResult> Run(
        [Description("How many events, 1 to 200 (default 50).")][Range(1, 200)] int? limit = null,
        [Description("Only events at or after this ISO-8601 time, e.g. 2025-01-31 or 2025-01-31T08:00:00Z (UTC when no offset).")] string? since = null,
        [Description("Only events before this ISO-8601 time (exclusive); pass the oldest time you saw to page back.")] string? until = null,
        [Description("Only events of this exact tool name, e.g. discord_list_messages.")] string? tool = null,
        [Description("Only this decision: allowed, denied, dry_run, pending, approved or rejected.")] string? decision = null,
        [Description("Only tools of this toolset: guilds, channels, messages, roles, members, moderation, threads, webhooks, invites, events, audit, automation or platform.")] string? category = null,
        [Description("Only events about this guild id (numeric). Events of other workspaces are never shown, whatever the guild.")] string? guild_id = null,
        [Description("Only events that came in this way: http (MCP over HTTP), stdio (local operator), agent (the in-Discord agent, for the member who asked) or cli (admin command line).")] string? entry_point = null,
        CancellationToken cancellationToken = default)
    {
        // Fail closed: this tool only runs inside an authorised call of a workspace admin.
        if (callContext.Current is not { } caller || caller.WorkspaceId is not { Length: > 0 } workspaceId)
            return ToolResults.Error("Denied (policy_error): platform_list_audit_events runs only inside an authorised call of a workspace, and this call has none.");
        if (caller.Role < PlatformRole.Admin)
            return ToolResults.Error($"Denied (platform_permission_denied): only a workspace admin can read the audit events of workspace '{workspaceId}'.");
        if (services.GetService<IAuditLog>() is not { } audit)
            return ToolResults.Error("Denied (audit_unavailable): the audit log is not configured on this server.");

        if (BuildQuery(workspaceId, limit, since, until, tool, decision, category, guild_id, out var error, entryPoint: entry_point) is not { } query)
            return ToolResults.Error(error!);
        var take = query.Limit;
        // One more than asked, to tell whether older events remain. The workspace is part of the query itself.
        var events = await audit.ReadAsync(query with { Limit = take + 1 }, cancellationToken);
        var items = events.Take(take).Where(e => e.WorkspaceId == workspaceId).Select(ToItem).ToList();
        var result = new AuditEventList(workspaceId, items, events.Count > take);
        return ToolResults.Ok(result, Render(result));
    }

    /// <summary>The query for the caller's workspace, or null with a message naming the bad field and its limit.
    /// <paramref name="catalog"/>: the tools a category expands to (default <see cref="ToolCatalog.All"/>; tests pass their own).</summary>
    internal static AuditQuery? BuildQuery(string workspaceId, int? limit, string? since, string? until, string? tool, string? decision,
        string? category, string? guildId, out string? error, IReadOnlyList<ToolInfo>? catalog = null, string? entryPoint = null)
    {
        error = null;
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
            return Fail($"limit must be between 1 and {MaxLimit} (default {DefaultLimit}); got {take}.", out error);
        DateTimeOffset? from = null, to = null;
        if (Present(since) is { } s)
        {
            if (ParseInstant(s) is not { } f)
                return Fail($"since '{UntrustedText.Inline(s)}' is not an ISO-8601 time such as 2025-01-31 or 2025-01-31T08:00:00Z.", out error);
            from = f;
        }
        if (Present(until) is { } u)
        {
            if (ParseInstant(u) is not { } t)
                return Fail($"until '{UntrustedText.Inline(u)}' is not an ISO-8601 time such as 2025-01-31 or 2025-01-31T08:00:00Z.", out error);
            to = t;
        }
        if (from is { } a && to is { } b && a >= b)
            return Fail("since must be earlier than until.", out error);
        string? toolName = null;
        if (Present(tool) is { } tn)
        {
            if (tn.Length > 64 || !tn.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
                return Fail($"tool '{UntrustedText.Inline(tn)}' is not a tool name (lower-case letters, digits and _, at most 64 characters), e.g. discord_list_messages.", out error);
            toolName = tn;
        }
        AuditDecision? decisionValue = null;
        if (Present(decision) is { } d)
        {
            decisionValue = AuditWords.ParseDecision(d.ToLowerInvariant());
            if (decisionValue is null)
                return Fail($"decision '{UntrustedText.Inline(d)}' is not a decision; use one of: {string.Join(", ", AuditWords.Decisions)}.", out error);
        }
        IReadOnlyList<string>? tools = null;
        if (Present(category) is { } c)
        {
            var toolset = Toolsets.All.FirstOrDefault(t => string.Equals(t, c, StringComparison.OrdinalIgnoreCase));
            if (toolset is null)
                return Fail($"category '{UntrustedText.Inline(c)}' is not a toolset; use one of: {string.Join(", ", Toolsets.All)}.", out error);
            tools = [.. (catalog ?? ToolCatalog.All).Where(t => t.Toolset == toolset).Select(t => t.Name)];
        }
        ulong? guild = null;
        if (Present(guildId) is { } g)
        {
            if (!ulong.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id == 0)
                return Fail($"guild_id '{UntrustedText.Inline(g)}' is not a numeric guild id (this tool filters by id only, not by name).", out error);
            guild = id;
        }
        string? entry = null;
        if (Present(entryPoint) is { } ep)
        {
            entry = AuditEntryPoints.All.FirstOrDefault(x => string.Equals(x, ep, StringComparison.OrdinalIgnoreCase));
            if (entry is null)
                return Fail($"entry_point '{UntrustedText.Inline(ep)}' is not an entry point; use one of: {string.Join(", ", AuditEntryPoints.All)}.", out error);
        }
        return new AuditQuery(WorkspaceId: workspaceId, GuildId: guild, Tool: toolName, Decision: decisionValue, From: from, To: to,
            Limit: take, NewestFirst: true, Tools: tools, EntryPoint: entry);
    }

    private static AuditQuery? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? ParseInstant(string text) =>
        DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private static AuditEventItem ToItem(AuditEvent e) => new(
        e.Sequence,
        e.Id,
        e.CallId,
        Time(e.Time),
        e.PrincipalId,
        e.Tool,
        e.GuildId?.ToString(CultureInfo.InvariantCulture),
        e.ChannelId?.ToString(CultureInfo.InvariantCulture),
        AuditWords.Decision(e.Decision),
        AuditWords.Outcome(e.Outcome),
        e.Layer,
        e.ReasonCode,
        e.Message,
        e.Arguments,
        e.EntryPoint);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>One line per event: time, principal, tool, where, decision/outcome, reason, arguments (already redacted).</summary>
    internal static string Render(AuditEventList list)
    {
        if (list.Events.Count == 0)
            return $"No audit events of workspace '{list.WorkspaceId}' match.";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{list.Events.Count} audit event{(list.Events.Count == 1 ? "" : "s")} of workspace '{list.WorkspaceId}', newest first");
        sb.Append(list.More ? " (older ones exist: pass until = the oldest time shown):" : ":");
        foreach (var e in list.Events)
        {
            sb.Append('\n').Append(CultureInfo.InvariantCulture, $"[{e.Time}] {e.PrincipalId ?? "-"}");
            if (e.EntryPoint is { } via)
                sb.Append(" via ").Append(via);
            sb.Append(' ').Append(e.Tool);
            if (e.GuildId is { } g)
                sb.Append(" guild ").Append(g);
            if (e.ChannelId is { } c)
                sb.Append(" channel ").Append(c);
            sb.Append(" → ").Append(e.Decision);
            if (e.Outcome != "none")
                sb.Append('/').Append(e.Outcome);
            if (e.ReasonCode is { } reason)
                sb.Append(" (").Append(e.Layer is { } layer ? layer + ": " : "").Append(reason).Append(')');
            if (e.Arguments is { Length: > 0 } args && args != "{}")
            {
                var shown = UntrustedText.Inline(args);
                sb.Append(" args ").Append(shown.Length > MaxArgumentsInText ? shown[..MaxArgumentsInText] + "…" : shown);
            }
        }
        return sb.ToString();
    }
}
