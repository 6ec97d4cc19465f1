using System.Text;
using DiscordMcp.Discord.Client.Json;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using static DiscordMcp.Discord.Client.Tests.Rest.Api.Api;

namespace DiscordMcp.Discord.Client.Tests.Models;

/// <summary>Realistic Discord payloads, including fields this client does not model.</summary>
public sealed class ModelDeserializationTests
{
    private const string RichMessage = """
        {"type":19,"content":"see <#1100000000000000002>","mentions":[],"mention_roles":["1100000000000000005"],
         "attachments":[{"id":"1200000000000000001","filename":"log.txt","size":12,"url":"https://cdn/x","proxy_url":"https://media/x","content_scan_version":3}],
         "embeds":[{"type":"rich","title":"Deploy","color":5763719,"fields":[{"name":"env","value":"prod","inline":true}],"timestamp":"2026-02-28T10:00:00.000000+00:00"}],
         "timestamp":"2026-03-01T11:55:00.123456+00:00","edited_timestamp":"2026-03-01T11:56:00+00:00","flags":4,
         "components":[{"type":1,"id":1,"components":[{"type":2,"id":2,"style":1,"label":"Approve","custom_id":"approve:9"}]}],
         "id":"1100000000000000003","channel_id":"1100000000000000002",
         "author":{"id":"1100000000000000004","username":"luis","avatar":null,"discriminator":"0","public_flags":0,"flags":0,"banner":null,"accent_color":null,"global_name":"Luis","avatar_decoration_data":null,"collectibles":null,"clan":null,"primary_guild":null},
         "pinned":false,"mention_everyone":false,"tts":false,
         "message_reference":{"type":0,"channel_id":"1100000000000000002","message_id":"1100000000000000001","guild_id":"1100000000000000001"},
         "reactions":[{"emoji":{"id":null,"name":"👍"},"count":2,"count_details":{"burst":0,"normal":2},"burst_colors":[],"me_burst":false,"burst_me":false,"me":true,"burst_count":0}],
         "position":0,"call":null,"poll":null,"some_future_field":{"deep":[1,2,3]}}
        """;

    [Fact]
    public void Message_with_unknown_fields_deserialises()
    {
        var m = DiscordRestClient.Deserialize(Encoding.UTF8.GetBytes(RichMessage), DiscordJsonContext.Default.DiscordMessage, "GET /x");
        Assert.Equal(new Snowflake(1100000000000000003), m.Id);
        Assert.Equal("luis", m.Author.Username);
        Assert.Equal("Luis", m.Author.GlobalName);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 55, 0, 123, TimeSpan.Zero).AddTicks(4560), m.Timestamp);
        Assert.Equal(MessageFlags.SuppressEmbeds, m.Flags);
        Assert.Equal("prod", m.Embeds[0].Fields![0].Value);
        Assert.Equal(12, m.Attachments[0].Size);
        Assert.Equal("approve:9", m.Components![0].Components![0].CustomId);
        Assert.True(m.Reactions![0].Me);
        Assert.Equal("👍", m.Reactions[0].Emoji.Name);
        Assert.Equal(new Snowflake(1100000000000000001), m.MessageReference!.MessageId);
        Assert.Equal([Role], m.MentionRoles);
    }

    [Fact]
    public void Guild_channel_role_and_member_payloads_deserialise()
    {
        var guild = Read("""
            {"id":"1100000000000000001","name":"DiscordMCP Demo","icon":null,"owner_id":"1100000000000000004","approximate_member_count":12,"approximate_presence_count":5,
             "roles":[{"id":"1100000000000000001","name":"@everyone","permissions":"1071698660929","position":0,"color":0,"colors":{"primary_color":0,"secondary_color":null,"tertiary_color":null},"hoist":false,"managed":false,"mentionable":false,"icon":null,"unicode_emoji":null,"flags":0,"tags":{}}],
             "features":["COMMUNITY"],"emojis":[],"stickers":[],"premium_tier":0,"nsfw_level":0}
            """, DiscordJsonContext.Default.DiscordGuild);
        Assert.Equal(12, guild.ApproximateMemberCount);
        Assert.Equal((DiscordPermissions)1071698660929, guild.Roles[0].Permissions);

        var channel = Read("""
            {"id":"1100000000000000002","type":15,"guild_id":"1100000000000000001","name":"ideas","parent_id":null,"position":3,"rate_limit_per_user":0,"nsfw":false,"topic":null,
             "permission_overwrites":[{"id":"1100000000000000001","type":0,"allow":"0","deny":"1024"},{"id":"1100000000000000004","type":1,"allow":"2048","deny":"0"}],
             "available_tags":[{"id":"1300000000000000001","name":"bug","moderated":false,"emoji_id":null,"emoji_name":"🐛"}],"default_reaction_emoji":null,"default_sort_order":null,"default_forum_layout":0,"flags":0}
            """, DiscordJsonContext.Default.DiscordChannel);
        Assert.Equal(ChannelType.GuildForum, channel.Type);
        Assert.Equal(new PermissionOverwrite(Guild, OverwriteType.Role, DiscordPermissions.None, DiscordPermissions.ViewChannel), channel.PermissionOverwrites![0]);
        Assert.Equal(OverwriteType.Member, channel.PermissionOverwrites[1].Type);
        Assert.Equal("bug", channel.AvailableTags![0].Name);

        var member = Read(MemberJson.Replace("\"flags\":0", "\"flags\":0,\"communication_disabled_until\":\"2026-03-02T00:00:00+00:00\",\"avatar_decoration_data\":null", StringComparison.Ordinal),
            DiscordJsonContext.Default.GuildMember);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), member.CommunicationDisabledUntil);
    }

    [Fact]
    public void Audit_log_keeps_changes_as_raw_json_and_tolerates_unknown_action_types()
    {
        var log = Read("""
            {"audit_log_entries":[
              {"id":"1400000000000000001","user_id":"1100000000000000004","target_id":"1100000000000000004","action_type":25,"changes":[{"key":"$add","new_value":[{"id":"1100000000000000005","name":"Member"}]}],"reason":"onboarding"},
              {"id":"1400000000000000002","user_id":null,"target_id":null,"action_type":999,"options":{"channel_id":"1100000000000000002","count":"3"}}],
             "users":[],"webhooks":[],"integrations":[],"threads":[],"application_commands":[],"auto_moderation_rules":[],"guild_scheduled_events":[]}
            """, DiscordJsonContext.Default.AuditLog);
        Assert.Equal(AuditLogEvent.MemberRoleUpdate, log.AuditLogEntries[0].ActionType);
        Assert.Equal("Member", log.AuditLogEntries[0].Changes![0].NewValue!.Value[0].GetProperty("name").GetString());
        Assert.Equal(999, (int)log.AuditLogEntries[1].ActionType);
        Assert.Equal("3", log.AuditLogEntries[1].Options!.Count);
    }

    [Fact]
    public void Gateway_bot_and_pins_payloads_deserialise()
    {
        var bot = Read("""{"url":"wss://gateway.discord.gg","shards":1,"session_start_limit":{"total":1000,"remaining":998,"reset_after":86399000,"max_concurrency":1}}""",
            DiscordJsonContext.Default.GatewayBotInfo);
        Assert.Equal(86399000, bot.SessionStartLimit.ResetAfter);

        var pins = Read($$"""{"items":[{"pinned_at":"2026-03-01T12:00:00+00:00","message":{{MessageJson}}}],"has_more":true}""", DiscordJsonContext.Default.PinnedMessages);
        Assert.True(pins.HasMore);
        Assert.Equal("hi", pins.Items[0].Message.Content);
    }

    [Fact]
    public void Webhook_to_string_hides_the_token()
    {
        var hook = Read(WebhookJson, DiscordJsonContext.Default.DiscordWebhook);
        Assert.Equal(Token, hook.Token);
        Assert.DoesNotContain(Token, hook.ToString(), StringComparison.Ordinal);
    }

    private static T Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        DiscordRestClient.Deserialize(Encoding.UTF8.GetBytes(json), info, "GET /test");
}
