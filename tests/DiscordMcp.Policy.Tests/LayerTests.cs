using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Layers;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using static DiscordMcp.Policy.Tests.PolicyWorld;

namespace DiscordMcp.Policy.Tests;

public sealed class AuthenticationLayerTests
{
    [Theory]
    [InlineData("valid", null)]
    [InlineData("missing", ReasonCodes.Unauthenticated)]
    [InlineData("malformed", ReasonCodes.Unauthenticated)]
    [InlineData("unknown", ReasonCodes.Unauthenticated)]
    [InlineData("wrong_secret", ReasonCodes.Unauthenticated)]
    [InlineData("revoked", ReasonCodes.KeyRevoked)]
    [InlineData("expired", ReasonCodes.KeyExpired)]
    public async Task Api_key_cases(string keyCase, string? expectedReason)
    {
        var w = await CreateAsync();
        var key = w.OperatorKey;
        switch (keyCase)
        {
            case "missing": key = ""; break;
            case "malformed": key = "dmcp_nothex"; break;
            case "unknown": key = "dmcp_000000000000_" + new string('a', 43); break;
            case "wrong_secret": key = key[..^1] + (key[^1] == 'a' ? 'b' : 'a'); break;
            case "revoked":
                var lookup = key.Substring(5, 12);
                await w.Store.RevokeApiKeyAsync("acme", lookup, w.Time.GetUtcNow(), default);
                break;
            case "expired":
                key = await w.IssueKeyAsync("acme", PlatformRole.Operator, expires: w.Time.GetUtcNow().AddMinutes(5));
                w.Time.Advance(TimeSpan.FromMinutes(5));
                break;
        }

        var context = Context(Request(key, ReadTool));
        var decision = await new AuthenticationLayer(w.Store, w.Time).EvaluateAsync(context, default);

        Assert.Equal(expectedReason, decision?.ReasonCode);
        if (expectedReason is null)
        {
            Assert.Equal("acme", context.WorkspaceId);
            Assert.Equal(PlatformRole.Operator, context.Role);
            Assert.StartsWith("key:", context.PrincipalId, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(PolicyLayer.Authentication, decision!.Layer);
            Assert.DoesNotContain(key.Length > 20 ? key[18..] : "\u0000", decision.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Local_operator_is_admin_of_its_configured_workspace()
    {
        var w = await CreateAsync();
        var context = Context(Request("", ReadTool) with { Credential = new LocalOperatorCredential("acme") });
        Assert.Null(await new AuthenticationLayer(w.Store, w.Time).EvaluateAsync(context, default));
        Assert.Equal(PlatformRole.Admin, context.Role);
        Assert.Equal(PrincipalKind.LocalOperator, context.PrincipalKind);
    }
}

public sealed class WorkspaceMembershipLayerTests
{
    [Theory]
    [InlineData("member", null)]
    [InlineData("no_membership", ReasonCodes.NotWorkspaceMember)]
    [InlineData("no_workspace", ReasonCodes.WorkspaceNotFound)]
    public async Task Membership_cases(string membershipCase, string? expectedReason)
    {
        var w = await CreateAsync();
        var context = Authorised(Request(w.OperatorKey, ReadTool), PlatformRole.Admin);
        context.PrincipalId = string.Concat("key:", w.OperatorKey.AsSpan(5, 12));
        if (membershipCase == "no_membership")
        {
            await w.Store.RemoveMembershipAsync("acme", context.PrincipalId, default);
        }
        else if (membershipCase == "no_workspace")
        {
            context.WorkspaceId = "ghost";
        }

        var decision = await new WorkspaceMembershipLayer(w.Store, new PolicyOptions()).EvaluateAsync(context, default);

        Assert.Equal(expectedReason, decision?.ReasonCode);
        if (expectedReason is null)
        {
            // The key said admin, the membership says operator: the lower wins.
            Assert.Equal(PlatformRole.Operator, context.Role);
        }
    }

    [Fact]
    public async Task Discord_user_without_membership_gets_the_configured_default_role()
    {
        var w = await CreateAsync();
        var context = Authorised(Request("", ReadTool) with { Credential = new DiscordUserCredential("acme", 42) }, PlatformRole.None);
        context.PrincipalKind = PrincipalKind.DiscordUser;
        Assert.Null(await new WorkspaceMembershipLayer(w.Store, new PolicyOptions { DiscordUserDefaultRole = PlatformRole.Viewer }).EvaluateAsync(context, default));
        Assert.Equal(PlatformRole.Viewer, context.Role);
    }
}

public sealed class GuildInstallationLayerTests
{
    [Theory]
    [InlineData(Guild, true, null)]
    [InlineData(OtherGuild, true, ReasonCodes.GuildNotInstalled)] // installed, but in another workspace
    [InlineData(12345UL, true, ReasonCodes.GuildNotInstalled)]
    [InlineData(Guild, false, ReasonCodes.BotNotInGuild)]
    public async Task Installation_cases(ulong guild, bool botInGuild, string? expectedReason)
    {
        var w = await CreateAsync();
        IBotPermissionProbe probe = botInGuild ? w.Probe : new Ports_EmptyProbe();
        var decision = await new GuildInstallationLayer(w.Store, probe).EvaluateAsync(Authorised(Request(w.OperatorKey, ReadTool, guild)), default);
        Assert.Equal(expectedReason, decision?.ReasonCode);
    }

    [Fact]
    public async Task Message_for_another_workspaces_guild_does_not_reveal_the_owner()
    {
        var w = await CreateAsync();
        var decision = await new GuildInstallationLayer(w.Store, w.Probe).EvaluateAsync(Authorised(Request(w.OperatorKey, ReadTool, OtherGuild)), default);
        Assert.DoesNotContain("other", decision!.Message.Replace("'acme'", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("discord-mcp guilds install", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Channel_without_guild_is_denied_and_guildless_tool_passes()
    {
        var w = await CreateAsync();
        var layer = new GuildInstallationLayer(w.Store, w.Probe);
        Assert.Equal(ReasonCodes.GuildRequired, (await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, ReadTool, guild: null)), default))?.ReasonCode);
        Assert.Null(await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, ReadTool, guild: null, channel: null)), default));
    }

    private sealed class Ports_EmptyProbe : IBotPermissionProbe
    {
        public ValueTask<bool> IsBotInGuildAsync(ulong guildId, CancellationToken cancellationToken) => ValueTask.FromResult(false);
        public ValueTask<ulong> GetGuildPermissionsAsync(ulong guildId, CancellationToken cancellationToken) => ValueTask.FromResult(0UL);
        public ValueTask<ulong> GetChannelPermissionsAsync(ulong guildId, ulong channelId, CancellationToken cancellationToken) => ValueTask.FromResult(0UL);
        public ValueTask<ProbeChannel?> GetChannelAsync(ulong channelId, CancellationToken cancellationToken) => ValueTask.FromResult<ProbeChannel?>(null);
        public ValueTask<ulong?> GetOwningGuildAsync(ResourceKind kind, ulong id, ulong? parentChannelId, CancellationToken cancellationToken) => ValueTask.FromResult<ulong?>(null);
        public ValueTask<int> GetBotTopRolePositionAsync(ulong guildId, CancellationToken cancellationToken) => ValueTask.FromResult(0);
        public ValueTask<int?> GetRolePositionAsync(ulong guildId, ulong roleId, CancellationToken cancellationToken) => ValueTask.FromResult<int?>(null);
        public ValueTask<MemberRank?> GetMemberRankAsync(ulong guildId, ulong userId, CancellationToken cancellationToken) => ValueTask.FromResult<MemberRank?>(null);
        public ValueTask<ulong?> GetMemberPermissionsAsync(ulong guildId, ulong? channelId, ulong userId, CancellationToken cancellationToken) => ValueTask.FromResult<ulong?>(null);
    }
}

public sealed class PlatformPermissionLayerTests
{
    public static TheoryData<PlatformRole, ToolAccess, string?, string?> Cases => new()
    {
        { PlatformRole.Viewer, ToolAccess.Read, null, null },
        { PlatformRole.Viewer, ToolAccess.Write, null, ReasonCodes.PlatformPermissionDenied },
        { PlatformRole.Operator, ToolAccess.Write, null, null },
        { PlatformRole.Operator, ToolAccess.Destructive, null, null },
        { PlatformRole.Admin, ToolAccess.None, null, null },
        { PlatformRole.Operator, ToolAccess.None, null, ReasonCodes.PlatformPermissionDenied },
        { PlatformRole.Admin, ToolAccess.Read, "messages", null },
        { PlatformRole.Admin, ToolAccess.Read, "roles", ReasonCodes.ToolsetNotInScope },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Role_and_scope_cases(PlatformRole role, ToolAccess access, string? scope, string? expectedReason)
    {
        var request = Request("k", new ToolDescriptor("discord_x", "messages", access));
        var context = Authorised(request, role);
        context.ToolsetScopes = scope is null ? null : [scope];
        var decision = await new PlatformPermissionLayer(new InMemoryBotPermissionProbe()).EvaluateAsync(context, default);
        Assert.Equal(expectedReason, decision?.ReasonCode);
    }

    private const ulong ManageChannels = 1UL << 4;
    private const ulong Plain = 510;
    private const ulong Moderator = 511;
    private const ulong Admin = 512;
    private const ulong Owner = 502;

    /// <summary>The world's guild with a plain member, a moderator (Manage Channels and Roles, top role 6) and an admin.</summary>
    private static async Task<PolicyWorld> MembersAsync()
    {
        var w = await CreateAsync();
        w.Probe.AddMember(Guild, Plain, 1).SetMemberPermissions(Guild, Plain, ViewChannel | SendMessages)
            .AddMember(Guild, Moderator, 6).SetMemberPermissions(Guild, Moderator, ViewChannel | SendMessages | ManageChannels | ManageRoles)
            .AddMember(Guild, Admin, 2).SetMemberPermissions(Guild, Admin, 1UL << 3);
        return w;
    }

    private static PolicyRequest MemberRequest(ulong user, ulong required, ulong? channel = General, ulong? boundGuild = Guild, ulong? guild = Guild) =>
        Request("", WriteTool, guild, channel) with { Credential = new DiscordUserCredential("acme", user) { GuildId = boundGuild }, RequiredBotPermissions = required };

    private static async Task<PolicyDecision?> EvaluateAsync(PolicyWorld w, PolicyRequest request) =>
        await new PlatformPermissionLayer(w.Probe).EvaluateAsync(Authorised(request), default);

    [Fact]
    public async Task Member_without_Manage_Channels_is_denied_with_the_permission_and_the_channel_named()
    {
        var w = await MembersAsync();
        var decision = await EvaluateAsync(w, MemberRequest(Plain, ManageChannels));
        Assert.Equal(ReasonCodes.PlatformPermissionDenied, decision?.ReasonCode);
        Assert.Equal("You lack Manage Channels in #general, so the agent will not do this for you. Ask a server moderator.", decision!.Message);
    }

    [Fact]
    public async Task Member_without_the_permission_guild_wide_is_denied_in_this_server()
    {
        var w = await MembersAsync();
        var decision = await EvaluateAsync(w, MemberRequest(Plain, ManageChannels, channel: null));
        Assert.Equal("You lack Manage Channels in this server, so the agent will not do this for you. Ask a server moderator.", decision?.Message);
        Assert.Null(await EvaluateAsync(w, MemberRequest(Moderator, ManageChannels, channel: null)));
    }

    [Theory]
    [InlineData(Moderator)]
    [InlineData(Admin)] // Administrator implies every permission
    [InlineData(Owner)] // the owner has every permission
    public async Task Members_who_have_the_permission_themselves_pass(ulong user)
    {
        var w = await MembersAsync();
        Assert.Null(await EvaluateAsync(w, MemberRequest(user, ManageChannels | ManageRoles)));
    }

    [Fact]
    public async Task A_channel_overwrite_that_takes_the_permission_away_denies_the_member_there_only()
    {
        var w = await MembersAsync();
        w.Probe.AddChannel(new ProbeChannel(220, Guild, Category, false, false, "locked"), ulong.MaxValue)
            .SetMemberChannelPermissions(220, Moderator, ViewChannel | SendMessages);
        var decision = await EvaluateAsync(w, MemberRequest(Moderator, ManageChannels, channel: 220));
        Assert.Equal("You lack Manage Channels in #locked, so the agent will not do this for you. Ask a server moderator.", decision?.Message);
        Assert.Null(await EvaluateAsync(w, MemberRequest(Moderator, ManageChannels)));
    }

    [Fact]
    public async Task In_a_thread_the_parent_channels_permissions_apply()
    {
        var w = await MembersAsync();
        Assert.Null(await EvaluateAsync(w, MemberRequest(Moderator, ManageChannels, channel: ThreadChannel)));
        w.Probe.SetMemberChannelPermissions(General, Moderator, ViewChannel);
        var decision = await EvaluateAsync(w, MemberRequest(Moderator, ManageChannels, channel: ThreadChannel));
        Assert.Equal(ReasonCodes.PlatformPermissionDenied, decision?.ReasonCode);
        Assert.Contains("Manage Channels in #a-thread", decision!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_the_member_cannot_see_denies_even_a_call_that_needs_nothing_else()
    {
        var w = await MembersAsync();
        w.Probe.SetMemberChannelPermissions(General, Plain, 0);
        var decision = await EvaluateAsync(w, MemberRequest(Plain, 0));
        Assert.Contains("You lack View Channel in #general", decision?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_of_another_guild_gives_the_member_no_permissions()
    {
        var w = await MembersAsync();
        Assert.Equal(ReasonCodes.PlatformPermissionDenied, (await EvaluateAsync(w, MemberRequest(Moderator, SendMessages, channel: OtherChannel)))?.ReasonCode);
    }

    [Fact]
    public async Task Someone_who_is_not_a_member_of_the_guild_is_denied()
    {
        var w = await MembersAsync();
        var decision = await EvaluateAsync(w, MemberRequest(4242, 0));
        Assert.Equal(ReasonCodes.NotGuildMember, decision?.ReasonCode);
        Assert.Contains("not a member of guild 100", decision!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Moderator, 400, null)] // role at 5, moderator's top role at 6
    [InlineData(Moderator, 401, ReasonCodes.HierarchyDenied)] // role at 10: above the moderator
    [InlineData(Admin, 400, ReasonCodes.HierarchyDenied)] // Administrator does not lift the hierarchy (top role 2)
    [InlineData(Owner, 401, null)] // the owner outranks every role
    public async Task Members_manage_only_roles_below_their_own_highest_role(ulong user, ulong role, string? expected)
    {
        var w = await MembersAsync();
        var request = MemberRequest(user, ManageRoles, channel: null) with { TargetRoleIds = [role] };
        Assert.Equal(expected, (await EvaluateAsync(w, request))?.ReasonCode);
    }

    [Theory]
    [InlineData(Moderator, 500UL, null)] // target's top role 3 < 6
    [InlineData(Moderator, 501UL, ReasonCodes.HierarchyDenied)] // 12 >= 6
    [InlineData(Moderator, Owner, ReasonCodes.HierarchyDenied)] // nobody acts on the owner
    public async Task Members_act_only_on_members_below_them(ulong user, ulong target, string? expected)
    {
        var w = await MembersAsync();
        w.Probe.SetMemberPermissions(Guild, Moderator, ViewChannel | (1UL << 1)); // Kick Members
        var request = MemberRequest(user, 1UL << 1, channel: null) with { TargetMemberIds = [target] };
        Assert.Equal(expected, (await EvaluateAsync(w, request))?.ReasonCode);
    }
}

public sealed class MemberGuildBindingTests
{
    [Theory]
    [InlineData(Guild, Guild, null)]
    [InlineData(Guild, OtherGuild, ReasonCodes.AgentGuildMismatch)] // a call on another guild, even one the bot is in
    [InlineData(null, Guild, ReasonCodes.AgentGuildMismatch)] // a credential bound to no guild
    [InlineData(Guild, null, ReasonCodes.AgentGuildMismatch)] // a guild-less toolset tool (guild list, platform tools)
    public async Task A_member_acts_only_in_the_guild_they_asked_in(ulong? bound, ulong? guild, string? expected)
    {
        var w = await CreateAsync();
        var request = Request("", ReadTool, guild, guild is null ? null : General) with { Credential = new DiscordUserCredential("acme", 510) { GuildId = bound } };
        var decision = await new GuildInstallationLayer(w.Store, w.Probe).EvaluateAsync(Authorised(request), default);
        Assert.Equal(expected, decision?.ReasonCode);
    }

    [Fact]
    public async Task The_pending_action_tools_stay_usable_without_a_guild()
    {
        var w = await CreateAsync();
        var request = Request("", new ToolDescriptor("discord_confirm_action", "", ToolAccess.Read), null, null) with { Credential = new DiscordUserCredential("acme", 510) { GuildId = Guild } };
        Assert.Null(await new GuildInstallationLayer(w.Store, w.Probe).EvaluateAsync(Authorised(request), default));
        Assert.Null(await new PlatformPermissionLayer(w.Probe).EvaluateAsync(Authorised(request), default));
    }
}

public sealed class ChannelPolicyLayerTests
{
    public static TheoryData<string, ulong, ToolAccess, bool, string?> Cases => new()
    {
        // policy set, channel, access, agent chat, expected
        { "none", General, ToolAccess.Write, false, null },
        { "channel_write_deny", General, ToolAccess.Write, false, ReasonCodes.ChannelPolicyDenied },
        { "channel_write_deny", General, ToolAccess.Read, false, null },
        { "category_read_deny", General, ToolAccess.Read, false, ReasonCodes.ChannelPolicyDenied },
        { "category_read_deny_channel_allow", General, ToolAccess.Read, false, null },
        { "category_read_deny", ThreadChannel, ToolAccess.Read, false, ReasonCodes.ChannelPolicyDenied },
        { "guild_write_deny", General, ToolAccess.Write, false, ReasonCodes.ChannelPolicyDenied },
        { "guild_write_deny", General, ToolAccess.Read, false, null },
        { "agent_chat_deny", General, ToolAccess.Write, true, ReasonCodes.ChannelPolicyDenied },
        { "agent_chat_deny", General, ToolAccess.Write, false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Most_specific_rule_wins(string policySet, ulong channel, ToolAccess access, bool agentChat, string? expectedReason)
    {
        var w = await CreateAsync();
        ChannelPolicy[] policies = policySet switch
        {
            "channel_write_deny" => [new(Guild, ChannelPolicyScope.Channel, General, Write: AccessRule.Deny)],
            "category_read_deny" => [new(Guild, ChannelPolicyScope.Category, Category, Read: AccessRule.Deny)],
            "category_read_deny_channel_allow" => [new(Guild, ChannelPolicyScope.Category, Category, Read: AccessRule.Deny), new(Guild, ChannelPolicyScope.Channel, General, Read: AccessRule.Allow)],
            "guild_write_deny" => [new(Guild, ChannelPolicyScope.Guild, Guild, Write: AccessRule.Deny)],
            "agent_chat_deny" => [new(Guild, ChannelPolicyScope.Channel, General, AgentChat: AccessRule.Deny)],
            _ => [],
        };
        foreach (var p in policies)
        {
            await w.Store.SetChannelPolicyAsync(p, default);
        }

        var request = Request(w.OperatorKey, new ToolDescriptor("t", "s", access), channel: channel) with { IsAgentChat = agentChat };
        var decision = await new ChannelPolicyLayer(w.Store, w.Probe).EvaluateAsync(Authorised(request), default);
        Assert.Equal(expectedReason, decision?.ReasonCode);
    }

    [Fact]
    public async Task Denial_names_the_channel()
    {
        var w = await CreateAsync();
        await w.Store.SetChannelPolicyAsync(new ChannelPolicy(Guild, ChannelPolicyScope.Channel, General, Write: AccessRule.Deny), default);
        var decision = await new ChannelPolicyLayer(w.Store, w.Probe).EvaluateAsync(Authorised(Request(w.OperatorKey, WriteTool)), default);
        Assert.Contains("#general", decision!.Message, StringComparison.Ordinal);
    }
}

public sealed class BotPermissionLayerTests
{
    public static TheoryData<string, string?> Cases => new()
    {
        { "ok", null },
        { "foreign_channel", ReasonCodes.CrossGuildReference },
        { "unknown_channel", ReasonCodes.CrossGuildReference },
        { "foreign_message", ReasonCodes.CrossGuildReference },
        { "message_in_other_channel", ReasonCodes.CrossGuildReference },
        { "own_message", null },
        { "foreign_webhook", ReasonCodes.CrossGuildReference },
        { "own_webhook", null },
        { "foreign_role", ReasonCodes.CrossGuildReference },
        { "missing_permission", ReasonCodes.BotMissingPermission },
        { "missing_guild_permission", ReasonCodes.BotMissingPermission },
        { "administrator", null },
        { "role_below", null },
        { "role_at_bot_level", ReasonCodes.HierarchyDenied },
        { "member_below", null },
        { "member_above", ReasonCodes.HierarchyDenied },
        { "owner", ReasonCodes.HierarchyDenied },
        { "not_member", ReasonCodes.CrossGuildReference },
        { "role_reference_own", null },
        { "role_reference_foreign", ReasonCodes.CrossGuildReference },
        { "member_reference_own", null },
        { "member_reference_not_member", ReasonCodes.CrossGuildReference },
        { "message_looked_up_in_foreign_channel", ReasonCodes.CrossGuildReference },
        { "message_without_channel", ReasonCodes.CrossGuildReference },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Cross_guild_permission_and_hierarchy_cases(string scenario, string? expectedReason)
    {
        var w = await CreateAsync();
        var request = Request(w.OperatorKey, WriteTool);
        request = scenario switch
        {
            "foreign_channel" => request with { ChannelId = OtherChannel },
            "unknown_channel" => request with { ChannelId = 777 },
            "foreign_message" => request with { References = [new(ResourceKind.Message, 991, OtherChannel)] },
            "message_in_other_channel" => request with { References = [new(ResourceKind.Message, 600, OtherChannel)] },
            "own_message" => request with { References = [new(ResourceKind.Message, 600, General)] },
            "foreign_webhook" => request with { References = [new(ResourceKind.Webhook, 992)] },
            "own_webhook" => request with { References = [new(ResourceKind.Webhook, 700)] },
            "foreign_role" => request with { TargetRoleIds = [990] },
            "missing_permission" => request with { RequiredBotPermissions = 1UL << 13 },
            "missing_guild_permission" => request with { ChannelId = null, RequiredBotPermissions = 1UL << 2 },
            "administrator" => request with { ChannelId = 250, RequiredBotPermissions = 1UL << 13 },
            "role_below" => request with { TargetRoleIds = [400] },
            "role_at_bot_level" => request with { TargetRoleIds = [401] },
            "member_below" => request with { TargetMemberIds = [500] },
            "member_above" => request with { TargetMemberIds = [501] },
            "owner" => request with { TargetMemberIds = [502] },
            "not_member" => request with { TargetMemberIds = [503] },
            "role_reference_own" => request with { References = [new(ResourceKind.Role, 400)] },
            "role_reference_foreign" => request with { References = [new(ResourceKind.Role, 990)] },
            "member_reference_own" => request with { References = [new(ResourceKind.Member, 501)] },
            "member_reference_not_member" => request with { References = [new(ResourceKind.Member, 503)] },
            "message_looked_up_in_foreign_channel" => request with { References = [new(ResourceKind.Message, 991, OtherChannel)] },
            "message_without_channel" => request with { References = [new(ResourceKind.Message, 600)] },
            _ => request,
        };
        if (scenario == "administrator")
        {
            w.Probe.AddChannel(new ProbeChannel(250, Guild, null, false, false, "admin-only"), 1UL << 3);
        }

        var decision = await new BotPermissionLayer(w.Probe).EvaluateAsync(Authorised(request), default);
        Assert.Equal(expectedReason, decision?.ReasonCode);
    }

    [Fact]
    public async Task Missing_permission_message_is_actionable()
    {
        var w = await CreateAsync();
        w.Probe.AddChannel(new ProbeChannel(210, Guild, Category, false, false, "deployments"), SendMessages);
        var request = Request(w.OperatorKey, WriteTool) with { ChannelId = 210, RequiredBotPermissions = ManageWebhooks };
        var decision = await new BotPermissionLayer(w.Probe).EvaluateAsync(Authorised(request), default);
        Assert.Equal("The bot lacks Manage Webhooks in #deployments; grant it on the channel or the bot's role.", decision!.Message);
    }
}

public sealed class RateLimitLayerTests
{
    [Theory]
    [InlineData(false, 3, 3, null)]
    [InlineData(false, 3, 4, ReasonCodes.RateLimited)]
    [InlineData(true, 2, 2, null)]
    [InlineData(true, 2, 3, ReasonCodes.RateLimited)]
    public async Task Principal_budget_by_access(bool write, int capacity, int calls, string? expectedLastReason)
    {
        var w = await CreateAsync();
        var settings = new RateLimitSettings(capacity, 1, capacity, 0.5, 1000, 1000, 1000, 1000);
        var layer = new RateLimitLayer(w.Limiter, new PolicyOptions { DefaultRateLimits = settings });
        PolicyDecision? last = null;
        for (var i = 0; i < calls; i++)
        {
            last = await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, write ? WriteTool : ReadTool)), default);
        }

        Assert.Equal(expectedLastReason, last?.ReasonCode);
        if (last is not null)
        {
            Assert.Equal(TimeSpan.FromSeconds(write ? 2 : 1), last.RetryAfter);
            Assert.Contains("Retry after", last.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reads_and_writes_have_separate_budgets_and_refill_with_time()
    {
        var w = await CreateAsync();
        var layer = new RateLimitLayer(w.Limiter, new PolicyOptions { DefaultRateLimits = new RateLimitSettings(1, 1, 1, 1, 100, 100, 100, 100) });
        Assert.Null(await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, WriteTool)), default));
        Assert.Null(await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, ReadTool)), default));
        Assert.NotNull(await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, WriteTool)), default));
        w.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, WriteTool)), default));
    }

    [Fact]
    public async Task Guild_budget_is_shared_between_principals_and_workspace_settings_override_defaults()
    {
        var w = await CreateAsync();
        var workspace = new Workspace("acme", "Acme", DateTimeOffset.UnixEpoch, new RateLimitSettings(100, 1, 100, 1, 1, 1, 1, 1));
        var layer = new RateLimitLayer(w.Limiter, new PolicyOptions());
        var first = Authorised(Request(w.OperatorKey, ReadTool), workspace: workspace);
        var second = Authorised(Request(w.OperatorKey, ReadTool), workspace: workspace);
        second.PrincipalId = "key:someone-else";
        Assert.Null(await layer.EvaluateAsync(first, default));
        var denied = await layer.EvaluateAsync(second, default);
        Assert.Equal(ReasonCodes.RateLimited, denied?.ReasonCode);
        Assert.Contains("guild 100", denied!.Message, StringComparison.Ordinal);
    }
}

public sealed class ConfirmationLayerTests
{
    public static TheoryData<ToolAccess, ToolPolicy[], ToolMode> ModeCases => new()
    {
        { ToolAccess.Read, [], ToolMode.Allow },
        { ToolAccess.Write, [], ToolMode.Confirm },
        { ToolAccess.Destructive, [], ToolMode.Approve },
        { ToolAccess.Write, [new("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow)], ToolMode.Allow },
        { ToolAccess.Write, [new("acme", ToolPolicyTarget.Toolset, "messages", ToolMode.Allow), new("acme", ToolPolicyTarget.Tool, "discord_x", ToolMode.Deny)], ToolMode.Deny },
        { ToolAccess.Read, [new("acme", ToolPolicyTarget.Tool, "DISCORD_X", ToolMode.Approve)], ToolMode.Approve },
        { ToolAccess.Read, [new("acme", ToolPolicyTarget.Tool, "discord_x", ToolMode.Default)], ToolMode.Allow },
    };

    [Theory]
    [MemberData(nameof(ModeCases))]
    public void Mode_resolution_tool_then_toolset_then_annotations(ToolAccess access, ToolPolicy[] policies, ToolMode expected)
    {
        Assert.Equal(expected, ConfirmationLayer.ResolveMode(policies, new ToolDescriptor("discord_x", "messages", access)));
    }

    [Theory]
    [InlineData(ToolAccess.Read, false, null)]
    [InlineData(ToolAccess.Read, true, ReasonCodes.DryRun)]
    [InlineData(ToolAccess.Write, false, ReasonCodes.ConfirmationRequired)]
    [InlineData(ToolAccess.Destructive, false, ReasonCodes.ApprovalRequired)]
    public async Task First_call_outcomes(ToolAccess access, bool dryRun, string? expectedReason)
    {
        var w = await CreateAsync();
        var layer = new ConfirmationLayer(w.Store, w.Pending, w.Time, new PolicyOptions());
        var request = Request(w.OperatorKey, new ToolDescriptor("discord_x", "messages", access)) with { DryRun = dryRun };
        var decision = await layer.EvaluateAsync(Authorised(request), default);
        Assert.Equal(expectedReason, decision?.ReasonCode);
        if (expectedReason is ReasonCodes.ConfirmationRequired or ReasonCodes.ApprovalRequired)
        {
            Assert.Equal(PolicyVerdict.Pending, decision!.Verdict);
            Assert.NotNull(await w.Pending.GetAsync(decision.PendingActionId!, default));
            Assert.Contains("No Discord changes were made.", decision.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Denied_tool_is_denied_even_as_dry_run()
    {
        var w = await CreateAsync();
        await w.Store.SetToolPolicyAsync(new ToolPolicy("acme", ToolPolicyTarget.Tool, WriteTool.Name, ToolMode.Deny), default);
        var layer = new ConfirmationLayer(w.Store, w.Pending, w.Time, new PolicyOptions());
        var decision = await layer.EvaluateAsync(Authorised(Request(w.OperatorKey, WriteTool) with { DryRun = true }), default);
        Assert.Equal(ReasonCodes.ToolDenied, decision?.ReasonCode);
    }
}
