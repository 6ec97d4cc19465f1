using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Host.Gateway;

/// <summary>
/// The Discord permission a member must hold to approve or reject a pending action by button. A pending action stores
/// the tool and its arguments but not the permission its plan needed, so it is derived from the tool: the member
/// permission Discord itself requires for that kind of change (banning needs Ban Members, deleting a channel Manage
/// Channels, …). A tool not listed needs Administrator (fail closed).
/// </summary>
internal static class ApprovalPermissions
{
    private static readonly Dictionary<string, DiscordPermissions> ByTool = new(StringComparer.Ordinal)
    {
        ["discord_modify_guild"] = DiscordPermissions.ManageGuild,
        ["discord_create_channel"] = DiscordPermissions.ManageChannels,
        ["discord_edit_channel"] = DiscordPermissions.ManageChannels,
        ["discord_delete_channel"] = DiscordPermissions.ManageChannels,
        ["discord_set_channel_permissions"] = DiscordPermissions.ManageRoles,
        ["discord_delete_channel_permissions"] = DiscordPermissions.ManageRoles,
        ["discord_send_message"] = DiscordPermissions.SendMessages,
        ["discord_edit_message"] = DiscordPermissions.SendMessages,
        ["discord_add_reaction"] = DiscordPermissions.AddReactions,
        ["discord_remove_reaction"] = DiscordPermissions.ManageMessages,
        ["discord_pin_message"] = DiscordPermissions.ManageMessages,
        ["discord_unpin_message"] = DiscordPermissions.ManageMessages,
        ["discord_delete_message"] = DiscordPermissions.ManageMessages,
        ["discord_bulk_delete_messages"] = DiscordPermissions.ManageMessages,
        ["discord_draft_moderation_warning"] = DiscordPermissions.ManageMessages,
        ["discord_create_thread"] = DiscordPermissions.CreatePublicThreads,
        ["discord_modify_thread"] = DiscordPermissions.ManageThreads,
        ["discord_create_role"] = DiscordPermissions.ManageRoles,
        ["discord_modify_role"] = DiscordPermissions.ManageRoles,
        ["discord_delete_role"] = DiscordPermissions.ManageRoles,
        ["discord_reorder_roles"] = DiscordPermissions.ManageRoles,
        ["discord_assign_role"] = DiscordPermissions.ManageRoles,
        ["discord_remove_role"] = DiscordPermissions.ManageRoles,
        ["discord_kick_member"] = DiscordPermissions.KickMembers,
        ["discord_ban_member"] = DiscordPermissions.BanMembers,
        ["discord_unban_member"] = DiscordPermissions.BanMembers,
        ["discord_timeout_member"] = DiscordPermissions.ModerateMembers,
        ["discord_set_nickname"] = DiscordPermissions.ManageNicknames,
        ["discord_create_webhook"] = DiscordPermissions.ManageWebhooks,
        ["discord_modify_webhook"] = DiscordPermissions.ManageWebhooks,
        ["discord_delete_webhook"] = DiscordPermissions.ManageWebhooks,
        ["discord_execute_webhook"] = DiscordPermissions.ManageWebhooks,
        ["discord_create_invite"] = DiscordPermissions.CreateInstantInvite,
        ["discord_delete_invite"] = DiscordPermissions.ManageChannels,
        ["discord_create_scheduled_event"] = DiscordPermissions.ManageEvents,
        ["discord_modify_scheduled_event"] = DiscordPermissions.ManageEvents,
        ["discord_delete_scheduled_event"] = DiscordPermissions.ManageEvents,
        ["discord_draft_automation"] = DiscordPermissions.ManageGuild,
    };

    /// <summary>The permission(s) needed to decide on an action of <paramref name="toolName"/>.</summary>
    public static DiscordPermissions For(string toolName) => ByTool.GetValueOrDefault(toolName, DiscordPermissions.Administrator);

    /// <summary>Whether <paramref name="memberPermissions"/> (as Discord computed them in the channel) include <paramref name="required"/>; Administrator includes all.</summary>
    public static bool Holds(ulong memberPermissions, DiscordPermissions required) =>
        (memberPermissions & (ulong)DiscordPermissions.Administrator) != 0 || (memberPermissions & (ulong)required) == (ulong)required;
}
