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
}

/// <summary>The local operator of one workspace with a configured role (stdio, and HTTP with <c>--no-auth</c>).</summary>
public sealed class LocalOperatorIdentity(string workspaceId, PlatformRole role = PlatformRole.Admin) : IToolCallerIdentity
{
    /// <inheritdoc />
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context) => new LocalOperatorCredential(workspaceId, role);
}

/// <summary>
/// Turns an MCP tool call into a <see cref="PolicyRequest"/>: the tool descriptor (from the catalog's annotations and the
/// permissions each read needs), the guild and channel from the arguments, the canonical arguments.
/// Guild ids are taken as given; a guild name (or no guild) is resolved through the scope. A channel name is resolved only
/// when the guild is installed in some workspace, and a failed resolution leaves the channel to the tool (which fails the
/// same way after the policy allowed it), so nothing of another tenant's guild leaks through resolution errors.
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
    };

    /// <summary>Tools that touch no guild (the pipeline skips guild-scoped layers for them).</summary>
    private static readonly HashSet<string> Guildless = new(StringComparer.Ordinal) { "discord_list_guilds" };

    /// <summary>
    /// The pipeline's view of a tool. Tools of the <c>platform</c> toolset act on the platform's own data (its audit log),
    /// so they need the workspace admin role even when they only read.
    /// </summary>
    public static ToolDescriptor Descriptor(ToolInfo tool) => new(
        tool.Name,
        tool.Toolset,
        tool.ReadOnly ? ToolAccess.Read : tool.Destructive ? ToolAccess.Destructive : ToolAccess.Write,
        tool.Toolset == Toolsets.Platform ? PlatformRole.Admin : null);

    public static ulong RequiredPermissions(string toolName) => (ulong)Required.GetValueOrDefault(toolName);

    public static async ValueTask<PolicyRequest> BuildAsync(
        IServiceProvider services, ToolInfo tool, IReadOnlyDictionary<string, JsonElement> arguments, PolicyCredential credential, CancellationToken cancellationToken)
    {
        ulong? guildId = null;
        ulong? channelId = null;
        // Only tools that take a guild are guild-scoped (fixtures are not). Platform tools never are: their guild_id is a
        // filter over the caller's own workspace data, not a guild they act on.
        var guildScoped = !Guildless.Contains(tool.Name) && tool.Toolset != Toolsets.Platform
            && (tool.Arguments.Any(a => a.Name == "guild_id") || arguments.ContainsKey("guild_id"));
        if (guildScoped)
        {
            guildId = await ResolveGuildAsync(services, Text(arguments, "guild_id"), cancellationToken);
            if (guildId is { } g && Text(arguments, "channel") is { } channel)
                channelId = await ResolveChannelAsync(services, g, channel, cancellationToken);
        }
        return new PolicyRequest
        {
            Credential = credential,
            Tool = Descriptor(tool),
            GuildId = guildId,
            ChannelId = channelId,
            RequiredBotPermissions = RequiredPermissions(tool.Name),
            CanonicalArguments = CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(arguments)),
        };
    }

    private static string? Text(IReadOnlyDictionary<string, JsonElement> arguments, string name) =>
        arguments.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static async ValueTask<ulong?> ResolveGuildAsync(IServiceProvider services, string? guild, CancellationToken cancellationToken)
    {
        if (guild is not null && ulong.TryParse(guild, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        try
        {
            return (await services.GetRequiredService<IGuildScope>().ResolveGuildAsync(guild, cancellationToken)).Value;
        }
        catch (DiscordServiceException)
        {
            // Unresolvable (no guild, ambiguous name): the tool reports it the same way if the policy lets it run.
            return null;
        }
    }

    private static async ValueTask<ulong?> ResolveChannelAsync(IServiceProvider services, ulong guildId, string channel, CancellationToken cancellationToken)
    {
        var text = channel.StartsWith("<#", StringComparison.Ordinal) && channel.EndsWith('>') ? channel[2..^1] : channel;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        if (await services.GetRequiredService<IPlatformStore>().GetInstallationAsync(guildId, cancellationToken) is null)
            return null; // the policy denies this guild; do not ask Discord about it
        try
        {
            var context = await services.GetRequiredService<DiscordReadService>().LoadGuildAsync(guildId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            return DiscordReadService.ResolveChannel(context, channel, "channel").Id.Value;
        }
        catch (DiscordServiceException)
        {
            return null;
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
