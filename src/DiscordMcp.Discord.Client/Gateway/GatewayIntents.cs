namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>Gateway intents (API v10): which event groups the gateway sends. Value of each is <c>1 &lt;&lt; bit</c>.</summary>
[Flags]
#pragma warning disable CA1028 // Discord defines intents as a bit field; ulong keeps room for future bits and matches the permissions type.
public enum GatewayIntents : ulong
#pragma warning restore CA1028
{
    None = 0,
    Guilds = 1UL << 0,
    /// <summary>Privileged: must be enabled for the application in the developer portal.</summary>
    GuildMembers = 1UL << 1,
    GuildModeration = 1UL << 2,
    GuildExpressions = 1UL << 3,
    GuildIntegrations = 1UL << 4,
    GuildWebhooks = 1UL << 5,
    GuildInvites = 1UL << 6,
    GuildVoiceStates = 1UL << 7,
    /// <summary>Privileged: must be enabled for the application in the developer portal.</summary>
    GuildPresences = 1UL << 8,
    GuildMessages = 1UL << 9,
    GuildMessageReactions = 1UL << 10,
    GuildMessageTyping = 1UL << 11,
    DirectMessages = 1UL << 12,
    DirectMessageReactions = 1UL << 13,
    DirectMessageTyping = 1UL << 14,
    /// <summary>Privileged: must be enabled for the application in the developer portal.</summary>
    MessageContent = 1UL << 15,
    GuildScheduledEvents = 1UL << 16,
    AutoModerationConfiguration = 1UL << 20,
    AutoModerationExecution = 1UL << 21,
    GuildMessagePolls = 1UL << 24,
    DirectMessagePolls = 1UL << 25,
}

/// <summary>Named sets of intents and checks on them.</summary>
public static class GatewayIntentSets
{
    /// <summary>Every intent Discord defines (API v10). A bit outside this set makes Discord close with 4013.</summary>
    public const GatewayIntents All =
        GatewayIntents.Guilds | GatewayIntents.GuildMembers | GatewayIntents.GuildModeration | GatewayIntents.GuildExpressions
        | GatewayIntents.GuildIntegrations | GatewayIntents.GuildWebhooks | GatewayIntents.GuildInvites | GatewayIntents.GuildVoiceStates
        | GatewayIntents.GuildPresences | GatewayIntents.GuildMessages | GatewayIntents.GuildMessageReactions | GatewayIntents.GuildMessageTyping
        | GatewayIntents.DirectMessages | GatewayIntents.DirectMessageReactions | GatewayIntents.DirectMessageTyping | GatewayIntents.MessageContent
        | GatewayIntents.GuildScheduledEvents | GatewayIntents.AutoModerationConfiguration | GatewayIntents.AutoModerationExecution
        | GatewayIntents.GuildMessagePolls | GatewayIntents.DirectMessagePolls;

    /// <summary>Intents that need a switch in the developer portal (else Discord closes with 4014).</summary>
    public const GatewayIntents Privileged = GatewayIntents.GuildMembers | GatewayIntents.GuildPresences | GatewayIntents.MessageContent;

    /// <summary>
    /// The product's default: only non-privileged intents its features use. Guilds (GUILD_CREATE with channels, roles,
    /// threads; the caches name resolution needs), GuildMessages (the agent's @mentions arrive here; without
    /// MESSAGE_CONTENT the content of messages mentioning the bot is still delivered), GuildMessageReactions (approval
    /// buttons/reactions), GuildScheduledEvents (event tools), GuildModeration (ban/unban and audit-log entries for
    /// moderation tools) and DirectMessages (the agent answers DMs). Members and presences are fetched on demand
    /// (op 8 / REST) rather than streamed, so no privileged intent is needed by default.
    /// </summary>
    public const GatewayIntents Default =
        GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.GuildMessageReactions
        | GatewayIntents.GuildScheduledEvents | GatewayIntents.GuildModeration | GatewayIntents.DirectMessages;

    /// <summary>True when <paramref name="intents"/> contains at least one privileged intent.</summary>
    public static bool IsPrivileged(this GatewayIntents intents) => (intents & Privileged) != 0;

    /// <summary>The privileged intents contained in <paramref name="intents"/>.</summary>
    public static GatewayIntents PrivilegedPart(this GatewayIntents intents) => intents & Privileged;

    /// <summary>Bits Discord does not define.</summary>
    public static GatewayIntents UnknownBits(this GatewayIntents intents) => intents & ~All;
}
