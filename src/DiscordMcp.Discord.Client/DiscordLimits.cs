namespace DiscordMcp.Discord.Client;

/// <summary>
/// Documented Discord limits (API v10). The same constant is used by a check and by its error message.
/// Where the OpenAPI spec and the documentation disagree, the documentation wins (e.g. content is 2000, not 4000).
/// </summary>
public static class DiscordLimits
{
    // Messages and embeds.
    public const int MessageContent = 2000;
    public const int EmbedsPerMessage = 10;
    public const int EmbedTotalCharacters = 6000;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedFields = 25;
    public const int EmbedFieldName = 256;
    public const int EmbedFieldValue = 1024;
    public const int EmbedFooterText = 2048;
    public const int EmbedAuthorName = 256;
    public const int Nonce = 25;
    public const int StickersPerMessage = 3;
    public const int AllowedMentionsIds = 100;
    public const int ListMessagesMin = 1;
    public const int ListMessagesMax = 100;
    public const int BulkDeleteMin = 2;
    public const int BulkDeleteMax = 100;
    public static readonly TimeSpan BulkDeleteMaxAge = TimeSpan.FromDays(14);
    public const int ListPinsMin = 1;
    public const int ListPinsMax = 50;
    public const int ReactionUsersMin = 1;
    public const int ReactionUsersMax = 100;

    // Components.
    public const int ButtonLabel = 80;
    public const int CustomIdMin = 1;
    public const int CustomIdMax = 100;
    public const int ActionRowsPerMessage = 5;

    // Channels and threads.
    public const int ChannelNameMin = 1;
    public const int ChannelNameMax = 100;
    public const int ChannelTopic = 1024;
    public const int ForumChannelTopic = 4096;
    public const int SlowmodeMaxSeconds = 21600;
    public const int BitrateMin = 8000;
    public const int BitrateMax = 384000;
    public const int VoiceUserLimitMax = 99;
    public const int PermissionOverwrites = 100;
    public const int ThreadNameMin = 1;
    public const int ThreadNameMax = 100;
    public const int AppliedTags = 5;
    /// <summary>The only auto-archive durations Discord accepts, in minutes.</summary>
    public static readonly IReadOnlyList<int> ThreadAutoArchiveDurations = [60, 1440, 4320, 10080];

    // Roles, members, moderation.
    public const int RoleName = 100;
    public const int Nickname = 32;
    public const int AuditLogReason = 512;
    public const int ListMembersMin = 1;
    public const int ListMembersMax = 1000;
    public const int SearchMembersMin = 1;
    public const int SearchMembersMax = 1000;
    public const int SearchQueryMax = 100;
    public const int ListBansMax = 1000;
    public const int BanDeleteMessageSecondsMax = 604800;
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(28);
    public const int AuditLogLimitMin = 1;
    public const int AuditLogLimitMax = 100;
    public const int MyGuildsLimitMax = 200;

    // Webhooks and invites.
    public const int WebhookNameMin = 1;
    public const int WebhookNameMax = 80;
    /// <summary>Substrings Discord refuses in webhook names (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> WebhookNameForbidden = ["clyde", "discord"];
    public const int InviteMaxAgeSeconds = 604800;
    public const int InviteMaxUses = 100;

    // Scheduled events.
    public const int EventNameMin = 1;
    public const int EventNameMax = 100;
    public const int EventDescriptionMin = 1;
    public const int EventDescriptionMax = 1000;
    public const int EventLocationMin = 1;
    public const int EventLocationMax = 100;
    public const int EventUsersLimitMax = 100;

    // Application commands and interactions.
    public const int CommandNameMin = 1;
    public const int CommandNameMax = 32;
    public const int CommandDescriptionMin = 1;
    public const int CommandDescriptionMax = 100;
    public const int CommandOptions = 25;
    public const int CommandChoices = 25;
}
