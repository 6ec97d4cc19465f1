using System.Text;
using System.Text.Json;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Policy.Model;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>The pure parts: which messages are for the bot, interaction parsing, chat rule resolution, intents.</summary>
public sealed class GatewayEventsTests
{
    private const ulong Bot = 1300000000000000001;
    private const ulong Guild = 500;

    private static MentionEvent? Read(string json) => GatewayEvents.ReadMention(Encoding.UTF8.GetBytes(json), Bot);

    private static string Message(string content, string author = """{"id":"42","username":"luis"}""", string extra = "", bool guild = true) =>
        $$"""{"id":"900","channel_id":"77",{{(guild ? "\"guild_id\":\"500\"," : "")}}"author":{{author}},"content":{{JsonSerializer.Serialize(content)}},"timestamp":"2026-02-23T10:00:00+00:00","mentions":[],"type":0{{extra}}}""";

    [Fact]
    public void A_raw_mention_of_the_bot_is_read_with_its_fields()
    {
        var mention = Read(Message($"<@{Bot}> hi"));

        Assert.NotNull(mention);
        Assert.Equal((Guild, 77UL, 900UL, 42UL, "luis"), (mention.GuildId, mention.ChannelId, mention.MessageId, mention.AuthorId, mention.AuthorName));
    }

    [Fact]
    public void A_nickname_style_mention_and_the_mentions_array_both_count()
    {
        Assert.NotNull(Read(Message($"<@!{Bot}> hi")));
        Assert.NotNull(Read(Message("hi", extra: $$""","mentions":[{"id":"{{Bot}}","username":"DiscordMCP"}]""").Replace("\"mentions\":[],", "")));
    }

    [Theory]
    [InlineData("""{"id":"43","username":"otherbot","bot":true}""", "")]
    [InlineData("""{"id":"44","username":"hook"}""", ""","webhook_id":"44" """)]
    [InlineData("""{"id":"1300000000000000001","username":"DiscordMCP"}""", "")]
    public void Bots_webhooks_and_the_bot_itself_are_ignored(string author, string extra) =>
        Assert.Null(Read(Message($"<@{Bot}> hi", author, extra)));

    [Fact]
    public void A_direct_message_is_ignored() => Assert.Null(Read(Message($"<@{Bot}> hi", guild: false)));

    [Fact]
    public void A_message_that_neither_mentions_nor_replies_to_the_bot_is_ignored()
    {
        Assert.Null(Read(Message("hello everyone")));
        Assert.Null(Read(Message("<@12345> hi")));
    }

    [Fact]
    public void A_reply_to_the_bot_is_read_with_the_replied_message()
    {
        var mention = Read(Message("thanks", extra: $$""","message_reference":{"message_id":"800"},"referenced_message":{"id":"800","channel_id":"77","author":{"id":"{{Bot}}","username":"DiscordMCP","bot":true},"content":"answer","timestamp":"2026-02-23T09:59:00+00:00","mentions":[],"type":0}"""));

        Assert.NotNull(mention);
        Assert.Equal(800UL, mention.ReplyToMessageId);
    }

    [Fact]
    public void Unreadable_payloads_are_ignored_rather_than_thrown()
    {
        Assert.Null(Read("{not json"));
        Assert.Null(Read("""{"id":"x"}"""));
        Assert.Null(GatewayEvents.ReadInteraction(JsonDocument.Parse("""{"id":"1","type":2}""").RootElement));
    }

    [Fact]
    public void An_interaction_is_read_with_member_permissions_and_options_and_its_token_stays_out_of_ToString()
    {
        using var doc = JsonDocument.Parse("""
            {"id":"10","application_id":"11","type":2,"token":"secret-token-value","guild_id":"500","channel_id":"77",
             "member":{"user":{"id":"42","username":"luis","global_name":"Luis"},"permissions":"32"},
             "data":{"name":"allow-chat","options":[{"name":"channel","type":7,"value":"78"}]}}
            """);

        var interaction = GatewayEvents.ReadInteraction(doc.RootElement);

        Assert.NotNull(interaction);
        Assert.Equal((InteractionKind.SlashCommand, "allow-chat", 32UL, "Luis", "78"), (interaction.Kind, interaction.Name, interaction.MemberPermissions, interaction.UserName, interaction.Options["channel"]));
        Assert.DoesNotContain("secret-token-value", interaction.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_interaction_outside_a_guild_is_ignored()
    {
        using var doc = JsonDocument.Parse("""{"id":"10","application_id":"11","type":3,"token":"t","channel_id":"77","user":{"id":"42"},"data":{"custom_id":"dmcp:confirm:x"}}""");

        Assert.Null(GatewayEvents.ReadInteraction(doc.RootElement));
    }

    [Theory]
    [InlineData(AccessRule.Inherit, AccessRule.Inherit, AccessRule.Inherit, false)]
    [InlineData(AccessRule.Allow, AccessRule.Inherit, AccessRule.Inherit, true)]
    [InlineData(AccessRule.Allow, AccessRule.Deny, AccessRule.Inherit, false)]
    [InlineData(AccessRule.Deny, AccessRule.Allow, AccessRule.Inherit, true)]
    [InlineData(AccessRule.Allow, AccessRule.Allow, AccessRule.Deny, false)]
    [InlineData(AccessRule.Deny, AccessRule.Deny, AccessRule.Allow, true)]
    public void The_most_specific_chat_rule_wins_and_none_means_off(AccessRule guild, AccessRule category, AccessRule channel, bool allowed)
    {
        ChannelPolicy[] policies =
        [
            new(Guild, ChannelPolicyScope.Guild, 0, AgentChat: guild),
            new(Guild, ChannelPolicyScope.Category, 70, AgentChat: category),
            new(Guild, ChannelPolicyScope.Channel, 77, AgentChat: channel),
            new(999, ChannelPolicyScope.Channel, 77, AgentChat: AccessRule.Allow), // another guild's rule never counts
        ];

        Assert.Equal(allowed, ChatAccess.Resolve(policies, Guild, 77, 70));
    }

    [Fact]
    public void Intents_are_only_what_is_used_and_message_content_only_with_the_agent()
    {
        Assert.Equal(GatewayIntents.Guilds, new GatewaySettings("t", AgentEnabled: false).Intents);
        Assert.Equal(GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.MessageContent, new GatewaySettings("t", AgentEnabled: true).Intents);
        Assert.DoesNotContain("secret", new GatewaySettings("secret", true).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Approvals_channel_ids_parse_and_a_bad_entry_names_the_variable()
    {
        Assert.Equal([1UL, 2UL], ApprovalsChannels.Parse(" 1, 2 ,1", out _)!.ChannelIds);
        Assert.Empty(ApprovalsChannels.Parse(null, out _)!.ChannelIds);
        Assert.Null(ApprovalsChannels.Parse("1,#staff", out var error));
        Assert.Contains("APPROVALS_CHANNEL_IDS", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tools_without_a_known_permission_need_Administrator_to_approve()
    {
        Assert.Equal(Discord.Client.Permissions.DiscordPermissions.Administrator, ApprovalPermissions.For("discord_something_new"));
        Assert.True(ApprovalPermissions.Holds((ulong)Discord.Client.Permissions.DiscordPermissions.Administrator, Discord.Client.Permissions.DiscordPermissions.BanMembers));
        Assert.False(ApprovalPermissions.Holds((ulong)Discord.Client.Permissions.DiscordPermissions.KickMembers, ApprovalPermissions.For("discord_ban_member")));
    }
}
