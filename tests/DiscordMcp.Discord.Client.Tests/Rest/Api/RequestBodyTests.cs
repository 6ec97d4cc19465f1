using System.Text.Json;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using static DiscordMcp.Discord.Client.Tests.Rest.Api.Api;

namespace DiscordMcp.Discord.Client.Tests.Rest.Api;

/// <summary>The JSON that leaves the client: snake_case, ids and permissions as strings, absent vs null.</summary>
public sealed class RequestBodyTests
{
    private static async Task<JsonElement> BodyOf(string response, Func<Client.Rest.DiscordRestClient, Task> call)
    {
        var (client, transport) = Create(response);
        await call(client);
        return transport.Body;
    }

    [Fact]
    public async Task Open_dm_sends_only_the_recipient_id_as_a_string_and_reads_the_dm_channel()
    {
        var (client, transport) = Create(DmJson);
        var dm = await client.CreateDmAsync(User);
        Assert.Equal($"{{\"recipient_id\":\"{User}\"}}", transport.Body.GetRawText());
        Assert.Equal(ChannelType.DM, dm.Type);
        Assert.Null(dm.GuildId);
        Assert.Equal(User, Assert.Single(dm.Recipients!).Id);
    }

    [Fact]
    public async Task Send_defaults_allowed_mentions_to_parse_nothing()
    {
        var body = await BodyOf(MessageJson, c => c.CreateMessageAsync(Channel, "hello @everyone"));
        Assert.Equal("""{"content":"hello @everyone","allowed_mentions":{"parse":[]}}""", body.GetRawText());
    }

    [Fact]
    public async Task Send_keeps_caller_allowed_mentions_and_writes_snake_case_with_string_ids()
    {
        var body = await BodyOf(MessageJson, c => c.CreateMessageAsync(Channel, new CreateMessageRequest
        {
            Content = "hi",
            AllowedMentions = new AllowedMentions { UserIds = [User], RepliedUser = true },
            MessageReference = new MessageReference { MessageId = Message, FailIfNotExists = false },
            Components = [MessageComponent.ActionRow(MessageComponent.Button(ButtonStyle.Success, "Approve", "approve:1"))],
            Flags = MessageFlags.SuppressNotifications,
            Nonce = "n-1",
            EnforceNonce = true,
        }));
        Assert.Equal($"[\"{User}\"]", body.GetProperty("allowed_mentions").GetProperty("users").GetRawText());
        Assert.True(body.GetProperty("allowed_mentions").GetProperty("replied_user").GetBoolean());
        Assert.False(body.GetProperty("allowed_mentions").TryGetProperty("parse", out _));
        Assert.Equal(Message.ToString(), body.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.False(body.GetProperty("message_reference").GetProperty("fail_if_not_exists").GetBoolean());
        var button = body.GetProperty("components")[0].GetProperty("components")[0];
        Assert.Equal("""{"type":2,"style":3,"label":"Approve","custom_id":"approve:1"}""", button.GetRawText());
        Assert.Equal(4096, body.GetProperty("flags").GetInt32());
        Assert.Equal("n-1", body.GetProperty("nonce").GetString());
        Assert.True(body.GetProperty("enforce_nonce").GetBoolean());
    }

    [Fact]
    public async Task Unban_sends_an_empty_object_because_the_spec_requires_a_body()
    {
        var body = await BodyOf("", c => c.UnbanMemberAsync(Guild, User));
        Assert.Equal("{}", body.GetRawText());
    }

    [Fact]
    public async Task Patch_bodies_omit_absent_fields_and_write_explicit_nulls()
    {
        var body = await BodyOf(MemberJson, c => c.ModifyMemberAsync(Guild, User, new ModifyMemberRequest { Nick = null, Roles = new([Role]) }));
        Assert.Equal($$"""{"nick":null,"roles":["{{Role}}"]}""", body.GetRawText());
    }

    [Fact]
    public async Task Timeout_writes_an_iso_8601_until_and_null_clears_it()
    {
        var set = await BodyOf(MemberJson, c => c.TimeoutMemberAsync(Guild, User, Now.AddDays(1)));
        Assert.Equal(Now.AddDays(1), set.GetProperty("communication_disabled_until").GetDateTimeOffset());
        Assert.Equal("2026-03-02T12:00:00+00:00", set.GetProperty("communication_disabled_until").GetString());

        var clear = await BodyOf(MemberJson, c => c.TimeoutMemberAsync(Guild, User, null));
        Assert.Equal("""{"communication_disabled_until":null}""", clear.GetRawText());
    }

    [Fact]
    public async Task Modify_channel_sends_only_the_fields_given()
    {
        var body = await BodyOf(ChannelJson, c => c.ModifyChannelAsync(Channel, new() { Topic = null, ParentId = new Snowflake?(Guild), Nsfw = false }));
        Assert.Equal($$"""{"topic":null,"nsfw":false,"parent_id":"{{Guild}}"}""", body.GetRawText());
    }

    [Fact]
    public async Task Permissions_and_overwrites_travel_as_decimal_strings()
    {
        var role = await BodyOf(RoleJson, c => c.CreateRoleAsync(Guild, new() { Name = "Mod", Permissions = DiscordPermissions.ModerateMembers | DiscordPermissions.ViewChannel }));
        Assert.Equal("1099511628800", role.GetProperty("permissions").GetString());

        var overwrite = await BodyOf("", c => c.EditChannelPermissionsAsync(Channel, Role, new() { Type = OverwriteType.Role, Allow = DiscordPermissions.SendMessages, Deny = DiscordPermissions.None }));
        Assert.Equal("""{"type":0,"allow":"2048","deny":"0"}""", overwrite.GetRawText());

        var channel = await BodyOf(ChannelJson, c => c.CreateGuildChannelAsync(Guild, new()
        {
            Name = "staff",
            Type = ChannelType.GuildText,
            PermissionOverwrites = [new PermissionOverwrite(Guild, OverwriteType.Role, DiscordPermissions.None, DiscordPermissions.ViewChannel)],
        }));
        Assert.Equal($$"""{"id":"{{Guild}}","type":0,"allow":"0","deny":"1024"}""", channel.GetProperty("permission_overwrites")[0].GetRawText());
    }

    [Fact]
    public async Task Bulk_delete_ban_and_invite_bodies_match_the_spec()
    {
        var second = new Snowflake(Message.Value + 1);
        Assert.Equal($$"""{"messages":["{{Message}}","{{second}}"]}""", (await BodyOf("", c => c.BulkDeleteMessagesAsync(Channel, [Message, second]))).GetRawText());
        Assert.Equal("""{"delete_message_seconds":60}""", (await BodyOf("", c => c.BanMemberAsync(Guild, User, 60))).GetRawText());
        Assert.Equal("{}", (await BodyOf(InviteJson, c => c.CreateChannelInviteAsync(Channel))).GetRawText());
        Assert.Equal("""{"max_age":0,"max_uses":5}""", (await BodyOf(InviteJson, c => c.CreateChannelInviteAsync(Channel, new() { MaxAge = 0, MaxUses = 5 }))).GetRawText());
    }

    [Fact]
    public async Task Forum_post_carries_message_and_applied_tags()
    {
        var body = await BodyOf(ChannelJson, c => c.StartForumThreadAsync(Channel, new() { Name = "Dark mode", Message = new() { Content = "please" }, AppliedTags = [Role] }));
        Assert.Equal($$$"""{"name":"Dark mode","message":{"content":"please","allowed_mentions":{"parse":[]}},"applied_tags":["{{{Role}}}"]}""", body.GetRawText());
    }

    [Fact]
    public async Task Scheduled_event_and_command_bodies_use_discord_field_names()
    {
        var ev = await BodyOf(EventJson, c => c.CreateScheduledEventAsync(Guild, EndpointRoutingTests.ExternalEvent()));
        Assert.Equal(2, ev.GetProperty("privacy_level").GetInt32());
        Assert.Equal(3, ev.GetProperty("entity_type").GetInt32());
        Assert.Equal("Online", ev.GetProperty("entity_metadata").GetProperty("location").GetString());
        Assert.Equal("2026-03-02T12:00:00+00:00", ev.GetProperty("scheduled_start_time").GetString());

        var cmd = await BodyOf("[]", c => c.BulkOverwriteCommandsAsync(App, [new()
        {
            Name = "warn",
            Description = "Warn a member",
            DefaultMemberPermissions = DiscordPermissions.ModerateMembers,
            Options = [new() { Type = ApplicationCommandOptionType.User, Name = "member", Description = "Who", Required = true }],
        }]));
        Assert.Equal("1099511627776", cmd[0].GetProperty("default_member_permissions").GetString());
        Assert.Equal("""{"type":6,"name":"member","description":"Who","required":true}""", cmd[0].GetProperty("options")[0].GetRawText());
    }

    [Fact]
    public async Task Interaction_message_callbacks_default_to_no_pings_and_keep_ephemeral_flag()
    {
        var body = await BodyOf("", c => c.CreateInteractionResponseAsync(Event, Token, new()
        {
            Type = InteractionCallbackType.ChannelMessageWithSource,
            Data = new() { Content = "done", Flags = MessageFlags.Ephemeral },
        }));
        Assert.Equal("""{"type":4,"data":{"content":"done","allowed_mentions":{"parse":[]},"flags":64}}""", body.GetRawText());
    }

    [Fact]
    public async Task Audit_reason_is_passed_raw_for_the_transport_to_encode()
    {
        var (client, transport) = Create();
        await client.KickMemberAsync(Guild, User, "spam – repeated ünïcode");
        Assert.Equal("spam – repeated ünïcode", transport.Only.AuditLogReason);
        Assert.Null(transport.Only.JsonBody);
    }
}
