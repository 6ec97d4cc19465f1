using DiscordMcp.Discord.Client.Rest;
using static DiscordMcp.Discord.Client.Tests.Rest.Api.Api;

namespace DiscordMcp.Discord.Client.Tests.Rest.Api;

/// <summary>A body Discord (or a proxy) mangled becomes a typed error that names the route, never the body or a token.</summary>
public sealed class ResponseErrorTests
{
    public static TheoryData<string> BadBodies =>
    [
        "",                                                       // empty where a message is expected
        "null",                                                   // JSON null
        """{"id":"1100000000000000003","channel_id":"1""",        // truncated
        """<html>502 Bad Gateway</html>""",                       // not JSON
        """{"id":"not-a-snowflake","author":{"id":"1"}}""",       // wrong id format
        """{"channel_id":"1","author":{"id":"1"}}""",             // required id missing
        """{"id":"1","author":{"id":"1"},"timestamp":"yesterday"}""", // bad timestamp
    ];

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_message_body_becomes_a_protocol_exception(string body)
    {
        var (client, _) = Create(body);
        var error = await Assert.ThrowsAsync<DiscordProtocolException>(() => client.ExecuteWebhookAsync(Webhook, Token, new() { Content = "hi" }));
        Assert.Contains("POST /webhooks/{webhook_id}/{webhook_token}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("502 Bad Gateway", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_list_body_names_the_expected_shape()
    {
        var (client, _) = Create("""{"message":"not a list"}""");
        var error = await Assert.ThrowsAsync<DiscordProtocolException>(() => client.GetGuildChannelsAsync(Guild));
        Assert.Contains("list of DiscordChannel", error.Message, StringComparison.Ordinal);
    }
}
