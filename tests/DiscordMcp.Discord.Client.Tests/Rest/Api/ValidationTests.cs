using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using static DiscordMcp.Discord.Client.Tests.Rest.Api.Api;

namespace DiscordMcp.Discord.Client.Tests.Rest.Api;

/// <summary>Every rule refuses before sending, naming the field and the limit.</summary>
public sealed class ValidationTests
{
    private sealed record Rule(Func<DiscordRestClient, Task> Call, string Field, string MessagePart);

    private static readonly string Long2001 = new('x', 2001);

    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["dm recipient"] = new(c => c.CreateDmAsync(default), "recipient_id", "non-zero snowflake"),
        ["content 2000"] = new(c => c.CreateMessageAsync(Channel, new string('x', 2301)), "content", "content must be at most 2000 characters (got 2301)"),
        ["empty message"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest()), "content", "cannot be empty"),
        ["embeds 10"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [.. Enumerable.Repeat(new Embed { Title = "t" }, 11)] }), "embeds", "at most 10 items"),
        ["embed title"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Title = new('t', 257) }] }), "embeds[0].title", "at most 256"),
        ["embed description"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Description = new('d', 4097) }] }), "embeds[0].description", "at most 4096"),
        ["embed field value"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Fields = [new() { Name = "n", Value = new('v', 1025) }] }] }), "embeds[0].fields[0].value", "1-1024"),
        ["embed fields 25"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Fields = [.. Enumerable.Repeat(new EmbedField { Name = "n", Value = "v" }, 26)] }] }), "embeds[0].fields", "at most 25"),
        ["embed footer"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Footer = new() { Text = new('f', 2049) } }] }), "embeds[0].footer.text", "at most 2048"),
        ["embed author"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [new() { Author = new() { Name = new('a', 257) } }] }), "embeds[0].author.name", "at most 256"),
        ["embed total 6000"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Embeds = [.. Enumerable.Repeat(new Embed { Description = new('d', 4000) }, 2)] }), "embeds", "at most 6000"),
        ["nonce 25"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Content = "x", Nonce = new('n', 26) }), "nonce", "at most 25"),
        ["mention ids 100"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Content = "x", AllowedMentions = new() { UserIds = [.. Enumerable.Range(1, 101).Select(i => new Snowflake((ulong)i))] } }), "allowed_mentions.users", "at most 100"),
        ["mention parse value"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Content = "x", AllowedMentions = new() { Parse = ["here"] } }), "allowed_mentions.parse", "\"users\", \"roles\" or \"everyone\""),
        ["button label"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Components = [MessageComponent.ActionRow(MessageComponent.Button(ButtonStyle.Primary, new('l', 81), "id"))] }), "components[0].components[0].label", "at most 80"),
        ["custom id"] = new(c => c.CreateMessageAsync(Channel, new CreateMessageRequest { Components = [MessageComponent.ActionRow(MessageComponent.Button(ButtonStyle.Primary, "ok", new('c', 101)))] }), "components[0].components[0].custom_id", "1-100"),
        ["list limit"] = new(c => c.GetMessagesAsync(Channel, new() { Limit = 101 }), "limit", "between 1 and 100 (got 101)"),
        ["list exclusive"] = new(c => c.GetMessagesAsync(Channel, new() { Before = Message, After = Message }), "before", "mutually exclusive"),
        ["bulk count"] = new(c => c.BulkDeleteMessagesAsync(Channel, [Message]), "messages", "2-100 ids (got 1)"),
        ["bulk age"] = new(c => c.BulkDeleteMessagesAsync(Channel, [Message, Snowflake.FromTime(Now.AddDays(-15))]), "messages[1]", "older than 14 days"),
        ["bulk duplicate"] = new(c => c.BulkDeleteMessagesAsync(Channel, [Message, Message]), "messages[1]", "distinct"),
        ["pins limit"] = new(c => c.GetPinnedMessagesAsync(Channel, limit: 51), "limit", "between 1 and 50"),
        ["emoji"] = new(c => c.CreateReactionAsync(Channel, Message, "party:notanid"), "emoji", "name:id"),
        ["channel name"] = new(c => c.CreateGuildChannelAsync(Guild, new() { Name = "" }), "name", "1-100 characters"),
        ["channel type"] = new(c => c.CreateGuildChannelAsync(Guild, new() { Name = "x", Type = ChannelType.PublicThread }), "type", "creatable guild channel type"),
        ["topic 1024"] = new(c => c.CreateGuildChannelAsync(Guild, new() { Name = "x", Type = ChannelType.GuildText, Topic = new('t', 1025) }), "topic", "at most 1024"),
        ["slowmode"] = new(c => c.ModifyChannelAsync(Channel, new() { RateLimitPerUser = 21601 }), "rate_limit_per_user", "between 0 and 21600"),
        ["user limit"] = new(c => c.CreateGuildChannelAsync(Guild, new() { Name = "v", Type = ChannelType.GuildVoice, UserLimit = 100 }), "user_limit", "between 0 and 99"),
        ["bitrate"] = new(c => c.CreateGuildChannelAsync(Guild, new() { Name = "v", Type = ChannelType.GuildVoice, Bitrate = 1000 }), "bitrate", "between 8000"),
        ["thread name"] = new(c => c.StartThreadAsync(Channel, new() { Name = new('t', 101) }), "name", "1-100"),
        ["auto archive"] = new(c => c.StartThreadFromMessageAsync(Channel, Message, new() { Name = "t", AutoArchiveDuration = 30 }), "auto_archive_duration", "60, 1440, 4320, 10080"),
        ["thread type"] = new(c => c.StartThreadAsync(Channel, new() { Name = "t", Type = ChannelType.GuildText }), "type", "thread type"),
        ["applied tags"] = new(c => c.StartForumThreadAsync(Channel, new() { Name = "t", Message = new() { Content = "x" }, AppliedTags = [.. Enumerable.Range(1, 6).Select(i => new Snowflake((ulong)i))] }), "applied_tags", "at most 5"),
        ["forum message empty"] = new(c => c.StartForumThreadAsync(Channel, new() { Name = "t", Message = new() }), "message.content", "cannot be empty"),
        ["role name"] = new(c => c.CreateRoleAsync(Guild, new() { Name = new('r', 101) }), "name", "1-100"),
        ["nick"] = new(c => c.ModifyMemberAsync(Guild, User, new() { Nick = new string('n', 33) }), "nick", "at most 32"),
        ["timeout 28 days"] = new(c => c.TimeoutMemberAsync(Guild, User, Now.AddDays(28).AddMinutes(1)), "communication_disabled_until", "at most 28 days"),
        ["reason 512"] = new(c => c.KickMemberAsync(Guild, User, new('r', 513)), "reason", "at most 512"),
        ["members limit"] = new(c => c.ListMembersAsync(Guild, 1001), "limit", "between 1 and 1000"),
        ["search limit"] = new(c => c.SearchMembersAsync(Guild, "a", 0), "limit", "between 1 and 1000"),
        ["search query"] = new(c => c.SearchMembersAsync(Guild, " "), "query", "must not be empty"),
        ["ban seconds"] = new(c => c.BanMemberAsync(Guild, User, 604801), "delete_message_seconds", "between 0 and 604800"),
        ["audit limit"] = new(c => c.GetAuditLogAsync(Guild, new() { Limit = 0 }), "limit", "between 1 and 100"),
        ["webhook name clyde"] = new(c => c.CreateWebhookAsync(Channel, new() { Name = "Clyde bot" }), "name", "\"clyde\""),
        ["webhook name discord"] = new(c => c.ModifyWebhookAsync(Webhook, new() { Name = "my DISCORD hook" }), "name", "\"discord\""),
        ["webhook name length"] = new(c => c.CreateWebhookAsync(Channel, new() { Name = new('w', 81) }), "name", "1-80"),
        ["webhook token"] = new(c => c.ExecuteWebhookAsync(Webhook, "a/b", new() { Content = "x" }), "webhook_token", "non-empty token"),
        ["webhook content"] = new(c => c.ExecuteWebhookAsync(Webhook, Token, new() { Content = Long2001 }), "content", "at most 2000"),
        ["invite age"] = new(c => c.CreateChannelInviteAsync(Channel, new() { MaxAge = 604801 }), "max_age", "between 0 and 604800"),
        ["invite uses"] = new(c => c.CreateChannelInviteAsync(Channel, new() { MaxUses = 101 }), "max_uses", "between 0 and 100"),
        ["event name"] = new(c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent() with { Name = new('e', 101) }), "name", "1-100"),
        ["event description"] = new(c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent() with { Description = new('d', 1001) }), "description", "1-1000"),
        ["event location"] = new(c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent() with { EntityMetadata = new() { Location = new('l', 101) } }), "entity_metadata.location", "1-100"),
        ["external end time"] = new(c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent() with { ScheduledEndTime = null }), "scheduled_end_time", "required"),
        ["voice channel"] = new(c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent() with { EntityType = ScheduledEventEntityType.Voice, EntityMetadata = null }), "channel_id", "required"),
        ["command name"] = new(c => c.CreateCommandAsync(App, new() { Name = "Ping Me", Description = "d" }), "name", "lowercase"),
        ["command name length"] = new(c => c.CreateCommandAsync(App, new() { Name = new('p', 33), Description = "d" }), "name", "1-32"),
        ["command description"] = new(c => c.CreateCommandAsync(App, new() { Name = "ping", Description = new('d', 101) }), "description", "1-100"),
        ["command options"] = new(c => c.CreateCommandAsync(App, new() { Name = "ping", Description = "d", Options = [.. Enumerable.Range(0, 26).Select(i => new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = $"o{i}", Description = "d" })] }), "options", "at most 25"),
        ["command choices"] = new(c => c.CreateCommandAsync(App, new() { Name = "ping", Description = "d", Options = [new() { Type = ApplicationCommandOptionType.String, Name = "o", Description = "d", Choices = [.. Enumerable.Range(0, 26).Select(i => ApplicationCommandOptionChoice.Of($"c{i}", $"{i}"))] }] }), "options[0].choices", "at most 25"),
        ["callback type"] = new(c => c.CreateInteractionResponseAsync(Event, Token, new() { Type = (InteractionCallbackType)99 }), "type", "interaction callback type"),
    };

    public static TheoryData<string> Names => [.. Rules.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Rule_refuses_before_sending_and_names_field_and_limit(string name)
    {
        var rule = Rules[name];
        var (client, transport) = Create(MessageJson);

        var error = await Assert.ThrowsAsync<DiscordValidationException>(() => rule.Call(client));

        Assert.Equal(rule.Field, error.Field);
        Assert.Contains(rule.Field, error.Message, StringComparison.Ordinal);
        Assert.Contains(rule.MessagePart, error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boundary_values_are_accepted()
    {
        var (client, transport) = Create(MessageJson);
        await client.CreateMessageAsync(Channel, new string('x', DiscordLimits.MessageContent));
        await client.TimeoutMemberAsync(Guild, User, Now + DiscordLimits.MaxTimeout);
        await client.BulkDeleteMessagesAsync(Channel, [Message, Snowflake.FromTime(Now.AddDays(-13.9))]);
        await client.KickMemberAsync(Guild, User, new string('r', DiscordLimits.AuditLogReason));
        Assert.Equal(4, transport.Requests.Count);
    }
}
