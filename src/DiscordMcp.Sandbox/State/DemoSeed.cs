using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;
using P = DiscordMcp.Discord.Client.Permissions.DiscordPermissions;

namespace DiscordMcp.Sandbox.State;

/// <summary>Builds the "DiscordMCP Demo" guild with the fixed ids of <see cref="DemoGuild"/>. Deterministic: no clock, no randomness.</summary>
internal static class DemoSeed
{
    public const P BotPermissions =
        P.ManageChannels | P.ManageRoles | P.ManageWebhooks | P.ManageEvents | P.CreateEvents | P.ManageMessages |
        P.ManageThreads | P.PinMessages | P.ViewAuditLog | P.ModerateMembers | P.KickMembers | P.BanMembers |
        P.CreateInstantInvite | P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.EmbedLinks | P.AttachFiles |
        P.AddReactions | P.SendMessagesInThreads | P.CreatePublicThreads | P.CreatePrivateThreads | P.ManageNicknames |
        P.Connect | P.UseExternalEmojis;

    public const P ModeratorPermissions =
        P.KickMembers | P.BanMembers | P.ModerateMembers | P.ManageMessages | P.ManageThreads | P.PinMessages |
        P.ViewAuditLog | P.ManageNicknames | P.MuteMembers | P.MoveMembers;

    public const P SupportPermissions = P.ManageThreads | P.PinMessages | P.MentionEveryone;

    public static void Apply(SandboxState state)
    {
        var users = new (string Id, string Name, string Global)[]
        {
            (DemoGuild.AdminUserId, "admin", "Admin"),
            (DemoGuild.LuisUserId, "luis", "Luis"),
            (DemoGuild.NewUserId, "new-user", "new-user"),
            (DemoGuild.ModeratorUserId, "maria.mod", "Maria (Moderator)"),
            (DemoGuild.SupportUserId, "sam.support", "Sam (Support)"),
            (DemoGuild.AlexUserId, "alex", "Alex"),
            (DemoGuild.JordanUserId, "jordan", "Jordan"),
            (DemoGuild.PriyaUserId, "priya", "Priya"),
            (DemoGuild.ChenUserId, "chen", "Chen"),
        };
        foreach (var (id, name, global) in users)
            state.AddUserRaw(SandboxState.NewUser(id, name, globalName: global));

        state.AddGuildRaw(DemoGuild.GuildId, DemoGuild.Name, DemoGuild.AdminUserId, guild =>
        {
            guild.Roles[DemoGuild.AdminRoleId] = SandboxState.NewRole(DemoGuild.AdminRoleId, "Admin", P.Administrator, 5, 0xE74C3C, hoist: true);
            guild.Roles[DemoGuild.BotRoleId] = SandboxState.NewRole(DemoGuild.BotRoleId, DemoGuild.BotName, BotPermissions, 4, 0x5865F2, managed: true, botId: DemoGuild.BotUserId);
            guild.Roles[DemoGuild.ModeratorRoleId] = SandboxState.NewRole(DemoGuild.ModeratorRoleId, "Moderator", ModeratorPermissions, 3, 0x3498DB, hoist: true);
            guild.Roles[DemoGuild.SupportRoleId] = SandboxState.NewRole(DemoGuild.SupportRoleId, "Support", SupportPermissions, 2, 0x2ECC71, hoist: true);
            guild.Roles[DemoGuild.MemberRoleId] = SandboxState.NewRole(DemoGuild.MemberRoleId, "Member", P.None, 1, 0x95A5A6);
            guild.Guild["system_channel_id"] = DemoGuild.GeneralChannelId;
        });
        state.AddMember(DemoGuild.GuildId, DemoGuild.AdminUserId, [DemoGuild.AdminRoleId]);
        state.AddMember(DemoGuild.GuildId, DemoGuild.LuisUserId, [DemoGuild.ModeratorRoleId, DemoGuild.MemberRoleId]);
        state.AddMember(DemoGuild.GuildId, DemoGuild.NewUserId, [DemoGuild.MemberRoleId]);
        state.AddMember(DemoGuild.GuildId, DemoGuild.ModeratorUserId, [DemoGuild.ModeratorRoleId, DemoGuild.MemberRoleId]);
        state.AddMember(DemoGuild.GuildId, DemoGuild.SupportUserId, [DemoGuild.SupportRoleId, DemoGuild.MemberRoleId]);
        foreach (var id in (string[])[DemoGuild.AlexUserId, DemoGuild.JordanUserId, DemoGuild.PriyaUserId, DemoGuild.ChenUserId])
            state.AddMember(DemoGuild.GuildId, id, [DemoGuild.MemberRoleId]);
        state.AddMember(DemoGuild.GuildId, DemoGuild.BotUserId, [DemoGuild.BotRoleId]);

        var g = DemoGuild.GuildId;
        var staffOverwrites = new JsonArray(
            SandboxState.Overwrite(g, 0, P.None, P.ViewChannel),
            SandboxState.Overwrite(DemoGuild.AdminRoleId, 0, P.ViewChannel, P.None),
            SandboxState.Overwrite(DemoGuild.ModeratorRoleId, 0, P.ViewChannel, P.None),
            SandboxState.Overwrite(DemoGuild.BotRoleId, 0, P.ViewChannel, P.None));
        var channels = new (string Id, int Type, string Name, int Position, string? Parent, string? Topic, JsonArray? Overwrites)[]
        {
            (DemoGuild.TextCategoryId, 4, "Text Channels", 0, null, null, null),
            (DemoGuild.StaffCategoryId, 4, "Staff", 1, null, null, (JsonArray)staffOverwrites.DeepClone()),
            (DemoGuild.CommunityCategoryId, 4, "Community", 2, null, null, null),
            (DemoGuild.VoiceCategoryId, 4, "Voice", 3, null, null, null),
            (DemoGuild.GeneralChannelId, 0, "general", 0, DemoGuild.TextCategoryId, "General chat for the community", null),
            (DemoGuild.RandomChannelId, 0, "random", 1, DemoGuild.TextCategoryId, "Off-topic", null),
            (DemoGuild.SupportChannelId, 0, "support", 2, DemoGuild.TextCategoryId, "Ask for help here. Staff will answer.", null),
            (DemoGuild.DeploymentsChannelId, 0, "deployments", 3, DemoGuild.TextCategoryId, "Deployment announcements", null),
            (DemoGuild.IncidentsChannelId, 0, "incidents", 4, DemoGuild.TextCategoryId, "Incident tracking", null),
            (DemoGuild.StaffPrivateChannelId, 0, "staff-private", 0, DemoGuild.StaffCategoryId, "Staff only", (JsonArray)staffOverwrites.DeepClone()),
            (DemoGuild.IdeasForumId, 15, "ideas", 0, DemoGuild.CommunityCategoryId, "Share feature ideas", null),
            (DemoGuild.EventsVoiceId, 2, "Events", 0, DemoGuild.VoiceCategoryId, null, null),
            (DemoGuild.LoungeVoiceId, 2, "Lounge", 1, DemoGuild.VoiceCategoryId, null, null),
        };
        foreach (var c in channels)
        {
            var json = SandboxState.NewChannel(c.Id, g, c.Type, c.Name, c.Position, c.Parent, c.Overwrites);
            if (c.Topic is not null)
                json["topic"] = c.Topic;
            if (c.Type == 15)
            {
                json["available_tags"] = new JsonArray(
                    Tag(DemoGuild.IdeaTagId, "idea", "💡"),
                    Tag(DemoGuild.BugTagId, "bug", "🐛"),
                    Tag(DemoGuild.PlannedTagId, "planned", "🗓️"));
            }
            state.AddChannelRaw(new ChannelData(c.Id, g, json));
        }

        // #support: two login reports after the last deploy; one solved (session cookie), one unresolved.
        var s = DemoGuild.SupportChannelId;
        var m = new Seeder(state, s);
        m.Post(-180, DemoGuild.DeploymentsChannelId, DemoGuild.AdminUserId, "Deploy v2.14.0 is live: new session service, faster login, updated auth cookies.");
        var solved = m.Post(-170, s, DemoGuild.AlexUserId, "Hi! Since the deploy this morning I can't log in. The login page just reloads after I enter my password.");
        m.Post(-168, s, DemoGuild.SupportUserId, "Thanks for reporting, Alex. Which browser are you using? Any error message?", reply: solved);
        m.Post(-165, s, DemoGuild.AlexUserId, "Chrome 133 on Windows. No error, it just bounces back to the login form.");
        m.Post(-162, s, DemoGuild.SupportUserId, "The deploy changed the session cookie format. Could you clear the cookies for our site (or just the `session` cookie) and try again?");
        var fixedIt = m.Post(-158, s, DemoGuild.AlexUserId, "Cleared the session cookie and it works now! Thanks a lot 🙏", reply: solved);
        m.React(fixedIt, "🎉", DemoGuild.SupportUserId, DemoGuild.LuisUserId);
        var unresolved = m.Post(-150, s, DemoGuild.JordanUserId, "I have a similar problem after the last deploy: login fails with \"500 Internal Server Error\" on /api/session. Clearing cookies didn't help.");
        m.Post(-147, s, DemoGuild.SupportUserId, "Sorry to hear that, Jordan. Did you try a private window and a different browser as well?", reply: unresolved);
        m.Post(-140, s, DemoGuild.JordanUserId, "Yes, private window in Firefox and Safari on my phone. Same 500 every time.");
        m.Post(-135, s, DemoGuild.PriyaUserId, "Same here since this morning, 500 on login. Cookies cleared, still broken.");
        m.React(unresolved, "👀", DemoGuild.PriyaUserId, DemoGuild.ChenUserId);
        m.React(unresolved, "➕", DemoGuild.PriyaUserId);
        m.Post(-128, s, DemoGuild.SupportUserId, "Thanks both. This doesn't look like the cookie issue. Escalating to the backend team, it needs investigation on the session service.");
        m.Post(-120, s, DemoGuild.LuisUserId, "I checked the dashboards: errors on /api/session started right after v2.14.0. Opened an incident, no root cause yet.");
        m.Post(-95, s, DemoGuild.JordanUserId, "Any update? I still can't log in.", reply: unresolved);
        m.Post(-90, s, DemoGuild.SupportUserId, "Not yet, sorry Jordan. The backend team is still investigating. We'll post here as soon as we know more.");
        m.Post(-30, s, DemoGuild.ChenUserId, "Is the login problem still going on? Two people on my team are affected too.");

        // #general: normal chatter plus one personal attack.
        var gen = DemoGuild.GeneralChannelId;
        m.Post(-240, gen, DemoGuild.AdminUserId, "Welcome to the DiscordMCP Demo server! Please read the rules and be kind.");
        m.Post(-60, gen, DemoGuild.PriyaUserId, "Morning all! Anyone tried the new dashboard yet?");
        var reply = m.Post(-55, gen, DemoGuild.ChenUserId, "Yes, the dark mode looks great.");
        m.React(reply, "👍", DemoGuild.PriyaUserId);
        m.Post(-45, gen, DemoGuild.NewUserId, "Hi everyone, I'm new here. Is this the place to ask about the API?");
        m.Post(-40, gen, DemoGuild.JordanUserId, "@new-user nobody cares about your dumb questions, you're an idiot. Read the docs or get lost.");
        m.Post(-35, gen, DemoGuild.AlexUserId, "Welcome @new-user! #support is the best place for API questions.");
        m.Post(-20, DemoGuild.RandomChannelId, DemoGuild.AlexUserId, "Lunch poll: pizza or sushi?");
        m.Post(-149, DemoGuild.IncidentsChannelId, DemoGuild.LuisUserId, "INC-42: elevated 500s on /api/session after v2.14.0. Status: investigating.");
        m.Post(-100, DemoGuild.StaffPrivateChannelId, DemoGuild.ModeratorUserId, "Heads-up: keep an eye on #general today, some heated discussions.");

        // #ideas: a forum post with a tag.
        state.AddForumPostRaw(DemoGuild.IdeasForumId, DemoGuild.IdeasPostId, DemoGuild.PriyaUserId, "Dark mode for the mobile app", [DemoGuild.IdeaTagId, DemoGuild.PlannedTagId],
            "It would be great to have dark mode in the mobile app as well.");

        // Audit log: Admin created "Support", Admin updated "Moderator" permissions, Luis gave new-user "Member".
        state.AddAuditRaw(g, DemoGuild.SeedMessageId(-1440, 1), DemoGuild.AdminUserId, 30, DemoGuild.SupportRoleId,
            [SandboxState.Change("name", null, "Support"), SandboxState.Change("permissions", null, SupportPermissions.ToWire()), SandboxState.Change("color", null, 0x2ECC71), SandboxState.Change("hoist", null, true), SandboxState.Change("mentionable", null, false)]);
        state.AddAuditRaw(g, DemoGuild.SeedMessageId(-1400, 1), DemoGuild.AdminUserId, 31, DemoGuild.ModeratorRoleId,
            [SandboxState.Change("permissions", (ModeratorPermissions & ~(P.ModerateMembers | P.PinMessages)).ToWire(), ModeratorPermissions.ToWire())]);
        state.AddAuditRaw(g, DemoGuild.SeedMessageId(-300, 1), DemoGuild.LuisUserId, 25, DemoGuild.NewUserId,
            [new JsonObject { ["key"] = "$add", ["new_value"] = new JsonArray(new JsonObject { ["id"] = DemoGuild.MemberRoleId, ["name"] = "Member" }) }]);
    }

    private static JsonObject Tag(string id, string name, string emoji) =>
        new() { ["id"] = id, ["name"] = name, ["moderated"] = false, ["emoji_id"] = null, ["emoji_name"] = emoji };

    private sealed class Seeder(SandboxState state, string defaultChannel)
    {
        public (string Channel, string Id) Post(int minutes, string channelId, string userId, string content, (string Channel, string Id)? reply = null)
        {
            var id = DemoGuild.SeedMessageId(minutes, 0);
            _ = defaultChannel;
            state.AddMessageRaw(channelId, id, userId, content, reply?.Id);
            return (channelId, id);
        }

        public void React((string Channel, string Id) message, string emoji, params string[] userIds)
        {
            foreach (var user in userIds)
                state.AddReactionApi(new Actor(user, false), message.Channel, message.Id, emoji);
        }
    }
}
