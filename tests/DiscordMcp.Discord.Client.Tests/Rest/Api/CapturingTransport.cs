using System.Net;
using System.Text;
using System.Text.Json;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord.Client.Tests.Rest.Api;

/// <summary>The seam: records every request and answers with canned JSON (or 204 when none is set).</summary>
public sealed class CapturingTransport : IDiscordRestTransport
{
    public List<RestRequest> Requests { get; } = [];

    /// <summary>Body returned for every request; empty means 204 No Content.</summary>
    public string ResponseJson { get; set; } = "";

    public Task<RestResponse> SendAsync(RestRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        var body = Encoding.UTF8.GetBytes(ResponseJson);
        return Task.FromResult(new RestResponse(body.Length == 0 ? HttpStatusCode.NoContent : HttpStatusCode.OK, body));
    }

    public RestRequest Only => Assert.Single(Requests);

    /// <summary>The body of the only request, parsed.</summary>
    public JsonElement Body
    {
        get
        {
            var body = Only.JsonBody;
            Assert.NotNull(body);
            using var doc = JsonDocument.Parse(body.Value);
            return doc.RootElement.Clone();
        }
    }
}

/// <summary>Shared fixtures: ids, a fixed clock, and canned responses of each shape.</summary>
public static class Api
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly Snowflake Guild = new(1100000000000000001);
    public static readonly Snowflake Channel = new(1100000000000000002);
    public static readonly Snowflake Message = Snowflake.FromTime(Now.AddMinutes(-5));
    public static readonly Snowflake User = new(1100000000000000004);
    public static readonly Snowflake Role = new(1100000000000000005);
    public static readonly Snowflake Webhook = new(1100000000000000006);
    public static readonly Snowflake App = new(1100000000000000007);
    public static readonly Snowflake Event = new(1100000000000000008);
    public static readonly Snowflake Command = new(1100000000000000009);
    public const string Token = "s3cr3t-Token_value";

    public const string UserJson = """{"id":"1100000000000000004","username":"luis","discriminator":"0","global_name":"Luis","avatar":null}""";
    public const string ChannelJson = """{"id":"1100000000000000002","type":0,"guild_id":"1100000000000000001","name":"general","position":0,"permission_overwrites":[]}""";
    public const string DmJson = """{"id":"1100000000000000010","type":1,"last_message_id":null,"flags":0,"recipients":[""" + UserJson + """]}""";
    public const string MessageJson = """{"id":"1100000000000000003","channel_id":"1100000000000000002","author":""" + UserJson + ""","content":"hi","timestamp":"2026-03-01T11:55:00.000000+00:00","edited_timestamp":null,"tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,"type":0}""";
    public const string RoleJson = """{"id":"1100000000000000005","name":"Support","color":0,"hoist":false,"position":2,"permissions":"2048","managed":false,"mentionable":false,"flags":0}""";
    public const string MemberJson = """{"user":""" + UserJson + ""","nick":null,"roles":["1100000000000000005"],"joined_at":"2025-01-01T00:00:00+00:00","deaf":false,"mute":false,"flags":0}""";
    public const string WebhookJson = """{"id":"1100000000000000006","type":1,"channel_id":"1100000000000000002","name":"deploys","token":"s3cr3t-Token_value"}""";
    public const string InviteJson = """{"code":"abc","type":0,"channel":{"id":"1100000000000000002","type":0,"name":"general"}}""";
    public const string EventJson = """{"id":"1100000000000000008","guild_id":"1100000000000000001","name":"Launch","scheduled_start_time":"2026-03-02T12:00:00+00:00","privacy_level":2,"status":1,"entity_type":3,"entity_metadata":{"location":"Online"}}""";
    public const string CommandJson = """{"id":"1100000000000000009","application_id":"1100000000000000007","name":"ping","description":"Ping","type":1,"version":"1"}""";
    public const string ThreadListJson = """{"threads":[],"members":[],"has_more":false}""";

    public static (DiscordRestClient Client, CapturingTransport Transport) Create(string responseJson = "")
    {
        var transport = new CapturingTransport { ResponseJson = responseJson };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        return (new DiscordRestClient(transport, time), transport);
    }
}
