using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DiscordMcp.Policy.Tests;

/// <summary>
/// A small, fully allowed world: workspace "acme" with guild 100 installed, the bot in it with Administrator-free
/// permissions, channels #general (200, category 300) and a thread 201, an operator key and a viewer key;
/// workspace "other" with guild 900 and channel 901.
/// </summary>
internal sealed class PolicyWorld
{
    public const ulong Guild = 100;
    public const ulong General = 200;
    public const ulong ThreadChannel = 201;
    public const ulong Category = 300;
    public const ulong OtherGuild = 900;
    public const ulong OtherChannel = 901;
    public const ulong SendMessages = 1UL << 11;
    public const ulong ManageWebhooks = 1UL << 29;
    public const ulong ManageRoles = 1UL << 28;
    public const ulong ViewChannel = 1UL << 10;

    public static readonly ToolDescriptor ReadTool = new("discord_list_messages", "messages", ToolAccess.Read);
    public static readonly ToolDescriptor WriteTool = new("discord_send_message", "messages", ToolAccess.Write);
    public static readonly ToolDescriptor DestructiveTool = new("discord_delete_channel", "channels", ToolAccess.Destructive);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    public InMemoryPlatformStore Store { get; } = new();
    public InMemoryBotPermissionProbe Probe { get; } = new();
    public InMemoryAuditLog Audit { get; } = new();
    public InMemoryRateLimiter Limiter { get; }
    public InMemoryPendingActionStore Pending { get; }
    public string OperatorKey { get; private set; } = "";
    public string ViewerKey { get; private set; } = "";
    public string OtherKey { get; private set; } = "";

    private PolicyWorld()
    {
        Limiter = new InMemoryRateLimiter(Time);
        Pending = new InMemoryPendingActionStore(Time);
        SecretScan.Track("Policy.Tests audit", Audit.Snapshot);
    }

    public static async Task<PolicyWorld> CreateAsync()
    {
        var w = new PolicyWorld();
        var ct = CancellationToken.None;
        await w.Store.CreateWorkspaceAsync(new Workspace("acme", "Acme", w.Time.GetUtcNow()), ct);
        await w.Store.CreateWorkspaceAsync(new Workspace("other", "Other", w.Time.GetUtcNow()), ct);
        await w.Store.InstallGuildAsync(new GuildInstallation(Guild, "acme", w.Time.GetUtcNow()), ct);
        await w.Store.InstallGuildAsync(new GuildInstallation(OtherGuild, "other", w.Time.GetUtcNow()), ct);
        w.OperatorKey = await w.IssueKeyAsync("acme", PlatformRole.Operator);
        w.ViewerKey = await w.IssueKeyAsync("acme", PlatformRole.Viewer);
        w.OtherKey = await w.IssueKeyAsync("other", PlatformRole.Admin);

        var all = SendMessages | ManageWebhooks | ManageRoles | ViewChannel;
        w.Probe.AddGuild(Guild, all, botTopRolePosition: 10)
            .AddChannel(new ProbeChannel(Category, Guild, null, false, true, "ops"), all)
            .AddChannel(new ProbeChannel(General, Guild, Category, false, false, "general"), all)
            .AddChannel(new ProbeChannel(ThreadChannel, Guild, General, true, false, "a-thread"), all)
            .AddRole(Guild, 400, 5)
            .AddRole(Guild, 401, 10)
            .AddMember(Guild, 500, 3)
            .AddMember(Guild, 501, 12)
            .AddMember(Guild, 502, 1, isOwner: true)
            .AddMessage(Guild, General, 600)
            .AddWebhook(Guild, 700, General);
        w.Probe.AddGuild(OtherGuild, all, 10)
            .AddChannel(new ProbeChannel(OtherChannel, OtherGuild, null, false, false, "secret"), all)
            .AddRole(OtherGuild, 990, 1)
            .AddMessage(OtherGuild, OtherChannel, 991)
            .AddWebhook(OtherGuild, 992, OtherChannel);
        return w;
    }

    public async Task<string> IssueKeyAsync(string workspace, PlatformRole role, IReadOnlyList<string>? scopes = null, DateTimeOffset? expires = null)
    {
        var key = ApiKeys.Generate();
        var principal = "key:" + key.LookupId;
        var ct = CancellationToken.None;
        await Store.UpsertPrincipalAsync(new Principal(principal, PrincipalKind.ApiClient, principal), ct);
        await Store.SetMembershipAsync(new WorkspaceMembership(workspace, principal, role), ct);
        await Store.CreateApiKeyAsync(new ApiKeyRecord(key.LookupId, workspace, principal, role, key.LookupId, key.SecretHash, Time.GetUtcNow(), expires, null, null, scopes), ct);
        return key.Key;
    }

    public PolicyPipeline Pipeline(PolicyOptions? options = null, IAuditLog? audit = null) =>
        new(Store, Probe, Limiter, Pending, audit ?? Audit, Time, options);

    public static PolicyContext Context(PolicyRequest request) => new(request, "call-1");

    public static PolicyRequest Request(string key, ToolDescriptor tool, ulong? guild = Guild, ulong? channel = General, string args = "{\"content\":\"hi\"}") => new()
    {
        Credential = new ApiKeyCredential(key),
        Tool = tool,
        GuildId = guild,
        ChannelId = channel,
        RequiredBotPermissions = tool.IsWrite ? SendMessages : ViewChannel,
        CanonicalArguments = args,
    };

    /// <summary>A context as it is when the layers before layer N have passed (authenticated operator in acme).</summary>
    public static PolicyContext Authorised(PolicyRequest request, PlatformRole role = PlatformRole.Operator, Workspace? workspace = null)
    {
        var c = new PolicyContext(request, "call-1")
        {
            PrincipalId = "key:test",
            PrincipalKind = PrincipalKind.ApiClient,
            WorkspaceId = "acme",
            Role = role,
            Workspace = workspace ?? new Workspace("acme", "Acme", DateTimeOffset.UnixEpoch),
        };
        return c;
    }
}
