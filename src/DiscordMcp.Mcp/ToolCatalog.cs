using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Audit;
using DiscordMcp.Mcp.Tools.Automation;
using DiscordMcp.Mcp.Tools.Channels;
using DiscordMcp.Mcp.Tools.Events;
using DiscordMcp.Mcp.Tools.Guilds;
using DiscordMcp.Mcp.Tools.Invites;
using DiscordMcp.Mcp.Tools.Members;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Tools.Moderation;
using DiscordMcp.Mcp.Tools.Platform;
using DiscordMcp.Mcp.Tools.Roles;
using DiscordMcp.Mcp.Tools.Threads;
using DiscordMcp.Mcp.Tools.Webhooks;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp;

/// <summary>The single source of truth for tools: the registration, the gate, the CLI and docs/tools.md all read this list.</summary>
internal static class ToolCatalog
{
    public static IReadOnlyList<Type> ToolTypes { get; } =
    [
        // Reads (the call filter runs the policy pipeline around them).
        typeof(ListGuildsTool), typeof(GetGuildTool),
        typeof(ListChannelsTool), typeof(GetChannelTool),
        typeof(ListMessagesTool), typeof(GetMessageTool),
        typeof(ListRolesTool), typeof(ExplainPermissionsTool),
        typeof(GetMemberTool), typeof(ListMembersTool), typeof(SearchMembersTool),
        typeof(GetAuditLogTool),
        typeof(ListActiveThreadsTool),
        typeof(ListWebhooksTool), typeof(GetWebhookTool),
        typeof(ListInvitesTool), typeof(GetInviteTool),
        typeof(ListScheduledEventsTool),
        typeof(ListAuditEventsTool),
        // Automation drafts: stored for review, never executed (not Discord writes; see PolicyBinding.Descriptor).
        typeof(DraftAutomationTool), typeof(ListAutomationDraftsTool),
        // Writes (WriteRunner: plan → policy → dry run / confirmation / execution).
        typeof(ModifyGuildTool),
        typeof(CreateChannelTool), typeof(EditChannelTool), typeof(DeleteChannelTool), typeof(SetChannelPermissionsTool), typeof(DeleteChannelPermissionsTool),
        typeof(SendMessageTool), typeof(EditMessageTool), typeof(AddReactionTool), typeof(RemoveReactionTool), typeof(PinMessageTool), typeof(UnpinMessageTool),
        typeof(DeleteMessageTool), typeof(BulkDeleteMessagesTool), typeof(DraftModerationWarningTool),
        typeof(CreateRoleTool), typeof(ModifyRoleTool), typeof(DeleteRoleTool), typeof(ReorderRolesTool), typeof(AssignRoleTool), typeof(RemoveRoleTool),
        typeof(KickMemberTool), typeof(BanMemberTool), typeof(UnbanMemberTool), typeof(TimeoutMemberTool), typeof(SetNicknameTool),
        typeof(CreateThreadTool), typeof(ModifyThreadTool),
        typeof(CreateWebhookTool), typeof(ModifyWebhookTool), typeof(DeleteWebhookTool), typeof(ExecuteWebhookTool),
        typeof(CreateInviteTool), typeof(DeleteInviteTool),
        typeof(CreateScheduledEventTool), typeof(ModifyScheduledEventTool), typeof(DeleteScheduledEventTool),
        // Pending actions: confirm, cancel, list.
        typeof(ConfirmActionTool), typeof(CancelActionTool), typeof(ListPendingActionsTool),
    ];

    private static readonly Lazy<IReadOnlyList<ToolInfo>> Infos = new(() => ToolTypes.Select(Describe).ToList());
    private static readonly Lazy<IReadOnlyDictionary<string, ToolInfo>> ByName = new(() => Infos.Value.ToDictionary(t => t.Name, StringComparer.Ordinal));

    public static IReadOnlyList<ToolInfo> All => Infos.Value;

    public static ToolInfo? Find(string name) => ByName.Value.GetValueOrDefault(name);

    private static ToolInfo Describe(Type type)
    {
        var toolset = type.GetCustomAttribute<ToolsetAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name} has no [Toolset].");
        var method = type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .Single(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null);
        var attr = method.GetCustomAttribute<McpServerToolAttribute>()!;
        var description = method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "";
        return new ToolInfo(attr.Name ?? method.Name, toolset, attr.ReadOnly, attr.Destructive, attr.Title ?? attr.Name ?? method.Name, description)
        {
            // The arguments come from the input schema the SDK builds for this method, so the docs show what clients see;
            // built on first use (a tool call's policy binding, the docs), not at start-up.
            ArgumentsFactory = () => Arguments(McpServerTool.Create(method, _ => throw new InvalidOperationException("Only used to read the schema."),
                new McpServerToolCreateOptions { SerializerOptions = ToolResults.Json }).ProtocolTool.InputSchema),
            RunsPolicyItself = type.GetCustomAttribute<WriteToolAttribute>() is not null,
            BotPermissions = BotPermissions(type, attr.Name ?? method.Name),
        };
    }

    /// <summary>
    /// A write tool's <see cref="BotPermissionsAttribute"/> (required: a write tool without one is a build-time mistake the
    /// first catalog read reports); a read tool's permissions are those the policy binding checks for it.
    /// </summary>
    private static DiscordPermissions BotPermissions(Type type, string name)
    {
        if (type.GetCustomAttribute<WriteToolAttribute>() is null)
            return (DiscordPermissions)PolicyBinding.RequiredPermissions(name);
        return type.GetCustomAttribute<BotPermissionsAttribute>()?.Permissions
            ?? throw new InvalidOperationException($"{type.Name} is a write tool without [BotPermissions].");
    }

    private static List<ToolArgument> Arguments(JsonElement schema)
    {
        if (!schema.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
            return [];
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        return [.. props.EnumerateObject().Select(p => new ToolArgument(
            p.Name,
            JsonSchemaType(p.Value) ?? "any",
            required.Contains(p.Name),
            p.Value.TryGetProperty("description", out var d) ? d.GetString() ?? "" : ""))];
    }

    /// <summary>The JSON type of a schema property; for nullable parameters (<c>["string", "null"]</c>) the non-null one.</summary>
    public static string? JsonSchemaType(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var t))
            return null;
        if (t.ValueKind == JsonValueKind.String)
            return t.GetString();
        return t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : null;
    }
}
