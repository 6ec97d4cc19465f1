using System.Globalization;
using System.Text;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Gateway;

/// <summary>
/// <c>/allow-chat [channel]</c>, <c>/disallow-chat [channel]</c> and <c>/chat-status</c>: where members may talk to the
/// agent. They edit the <c>agent_chat</c> rule of the channel policies, the same data as <c>discord-mcp policies</c>.
/// Discord hides them from members without Manage Server (default member permissions); they are checked again here.
/// </summary>
internal sealed partial class ChatCommands(
    IPlatformStore store, ChatAccess access, ChannelDirectory channels, IInteractionResponder responder, DiscordRestClient rest,
    IAuditLog audit, TimeProvider time, ILogger<ChatCommands> logger)
{
    /// <summary>The audit log's tool names for chat rule changes made with the slash commands.</summary>
    public const string AuditAllowTool = "slash_allow_chat";

    /// <inheritdoc cref="AuditAllowTool"/>
    public const string AuditDisallowTool = "slash_disallow_chat";

    public const string AllowChat = "allow-chat";
    public const string DisallowChat = "disallow-chat";
    public const string ChatStatus = "chat-status";

    /// <summary>How long store work may take before the answer is deferred (Discord's deadline for the first answer is 3 s).</summary>
    public static readonly TimeSpan DeferAfter = TimeSpan.FromSeconds(2);

    private const ulong ManageServer = (ulong)DiscordPermissions.ManageGuild | (ulong)DiscordPermissions.Administrator;

    private static readonly ChannelType[] ChatChannelTypes =
        [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildVoice, ChannelType.GuildStageVoice, ChannelType.GuildCategory];

    /// <summary>The guild commands registered in every installed guild (bulk overwrite).</summary>
    public static IReadOnlyList<CreateApplicationCommandRequest> Definitions { get; } =
    [
        Command(AllowChat, "Let members talk to DiscordMCP by mentioning it in a channel", "The channel or category (default: this channel)"),
        Command(DisallowChat, "Stop DiscordMCP from answering mentions in a channel", "The channel or category (default: this channel)"),
        new CreateApplicationCommandRequest
        {
            Name = ChatStatus,
            Description = "List the channels where members can talk to DiscordMCP",
            DefaultMemberPermissions = DiscordPermissions.ManageGuild,
            Contexts = [0],
        },
    ];

    private static CreateApplicationCommandRequest Command(string name, string description, string channelDescription) => new()
    {
        Name = name,
        Description = description,
        Options =
        [
            new ApplicationCommandOption
            {
                Type = ApplicationCommandOptionType.Channel,
                Name = "channel",
                Description = channelDescription,
                Required = false,
                ChannelTypes = ChatChannelTypes,
            },
        ],
        DefaultMemberPermissions = DiscordPermissions.ManageGuild,
        Contexts = [0],
    };

    public static bool IsChatCommand(string name) => name is AllowChat or DisallowChat or ChatStatus;

    /// <summary>Answers a slash command (any name: unknown ones get a polite ephemeral answer).</summary>
    public async Task HandleAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (!IsChatCommand(interaction.Name))
        {
            await responder.ReplyEphemeralAsync(interaction,
                $"I don't know the command /{Clip(interaction.Name)}. My commands here are /{AllowChat}, /{DisallowChat} and /{ChatStatus}.", cancellationToken);
            return;
        }
        if ((interaction.MemberPermissions & ManageServer) == 0)
        {
            await responder.ReplyEphemeralAsync(interaction,
                $"Only members with the Manage Server permission can use /{interaction.Name}. Nothing was changed.", cancellationToken);
            return;
        }

        var work = RunAsync(interaction, cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(DeferAfter, time, deadline.Token);
        if (await Task.WhenAny(work, delay) == work)
        {
            await deadline.CancelAsync();
            await responder.ReplyEphemeralAsync(interaction, await work, cancellationToken);
            return;
        }
        // The store is slow: acknowledge now (ephemeral "thinking…"), then put the answer in the original response.
        await rest.CreateInteractionResponseAsync(new Snowflake(interaction.Id), interaction.Token, new InteractionResponse
        {
            Type = InteractionCallbackType.DeferredChannelMessageWithSource,
            Data = new InteractionCallbackData { Flags = MessageFlags.Ephemeral },
        }, cancellationToken: cancellationToken);
        var answer = await work;
        await rest.EditOriginalInteractionResponseAsync(new Snowflake(interaction.ApplicationId), interaction.Token,
            new EditWebhookMessageRequest { Content = answer, AllowedMentions = DiscordAgentSurface.NoPings }, cancellationToken);
    }

    private async Task<string> RunAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            if (await access.WorkspaceOfAsync(interaction.GuildId, cancellationToken) is not { } workspace)
                return "This server is not installed in a DiscordMCP workspace, so chat stays off here. An operator installs it with `discord-mcp guilds install`. Nothing was changed.";
            return interaction.Name == ChatStatus
                ? await StatusAsync(interaction.GuildId, cancellationToken)
                : await SetAsync(interaction, workspace, interaction.Name == AllowChat, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.CommandFailed(logger, interaction.Name, interaction.GuildId, ex);
            return $"Sorry, /{interaction.Name} failed: the platform store or Discord did not answer. Nothing was changed; try again in a moment.";
        }
    }

    private async Task<string> SetAsync(InteractionEvent interaction, string workspace, bool allow, CancellationToken cancellationToken)
    {
        ulong requested = interaction.ChannelId;
        if (interaction.Options.TryGetValue("channel", out var option))
        {
            if (!ulong.TryParse(option, NumberStyles.None, CultureInfo.InvariantCulture, out requested) || requested == 0)
                return "The channel option must be a channel of this server. Nothing was changed.";
        }
        var target = await channels.GetAsync(requested, cancellationToken);
        if (target is { IsThread: true, ParentId: { } parent })
            target = await channels.GetAsync(parent, cancellationToken);
        if (target is null || target.IsThread || target.GuildId != interaction.GuildId)
            return "I can't find that channel in this server. Nothing was changed.";

        var scope = target.IsCategory ? ChannelPolicyScope.Category : ChannelPolicyScope.Channel;
        var existing = (await store.GetChannelPoliciesAsync(interaction.GuildId, cancellationToken))
            .FirstOrDefault(p => p.Scope == scope && p.TargetId == target.Id);
        var rule = allow ? AccessRule.Allow : AccessRule.Deny;
        var policy = (existing ?? new ChannelPolicy(interaction.GuildId, scope, target.Id)) with { AgentChat = rule };
        // Written to the audit log before the change, like every decision (fail closed: no unaudited change).
        var principal = "discord:" + interaction.UserId.ToString(CultureInfo.InvariantCulture);
        var arguments = $"{{\"agent_chat\":\"{(allow ? "allow" : "deny")}\",\"scope\":\"{(target.IsCategory ? "category" : "channel")}\",\"target_id\":\"{target.Id.ToString(CultureInfo.InvariantCulture)}\"}}";
        var id = Guid.NewGuid().ToString("N");
        await audit.AppendAsync(new AuditEvent(id, id, time.GetUtcNow(), principal, workspace, interaction.GuildId, interaction.ChannelId,
            allow ? AuditAllowTool : AuditDisallowTool, arguments, AuditDecision.Allowed, null, null,
            $"Chat with the agent turned {(allow ? "on" : "off")} in {(target.IsCategory ? "category " : "#")}{target.Name} by {principal} with /{interaction.Name}.",
            0, AuditOutcome.Executed) { EntryPoint = AuditEntryPoints.Agent }, cancellationToken);
        await store.SetChannelPolicyAsync(policy, cancellationToken);
        Log.ChatRuleSet(logger, interaction.GuildId, scope, target.Id, rule, interaction.UserId);
        var where = target.IsCategory ? $"the channels of category {Name(target)}" : $"<#{target.Id}>";
        return allow
            ? $"Chat with DiscordMCP is now on in {where}: members mention the bot there to talk to it. Turn it off with /{DisallowChat}."
            : $"Chat with DiscordMCP is now off in {where}: mentions there are ignored. Turn it on again with /{AllowChat}.";
    }

    private async Task<string> StatusAsync(ulong guildId, CancellationToken cancellationToken)
    {
        var all = await rest.GetGuildChannelsAsync(new Snowflake(guildId), cancellationToken);
        var policies = await store.GetChannelPoliciesAsync(guildId, cancellationToken);
        var enabled = all
            .Where(c => c.Type is not (ChannelType.GuildCategory or ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread))
            .Where(c => ChatAccess.Resolve(policies, guildId, c.Id.Value, c.ParentId?.Value))
            .OrderBy(c => c.Position ?? 0).ThenBy(c => c.Id)
            .ToList();
        if (enabled.Count == 0)
            return $"Chat with DiscordMCP is off in every channel of this server. Members with Manage Server turn it on with /{AllowChat}.";
        var sb = new StringBuilder("Chat with DiscordMCP is on in: ");
        for (var i = 0; i < enabled.Count; i++)
        {
            var item = (i == 0 ? "" : ", ") + $"<#{enabled[i].Id}>";
            if (sb.Length + item.Length > DiscordLimits.MessageContent - 40)
            {
                sb.Append(CultureInfo.InvariantCulture, $" and {enabled.Count - i} more");
                break;
            }
            sb.Append(item);
        }
        return sb.Append('.').ToString();
    }

    private static string Name(ChannelInfo channel) => channel.Name is { Length: > 0 } name ? $"'{Clip(name)}'" : channel.Id.ToString(CultureInfo.InvariantCulture);

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Chat rule of guild {GuildId} {Scope} {TargetId} set to {Rule} by Discord user {UserId} (slash command)")]
        public static partial void ChatRuleSet(ILogger logger, ulong guildId, ChannelPolicyScope scope, ulong targetId, AccessRule rule, ulong userId);

        [LoggerMessage(2, LogLevel.Warning, "Slash command /{Command} in guild {GuildId} failed")]
        public static partial void CommandFailed(ILogger logger, string command, ulong guildId, Exception exception);
    }
}
