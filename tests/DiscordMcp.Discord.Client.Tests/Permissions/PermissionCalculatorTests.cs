using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using P = DiscordMcp.Discord.Client.Permissions.DiscordPermissions;

namespace DiscordMcp.Discord.Client.Tests.Permissions;

public sealed class PermissionCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly Snowflake GuildId = new(1000);
    private static readonly Snowflake OwnerId = new(1);
    private static readonly Snowflake AdminRole = new(2001);
    private static readonly Snowflake ModRole = new(2002);
    private static readonly Snowflake SupportRole = new(2003);
    private static readonly Snowflake MemberRole = new(2004);
    private static readonly Snowflake BotRole = new(2005);

    // Hierarchy (top to bottom): Admin 5, Bot 4, Moderator 3, Support 2, Member 1, @everyone 0.
    private static readonly PermissionGuild Guild = new(GuildId, OwnerId, new Dictionary<Snowflake, PermissionRole>
    {
        [GuildId] = new(GuildId, 0, P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.AddReactions | P.Connect | P.Speak | P.EmbedLinks | P.AttachFiles),
        [AdminRole] = new(AdminRole, 5, P.Administrator),
        [BotRole] = new(BotRole, 4, P.ManageChannels | P.ManageRoles | P.KickMembers | P.BanMembers | P.ModerateMembers | P.ManageNicknames),
        [ModRole] = new(ModRole, 3, P.KickMembers | P.ManageMessages | P.ModerateMembers),
        [SupportRole] = new(SupportRole, 2, P.ManageThreads),
        [MemberRole] = new(MemberRole, 1, P.CreatePublicThreads),
    });

    private static PermissionMember Member(ulong id, params Snowflake[] roles) => new(new Snowflake(id), roles);

    private static PermissionOverwrite RoleOw(Snowflake id, P allow, P deny) => new(id, OverwriteType.Role, allow, deny);

    private static PermissionOverwrite MemberOw(ulong id, P allow, P deny) => new(new Snowflake(id), OverwriteType.Member, allow, deny);

    [Fact]
    public void Owner_has_every_permission_even_when_overwrites_deny_everything()
    {
        var owner = Member(OwnerId.Value);
        var overwrites = new[] { RoleOw(GuildId, P.None, DiscordPermissionSet.All), MemberOw(OwnerId.Value, P.None, DiscordPermissionSet.All) };
        Assert.Equal(DiscordPermissionSet.All, PermissionCalculator.ComputeChannel(Guild, owner, overwrites, PermissionChannelKind.Text, Now));
    }

    [Fact]
    public void Administrator_role_grants_everything_and_ignores_overwrites()
    {
        var admin = Member(10, AdminRole);
        var overwrites = new[] { RoleOw(GuildId, P.None, P.ViewChannel), RoleOw(AdminRole, P.None, P.ViewChannel) };
        Assert.Equal(DiscordPermissionSet.All, PermissionCalculator.ComputeChannel(Guild, admin, overwrites, PermissionChannelKind.Text, Now));
    }

    [Fact]
    public void Base_permissions_are_everyone_or_the_members_roles()
    {
        var mod = Member(11, ModRole, MemberRole);
        var expected = Guild.Roles[GuildId].Permissions | P.KickMembers | P.ManageMessages | P.ModerateMembers | P.CreatePublicThreads;
        Assert.Equal(expected, PermissionCalculator.ComputeBase(Guild, mod, Now));
    }

    [Fact]
    public void Unknown_role_ids_on_a_member_are_ignored()
    {
        var member = Member(12, new Snowflake(999999));
        Assert.Equal(Guild.Roles[GuildId].Permissions, PermissionCalculator.ComputeBase(Guild, member, Now));
    }

    [Theory]
    [InlineData(30ul, false)]          // a plain member: @everyone deny hides the channel
    [InlineData(20ul, true)]           // Luis: member overwrite allows
    [InlineData(21ul, true)]           // a support agent: role overwrite allows
    [InlineData(22ul, false)]          // a member whose own overwrite denies, despite the Support role
    public void Private_channel_is_visible_only_to_the_allowed_role_and_member(ulong userId, bool canView)
    {
        var overwrites = new[]
        {
            RoleOw(GuildId, P.None, P.ViewChannel),
            RoleOw(SupportRole, P.ViewChannel, P.None),
            MemberOw(20, P.ViewChannel, P.None),
            MemberOw(22, P.None, P.ViewChannel),
        };
        var member = userId switch
        {
            20 => Member(20, MemberRole),
            21 => Member(21, SupportRole),
            22 => Member(22, SupportRole),
            _ => Member(userId, MemberRole),
        };
        var perms = PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now);
        Assert.Equal(canView, (perms & P.ViewChannel) != 0);
        if (!canView)
            Assert.Equal(P.None, perms); // implicit denial: nothing at all without VIEW_CHANNEL
    }

    [Fact]
    public void Any_role_allow_beats_another_roles_deny()
    {
        var member = Member(40, ModRole, SupportRole);
        var overwrites = new[] { RoleOw(ModRole, P.None, P.SendMessages), RoleOw(SupportRole, P.SendMessages, P.None) };
        var perms = PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now);
        Assert.True((perms & P.SendMessages) != 0);
    }

    [Fact]
    public void Member_overwrite_is_applied_last_and_wins_over_roles()
    {
        var member = Member(41, SupportRole);
        var overwrites = new[] { RoleOw(SupportRole, P.SendMessages, P.None), MemberOw(41, P.None, P.SendMessages) };
        var perms = PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now);
        Assert.Equal(P.None, perms & P.SendMessages);
    }

    [Fact]
    public void Everyone_overwrite_applies_before_role_overwrites()
    {
        // @everyone allows MANAGE_MESSAGES here, Member role denies it: the role deny wins.
        var member = Member(42, MemberRole);
        var overwrites = new[] { RoleOw(GuildId, P.ManageMessages, P.None), RoleOw(MemberRole, P.None, P.ManageMessages) };
        Assert.Equal(P.None, PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now) & P.ManageMessages);
        // Without the role overwrite, the @everyone allow holds.
        Assert.Equal(P.ManageMessages, PermissionCalculator.ComputeChannel(Guild, member, overwrites[..1], PermissionChannelKind.Text, Now) & P.ManageMessages);
    }

    [Theory]
    [InlineData(P.MentionEveryone)]
    [InlineData(P.SendTtsMessages)]
    [InlineData(P.AttachFiles)]
    [InlineData(P.EmbedLinks)]
    public void Without_send_messages_the_send_dependent_permissions_are_void(P dependent)
    {
        var member = Member(43, MemberRole);
        var overwrites = new[] { RoleOw(GuildId, dependent, P.SendMessages) };
        var perms = PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now);
        Assert.Equal(P.None, perms & (dependent | P.SendMessages));
        Assert.True((perms & P.ViewChannel) != 0);
    }

    [Fact]
    public void Voice_channel_without_connect_voids_voice_permissions_but_keeps_text()
    {
        var member = Member(44, MemberRole);
        var overwrites = new[] { RoleOw(GuildId, P.None, P.Connect) };
        var perms = PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Voice, Now);
        Assert.Equal(P.None, perms & (P.Speak | P.Connect));
        Assert.True((perms & P.SendMessages) != 0);
        // The same overwrites on a text channel leave SPEAK alone (it is simply meaningless there).
        Assert.True((PermissionCalculator.ComputeChannel(Guild, member, overwrites, PermissionChannelKind.Text, Now) & P.Speak) != 0);
    }

    [Fact]
    public void Thread_sending_follows_send_messages_in_threads_not_send_messages()
    {
        var member = Member(45, MemberRole);
        var denyThreads = new[] { RoleOw(GuildId, P.None, P.SendMessagesInThreads) };
        var allowThreadsOnly = new[] { RoleOw(GuildId, P.SendMessagesInThreads, P.SendMessages) };
        Assert.Equal(P.None, PermissionCalculator.ComputeChannel(Guild, member, denyThreads, PermissionChannelKind.Thread, Now) & P.SendMessages);
        var perms = PermissionCalculator.ComputeChannel(Guild, member, allowThreadsOnly, PermissionChannelKind.Thread, Now);
        Assert.True((perms & P.SendMessages) != 0);
        Assert.True((perms & P.EmbedLinks) != 0);
    }

    [Fact]
    public void Timed_out_member_keeps_only_view_and_history_until_the_timeout_ends()
    {
        var timedOut = new PermissionMember(new Snowflake(46), [ModRole], Now.AddMinutes(5));
        var perms = PermissionCalculator.ComputeChannel(Guild, timedOut, [], PermissionChannelKind.Text, Now);
        Assert.Equal(P.ViewChannel | P.ReadMessageHistory, perms);
        Assert.Equal(P.ViewChannel | P.ReadMessageHistory, PermissionCalculator.ComputeBase(Guild, timedOut, Now));
        var later = PermissionCalculator.ComputeChannel(Guild, timedOut, [], PermissionChannelKind.Text, Now.AddMinutes(5));
        Assert.True((later & P.KickMembers) != 0);
    }

    [Fact]
    public void Timed_out_administrator_is_exempt()
    {
        var admin = new PermissionMember(new Snowflake(47), [AdminRole], Now.AddDays(1));
        Assert.Equal(DiscordPermissionSet.All, PermissionCalculator.ComputeBase(Guild, admin, Now));
    }

    [Theory]
    [InlineData(2005ul, 2002ul, true)]   // bot (4) over Moderator (3)
    [InlineData(2005ul, 2001ul, false)]  // bot (4) under Admin (5)
    [InlineData(2005ul, 2005ul, false)]  // its own highest role: not strictly below
    [InlineData(2002ul, 2004ul, false)]  // Moderator lacks MANAGE_ROLES
    public void Managing_a_role_needs_manage_roles_and_a_higher_role(ulong actorRole, ulong targetRole, bool allowed)
    {
        var actor = Member(50, new Snowflake(actorRole));
        var decision = PermissionCalculator.CanManageRole(Guild, actor, Guild.Roles[new Snowflake(targetRole)], Now);
        Assert.Equal(allowed, decision.IsAllowed);
    }

    [Fact]
    public void Equal_positions_are_ordered_by_id_lower_id_higher()
    {
        var a = new PermissionRole(new Snowflake(5), 3, P.None);
        var b = new PermissionRole(new Snowflake(6), 3, P.None);
        Assert.True(PermissionCalculator.IsAbove(a, b));
        Assert.False(PermissionCalculator.IsAbove(b, a));
    }

    [Fact]
    public void Owner_can_manage_any_role()
    {
        Assert.True(PermissionCalculator.CanManageRole(Guild, Member(OwnerId.Value), Guild.Roles[AdminRole], Now).IsAllowed);
    }

    [Theory]
    [InlineData(ModerationAction.Kick, 60ul, true, HierarchyDenial.None)]            // bot kicks a Moderator
    [InlineData(ModerationAction.Ban, 61ul, false, HierarchyDenial.TargetNotBelowActor)]  // admin is above the bot
    [InlineData(ModerationAction.Timeout, 61ul, false, HierarchyDenial.TargetIsAdministrator)]
    [InlineData(ModerationAction.Kick, 1ul, false, HierarchyDenial.TargetIsOwner)]
    [InlineData(ModerationAction.Kick, 70ul, false, HierarchyDenial.TargetIsSelf)]
    [InlineData(ModerationAction.ChangeNickname, 62ul, true, HierarchyDenial.None)]
    public void Moderation_follows_the_member_hierarchy(ModerationAction action, ulong target, bool allowed, HierarchyDenial reason)
    {
        var bot = Member(70, BotRole);
        var targets = new Dictionary<ulong, PermissionMember>
        {
            [60] = Member(60, ModRole),
            [61] = Member(61, AdminRole),
            [62] = Member(62, MemberRole),
            [1] = Member(1),
            [70] = bot,
        };
        var decision = PermissionCalculator.CanModerate(Guild, bot, targets[target], action, Now);
        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Moderator_without_ban_members_is_told_which_permission_is_missing()
    {
        var decision = PermissionCalculator.CanModerate(Guild, Member(80, ModRole), Member(81, MemberRole), ModerationAction.Ban, Now);
        Assert.False(decision.IsAllowed);
        Assert.Equal(HierarchyDenial.MissingPermission, decision.Reason);
        Assert.Equal(P.BanMembers, decision.MissingPermission);
    }

    [Fact]
    public void Only_permissions_the_actor_has_can_be_granted()
    {
        var bot = Member(70, BotRole);
        Assert.Equal(P.None, PermissionCalculator.MissingToGrant(Guild, bot, P.ViewChannel | P.ManageChannels, Now));
        Assert.Equal(P.Administrator, PermissionCalculator.MissingToGrant(Guild, bot, P.Administrator | P.ManageChannels, Now));
        Assert.Equal(P.None, PermissionCalculator.MissingToGrant(Guild, Member(71, AdminRole), DiscordPermissionSet.All, Now));
    }

    [Fact]
    public void Permission_table_matches_discords_documented_values()
    {
        Assert.Equal("1024", P.ViewChannel.ToWire());
        Assert.Equal("2048", P.SendMessages.ToWire());
        Assert.Equal("268435456", P.ManageRoles.ToWire());
        Assert.Equal("1099511627776", P.ModerateMembers.ToWire());
        Assert.Equal("2251799813685248", P.PinMessages.ToWire());
        Assert.Equal("17592186044416", P.CreateEvents.ToWire());
        Assert.Equal(52, System.Numerics.BitOperations.PopCount((ulong)DiscordPermissionSet.All));
        Assert.Equal(["VIEW_CHANNEL", "SEND_MESSAGES"], (P.ViewChannel | P.SendMessages).ToNames());
        Assert.Equal("SEND_TTS_MESSAGES", DiscordPermissionSet.Name(P.SendTtsMessages));
        Assert.Equal("PIN_MESSAGES", DiscordPermissionSet.Name(P.PinMessages));
    }

    [Theory]
    [InlineData("0", true, 0ul)]
    [InlineData("2251799813685248", true, 2251799813685248ul)]
    [InlineData("", false, 0ul)]
    [InlineData("-1", false, 0ul)]
    [InlineData("12a", false, 0ul)]
    [InlineData("99999999999999999999", false, 0ul)]
    public void Wire_permissions_parse_only_decimal_strings(string text, bool ok, ulong value)
    {
        Assert.Equal(ok, DiscordPermissionSet.TryParse(text, out var parsed));
        Assert.Equal(value, (ulong)parsed);
    }
}
