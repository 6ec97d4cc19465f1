using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Policy.Model;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>The gateway service end to end: the sandbox's real gateway over WebSocket, the host's REST client, an agent double.</summary>
public sealed class GatewayRoutingTests : IAsyncLifetime
{
    private GatewayTestHost _h = null!;

    public async Task InitializeAsync() => _h = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Chat_commands_are_registered_in_the_installed_guild_at_start_for_Manage_Server()
    {
        var commands = await _h.Rest.GetCommandsAsync(new Snowflake(GatewayTestHost.BotId), new Snowflake(GatewayTestHost.GuildId));

        Assert.Equal(["allow-chat", "chat-status", "disallow-chat"], commands.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(commands, c => Assert.Equal(DiscordPermissions.ManageGuild, c.DefaultMemberPermissions));
        var channelOption = Assert.Single(commands.Single(c => c.Name == "allow-chat").Options!);
        Assert.Equal(ApplicationCommandOptionType.Channel, channelOption.Type);
        Assert.False(channelOption.Required);
    }

    [Fact]
    public async Task A_mention_in_a_channel_where_chat_is_allowed_reaches_the_agent()
    {
        await _h.AllowChatAsync(DemoGuild.GeneralChannelId);

        var id = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> summarize the last discussion");

        Assert.True(await _h.MentionHandled(id));
        var mention = await _h.Agent.NextMentionAsync();
        Assert.Equal(id, mention.MessageId);
        Assert.Equal(GatewayTestHost.GuildId, mention.GuildId);
        Assert.Equal(GatewayTestHost.Id(DemoGuild.GeneralChannelId), mention.ChannelId);
        Assert.Equal(GatewayTestHost.Id(DemoGuild.LuisUserId), mention.AuthorId);
        Assert.Equal($"<@{DemoGuild.BotUserId}> summarize the last discussion", mention.Content);
        Assert.Null(mention.ReplyToMessageId);
    }

    [Fact]
    public async Task Chat_is_off_by_default_so_a_mention_is_not_routed()
    {
        var id = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> hello?");

        Assert.False(await _h.MentionHandled(id));
        Assert.False(_h.Agent.TryTakeMention(out _));
    }

    [Fact]
    public async Task A_channel_denied_under_an_allowed_guild_is_not_routed_and_its_sibling_is()
    {
        await _h.Store.SetChannelPolicyAsync(new ChannelPolicy(GatewayTestHost.GuildId, ChannelPolicyScope.Guild, 0, AgentChat: AccessRule.Allow), CancellationToken.None);
        await _h.Store.SetChannelPolicyAsync(new ChannelPolicy(GatewayTestHost.GuildId, ChannelPolicyScope.Channel, GatewayTestHost.Id(DemoGuild.RandomChannelId), AgentChat: AccessRule.Deny), CancellationToken.None);

        var denied = _h.Post(DemoGuild.RandomChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> hi");
        var allowed = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> hi");

        Assert.False(await _h.MentionHandled(denied));
        Assert.True(await _h.MentionHandled(allowed));
        Assert.Equal(allowed, (await _h.Agent.NextMentionAsync()).MessageId);
    }

    [Fact]
    public async Task Bots_webhooks_the_bot_itself_and_plain_messages_are_ignored()
    {
        await _h.AllowChatAsync(DemoGuild.GeneralChannelId);
        var general = new Snowflake(GatewayTestHost.Id(DemoGuild.GeneralChannelId));
        var otherBot = _h.Sandbox.AddUser("OtherBot", bot: true);
        _h.Sandbox.AddMember(DemoGuild.GuildId, otherBot, []);
        var webhook = await _h.Rest.CreateWebhookAsync(general, new CreateWebhookRequest { Name = "deploys" });

        _h.Post(DemoGuild.GeneralChannelId, otherBot, $"<@{DemoGuild.BotUserId}> from a bot");
        await _h.Rest.ExecuteWebhookAsync(webhook.Id, webhook.Token!, new ExecuteWebhookRequest { Content = $"<@{DemoGuild.BotUserId}> from a webhook" });
        await _h.Rest.CreateMessageAsync(general, $"<@{DemoGuild.BotUserId}> from myself");
        _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "no mention at all");
        // The dispatch loop filters in order, so once this marker is routed every message above has been looked at.
        var marker = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> marker");

        Assert.True(await _h.MentionHandled(marker));
        Assert.Equal(marker, (await _h.Agent.NextMentionAsync()).MessageId);
        Assert.False(_h.Agent.TryTakeMention(out _));
    }

    [Fact]
    public async Task A_reply_to_the_bot_is_routed_without_a_mention_and_a_reply_to_someone_else_is_not()
    {
        await _h.AllowChatAsync(DemoGuild.GeneralChannelId);
        var botMessage = await _h.Rest.CreateMessageAsync(new Snowflake(GatewayTestHost.Id(DemoGuild.GeneralChannelId)), "Here is the summary.");
        var someoneElse = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.AlexUserId, "unrelated");

        var toOther = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "agreed", someoneElse.ToString(CultureInfo.InvariantCulture));
        var reply = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "thanks, and what still needs action?", botMessage.Id.ToString());

        Assert.True(await _h.MentionHandled(reply));
        var mention = await _h.Agent.NextMentionAsync();
        Assert.Equal(reply, mention.MessageId);
        Assert.Equal(botMessage.Id.Value, mention.ReplyToMessageId);
        Assert.NotEqual(toOther, mention.MessageId);
        Assert.False(_h.Agent.TryTakeMention(out _));
    }

    [Fact]
    public async Task Allow_chat_by_a_member_with_Manage_Server_persists_and_turns_routing_on_then_disallow_turns_it_off()
    {
        var allowed = await _h.SlashAsync(DemoGuild.SupportChannelId, DemoGuild.AdminUserId, "allow-chat");

        AssertEphemeral(allowed, "now on in <#" + DemoGuild.SupportChannelId + ">");
        var policy = (await _h.Store.GetChannelPoliciesAsync(GatewayTestHost.GuildId, CancellationToken.None))
            .Single(p => p.Scope == ChannelPolicyScope.Channel && p.TargetId == GatewayTestHost.Id(DemoGuild.SupportChannelId));
        Assert.Equal(AccessRule.Allow, policy.AgentChat);
        var first = _h.Post(DemoGuild.SupportChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> one");
        Assert.True(await _h.MentionHandled(first));

        var disallowed = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "disallow-chat",
            [new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = DemoGuild.SupportChannelId }]);

        AssertEphemeral(disallowed, "now off in <#" + DemoGuild.SupportChannelId + ">");
        var second = _h.Post(DemoGuild.SupportChannelId, DemoGuild.LuisUserId, $"<@{DemoGuild.BotUserId}> two");
        Assert.False(await _h.MentionHandled(second));
        Assert.Equal(first, (await _h.Agent.NextMentionAsync()).MessageId);
        Assert.False(_h.Agent.TryTakeMention(out _));
        // Both changes are in the audit log, as the admin, through Discord.
        var audit = await _h.App.Services.GetRequiredService<IAuditLog>().ReadAsync(
            new AuditQuery(PrincipalId: "discord:" + DemoGuild.AdminUserId, EntryPoint: AuditEntryPoints.Agent), CancellationToken.None);
        Assert.Equal([ChatCommands.AuditAllowTool, ChatCommands.AuditDisallowTool],
            audit.Where(e => e.Tool.StartsWith("slash_", StringComparison.Ordinal)).Select(e => e.Tool));
        Assert.All(audit, e => Assert.Contains(DemoGuild.SupportChannelId, e.Arguments!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Allow_chat_by_a_member_without_Manage_Server_is_refused_and_changes_nothing()
    {
        // Luis is a moderator: Ban Members and friends, but not Manage Server.
        var record = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "allow-chat");

        AssertEphemeral(record, "Only members with the Manage Server permission");
        Assert.Empty(await _h.Store.GetChannelPoliciesAsync(GatewayTestHost.GuildId, CancellationToken.None));
        Assert.Empty(await _h.App.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: ChatCommands.AuditAllowTool), CancellationToken.None));
    }

    [Fact]
    public async Task Chat_status_lists_the_channels_where_chat_is_on()
    {
        var empty = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "chat-status");
        AssertEphemeral(empty, "off in every channel");

        // A category rule reaches its channels; a channel rule wins over it.
        await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "allow-chat",
            [new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = DemoGuild.TextCategoryId }]);
        await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "disallow-chat");
        var status = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.AdminUserId, "chat-status");

        var text = AssertEphemeral(status, "Chat with DiscordMCP is on in:");
        var inCategory = (await _h.Rest.GetGuildChannelsAsync(new Snowflake(GatewayTestHost.GuildId)))
            .Where(c => c.ParentId?.ToString() == DemoGuild.TextCategoryId && c.Id.ToString() != DemoGuild.GeneralChannelId).ToList();
        Assert.NotEmpty(inCategory);
        Assert.All(inCategory, c => Assert.Contains($"<#{c.Id}>", text, StringComparison.Ordinal));
        Assert.DoesNotContain($"<#{DemoGuild.GeneralChannelId}>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_gets_a_polite_ephemeral_answer()
    {
        var record = await _h.SlashAsync(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "make-coffee");

        AssertEphemeral(record, "I don't know the command /make-coffee");
    }

    [Fact]
    public async Task Confirm_and_cancel_buttons_go_to_the_agent_and_an_unknown_button_is_answered()
    {
        var surface = _h.App.Services.GetService(typeof(DiscordMcp.Agent.IAgentSurface)) as DiscordMcp.Agent.IAgentSurface;
        Assert.NotNull(surface);
        var plan = await surface.PostAsync(GatewayTestHost.Id(DemoGuild.GeneralChannelId), new DiscordMcp.Agent.OutgoingMessage("Plan: create #x",
            Buttons: [new("dmcp:confirm:abc", "Confirm", DiscordMcp.Agent.ButtonLook.Success), new("dmcp:cancel:abc", "Cancel", DiscordMcp.Agent.ButtonLook.Secondary), new("other:thing", "Other", DiscordMcp.Agent.ButtonLook.Secondary)]),
            CancellationToken.None);

        await _h.ClickAsync(plan, DemoGuild.LuisUserId, "dmcp:confirm:abc");
        var confirm = await _h.Agent.NextButtonAsync();
        await _h.ClickAsync(plan, DemoGuild.LuisUserId, "dmcp:cancel:abc");
        var cancel = await _h.Agent.NextButtonAsync();
        var other = await _h.ClickAsync(plan, DemoGuild.LuisUserId, "other:thing");

        Assert.Equal(("dmcp:confirm:abc", plan, GatewayTestHost.Id(DemoGuild.LuisUserId)), (confirm.Name, confirm.MessageId!.Value, confirm.UserId));
        Assert.Equal("dmcp:cancel:abc", cancel.Name);
        Assert.False(string.IsNullOrEmpty(confirm.Token));
        AssertEphemeral(other, "no longer active");
    }

    [Fact]
    public async Task Posts_from_the_surface_never_ping_and_buttons_are_action_rows()
    {
        var surface = (DiscordMcp.Agent.IAgentSurface)_h.App.Services.GetService(typeof(DiscordMcp.Agent.IAgentSurface))!;
        var channel = GatewayTestHost.Id(DemoGuild.GeneralChannelId);
        var question = _h.Post(DemoGuild.GeneralChannelId, DemoGuild.LuisUserId, "question");

        var id = await surface.PostAsync(channel, new DiscordMcp.Agent.OutgoingMessage($"@everyone <@{DemoGuild.LuisUserId}> <@&{DemoGuild.ModeratorRoleId}>", ReplyTo: question,
            Buttons: [new("dmcp:confirm:1", "Confirm", DiscordMcp.Agent.ButtonLook.Success)]), CancellationToken.None);
        var posted = await _h.Rest.GetMessageAsync(new Snowflake(channel), new Snowflake(id));
        await surface.EditAsync(channel, id, new DiscordMcp.Agent.OutgoingMessage("done", Buttons: []), CancellationToken.None);
        var edited = await _h.Rest.GetMessageAsync(new Snowflake(channel), new Snowflake(id));

        Assert.False(posted.MentionEveryone);
        Assert.Empty(posted.Mentions);
        Assert.Empty(posted.MentionRoles);
        Assert.Equal(question, posted.MessageReference?.MessageId?.Value);
        var row = Assert.Single(posted.Components!);
        Assert.Equal(ComponentType.ActionRow, row.Type);
        Assert.Equal("dmcp:confirm:1", Assert.Single(row.Components!).CustomId);
        Assert.Equal("done", edited.Content);
        Assert.True(edited.Components is null or { Count: 0 });
        var recent = await surface.GetRecentMessagesAsync(channel, id, 5, CancellationToken.None);
        Assert.Equal(question, recent[^1].Id);
        Assert.True(recent.Zip(recent.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    internal static string AssertEphemeral(JsonObject record, string expected)
    {
        var callback = record["callback"] as JsonObject;
        Assert.NotNull(callback);
        Assert.Equal(4, (int)callback["type"]!);
        Assert.Equal(64, (int)callback["data"]!["flags"]! & 64);
        var content = (string)callback["data"]!["content"]!;
        Assert.Contains(expected, content, StringComparison.Ordinal);
        return content;
    }
}
