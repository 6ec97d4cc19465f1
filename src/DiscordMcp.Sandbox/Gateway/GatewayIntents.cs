using System.Text.Json.Nodes;

namespace DiscordMcp.Sandbox.Gateway;

/// <summary>Gateway intent bits, which events each one gates, and MESSAGE_CONTENT redaction.</summary>
internal static class GatewayIntents
{
    public const int Guilds = 1 << 0;
    public const int GuildMembers = 1 << 1;
    public const int GuildModeration = 1 << 2;
    public const int GuildExpressions = 1 << 3;
    public const int GuildIntegrations = 1 << 4;
    public const int GuildWebhooks = 1 << 5;
    public const int GuildInvites = 1 << 6;
    public const int GuildVoiceStates = 1 << 7;
    public const int GuildPresences = 1 << 8;
    public const int GuildMessages = 1 << 9;
    public const int GuildMessageReactions = 1 << 10;
    public const int GuildMessageTyping = 1 << 11;
    public const int DirectMessages = 1 << 12;
    public const int DirectMessageReactions = 1 << 13;
    public const int DirectMessageTyping = 1 << 14;
    public const int MessageContent = 1 << 15;
    public const int GuildScheduledEvents = 1 << 16;
    public const int AutoModerationConfiguration = 1 << 20;
    public const int AutoModerationExecution = 1 << 21;
    public const int GuildMessagePolls = 1 << 24;
    public const int DirectMessagePolls = 1 << 25;

    /// <summary>Every bit Discord defines; any other bit closes the connection with 4013.</summary>
    public const int AllValid = (1 << 17) - 1 | AutoModerationConfiguration | AutoModerationExecution | GuildMessagePolls | DirectMessagePolls;

    public const int Privileged = GuildMembers | GuildPresences | MessageContent;

    /// <summary>The intent that gates an event, given whether it happened in a guild; 0 = always sent.</summary>
    public static int RequiredIntent(string eventName, bool inGuild) => eventName switch
    {
        "GUILD_CREATE" or "GUILD_UPDATE" or "GUILD_DELETE"
            or "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE" or "GUILD_ROLE_DELETE"
            or "CHANNEL_CREATE" or "CHANNEL_UPDATE" or "CHANNEL_DELETE"
            or "THREAD_CREATE" or "THREAD_UPDATE" or "THREAD_DELETE" or "THREAD_LIST_SYNC" or "THREAD_MEMBER_UPDATE"
            or "STAGE_INSTANCE_CREATE" or "STAGE_INSTANCE_UPDATE" or "STAGE_INSTANCE_DELETE" => Guilds,
        "CHANNEL_PINS_UPDATE" => inGuild ? Guilds : DirectMessages,
        "GUILD_MEMBER_ADD" or "GUILD_MEMBER_UPDATE" or "GUILD_MEMBER_REMOVE" or "THREAD_MEMBERS_UPDATE" => GuildMembers,
        "GUILD_AUDIT_LOG_ENTRY_CREATE" or "GUILD_BAN_ADD" or "GUILD_BAN_REMOVE" => GuildModeration,
        "GUILD_EMOJIS_UPDATE" or "GUILD_STICKERS_UPDATE" or "GUILD_SOUNDBOARD_SOUND_CREATE" or "GUILD_SOUNDBOARD_SOUND_UPDATE"
            or "GUILD_SOUNDBOARD_SOUND_DELETE" or "GUILD_SOUNDBOARD_SOUNDS_UPDATE" => GuildExpressions,
        "GUILD_INTEGRATIONS_UPDATE" or "INTEGRATION_CREATE" or "INTEGRATION_UPDATE" or "INTEGRATION_DELETE" => GuildIntegrations,
        "WEBHOOKS_UPDATE" => GuildWebhooks,
        "INVITE_CREATE" or "INVITE_DELETE" => GuildInvites,
        "VOICE_CHANNEL_EFFECT_SEND" or "VOICE_STATE_UPDATE" => GuildVoiceStates,
        "PRESENCE_UPDATE" => GuildPresences,
        "MESSAGE_CREATE" or "MESSAGE_UPDATE" or "MESSAGE_DELETE" => inGuild ? GuildMessages : DirectMessages,
        "MESSAGE_DELETE_BULK" => GuildMessages,
        "MESSAGE_REACTION_ADD" or "MESSAGE_REACTION_REMOVE" or "MESSAGE_REACTION_REMOVE_ALL" or "MESSAGE_REACTION_REMOVE_EMOJI"
            => inGuild ? GuildMessageReactions : DirectMessageReactions,
        "TYPING_START" => inGuild ? GuildMessageTyping : DirectMessageTyping,
        "GUILD_SCHEDULED_EVENT_CREATE" or "GUILD_SCHEDULED_EVENT_UPDATE" or "GUILD_SCHEDULED_EVENT_DELETE"
            or "GUILD_SCHEDULED_EVENT_USER_ADD" or "GUILD_SCHEDULED_EVENT_USER_REMOVE" => GuildScheduledEvents,
        "AUTO_MODERATION_RULE_CREATE" or "AUTO_MODERATION_RULE_UPDATE" or "AUTO_MODERATION_RULE_DELETE" => AutoModerationConfiguration,
        "AUTO_MODERATION_ACTION_EXECUTION" => AutoModerationExecution,
        "MESSAGE_POLL_VOTE_ADD" or "MESSAGE_POLL_VOTE_REMOVE" => inGuild ? GuildMessagePolls : DirectMessagePolls,
        _ => 0, // INTERACTION_CREATE, READY, RESUMED, USER_UPDATE, ENTITLEMENT_*, ...: no intent
    };

    /// <summary>
    /// The <c>d</c> JSON this session receives for <paramref name="dispatch"/>, or null when its intents filter it out.
    /// Guild messages lose content, embeds, attachments, components and poll without MESSAGE_CONTENT unless the bot
    /// wrote them or is mentioned in them.
    /// </summary>
    public static string? Render(SandboxDispatch dispatch, int intents, string botUserId)
    {
        var inGuild = dispatch.GuildId is not null;
        var required = RequiredIntent(dispatch.EventName, inGuild);
        if (required != 0 && (intents & required) == 0)
            return null;
        if (dispatch.EventName is "MESSAGE_CREATE" or "MESSAGE_UPDATE" && inGuild && (intents & MessageContent) == 0
            && !IsAuthoredByOrMentions(dispatch.Data, botUserId))
        {
            var copy = dispatch.Data.DeepClone().AsObject();
            copy["content"] = "";
            copy["embeds"] = new JsonArray();
            copy["attachments"] = new JsonArray();
            copy["components"] = new JsonArray();
            copy.Remove("poll");
            return copy.ToJsonString();
        }
        return dispatch.Data.ToJsonString();
    }

    private static bool IsAuthoredByOrMentions(JsonObject message, string botUserId)
    {
        if (message["author"] is JsonObject author && IdOf(author) == botUserId)
            return true;
        if (message["mentions"] is JsonArray mentions)
        {
            foreach (var mention in mentions)
            {
                if (mention is JsonObject user && IdOf(user) == botUserId)
                    return true;
            }
        }
        return false;
    }

    private static string? IdOf(JsonObject obj) => obj["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
}
