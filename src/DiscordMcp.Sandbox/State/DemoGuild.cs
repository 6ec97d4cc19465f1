using DiscordMcp.Discord.Client;

namespace DiscordMcp.Sandbox.State;

/// <summary>
/// Well-known ids and names of the seeded "DiscordMCP Demo" guild. Every id is a fixed constant, so ids are
/// identical across runs and machines. Seeded message ids are derived from <see cref="BaseTime"/>
/// (2026-02-23T09:00:00Z) minus fixed offsets, and a message's timestamp is read from its id (Discord's rule),
/// so the #support discussion happened "this morning" relative to <see cref="BaseTime"/>. Tests that want
/// the seeded messages to be recent (e.g. for bulk delete's 14-day rule) start their fake clock at
/// <see cref="ReferenceNow"/>. Ids generated at run time are never below the seed's (the generator's clock
/// is clamped to at least <see cref="BaseTime"/>).
/// </summary>
public static class DemoGuild
{
    /// <summary>The fixed base date of the seed: 2026-02-23T09:00:00Z.</summary>
    public static readonly DateTimeOffset BaseTime = new(2026, 2, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A good "now" for tests: one hour after <see cref="BaseTime"/>.</summary>
    public static readonly DateTimeOffset ReferenceNow = BaseTime.AddHours(1);

    public const string Name = "DiscordMCP Demo";
    public const string GuildId = "1213093380096131072";

    /// <summary>The bot's user id, equal to the application id.</summary>
    public const string BotUserId = "1300000000000000001";
    public const string BotName = "DiscordMCP";

    public const string AdminUserId = "1113768905932931072";
    public const string LuisUserId = "1114131293798531072";
    public const string NewUserId = "1114493681664131072";
    public const string ModeratorUserId = "1114856069529731072";
    public const string SupportUserId = "1115218457395331072";
    public const string AlexUserId = "1115580845260931072";
    public const string JordanUserId = "1115943233126531072";
    public const string PriyaUserId = "1116305620992131072";
    public const string ChenUserId = "1116668008857731072";

    /// <summary>@everyone's id is the guild id.</summary>
    public const string EveryoneRoleId = GuildId;
    public const string AdminRoleId = "1213094638387331072";
    public const string ModeratorRoleId = "1213094890045571072";
    public const string SupportRoleId = "1213095141703811072";
    public const string MemberRoleId = "1213095393362051072";
    public const string BotRoleId = "1213095645020291072";

    public const string TextCategoryId = "1213108479590531072";
    public const string StaffCategoryId = "1213108731248771072";
    public const string CommunityCategoryId = "1213108982907011072";
    public const string VoiceCategoryId = "1213109234565251072";
    public const string GeneralChannelId = "1213109486223491072";
    public const string RandomChannelId = "1213109737881731072";
    public const string SupportChannelId = "1213109989539971072";
    public const string DeploymentsChannelId = "1213110241198211072";
    public const string IncidentsChannelId = "1213110492856451072";
    public const string StaffPrivateChannelId = "1213110744514691072";
    public const string IdeasForumId = "1213110996172931072";
    public const string EventsVoiceId = "1213111247831171072";
    public const string LoungeVoiceId = "1213111499489411072";

    public const string IdeaTagId = "1213410469478531072";
    public const string BugTagId = "1213410721136771072";
    public const string PlannedTagId = "1213410972795011072";

    /// <summary>#support: the first user's report (later solved by clearing the session cookie).</summary>
    public static readonly string SolvedReportMessageId = SeedMessageId(-170, 0);

    /// <summary>#support: the second user's report, still unresolved (needs backend investigation).</summary>
    public static readonly string UnresolvedMessageId = SeedMessageId(-150, 0);

    /// <summary>#general: the message containing a personal attack.</summary>
    public static readonly string PersonalAttackMessageId = SeedMessageId(-40, 0);

    /// <summary>The forum post (thread) in #ideas; its starter message has the same id.</summary>
    public static readonly string IdeasPostId = SeedMessageId(-600, 0);

    /// <summary>A seed id for "<paramref name="minutesFromBase"/> minutes from <see cref="BaseTime"/>".</summary>
    internal static string SeedMessageId(int minutesFromBase, int increment)
    {
        var id = Snowflake.FromTime(BaseTime.AddMinutes(minutesFromBase));
        return new Snowflake(id.Value | (1UL << 17) | (uint)increment).ToString();
    }
}
