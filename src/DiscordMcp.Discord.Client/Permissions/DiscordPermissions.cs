namespace DiscordMcp.Discord.Client.Permissions;

/// <summary>
/// Discord's permission bits (API v10, including the 2026 splits PIN_MESSAGES and CREATE_EVENTS).
/// Sent on the wire as a decimal string.
/// </summary>
[Flags]
#pragma warning disable CA1711 // "Permissions" is Discord's own word for the bitfield.
public enum DiscordPermissions : ulong
#pragma warning restore CA1711
{
    None = 0,
    CreateInstantInvite = 1UL << 0,
    KickMembers = 1UL << 1,
    BanMembers = 1UL << 2,
    Administrator = 1UL << 3,
    ManageChannels = 1UL << 4,
    ManageGuild = 1UL << 5,
    AddReactions = 1UL << 6,
    ViewAuditLog = 1UL << 7,
    PrioritySpeaker = 1UL << 8,
    Stream = 1UL << 9,
    ViewChannel = 1UL << 10,
    SendMessages = 1UL << 11,
    SendTtsMessages = 1UL << 12,
    ManageMessages = 1UL << 13,
    EmbedLinks = 1UL << 14,
    AttachFiles = 1UL << 15,
    ReadMessageHistory = 1UL << 16,
    MentionEveryone = 1UL << 17,
    UseExternalEmojis = 1UL << 18,
    ViewGuildInsights = 1UL << 19,
    Connect = 1UL << 20,
    Speak = 1UL << 21,
    MuteMembers = 1UL << 22,
    DeafenMembers = 1UL << 23,
    MoveMembers = 1UL << 24,
    UseVad = 1UL << 25,
    ChangeNickname = 1UL << 26,
    ManageNicknames = 1UL << 27,
    ManageRoles = 1UL << 28,
    ManageWebhooks = 1UL << 29,
    ManageGuildExpressions = 1UL << 30,
    UseApplicationCommands = 1UL << 31,
    RequestToSpeak = 1UL << 32,
    ManageEvents = 1UL << 33,
    ManageThreads = 1UL << 34,
    CreatePublicThreads = 1UL << 35,
    CreatePrivateThreads = 1UL << 36,
    UseExternalStickers = 1UL << 37,
    SendMessagesInThreads = 1UL << 38,
    UseEmbeddedActivities = 1UL << 39,
    ModerateMembers = 1UL << 40,
    ViewCreatorMonetizationAnalytics = 1UL << 41,
    UseSoundboard = 1UL << 42,
    CreateGuildExpressions = 1UL << 43,
    CreateEvents = 1UL << 44,
    UseExternalSounds = 1UL << 45,
    SendVoiceMessages = 1UL << 46,
    SetVoiceChannelStatus = 1UL << 48,
    SendPolls = 1UL << 49,
    UseExternalApps = 1UL << 50,
    PinMessages = 1UL << 51,
    BypassSlowmode = 1UL << 52,
}

/// <summary>Helpers over <see cref="DiscordPermissions"/>: the full mask, wire names, parsing.</summary>
public static class DiscordPermissionSet
{
    /// <summary>Every defined bit (bit 47 is unassigned).</summary>
    public const DiscordPermissions All = (DiscordPermissions)((1UL << 53) - 1 & ~(1UL << 47));

    /// <summary>Permissions that only make sense in a voice or stage channel, voided there without CONNECT.</summary>
    public const DiscordPermissions VoiceOnly =
        DiscordPermissions.Speak | DiscordPermissions.MuteMembers | DiscordPermissions.DeafenMembers |
        DiscordPermissions.MoveMembers | DiscordPermissions.UseVad | DiscordPermissions.PrioritySpeaker |
        DiscordPermissions.Stream | DiscordPermissions.RequestToSpeak | DiscordPermissions.UseEmbeddedActivities |
        DiscordPermissions.UseSoundboard | DiscordPermissions.UseExternalSounds | DiscordPermissions.SetVoiceChannelStatus;

    /// <summary>Permissions that depend on being able to send: voided without SEND_MESSAGES.</summary>
    public const DiscordPermissions DependOnSend =
        DiscordPermissions.MentionEveryone | DiscordPermissions.SendTtsMessages |
        DiscordPermissions.AttachFiles | DiscordPermissions.EmbedLinks;

    /// <summary>What a timed-out member keeps.</summary>
    public const DiscordPermissions KeptWhileTimedOut = DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory;

    /// <summary>Parses Discord's decimal-string form; unknown (future) bits are kept, not rejected.</summary>
    public static bool TryParse(string? value, out DiscordPermissions permissions)
    {
        permissions = DiscordPermissions.None;
        if (string.IsNullOrEmpty(value) || value.Length > 20 || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
            return false;
        if (!ulong.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var raw))
            return false;
        permissions = (DiscordPermissions)raw;
        return true;
    }

    /// <summary>The wire form: a decimal string.</summary>
    public static string ToWire(this DiscordPermissions permissions) =>
        ((ulong)permissions).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Discord's SCREAMING_SNAKE names of the set bits, lowest bit first (e.g. <c>VIEW_CHANNEL</c>).</summary>
    public static IReadOnlyList<string> ToNames(this DiscordPermissions permissions)
    {
        var names = new List<string>();
        for (var bit = 0; bit < 64; bit++)
        {
            var flag = (DiscordPermissions)(1UL << bit);
            if ((permissions & flag) != 0)
                names.Add(Name(flag));
        }
        return names;
    }

    /// <summary>The Discord name of one bit, e.g. <c>MANAGE_CHANNELS</c>; unknown bits as <c>BIT_47</c>.</summary>
    public static string Name(DiscordPermissions flag)
    {
        var text = flag.ToString();
        if (text.Length > 0 && char.IsDigit(text[0]))
            return "BIT_" + System.Numerics.BitOperations.TrailingZeroCount((ulong)flag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return flag switch
        {
            DiscordPermissions.SendTtsMessages => "SEND_TTS_MESSAGES",
            DiscordPermissions.UseVad => "USE_VAD",
            _ => ToScreamingSnake(text),
        };
    }

    private static string ToScreamingSnake(string pascal)
    {
        var sb = new System.Text.StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c))
                sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
