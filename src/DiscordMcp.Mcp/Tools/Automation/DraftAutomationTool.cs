using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Automation;

/// <summary>One action of a draft: a catalog tool and the arguments it would be called with.</summary>
internal sealed record AutomationActionInput(
    [property: Description("A tool of this server's catalog, e.g. discord_send_message (not a platform or automation tool).")] string? Tool,
    [property: Description("The arguments the tool would get: an object whose keys are that tool's own arguments.")] JsonElement? Arguments);

/// <summary>
/// Stores a reviewable automation rule. Storing a draft is not a Discord write: nothing is sent to Discord and nothing
/// is ever executed (no scheduler or event handler reads drafts). It is an ordinary tool under the call filter's
/// pipeline; <see cref="PolicyBinding.Descriptor"/> lets operators store drafts without confirmation.
/// </summary>
[McpServerToolType, Toolset(Toolsets.Automation)]
internal sealed partial class DraftAutomationTool(PolicyCallContext calls, IAutomationDraftStore store, TimeProvider time)
{
    public const int MaxActions = 10;
    public const int MaxConditions = 10;
    public const int MaxConditionLength = 200;
    public const int MaxNameLength = 100;

    /// <summary>The documented triggers.</summary>
    public static readonly IReadOnlyList<string> Triggers = ["message_created", "member_joined", "reaction_added", "schedule"];

    [McpServerTool(Name = "discord_draft_automation", Title = "Draft an automation rule", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AutomationDraftView))]
    [Description("Stores a reviewable automation rule for a guild — trigger, conditions and actions — that is NEVER executed (nothing runs it; a person " +
        "reviews it). Triggers: message_created, member_joined, reaction_added, or schedule with a 5-field cron spec in UTC (minute hour day-of-month " +
        "month day-of-week, e.g. \"0 9 * * 1\" for Mondays at 09:00 UTC). Conditions are plain-language filters (at most 10, 200 characters each). " +
        "Actions (1–10) each name a tool of this server's catalog (not a platform or automation tool) with arguments that tool accepts. " +
        "Nothing is sent to Discord.")]
    public async Task<CallToolResult> Run(
        [Description("Rule name (1–100 characters).")] string name,
        [Description("message_created, member_joined, reaction_added or schedule.")] string trigger,
        [Description("The actions (1–10): each { tool, arguments }.")] AutomationActionInput[] actions,
        [Description("For trigger schedule only: 5-field cron spec in UTC, e.g. \"0 9 * * 1\".")] string? schedule = null,
        [Description("Plain-language conditions (at most 10, each 1–200 characters), e.g. \"channel is #support\".")] string[]? conditions = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var current = calls.Current;
        if (current?.WorkspaceId is not { } workspace || current.PrincipalId is not { } principal || current.Request.GuildId is not { } guild)
            return ToolResults.Error("Denied (policy_error): the call has no authorised workspace and guild, so no draft was stored.");

        var ruleName = WriteText.Required(name, "name", 1, MaxNameLength);
        var triggerName = (trigger ?? "").Trim().ToLowerInvariant();
        if (!Triggers.Contains(triggerName))
            throw DiscordServiceException.Invalid("trigger", $"trigger must be one of {string.Join(", ", Triggers)}, got \"{UntrustedText.Inline(trigger)}\".");
        string? cron = null;
        if (triggerName == "schedule")
        {
            cron = (schedule ?? "").Trim();
            var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 5 || !fields.All(f => CronField().IsMatch(f)))
                throw DiscordServiceException.Invalid("schedule", $"schedule must be a 5-field cron spec (minute hour day-of-month month day-of-week), e.g. \"0 9 * * 1\"; got \"{UntrustedText.Inline(schedule)}\".");
            cron = string.Join(' ', fields);
        }
        else if (schedule is not null)
        {
            throw DiscordServiceException.Invalid("schedule", "schedule is only for trigger schedule.");
        }
        var conditionList = conditions ?? [];
        if (conditionList.Length > MaxConditions)
            throw DiscordServiceException.Invalid("conditions", $"conditions: at most {MaxConditions}, got {conditionList.Length}.");
        var cleanConditions = conditionList.Select((c, i) => WriteText.Required(c, $"conditions[{i}]", 1, MaxConditionLength)).ToList();
        var actionArray = Validate(actions);

        var definition = new JsonObject
        {
            ["name"] = ruleName,
            ["trigger"] = triggerName,
            ["schedule"] = cron,
            ["conditions"] = new JsonArray([.. cleanConditions.Select(c => (JsonNode?)c)]),
            ["actions"] = actionArray,
        };
        var draft = new AutomationDraft(
            "ad_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), workspace, guild, principal, ruleName, triggerName,
            CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(definition)), time.GetUtcNow());
        await store.CreateAsync(draft, cancellationToken);

        var view = AutomationDraftView.Of(draft);
        var text = $"Stored the automation draft \"{UntrustedText.Inline(ruleName)}\" (id {draft.Id}) for review: {view.Describe()} " +
            "It was not executed and never runs by itself. No Discord changes were made.";
        return ToolResults.Ok(view, text);
    }

    /// <summary>Each action names an existing, non-platform catalog tool, with only arguments that tool has.</summary>
    private static JsonArray Validate(AutomationActionInput[]? actions)
    {
        if (actions is null || actions.Length == 0 || actions.Length > MaxActions)
            throw DiscordServiceException.Invalid("actions", $"actions: give 1–{MaxActions} actions, got {actions?.Length ?? 0}.");
        var result = new JsonArray();
        for (var i = 0; i < actions.Length; i++)
        {
            var field = $"actions[{i}]";
            var action = actions[i] ?? throw DiscordServiceException.Invalid(field, $"{field}: an action is an object with tool and arguments.");
            var toolName = (action.Tool ?? "").Trim();
            if (toolName.Length == 0)
                throw DiscordServiceException.Invalid(field + ".tool", $"{field}.tool is required: the name of a catalog tool.");
            if (ToolCatalog.Find(toolName) is not { } tool)
                throw DiscordServiceException.Invalid(field + ".tool", $"{field}.tool: \"{UntrustedText.Inline(toolName)}\" is not a tool of this server.");
            if (tool.Toolset == Toolsets.Platform || PolicyBinding.PendingActionTools.Contains(tool.Name))
                throw DiscordServiceException.Invalid(field + ".tool", $"{field}.tool: {tool.Name} is a platform tool; automations may only call Discord tools.");
            if (tool.Toolset == Toolsets.Automation)
                throw DiscordServiceException.Invalid(field + ".tool", $"{field}.tool: {tool.Name} is an automation tool; a draft cannot create or list drafts.");
            var arguments = new JsonObject();
            if (action.Arguments is { } args && args.ValueKind != JsonValueKind.Null)
            {
                if (args.ValueKind != JsonValueKind.Object)
                    throw DiscordServiceException.Invalid(field + ".arguments", $"{field}.arguments must be an object of {tool.Name}'s arguments.");
                foreach (var property in args.EnumerateObject())
                {
                    if (!tool.Arguments.Any(a => a.Name == property.Name))
                        throw DiscordServiceException.Invalid($"{field}.arguments.{property.Name}",
                            $"{field}.arguments.{UntrustedText.Inline(property.Name)} is not an argument of {tool.Name}; it takes {string.Join(", ", tool.Arguments.Select(a => a.Name))}.");
                    arguments[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                }
            }
            result.Add(new JsonObject { ["tool"] = tool.Name, ["arguments"] = arguments });
        }
        return result;
    }

    // One cron field: *, n, a-b, with an optional /step, comma-separated.
    [GeneratedRegex(@"^(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CronField();
}

/// <summary>A stored draft as clients see it.</summary>
internal sealed record AutomationDraftView(
    string DraftId, string Name, string GuildId, string Trigger, string? Schedule, IReadOnlyList<string> Conditions, IReadOnlyList<AutomationActionView> Actions,
    string CreatedBy, string CreatedAt, bool Executed)
{
    public static AutomationDraftView Of(AutomationDraft draft)
    {
        using var doc = JsonDocument.Parse(draft.DefinitionJson);
        var root = doc.RootElement;
        return new(
            draft.Id, draft.Name, draft.GuildId.ToString(CultureInfo.InvariantCulture), draft.Trigger,
            root.TryGetProperty("schedule", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
            [.. root.GetProperty("conditions").EnumerateArray().Select(c => c.GetString() ?? "")],
            [.. root.GetProperty("actions").EnumerateArray().Select(a => new AutomationActionView(a.GetProperty("tool").GetString() ?? "", a.GetProperty("arguments").Clone()))],
            draft.CreatedBy, draft.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), Executed: false);
    }

    /// <summary>"when a message is created, if …, it would call discord_x(a, b) then …."</summary>
    public string Describe()
    {
        var when = Trigger switch
        {
            "message_created" => "when a message is created",
            "member_joined" => "when a member joins",
            "reaction_added" => "when a reaction is added",
            _ => $"on the schedule \"{Schedule}\" (UTC)",
        };
        var conditions = Conditions.Count == 0 ? "" : ", if " + string.Join(" and ", Conditions.Select(c => "\"" + UntrustedText.Inline(c) + "\""));
        var calls = string.Join(" then ", Actions.Select(a => $"{a.Tool}({string.Join(", ", a.Arguments.EnumerateObject().Select(p => p.Name))})"));
        return $"{when}{conditions}, it would call {calls}.";
    }
}

internal sealed record AutomationActionView(string Tool, JsonElement Arguments);
