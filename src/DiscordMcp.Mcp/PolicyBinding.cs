using System.Globalization;
using System.Text.Json;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp;

/// <summary>Who is calling, as the entry point knows it (HTTP: the bearer key; stdio: the local operator).</summary>
public interface IToolCallerIdentity
{
    /// <summary>The credential of the current call. Must not throw; an unknown caller is <c>new ApiKeyCredential(null)</c>.</summary>
    PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context);

    /// <summary>The credential of a resource read. Must not throw; by default an unknown caller (resources are then refused).</summary>
    PolicyCredential GetResourceCredential(RequestContext<ReadResourceRequestParams> context) => new ApiKeyCredential(null);
}

/// <summary>The local operator of one workspace with a configured role (stdio, and HTTP with <c>--no-auth</c>).</summary>
public sealed class LocalOperatorIdentity(string workspaceId, PlatformRole role = PlatformRole.Admin) : IToolCallerIdentity
{
    /// <inheritdoc />
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context) => new LocalOperatorCredential(workspaceId, role);

    /// <inheritdoc />
    public PolicyCredential GetResourceCredential(RequestContext<ReadResourceRequestParams> context) => new LocalOperatorCredential(workspaceId, role);
}

/// <summary>
/// Turns an MCP tool call into a <see cref="PolicyRequest"/>: the tool descriptor (from the catalog's annotations and the
/// permissions each read needs), the guild and channel from the arguments, the other ids the arguments name
/// (<see cref="PolicyRequest.References"/>, each checked by the pipeline against the authorised guild), the canonical arguments.
/// <para>
/// Guild and channel ids are taken as given (the pipeline authorises them). A guild name, the one-guild default and a
/// channel name are resolved only among the guilds of the caller's own workspace: the credential is first identified
/// with <see cref="PolicyPipeline.IdentifyWorkspaceAsync"/> (authentication and membership), and an unidentified caller gets
/// no resolution at all. A failed resolution leaves the guild or channel to the tool, which fails the same way after the
/// policy allowed it, listing only the caller's guilds. So nothing of another tenant's guilds leaks through resolution
/// errors or candidate lists.
/// </para>
/// </summary>
internal static class PolicyBinding
{
    /// <summary>Discord permissions the bot needs for each read tool (in the channel when the tool names one, else guild-wide).</summary>
    private static readonly Dictionary<string, DiscordPermissions> Required = new(StringComparer.Ordinal)
    {
        ["discord_get_channel"] = DiscordPermissions.ViewChannel,
        ["discord_list_messages"] = DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory,
        ["discord_get_message"] = DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory,
        ["discord_get_audit_log"] = DiscordPermissions.ViewAuditLog,
        ["discord_list_webhooks"] = DiscordPermissions.ManageWebhooks,
        ["discord_get_webhook"] = DiscordPermissions.ManageWebhooks,
        ["discord_list_invites"] = DiscordPermissions.ManageGuild,
    };

    /// <summary>Read tools that need something else when they name a channel (listing one channel's invites needs Manage Channels there, not Manage Server).</summary>
    private static readonly Dictionary<string, DiscordPermissions> RequiredInChannel = new(StringComparer.Ordinal)
    {
        ["discord_list_invites"] = DiscordPermissions.ManageChannels,
        // Guild-wide the endpoint needs nothing (Discord returns only threads the bot can see); one parent channel needs View Channel there.
        ["discord_list_active_threads"] = DiscordPermissions.ViewChannel,
    };

    /// <summary>Tools that touch no guild (the pipeline skips guild-scoped layers for them).</summary>
    private static readonly HashSet<string> Guildless = new(StringComparer.Ordinal) { "discord_list_guilds" };

    /// <summary>
    /// Arguments that name a Discord object by id; each such id must belong to the authorised guild. Names are not
    /// references: the tool resolves them inside the authorised guild only. <c>channel</c> is <see cref="PolicyRequest.ChannelId"/>.
    /// </summary>
    private static readonly Dictionary<string, ResourceKind> ReferenceArguments = new(StringComparer.Ordinal)
    {
        ["message_id"] = ResourceKind.Message,
        ["role"] = ResourceKind.Role,
        ["role_id"] = ResourceKind.Role,
        ["user"] = ResourceKind.Member,
        ["user_id"] = ResourceKind.Member,
        ["member"] = ResourceKind.Member,
        ["member_id"] = ResourceKind.Member,
        ["webhook_id"] = ResourceKind.Webhook,
        ["thread"] = ResourceKind.Thread,
        ["thread_id"] = ResourceKind.Thread,
    };

    /// <summary>
    /// Arguments of a reference name that are filters, not objects the tool reads: the audit log's <c>user</c> filter takes
    /// any user id (actors may have left the guild) and only narrows the authorised guild's own log.
    /// </summary>
    private static readonly Dictionary<string, string[]> NotReferences = new(StringComparer.Ordinal)
    {
        ["discord_get_audit_log"] = ["user"],
    };

    /// <summary>
    /// The pipeline's view of a tool. Tools of the <c>platform</c> toolset act on the platform's own data (its audit log),
    /// so they need the workspace admin role even when they only read.
    /// </summary>
    public static ToolDescriptor Descriptor(ToolInfo tool) => PendingActionTools.Contains(tool.Name)
        // They act only on the caller's own pending actions; what a confirmation runs is authorised under its own tool.
        ? new(tool.Name, "", ToolAccess.Read, PlatformRole.Viewer)
        : tool.Name == DraftAutomationToolName
        // Storing a draft changes nothing in Discord and nothing ever executes it, so it takes no confirmation (Read access:
        // no tool mode applies), but it writes platform data, so it needs an operator. Still guild-scoped and audited.
        ? new(tool.Name, tool.Toolset, ToolAccess.Read, PlatformRole.Operator)
        : new(
            tool.Name,
            tool.Toolset,
            tool.ReadOnly ? ToolAccess.Read : tool.Destructive ? ToolAccess.Destructive : ToolAccess.Write,
            tool.Toolset == Toolsets.Platform ? PlatformRole.Admin : null);

    /// <summary>The automation draft tool (see <see cref="Descriptor"/>).</summary>
    public const string DraftAutomationToolName = "discord_draft_automation";

    /// <summary>The tools that confirm, cancel and list pending actions.</summary>
    public static readonly IReadOnlySet<string> PendingActionTools = new HashSet<string>(StringComparer.Ordinal)
    {
        "discord_confirm_action", "discord_cancel_action", "discord_list_pending_actions",
    };

    public static ulong RequiredPermissions(string toolName, bool inChannel = false) =>
        (ulong)(inChannel && RequiredInChannel.TryGetValue(toolName, out var channelPermissions) ? channelPermissions : Required.GetValueOrDefault(toolName));

    public static async ValueTask<PolicyRequest> BuildAsync(
        IServiceProvider services, ToolInfo tool, IReadOnlyDictionary<string, JsonElement> arguments, PolicyCredential credential, CancellationToken cancellationToken)
    {
        ulong? guildId = null;
        ulong? channelId = null;
        IReadOnlyList<ResourceReference> references = [];
        // Only tools that take a guild are guild-scoped (fixtures are not). Platform tools never are: their guild_id is a
        // filter over the caller's own workspace data, not a guild they act on.
        var guildScoped = !Guildless.Contains(tool.Name) && tool.Toolset != Toolsets.Platform
            && (tool.Arguments.Any(a => a.Name == "guild_id") || arguments.ContainsKey("guild_id"));
        if (guildScoped)
        {
            var caller = new Caller(services, credential);
            guildId = await ResolveGuildAsync(services, caller, Text(arguments, "guild_id"), cancellationToken);
            if (guildId is { } g && Text(arguments, "channel") is { } channel)
                channelId = await ResolveChannelAsync(services, caller, g, channel, cancellationToken);
            references = References(tool.Name, arguments, channelId);
        }
        return new PolicyRequest
        {
            Credential = credential,
            Tool = Descriptor(tool),
            GuildId = guildId,
            ChannelId = channelId,
            References = references,
            RequiredBotPermissions = RequiredPermissions(tool.Name, channelId is not null),
            CanonicalArguments = CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(arguments)),
        };
    }

    /// <summary>
    /// The ids the arguments name (see <see cref="ReferenceArguments"/>), as references for the pipeline's cross-guild check.
    /// A message id is looked up in the call's channel; when that channel is not known yet (a name the binding could not
    /// resolve), the tool resolves the channel inside the authorised guild and reads the message only there.
    /// </summary>
    internal static IReadOnlyList<ResourceReference> References(string toolName, IReadOnlyDictionary<string, JsonElement> arguments, ulong? channelId)
    {
        var skip = NotReferences.GetValueOrDefault(toolName) ?? [];
        var references = new List<ResourceReference>();
        foreach (var (name, kind) in ReferenceArguments)
        {
            if (skip.Contains(name, StringComparer.Ordinal) || Text(arguments, name) is not { } text || ParseId(text, kind) is not { } id)
                continue;
            if (kind == ResourceKind.Message)
            {
                if (channelId is { } parent)
                    references.Add(new ResourceReference(kind, id, parent));
                continue;
            }
            references.Add(new ResourceReference(kind, id));
        }
        return references;
    }

    /// <summary>An id, a mention of the kind (<c>&lt;@id&gt;</c>, <c>&lt;@!id&gt;</c>, <c>&lt;@&amp;id&gt;</c>, <c>&lt;#id&gt;</c>, <c>@id</c>) or <c>null</c> for a name.</summary>
    private static ulong? ParseId(string text, ResourceKind kind)
    {
        if (text.EndsWith('>'))
        {
            var prefix = kind switch
            {
                ResourceKind.Member => text.StartsWith("<@!", StringComparison.Ordinal) ? "<@!" : "<@",
                ResourceKind.Role => "<@&",
                ResourceKind.Thread => "<#",
                _ => null,
            };
            if (prefix is null || !text.StartsWith(prefix, StringComparison.Ordinal))
                return null;
            text = text[prefix.Length..^1];
        }
        else if (kind is ResourceKind.Member or ResourceKind.Role && text.StartsWith('@'))
        {
            text = text[1..]; // "@123…" is an id to the tools too
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != 0 ? id : null;
    }

    private static string? Text(IReadOnlyDictionary<string, JsonElement> arguments, string name) =>
        arguments.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static async ValueTask<ulong?> ResolveGuildAsync(IServiceProvider services, Caller caller, string? guild, CancellationToken cancellationToken)
    {
        if (guild is not null && ulong.TryParse(guild, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        if (await caller.WorkspaceAsync(cancellationToken) is not { } workspace)
            return null; // the pipeline refuses this caller; resolve nothing for it
        try
        {
            var scope = services.GetRequiredService<IGuildScope>();
            return (await services.GetRequiredService<WorkspaceGuilds>().RunAsAsync(workspace, () => scope.ResolveGuildAsync(guild, cancellationToken))).Value;
        }
        catch (DiscordServiceException)
        {
            // Unresolvable (no guild, ambiguous name): the tool reports it the same way if the policy lets it run.
            return null;
        }
    }

    private static async ValueTask<ulong?> ResolveChannelAsync(IServiceProvider services, Caller caller, ulong guildId, string channel, CancellationToken cancellationToken)
    {
        var text = channel.StartsWith("<#", StringComparison.Ordinal) && channel.EndsWith('>') ? channel[2..^1] : channel;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        if (await caller.WorkspaceAsync(cancellationToken) is not { } workspace)
            return null;
        var installation = await services.GetRequiredService<IPlatformStore>().GetInstallationAsync(guildId, cancellationToken);
        if (installation is null || !string.Equals(installation.WorkspaceId, workspace, StringComparison.Ordinal))
            return null; // the policy denies this guild; do not ask Discord about it
        try
        {
            var read = services.GetRequiredService<DiscordReadService>();
            var context = await services.GetRequiredService<WorkspaceGuilds>().RunAsAsync(workspace,
                async () => await read.LoadGuildAsync(guildId.ToString(CultureInfo.InvariantCulture), cancellationToken));
            return DiscordReadService.ResolveChannel(context, channel, "channel").Id.Value;
        }
        catch (DiscordServiceException)
        {
            return null;
        }
    }

    /// <summary>The caller's workspace, identified once per call and only when a name needs resolving.</summary>
    private sealed class Caller(IServiceProvider services, PolicyCredential credential)
    {
        private bool _identified;
        private string? _workspace;

        public async ValueTask<string?> WorkspaceAsync(CancellationToken cancellationToken)
        {
            if (!_identified)
            {
                _workspace = services.GetService<PolicyPipeline>() is { } pipeline
                    ? await pipeline.IdentifyWorkspaceAsync(credential, cancellationToken)
                    : null;
                _identified = true;
            }
            return _workspace;
        }
    }

    /// <summary>The error result of a refused call: layer, reason code and the sentence to act on.</summary>
    public static CallToolResult Refusal(PolicyDecision decision)
    {
        var text = decision.Verdict switch
        {
            PolicyVerdict.Pending => $"Not run yet ({decision.LayerName}: {decision.ReasonCode}): {decision.Message}" +
                (decision.PendingActionId is { } pending ? $" Confirmation id: {pending}." : ""),
            PolicyVerdict.DryRun => $"Dry run ({decision.LayerName}: {decision.ReasonCode}): {decision.Message}",
            _ => $"Denied by {decision.LayerName} ({decision.ReasonCode}): {decision.Message}" +
                (decision.RetryAfter is { } retry ? $" Retry after {Math.Ceiling(retry.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s." : ""),
        };
        return ToolResults.Error(text);
    }
}
