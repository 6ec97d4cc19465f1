using System.Globalization;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Sandbox.Gateway;

namespace DiscordMcp.Sandbox.State;

/// <summary>
/// The emulated Discord's data: users, guilds, channels (incl. threads and forum tags), messages, reactions,
/// pins, roles, members, bans, webhooks, invites, scheduled events, audit log, application commands and
/// interactions. Thread-safe: every operation runs under one lock, and gateway dispatches are delivered to
/// subscribers under that lock, so they arrive in the order the mutations happened (handlers must be quick
/// and must not block; they may read the state re-entrantly).
/// Operations named <c>...Api</c> take Discord request bodies and are what the REST layer calls; the
/// convenience methods (<see cref="AddGuild"/>, <see cref="PostMessageAsUser"/>, <see cref="SimulateSlashCommand"/>,
/// ...) are for tests and demos.
/// </summary>
public sealed partial class SandboxState : ISandboxGatewayData
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly List<Action<SandboxDispatch>> _subscribers = [];
    private readonly Dictionary<string, JsonObject> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GuildData> _guilds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelData> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _webhooks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _invites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _globalCommands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InteractionData> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _interactionsByToken = new(StringComparer.Ordinal);
    private long _lastIdMs;
    private int _idCounter;

    public SandboxState(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = options.TimeProvider;
        _random = new Random(options.RandomSeed);
        _users[BotUserId] = NewUser(BotUserId, DemoGuild.BotName, bot: true);
        if (options.SeedDemoGuild)
            DemoSeed.Apply(this);
    }

    public SandboxOptions Options { get; }

    /// <summary>The application id; equal to the bot's user id, as for Discord bots.</summary>
    public string ApplicationId => DemoGuild.BotUserId;

    /// <summary>The bot's user id.</summary>
    public static string BotUserId => DemoGuild.BotUserId;

    internal Lock Gate => _gate;

    internal DateTimeOffset Now => _time.GetUtcNow();

    private static Actor Bot => new(DemoGuild.BotUserId, true);

    // ---------------------------------------------------------------- ids, tokens, time

    /// <summary>A new snowflake from the clock (never below the seed's base time) and a counter; 17-19 digits, increasing.</summary>
    internal string NextId()
    {
        lock (_gate)
        {
            var floor = DemoGuild.BaseTime.ToUnixTimeMilliseconds() - Snowflake.DiscordEpochMilliseconds;
            var ms = Math.Max(Now.ToUnixTimeMilliseconds() - Snowflake.DiscordEpochMilliseconds, floor);
            if (ms <= _lastIdMs)
            {
                ms = _lastIdMs;
                _idCounter++;
                if (_idCounter > 0xFFF)
                {
                    ms++;
                    _idCounter = 0;
                }
            }
            else
            {
                _idCounter = 0;
            }
            _lastIdMs = ms;
            return (((ulong)ms << 22) | (2UL << 17) | (uint)_idCounter).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Every webhook and interaction token issued so far, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate)
                return [.. _issuedTokens];
        }
    }

    private readonly List<string> _issuedTokens = [];
    private static readonly Lock IssuedTokensFileGate = new();

    /// <summary>A new secret token handed to a client: remembered, and appended to <see cref="SandboxOptions.IssuedTokensFile"/> if set.</summary>
    internal string IssueToken(string prefix, int length)
    {
        var token = prefix + NewToken(length);
        lock (_gate)
            _issuedTokens.Add(token);
        if (Options.IssuedTokensFile is { } path)
        {
            // Several sandboxes (and processes) may share the file; one short append per token.
            lock (IssuedTokensFileGate)
                File.AppendAllText(path, token + "\n");
        }
        return token;
    }

    internal string NewToken(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        lock (_gate)
        {
            var chars = new char[length];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = alphabet[_random.Next(alphabet.Length)];
            return new string(chars);
        }
    }

    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    internal static string IsoFromId(string id) => Iso(new Snowflake(ulong.Parse(id, CultureInfo.InvariantCulture)).CreatedAt);

    internal static ulong IdValue(string id) => ulong.Parse(id, CultureInfo.InvariantCulture);

    internal static Snowflake Sf(string id) => new(IdValue(id));

    // ---------------------------------------------------------------- dispatch

    public IDisposable Subscribe(Action<SandboxDispatch> onDispatch)
    {
        ArgumentNullException.ThrowIfNull(onDispatch);
        lock (_gate)
            _subscribers.Add(onDispatch);
        return new Subscription(this, onDispatch);
    }

    internal void Publish(string eventName, string? guildId, JsonObject data)
    {
        lock (_gate)
        {
            if (_subscribers.Count == 0)
                return;
            var dispatch = new SandboxDispatch(eventName, guildId, data);
            // Subscribers share one payload and must not mutate it.
            foreach (var subscriber in _subscribers.ToArray())
                subscriber(dispatch);
        }
    }

    private sealed class Subscription(SandboxState state, Action<SandboxDispatch> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (state._gate)
                state._subscribers.Remove(handler);
        }
    }

    // ---------------------------------------------------------------- audit log

    internal JsonObject AddAudit(GuildData guild, Actor actor, int actionType, string? targetId, JsonArray? changes = null, JsonObject? options = null, string? reason = null, string? id = null)
    {
        var entry = new JsonObject
        {
            ["id"] = id ?? NextId(),
            ["user_id"] = actor.UserId,
            ["target_id"] = targetId,
            ["action_type"] = actionType,
        };
        if (changes is { Count: > 0 })
            entry["changes"] = changes;
        if (options is not null)
            entry["options"] = options;
        if (!string.IsNullOrEmpty(reason))
            entry["reason"] = reason;
        guild.Audit.Add(entry);
        var d = (JsonObject)entry.DeepClone();
        d["guild_id"] = guild.Id;
        Publish("GUILD_AUDIT_LOG_ENTRY_CREATE", guild.Id, d);
        return entry;
    }

    internal static JsonObject Change(string key, JsonNode? oldValue, JsonNode? newValue)
    {
        var change = new JsonObject { ["key"] = key };
        if (oldValue is not null)
            change["old_value"] = oldValue.DeepClone();
        if (newValue is not null)
            change["new_value"] = newValue.DeepClone();
        return change;
    }

    /// <summary>Changes for the keys of <paramref name="after"/> that differ from <paramref name="before"/>.</summary>
    internal static JsonArray Diff(JsonObject before, JsonObject after, params string[] keys)
    {
        var changes = new JsonArray();
        foreach (var key in keys)
        {
            var oldValue = before[key];
            var newValue = after[key];
            if (!JsonNode.DeepEquals(oldValue, newValue))
                changes.Add(Change(key, oldValue, newValue));
        }
        return changes;
    }

    // ---------------------------------------------------------------- lookups

    internal GuildData GuildOrThrow(string guildId) =>
        _guilds.TryGetValue(guildId, out var g) ? g : throw SandboxApiException.NotFound(10004, "Guild");

    internal ChannelData ChannelOrThrow(string channelId) =>
        _channels.TryGetValue(channelId, out var c) ? c : throw SandboxApiException.NotFound(10003, "Channel");

    internal JsonObject UserOrThrow(string userId) =>
        _users.TryGetValue(userId, out var u) ? u : throw SandboxApiException.NotFound(10013, "User");

    internal static JsonObject MemberOrThrow(GuildData guild, string userId) =>
        guild.Members.TryGetValue(userId, out var m) ? m : throw SandboxApiException.NotFound(10007, "Member");

    internal static JsonObject RoleOrThrow(GuildData guild, string roleId) =>
        guild.Roles.TryGetValue(roleId, out var r) ? r : throw SandboxApiException.NotFound(10011, "Role");

    internal static MessageData MessageOrThrow(ChannelData channel, string messageId) =>
        ulong.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var key) && channel.Messages.TryGetValue(key, out var m)
            ? m
            : throw SandboxApiException.NotFound(10008, "Message");

    internal GuildData GuildOfChannel(ChannelData channel) =>
        channel.GuildId is { } gid ? GuildOrThrow(gid) : throw SandboxApiException.MissingAccess();

    // ---------------------------------------------------------------- permissions

    internal static DiscordPermissions ParsePerms(string? value) =>
        DiscordPermissionSet.TryParse(value, out var p) ? p : DiscordPermissions.None;

    internal static PermissionGuild PermGuild(GuildData guild)
    {
        var roles = new Dictionary<Snowflake, PermissionRole>();
        foreach (var (id, role) in guild.Roles)
        {
            var perms = ParsePerms((string?)role["permissions"]);
            roles[Sf(id)] = new PermissionRole(Sf(id), (int)role["position"]!, perms);
        }
        return new PermissionGuild(Sf(guild.Id), Sf(guild.OwnerId), roles);
    }

    internal static PermissionMember PermMember(GuildData guild, string userId)
    {
        if (!guild.Members.TryGetValue(userId, out var member))
            return new PermissionMember(Sf(userId), []);
        var roles = member["roles"]!.AsArray().Select(r => Sf((string)r!)).ToList();
        DateTimeOffset? until = member["communication_disabled_until"] is JsonValue v && v.TryGetValue<string>(out var s)
            ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)
            : null;
        return new PermissionMember(Sf(userId), roles, until);
    }

    internal DiscordPermissions BasePermissions(GuildData guild, string userId) =>
        guild.Members.ContainsKey(userId) ? PermissionCalculator.ComputeBase(PermGuild(guild), PermMember(guild, userId), Now) : DiscordPermissions.None;

    internal DiscordPermissions ChannelPermissions(ChannelData channel, string userId)
    {
        if (channel.GuildId is null)
            return DiscordPermissionSet.All;
        var guild = GuildOrThrow(channel.GuildId);
        if (!guild.Members.ContainsKey(userId))
            return DiscordPermissions.None;
        var source = channel;
        var kind = channel.Type is 2 or 13 ? PermissionChannelKind.Voice : PermissionChannelKind.Text;
        if (channel.IsThread && channel.ParentId is { } parent && _channels.TryGetValue(parent, out var parentChannel))
        {
            source = parentChannel;
            kind = PermissionChannelKind.Thread;
        }
        var overwrites = new List<PermissionOverwrite>();
        if (source.Channel["permission_overwrites"] is JsonArray list)
        {
            foreach (var o in list.OfType<JsonObject>())
            {
                var allow = ParsePerms((string?)o["allow"]);
                var deny = ParsePerms((string?)o["deny"]);
                overwrites.Add(new PermissionOverwrite(Sf((string)o["id"]!), (OverwriteType)(int)o["type"]!, allow, deny));
            }
        }
        return PermissionCalculator.ComputeChannel(PermGuild(guild), PermMember(guild, userId), overwrites, kind, Now);
    }

    /// <summary>The actor must see the channel (50001) and hold <paramref name="needed"/> in it (50013).</summary>
    internal void RequireChannel(Actor actor, ChannelData channel, DiscordPermissions needed)
    {
        if (!actor.Enforce)
            return;
        var perms = ChannelPermissions(channel, actor.UserId);
        if ((perms & DiscordPermissions.ViewChannel) == 0)
            throw SandboxApiException.MissingAccess();
        if ((perms & needed) != needed)
            throw SandboxApiException.MissingPermissions();
    }

    internal void RequireGuild(Actor actor, GuildData guild, DiscordPermissions needed)
    {
        if (!actor.Enforce)
            return;
        if (!guild.Members.ContainsKey(actor.UserId))
            throw SandboxApiException.MissingAccess();
        if ((BasePermissions(guild, actor.UserId) & needed) != needed)
            throw SandboxApiException.MissingPermissions();
    }

    /// <summary>Role hierarchy: the actor may edit/assign <paramref name="role"/> only when it sits below the actor's highest role.</summary>
    internal void RequireRoleBelow(Actor actor, GuildData guild, JsonObject role)
    {
        if (!actor.Enforce)
            return;
        var pg = PermGuild(guild);
        var pr = pg.Roles[Sf((string)role["id"]!)];
        if (!PermissionCalculator.CanManageRole(pg, PermMember(guild, actor.UserId), pr, Now).IsAllowed)
            throw SandboxApiException.MissingPermissions();
    }

    internal void RequireCanGrant(Actor actor, GuildData guild, DiscordPermissions requested)
    {
        if (!actor.Enforce)
            return;
        if (PermissionCalculator.MissingToGrant(PermGuild(guild), PermMember(guild, actor.UserId), requested, Now) != DiscordPermissions.None)
            throw SandboxApiException.MissingPermissions();
    }

    internal void RequireModerate(Actor actor, GuildData guild, string targetUserId, ModerationAction action)
    {
        if (!actor.Enforce)
            return;
        var decision = PermissionCalculator.CanModerate(PermGuild(guild), PermMember(guild, actor.UserId), PermMember(guild, targetUserId), action, Now);
        if (!decision.IsAllowed)
            throw SandboxApiException.MissingPermissions();
    }

    // ---------------------------------------------------------------- JSON shapes

    internal static JsonObject NewUser(string id, string username, bool bot = false, string? globalName = null)
    {
        var user = new JsonObject
        {
            ["id"] = id,
            ["username"] = username,
            ["avatar"] = null,
            ["discriminator"] = "0",
            ["public_flags"] = 0,
            ["flags"] = 0,
            ["global_name"] = bot ? null : globalName ?? username,
            ["primary_guild"] = null,
        };
        if (bot)
            user["bot"] = true;
        return user;
    }

    internal JsonObject UserJson(string userId) =>
        _users.TryGetValue(userId, out var u) ? (JsonObject)u.DeepClone() : NewUser(userId, "unknown-user");

    internal JsonObject MemberJson(GuildData guild, string userId, bool withUser = true)
    {
        var member = (JsonObject)MemberOrThrow(guild, userId).DeepClone();
        if (withUser)
            member["user"] = UserJson(userId);
        return member;
    }

    internal static JsonObject RoleJson(JsonObject role) => (JsonObject)role.DeepClone();

    internal static JsonArray RolesJson(GuildData guild) =>
        new(guild.Roles.Values.OrderBy(r => (int)r["position"]!).ThenBy(r => IdValue((string)r["id"]!)).Select(r => (JsonNode)RoleJson(r)).ToArray());

    internal static JsonObject GuildJson(GuildData guild, bool withCounts = false)
    {
        var g = (JsonObject)guild.Guild.DeepClone();
        g["roles"] = RolesJson(guild);
        if (withCounts)
        {
            g["approximate_member_count"] = guild.Members.Count;
            g["approximate_presence_count"] = 0;
        }
        return g;
    }

    internal static JsonObject ChannelJson(ChannelData channel) => (JsonObject)channel.Channel.DeepClone();

    internal static JsonObject MessageJson(MessageData message, string? viewerId = null)
    {
        var m = (JsonObject)message.Message.DeepClone();
        if (message.Reactions.Count > 0)
        {
            var me = viewerId ?? BotUserId;
            m["reactions"] = new JsonArray(message.Reactions.Select(r => (JsonNode)new JsonObject
            {
                ["emoji"] = r.Emoji.DeepClone(),
                ["count"] = r.Users.Count,
                ["count_details"] = new JsonObject { ["burst"] = 0, ["normal"] = r.Users.Count },
                ["burst_colors"] = new JsonArray(),
                ["me_burst"] = false,
                ["me"] = r.Users.Contains(me),
            }).ToArray());
        }
        return m;
    }

    // ---------------------------------------------------------------- ISandboxGatewayData

    public JsonObject BotUser()
    {
        lock (_gate)
            return UserJson(BotUserId);
    }

    public IReadOnlyList<string> BotGuildIds()
    {
        lock (_gate)
            return [.. _guilds.Values.Where(g => g.Members.ContainsKey(BotUserId)).Select(g => g.Id)];
    }

    public JsonObject BuildGuildCreate(string guildId)
    {
        lock (_gate)
        {
            var guild = _guilds.TryGetValue(guildId, out var g) ? g : throw new KeyNotFoundException($"Unknown guild {guildId}.");
            var d = GuildJson(guild);
            d["joined_at"] = guild.Members.TryGetValue(BotUserId, out var bot) ? bot["joined_at"]!.DeepClone() : Iso(Now);
            d["large"] = false;
            d["unavailable"] = false;
            d["member_count"] = guild.Members.Count;
            var channels = _channels.Values.Where(c => c.GuildId == guildId).ToList();
            d["channels"] = new JsonArray(channels.Where(c => !c.IsThread).Select(c => (JsonNode)ChannelJson(c)).ToArray());
            d["threads"] = new JsonArray(channels.Where(c => c.IsThread && !(bool)c.Channel["thread_metadata"]!["archived"]!).Select(c => (JsonNode)ChannelJson(c)).ToArray());
            d["members"] = new JsonArray(guild.Members.Keys.Select(u => (JsonNode)MemberJson(guild, u)).ToArray());
            d["voice_states"] = new JsonArray();
            d["presences"] = new JsonArray();
            d["stage_instances"] = new JsonArray();
            d["guild_scheduled_events"] = new JsonArray(guild.Events.Values.Select(e => e.DeepClone()).ToArray());
            d["soundboard_sounds"] = new JsonArray();
            return d;
        }
    }

    public IReadOnlyList<JsonObject> QueryMembers(string guildId, string? query, IReadOnlyList<string>? userIds, int limit)
    {
        lock (_gate)
        {
            if (!_guilds.TryGetValue(guildId, out var guild))
                return [];
            IEnumerable<string> ids = guild.Members.Keys;
            if (userIds is not null)
                ids = ids.Where(userIds.Contains);
            else if (!string.IsNullOrEmpty(query))
                ids = ids.Where(id => MatchesQuery(guild, id, query));
            if (limit > 0)
                ids = ids.Take(limit);
            return [.. ids.Select(id => MemberJson(guild, id))];
        }
    }

    private bool MatchesQuery(GuildData guild, string userId, string query)
    {
        var user = _users[userId];
        var nick = (string?)guild.Members[userId]["nick"];
        return ((string?)user["username"])?.StartsWith(query, StringComparison.OrdinalIgnoreCase) == true
            || ((string?)user["global_name"])?.StartsWith(query, StringComparison.OrdinalIgnoreCase) == true
            || nick?.StartsWith(query, StringComparison.OrdinalIgnoreCase) == true;
    }
}
