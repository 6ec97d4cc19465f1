using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Host.Doctor;

/// <summary>
/// The Discord permissions the configured features need, derived from the tool catalog (each tool's
/// <see cref="ToolInfo.BotPermissions"/>): per enabled toolset (<c>TOOLSETS</c>; write tools dropped with <c>READ_ONLY</c>),
/// plus what the gateway and the agent need when they are on. <c>doctor</c> and <c>invite-url</c> both use this.
/// </summary>
internal sealed record BotPermissionNeeds(IReadOnlyDictionary<string, DiscordPermissions> ByToolset, DiscordPermissions Gateway, bool GatewayEnabled, bool AgentEnabled)
{
    /// <summary>Name of the gateway/agent entry in <see cref="All"/> listings.</summary>
    public const string GatewayFeature = "gateway";

    /// <summary>
    /// What the gateway's own posts need (approvals messages and their buttons, the agent's answers, plan messages and
    /// reactions in the channels it talks in).
    /// </summary>
    public const DiscordPermissions GatewayPermissions =
        DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages | DiscordPermissions.SendMessagesInThreads |
        DiscordPermissions.ReadMessageHistory | DiscordPermissions.EmbedLinks | DiscordPermissions.AddReactions;

    /// <summary>Permissions that exist only guild-wide: channel overwrites do not change them, so channels are not checked for them.</summary>
    public const DiscordPermissions GuildOnly =
        DiscordPermissions.Administrator | DiscordPermissions.ManageGuild | DiscordPermissions.KickMembers | DiscordPermissions.BanMembers |
        DiscordPermissions.ViewAuditLog | DiscordPermissions.ViewGuildInsights | DiscordPermissions.ChangeNickname |
        DiscordPermissions.ManageNicknames | DiscordPermissions.ModerateMembers | DiscordPermissions.ManageGuildExpressions |
        DiscordPermissions.ViewCreatorMonetizationAnalytics;

    /// <summary>The union of every need: what the invite URL asks for.</summary>
    public DiscordPermissions All => ByToolset.Values.Aggregate(GatewayEnabled ? Gateway : DiscordPermissions.None, (a, b) => a | b);

    /// <summary>Every feature with its needs, toolsets first (alphabetical), then the gateway when it is on.</summary>
    public IEnumerable<(string Feature, DiscordPermissions Needs)> Features =>
        ByToolset.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value))
            .Concat(GatewayEnabled ? [(GatewayFeature, Gateway)] : []);

    /// <exception cref="InvalidOperationException">TOOLSETS or READ_ONLY is malformed (the message names it).</exception>
    public static BotPermissionNeeds FromConfiguration(IConfiguration configuration) =>
        From(McpToolOptions.FromConfiguration(configuration), DiscordMcpRegistration.Catalog(),
            IsTrue(configuration["Discord:EnableGateway"]), IsTrue(configuration["Agent:Enabled"]));

    public static BotPermissionNeeds From(McpToolOptions options, IReadOnlyList<ToolInfo> catalog, bool gateway, bool agent)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byToolset = new Dictionary<string, DiscordPermissions>(StringComparer.Ordinal);
        foreach (var tool in catalog)
        {
            if (!options.Toolsets.Contains(tool.Toolset) || (options.ReadOnly && !tool.ReadOnly))
                continue;
            byToolset[tool.Toolset] = byToolset.GetValueOrDefault(tool.Toolset) | tool.BotPermissions;
        }
        // The agent runs over the gateway (AGENT_ENABLED starts it too).
        return new(byToolset, GatewayPermissions, gateway || agent, agent);
    }

    private static bool IsTrue(string? value) => bool.TryParse(value, out var b) && b;

    /// <summary>Readable names (<c>Manage Webhooks</c>) of the set bits.</summary>
    public static string Describe(DiscordPermissions permissions) =>
        permissions == DiscordPermissions.None ? "none" : string.Join(", ", permissions.ToNames().Select(Readable));

    /// <summary><c>MANAGE_WEBHOOKS</c> → <c>Manage Webhooks</c>.</summary>
    public static string Readable(string name) =>
        string.Join(' ', name.Split('_').Select(w => w.Length == 0 ? w : w[0] + w[1..].ToLowerInvariant()));
}
