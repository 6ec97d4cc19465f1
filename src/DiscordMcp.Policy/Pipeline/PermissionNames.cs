using System.Text;

namespace DiscordMcp.Policy.Pipeline;

/// <summary>Human names of Discord permission bits, for actionable messages (Policy cannot reference the client's enum).</summary>
public static class PermissionNames
{
    /// <summary>The Administrator bit.</summary>
    public const ulong Administrator = 1UL << 3;

    private static readonly string?[] Names = BuildNames();

    /// <summary>"Manage Webhooks", "Send Messages and Embed Links", …</summary>
    public static string Describe(ulong permissions)
    {
        var sb = new StringBuilder();
        var count = 0;
        var total = ulong.PopCount(permissions);
        for (var bit = 0; bit < 64; bit++)
        {
            if ((permissions & (1UL << bit)) == 0)
            {
                continue;
            }

            count++;
            if (count > 1)
            {
                sb.Append(count == (int)total ? " and " : ", ");
            }

            sb.Append(bit < Names.Length && Names[bit] is { } name ? name : $"permission bit {bit}");
        }

        return sb.ToString();
    }

    private static string?[] BuildNames()
    {
        var n = new string?[53];
        string[] ordered =
        [
            "Create Invite", "Kick Members", "Ban Members", "Administrator", "Manage Channels", "Manage Server",
            "Add Reactions", "View Audit Log", "Priority Speaker", "Video", "View Channel", "Send Messages",
            "Send TTS Messages", "Manage Messages", "Embed Links", "Attach Files", "Read Message History",
            "Mention Everyone", "Use External Emojis", "View Server Insights", "Connect", "Speak", "Mute Members",
            "Deafen Members", "Move Members", "Use Voice Activity", "Change Nickname", "Manage Nicknames",
            "Manage Roles", "Manage Webhooks", "Manage Expressions", "Use Application Commands", "Request to Speak",
            "Manage Events", "Manage Threads", "Create Public Threads", "Create Private Threads",
            "Use External Stickers", "Send Messages in Threads", "Use Activities", "Timeout Members",
            "View Creator Monetization Analytics", "Use Soundboard", "Create Expressions", "Create Events",
            "Use External Sounds", "Send Voice Messages",
        ];
        for (var i = 0; i < ordered.Length; i++)
        {
            n[i] = ordered[i];
        }

        n[48] = "Set Voice Channel Status";
        n[49] = "Create Polls";
        n[50] = "Use External Apps";
        n[51] = "Pin Messages";
        n[52] = "Bypass Slowmode";
        return n;
    }
}
