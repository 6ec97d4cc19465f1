using System.Text.Json;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Agent;

/// <summary>
/// Which MCP tools the model may see, and how its calls are made safe. The model never confirms: tools that execute a
/// pending action are hidden, write tools always run as a dry run (a person presses Confirm), and a tool that is neither
/// read-only nor a dry-run write is hidden (fail closed).
/// </summary>
internal static class AgentTools
{
    /// <summary>Tools that execute, approve or cancel pending actions: only a person's button press calls them.</summary>
    public static readonly IReadOnlySet<string> NeverForModel = new HashSet<string>(StringComparer.Ordinal)
    {
        "discord_confirm_action", "discord_cancel_action", "discord_approve_action", "discord_reject_action",
    };

    public const string DryRun = "dry_run";

    /// <summary>The tools offered to the model, by name, as declarations (the agent calls them itself, by name).</summary>
    public static Dictionary<string, OfferedTool> ForModel(IEnumerable<Tool> tools)
    {
        var offered = new Dictionary<string, OfferedTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (NeverForModel.Contains(tool.Name) || tool.Name.Contains("confirm", StringComparison.OrdinalIgnoreCase))
                continue;
            var write = IsWrite(tool.InputSchema);
            if (write || tool.Annotations?.ReadOnlyHint == true)
                offered[tool.Name] = new OfferedTool(tool.Name, write, AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.InputSchema));
        }
        return offered;
    }

    /// <summary>A write tool: one with a <c>dry_run</c> parameter.</summary>
    public static bool IsWrite(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object
        && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty(DryRun, out _);

    /// <summary>The arguments actually sent: the model's, with <c>dry_run: true</c> forced on write tools.</summary>
    public static Dictionary<string, object?> Arguments(OfferedTool tool, IDictionary<string, object?>? arguments)
    {
        var sent = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (arguments is not null)
        {
            foreach (var (key, value) in arguments)
            {
                // Any spelling of dry_run is dropped; the forced one below is the only one sent.
                if (!string.Equals(key, DryRun, StringComparison.OrdinalIgnoreCase))
                    sent[key] = value;
            }
        }
        if (tool.IsWrite)
            sent[DryRun] = true;
        return sent;
    }

    /// <summary>The text blocks of a result.</summary>
    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    /// <summary>A pending plan in a write tool's structured result, if it is one.</summary>
    public static PendingPlan? Pending(CallToolResult result)
    {
        if (result.IsError == true || result.StructuredContent is not { } structured)
            return null;
        var json = JsonSerializer.SerializeToElement(structured);
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            return null;
        var approval = status.GetString() switch
        {
            // A dry run (the agent always asks for one) stored a pending action too; its mode is read from the store.
            "dry_run" or "pending_confirmation" => false,
            "pending_approval" => true,
            _ => (bool?)null,
        };
        if (approval is null || !json.TryGetProperty("confirmation_id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()))
            return null;
        var summary = "";
        var changes = new List<string>();
        if (json.TryGetProperty("plan", out var plan) && plan.ValueKind == JsonValueKind.Object)
        {
            if (plan.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String)
                summary = s.GetString() ?? "";
            if (plan.TryGetProperty("changes", out var c) && c.ValueKind == JsonValueKind.Array)
                changes.AddRange(c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString() ?? ""));
        }
        DateTimeOffset? expires = json.TryGetProperty("expires_at", out var e) && e.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(e.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        if (summary.Length == 0)
            summary = Text(result);
        return new PendingPlan(id.GetString()!, approval.Value, summary, changes, expires);
    }

    /// <summary>A function result for the model.</summary>
    public static FunctionResultContent Result(FunctionCallContent call, string text) => new(call.CallId, text);
}

/// <summary>A tool the model may call: its declaration, and whether it is a write (always sent as a dry run).</summary>
internal sealed record OfferedTool(string Name, bool IsWrite, AIFunctionDeclaration Declaration);

/// <summary>A write planned by a tool, waiting for a person.</summary>
internal sealed record PendingPlan(string Id, bool NeedsApproval, string Summary, IReadOnlyList<string> Changes, DateTimeOffset? ExpiresAt);
