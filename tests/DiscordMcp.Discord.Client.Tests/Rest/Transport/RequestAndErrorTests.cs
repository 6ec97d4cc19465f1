using System.Net;
using System.Text;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord.Client.Tests.Rest.Transport;

public sealed class RequestAndErrorTests
{
    [Fact]
    public async Task Sends_bot_authorization_user_agent_and_json_body()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Json(HttpStatusCode.OK, """{"id":"9"}"""));

        var response = await h.Send(TransportHarness.Post("42")).Within();

        var sent = Assert.Single(h.Handler.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://discord.test/api/v10/channels/42/messages", sent.Uri.ToString());
        Assert.Equal($"Bot {TransportHarness.Token}", sent.Header("Authorization"));
        Assert.StartsWith("DiscordBot (", sent.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal("""{"content":"hi"}""", Encoding.UTF8.GetString(sent.Body!));
        Assert.Null(sent.Header("X-Audit-Log-Reason"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":"9"}""", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task A_request_without_body_sends_no_content_and_no_content_returns_an_empty_body()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => new HttpResponseMessage(HttpStatusCode.NoContent));

        var response = await h.Send(TransportHarness.ChannelMessages(HttpMethod.Delete)).Within();

        Assert.Null(h.Handler.Requests[0].Body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public async Task An_empty_json_body_is_sent_as_no_body()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => new HttpResponseMessage(HttpStatusCode.NoContent));
        var request = new RestRequest { Method = HttpMethod.Post, Route = "/channels/{channel_id}/typing", Path = "channels/1/typing", MajorParameter = "1", JsonBody = ReadOnlyMemory<byte>.Empty };

        await h.Send(request).Within();

        Assert.Null(h.Handler.Requests[0].Body);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api/v10", "channels/1/messages", "http://127.0.0.1:5000/api/v10/channels/1/messages")]
    [InlineData("http://127.0.0.1:5000/api/v10/", "/channels/1/messages?limit=5", "http://127.0.0.1:5000/api/v10/channels/1/messages?limit=5")]
    public async Task Base_url_works_with_or_without_a_trailing_slash(string baseUrl, string path, string expected)
    {
        using var h = new TransportHarness(o => o.BaseUrl = new Uri(baseUrl));
        h.Handler.Then(() => Responses.Ok());

        await h.Send(new RestRequest { Method = HttpMethod.Get, Route = "/channels/{channel_id}/messages", Path = path, MajorParameter = "1" }).Within();

        Assert.Equal(expected, h.Handler.Requests[0].Uri.ToString());
    }

    [Fact]
    public async Task A_token_given_with_the_bot_prefix_is_sent_once_prefixed()
    {
        using var h = new TransportHarness(o => o.Token = "Bot abc.def");
        h.Handler.Then(() => Responses.Ok());

        await h.Send(TransportHarness.Get()).Within();

        Assert.Equal("Bot abc.def", h.Handler.Requests[0].Header("Authorization"));
    }

    [Fact]
    public async Task Audit_log_reason_is_sent_url_encoded()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok());
        const string reason = "Spam & abuse: ünïcode / 100% 🙂";
        var request = new RestRequest { Method = HttpMethod.Delete, Route = "/channels/{channel_id}", Path = "channels/1", MajorParameter = "1", AuditLogReason = reason };

        await h.Send(request).Within();

        var header = h.Handler.Requests[0].Header("X-Audit-Log-Reason");
        Assert.Equal(Uri.EscapeDataString(reason), header);
        Assert.Equal(reason, Uri.UnescapeDataString(header!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(513)]
    public async Task Audit_log_reason_outside_1_to_512_characters_is_refused_before_sending(int length)
    {
        using var h = new TransportHarness();
        var request = new RestRequest { Method = HttpMethod.Delete, Route = "/channels/{channel_id}", Path = "channels/1", MajorParameter = "1", AuditLogReason = new string('x', length) };

        var error = await Assert.ThrowsAsync<DiscordValidationException>(() => h.Send(request).Within());

        Assert.Equal("reason", error.Field);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Audit_log_reason_of_exactly_512_characters_is_accepted()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Ok());
        var request = new RestRequest { Method = HttpMethod.Delete, Route = "/channels/{channel_id}", Path = "channels/1", MajorParameter = "1", AuditLogReason = new string('x', 512) };

        await h.Send(request).Within();

        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Discord_json_error_is_parsed_with_nested_field_errors()
    {
        using var h = new TransportHarness();
        const string body = """
            {"code":50035,"message":"Invalid Form Body","errors":{
              "name":{"_errors":[{"code":"BASE_TYPE_BAD_LENGTH","message":"Must be between 1 and 100 in length."}]},
              "permission_overwrites":{"0":{"allow":{"_errors":[{"code":"NUMBER_TYPE_COERCE","message":"Value \"x\" is not int."}]}},
                                       "1":{"id":{"_errors":[{"code":"SNOWFLAKE","message":"Not a snowflake."},{"code":"OTHER","message":"Second."}]}}},
              "_errors":[{"code":"ROOT","message":"Root problem."}]}}
            """;
        h.Handler.Then(() => Responses.Json(HttpStatusCode.BadRequest, body));

        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(50035, error.Code);
        Assert.Equal("Invalid Form Body", error.DiscordMessage);
        Assert.Equal("POST /channels/{channel_id}/messages", error.RouteKey);
        Assert.Equal(
            [
                new DiscordFieldError("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."),
                new DiscordFieldError("permission_overwrites.0.allow", "NUMBER_TYPE_COERCE", "Value \"x\" is not int."),
                new DiscordFieldError("permission_overwrites.1.id", "SNOWFLAKE", "Not a snowflake."),
                new DiscordFieldError("permission_overwrites.1.id", "OTHER", "Second."),
                new DiscordFieldError("(body)", "ROOT", "Root problem."),
            ],
            error.FieldErrors);
        Assert.Contains("permission_overwrites.0.allow", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_discord_error_keeps_code_and_message()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Json(HttpStatusCode.NotFound, """{"message": "Unknown Channel", "code": 10003}"""));

        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get()).Within());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(10003, error.Code);
        Assert.Equal("Unknown Channel", error.DiscordMessage);
        Assert.Empty(error.FieldErrors);
    }

    [Theory]
    [InlineData("""{"code": 50035, "message": "Inva""", "application/json", "malformed JSON")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", "text/html", "non-JSON")]
    [InlineData("", "application/json", "empty")]
    [InlineData("[1,2,3]", "application/json", "not an object")]
    [InlineData("""{"code":"abc","message":42,"errors":[1]}""", "application/json", "without a message")]
    public async Task Malformed_error_bodies_still_become_a_typed_http_error(string body, string mediaType, string expected)
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Text(HttpStatusCode.BadRequest, body, mediaType));

        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(0, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(error.FieldErrors);
    }

    [Fact]
    public async Task A_deeply_nested_error_body_does_not_crash()
    {
        using var h = new TransportHarness();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        h.Handler.Then(() => Responses.Json(HttpStatusCode.BadRequest, $$"""{"code":50035,"message":"x","errors":{{deep}}}"""));

        var error = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Post()).Within());

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
    }

    [Fact]
    public async Task A_401_stops_every_later_authenticated_request_from_using_the_token()
    {
        using var h = new TransportHarness();
        h.Handler.Then(() => Responses.Json(HttpStatusCode.Unauthorized, """{"message": "401: Unauthorized", "code": 0}"""));
        h.Handler.AlwaysRespond(() => Responses.Ok());

        var first = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get()).Within());
        var second = await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get("2")).Within());

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Contains("rejected the bot token", second.Message, StringComparison.Ordinal);
        Assert.Single(h.Handler.Requests);
        Assert.True(h.Transport.TokenRejected);
        Assert.Equal(1, h.Transport.Diagnostics.InvalidRequestsInWindow);

        // Routes that do not use the bot token keep working.
        var webhook = new RestRequest { Method = HttpMethod.Get, Route = "/webhooks/{webhook_id}/{webhook_token}", Path = "webhooks/1/t", MajorParameter = "1/t", Authenticated = false };
        await h.Send(webhook).Within();
        Assert.Equal(2, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task The_token_never_appears_in_errors_or_logs()
    {
        using var h = new TransportHarness(o => { o.MaxRetries = 0; o.MaxRateLimitWait = TimeSpan.FromSeconds(1); });
        h.Handler
            .Then(() => Responses.Json(HttpStatusCode.Forbidden, """{"message":"Missing Permissions","code":50013}"""))
            .Then(() => Responses.RateLimited(5))
            .ThenThrow(new HttpRequestException("Connection reset"))
            .Then(() => Responses.Json(HttpStatusCode.Unauthorized, """{"message":"401: Unauthorized","code":0}"""));

        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get()).Within()),
            await Assert.ThrowsAsync<DiscordRateLimitedException>(() => h.Send(TransportHarness.Get("2")).Within()),
            await Assert.ThrowsAsync<DiscordProtocolException>(() => h.Send(TransportHarness.Get("3")).Within()),
            await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get("4")).Within()),
            await Assert.ThrowsAsync<DiscordHttpException>(() => h.Send(TransportHarness.Get("5")).Within()),
        };

        Assert.All(errors, e => Assert.DoesNotContain(TransportHarness.Token, e.ToString(), StringComparison.Ordinal));
        Assert.All(h.Logger.Entries, e => Assert.DoesNotContain(TransportHarness.Token, e.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(TransportHarness.Token, h.Options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticated_requests_without_a_token_fail_naming_the_option()
    {
        using var h = new TransportHarness(o => o.Token = null);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Send(TransportHarness.Get()).Within());

        Assert.Contains("DiscordClientOptions.Token", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Handler.Requests);
    }

    public static TheoryData<string, Action<DiscordClientOptions>> InvalidOptions => new()
    {
        { "BaseUrl", o => o.BaseUrl = new Uri("ftp://discord.com/api/v10") },
        { "BaseUrl", o => o.BaseUrl = new Uri("api/v10", UriKind.Relative) },
        { "Token", o => o.Token = "   " },
        { "Token", o => o.Token = "abc\r\nX-Injected: 1" },
        { "UserAgent", o => o.UserAgent = "curl/8" },
        { "GlobalRequestsPerSecond", o => o.GlobalRequestsPerSecond = 0 },
        { "MaxRateLimitWait", o => o.MaxRateLimitWait = TimeSpan.FromSeconds(-1) },
        { "MaxRetries", o => o.MaxRetries = -1 },
        { "RetryBaseDelay", o => o.RetryBaseDelay = TimeSpan.FromMinutes(5) },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.Zero },
        { "PreemptiveResetMargin", o => o.PreemptiveResetMargin = TimeSpan.FromSeconds(-1) },
        { "InvalidRequestWarningThreshold", o => o.InvalidRequestWarningThreshold = 20_000 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_rejected_naming_the_option(string option, Action<DiscordClientOptions> breakIt)
    {
        var options = new DiscordClientOptions { Token = "abc.def" };
        breakIt(options);
        using var client = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new DiscordRestTransport(client, options));

        Assert.Contains($"DiscordClientOptions.{option}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_options_are_valid_and_point_at_discord()
    {
        var options = new DiscordClientOptions();

        Assert.Empty(options.Validate());
        Assert.Equal("https://discord.com/api/v10/", options.BaseUrl.ToString());
        Assert.Equal(50, options.GlobalRequestsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxRateLimitWait);
        Assert.Equal(3, options.MaxRetries);
    }
}
