using System.Globalization;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Discord;

/// <summary>
/// Intent-level read operations over <see cref="DiscordRestClient"/>: resolves names, checks arguments before any
/// Discord call, formats results, and translates every client error once (<see cref="DiscordErrors"/>).
/// </summary>
public sealed class DiscordReadService
{
    public const int DefaultMessageLimit = 50;
    public const int MaxMessageLimit = 100;
    public const int MaxMemberPage = 1000;
    public const int MaxAuditLimit = 100;

    private readonly DiscordRestClient _client;
    private readonly IGuildScope _scope;
    private readonly TimeProvider _time;
    private readonly GuildContextCache<GuildContext> _contexts;
    private Snowflake? _botId;

    public DiscordReadService(DiscordRestClient client, IGuildScope scope, TimeProvider time)
    {
        _client = client;
        _scope = scope;
        _time = time;
        _contexts = new GuildContextCache<GuildContext>(time);
    }

    /// <summary>How long a guild's channels, roles and the bot's membership are reused between tool calls.</summary>
    public static TimeSpan GuildContextLifetime => GuildContextCache<GuildContext>.Lifetime;

    /// <summary>Forget what is cached about a guild (write operations call this after changing it).</summary>
    public void InvalidateGuild(Snowflake guildId) => _contexts.Invalidate(guildId);

    public IGuildScope Scope => _scope;

    /// <summary>The REST client, for the write tools' operations (which call it through <see cref="CallAsync{T}"/>).</summary>
    public DiscordRestClient Client => _client;

    /// <summary>The clock the service reads "now" from.</summary>
    public TimeProvider Time => _time;

    private static readonly AsyncLocal<CachedPlanningScope?> CachedPlanning = new();

    /// <summary>One <see cref="PlanFromCacheAsync{T}"/> call: whether any guild context it read came from the cache.</summary>
    private sealed class CachedPlanningScope
    {
        public volatile bool UsedCache;
    }

    /// <summary>
    /// The guild's context for a write's plan: read from Discord now, so a plan that may execute (a confirmation, a direct
    /// run) sees the current state; inside <see cref="PlanFromCacheAsync{T}"/> (a dry run, which the confirmation plans
    /// again) the short-lived cache may answer.
    /// </summary>
    public async Task<GuildContext> LoadFreshGuildAsync(string? guild, CancellationToken ct)
    {
        var id = await _scope.ResolveGuildAsync(guild, ct);
        if (CachedPlanning.Value is not { } planning)
            _contexts.Invalidate(id);
        else if (_contexts.IsCached(id))
            planning.UsedCache = true;
        return await _contexts.GetAsync(id, () => FetchGuildAsync(id), ct);
    }

    /// <summary>Runs <paramref name="plan"/> with <see cref="LoadFreshGuildAsync"/> allowed to use the cache (<see cref="GuildContextLifetime"/>).</summary>
    public static async Task<T> PlanFromCacheAsync<T>(Func<Task<T>> plan) => (await PlanFromCacheTrackedAsync(plan)).Value;

    /// <summary>
    /// Like <see cref="PlanFromCacheAsync{T}"/>, and says whether the plan used a cached guild context (<c>false</c>: every
    /// context it read was loaded from Discord during the call, so the plan is as fresh as a plan outside the cache).
    /// </summary>
    public static async Task<(T Value, bool UsedCache)> PlanFromCacheTrackedAsync<T>(Func<Task<T>> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var previous = CachedPlanning.Value;
        var scope = new CachedPlanningScope();
        CachedPlanning.Value = scope;
        try
        {
            var value = await plan();
            return (value, scope.UsedCache);
        }
        finally
        {
            CachedPlanning.Value = previous;
        }
    }

    /// <summary>The bot's effective permissions in a channel of the guild (overwrites, implicit rules, time-out).</summary>
    public DiscordPermissions BotPermissionsIn(GuildContext ctx, DiscordChannel channel) => BotPerms(ctx, channel);

    /// <summary>The bot's guild-wide permissions (roles only).</summary>
    public DiscordPermissions BotGuildPermissions(GuildContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return PermissionCalculator.ComputeBase(PermissionExplainer.ToPermissionGuild(ctx.Guild), ToPermissionMember(ctx.Bot), _time.GetUtcNow());
    }

    // ---------- guilds ----------

    public async Task<GuildList> ListGuildsAsync(CancellationToken ct) =>
        new(await _scope.GetGuildsAsync(ct), UntrustedText.Notice);

    public async Task<GuildDetails> GetGuildAsync(string? guild, CancellationToken ct)
    {
        var id = await _scope.ResolveGuildAsync(guild, ct);
        var g = await Call(() => _client.GetGuildAsync(id, true, ct), "read the guild");
        var channels = await Call(() => _client.GetGuildChannelsAsync(id, ct), "list the guild's channels");
        return new GuildDetails(g.Id.ToString(), UntrustedText.Inline(g.Name), g.Description is null ? null : UntrustedText.Sanitize(g.Description),
            g.OwnerId.ToString(), g.ApproximateMemberCount, g.ApproximatePresenceCount, g.Roles.Count, channels.Count,
            g.SystemChannelId?.ToString(), g.Features, UntrustedText.Notice);
    }

    // ---------- channels ----------

    public async Task<ChannelList> ListChannelsAsync(string? guild, CancellationToken ct)
    {
        var ctx = await LoadGuildAsync(guild, ct);
        var views = ctx.Channels.Where(c => c.Type != ChannelType.GuildCategory).Select(c => View(ctx, c)).ToList();
        var groups = new List<ChannelGroup>();
        var uncategorised = views.Where(v => v.CategoryId is null || ctx.Channels.All(c => c.Id.ToString() != v.CategoryId)).OrderBy(v => v.Position).ToList();
        if (uncategorised.Count > 0)
            groups.Add(new ChannelGroup(null, "(no category)", true, uncategorised));
        foreach (var cat in ctx.Channels.Where(c => c.Type == ChannelType.GuildCategory).OrderBy(c => c.Position ?? 0))
        {
            var inside = views.Where(v => v.CategoryId == cat.Id.ToString()).OrderBy(v => v.Position).ToList();
            groups.Add(new ChannelGroup(cat.Id.ToString(), UntrustedText.Inline(cat.Name), BotPerms(ctx, cat).HasFlag(DiscordPermissions.ViewChannel), inside));
        }
        return new ChannelList(ctx.Guild.Id.ToString(), views.Count, views.Count(v => !v.BotCanView), groups, UntrustedText.Notice);
    }

    public async Task<ChannelDetails> GetChannelAsync(string? guild, string channel, CancellationToken ct)
    {
        var (ctx, c) = await ResolveChannelAsync(guild, channel, "channel", ct);
        var parent = c.ParentId is { } p ? ctx.Channels.FirstOrDefault(x => x.Id == p) : null;
        return new ChannelDetails(View(ctx, c), ctx.Guild.Id.ToString(), parent is null ? null : UntrustedText.Inline(parent.Name),
            c.RateLimitPerUser, c.LastMessageId?.ToString(), BotPerms(ctx, c).ToNames(), c.PermissionOverwrites?.Count ?? 0, UntrustedText.Notice);
    }

    // ---------- messages ----------

    public async Task<MessageList> ListMessagesAsync(string? guild, string channel, int? limit, string? before, string? after, string? around, CancellationToken ct)
    {
        var take = limit ?? DefaultMessageLimit;
        if (take is < 1 or > MaxMessageLimit)
            throw DiscordServiceException.Invalid("limit", $"limit must be between 1 and {MaxMessageLimit} (default {DefaultMessageLimit}); got {take}.");
        var given = (before is null ? 0 : 1) + (after is null ? 0 : 1) + (around is null ? 0 : 1);
        if (given > 1)
            throw DiscordServiceException.Invalid("before", "Give at most one of before, after and around.");
        var query = new ListMessagesQuery
        {
            Limit = take,
            Before = Cursor(before, "before"),
            After = Cursor(after, "after"),
            Around = Cursor(around, "around"),
        };
        var (ctx, c) = await ResolveChannelAsync(guild, channel, "channel", ct);
        var messages = await CallWith(ctx, () => _client.GetMessagesAsync(c.Id, query, ct), $"read messages in #{UntrustedText.Inline(c.Name)}");
        // Discord returns newest first; a transcript reads oldest first.
        var views = messages.OrderBy(m => m.Id).Select(m => Transcript.View(m)).ToList();
        return new MessageList(ctx.Guild.Id.ToString(), c.Id.ToString(), UntrustedText.Inline(c.Name), views.Count, views, UntrustedText.Notice);
    }

    public async Task<MessageDetails> GetMessageAsync(string? guild, string channel, string message, CancellationToken ct)
    {
        var messageId = Id(message, "message_id", "message");
        var (ctx, c) = await ResolveChannelAsync(guild, channel, "channel", ct);
        var m = await CallWith(ctx, () => _client.GetMessageAsync(c.Id, messageId, ct), $"read message {messageId} in #{UntrustedText.Inline(c.Name)}");
        return new MessageDetails(ctx.Guild.Id.ToString(), UntrustedText.Inline(c.Name), Transcript.View(m), UntrustedText.Notice);
    }

    // ---------- roles and members ----------

    public async Task<RoleList> ListRolesAsync(string? guild, CancellationToken ct)
    {
        var id = await _scope.ResolveGuildAsync(guild, ct);
        var g = await Call(() => _client.GetGuildAsync(id, false, ct), "read the guild's roles");
        return new RoleList(g.Id.ToString(), g.Roles.OrderByDescending(r => r.Position).Select(r => RoleView(g, r)).ToList(), UntrustedText.Notice);
    }

    public async Task<MemberDetails> GetMemberAsync(string? guild, string user, CancellationToken ct)
    {
        var id = await _scope.ResolveGuildAsync(guild, ct);
        var g = await Call(() => _client.GetGuildAsync(id, false, ct), "read the guild");
        var member = await ResolveMemberAsync(g.Id, user, "user", ct);
        var pm = ToPermissionMember(member);
        var pg = PermissionExplainer.ToPermissionGuild(g);
        var top = PermissionCalculator.HighestRole(pg, pm);
        var topName = top.Id == g.Id ? "@everyone" : UntrustedText.Inline(g.Roles.FirstOrDefault(r => r.Id == top.Id)?.Name);
        return new MemberDetails(g.Id.ToString(), MemberView(g, member), topName,
            PermissionCalculator.ComputeBase(pg, pm, _time.GetUtcNow()).ToNames(), member.User?.Id == g.OwnerId, UntrustedText.Notice);
    }

    public async Task<MemberPage> ListMembersAsync(string? guild, int? limit, string? after, CancellationToken ct)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxMemberPage)
            throw DiscordServiceException.Invalid("limit", $"limit must be between 1 and {MaxMemberPage} (default 100); got {take}.");
        Snowflake? cursor = after is null ? null : Id(after, "after", "user");
        var id = await _scope.ResolveGuildAsync(guild, ct);
        var g = await Call(() => _client.GetGuildAsync(id, false, ct), "read the guild");
        var members = await Call(() => _client.ListMembersAsync(id, take, cursor, ct), "list members (needs the Server Members intent)");
        var views = members.Where(m => m.User is not null).Select(m => MemberView(g, m)).ToList();
        var next = members.Count == take && members[^1].User is { } last ? last.Id.ToString() : null;
        return new MemberPage(g.Id.ToString(), views, next, UntrustedText.Notice);
    }

    public async Task<MemberPage> SearchMembersAsync(string? guild, string query, int? limit, CancellationToken ct)
    {
        var text = StripMention(query ?? "");
        if (text.Length is 0 or > 100)
            throw DiscordServiceException.Invalid("query", "query must be 1 to 100 characters of a name (username, display name or nickname).");
        var take = limit ?? 25;
        if (take is < 1 or > MaxMemberPage)
            throw DiscordServiceException.Invalid("limit", $"limit must be between 1 and {MaxMemberPage} (default 25); got {take}.");
        var id = await _scope.ResolveGuildAsync(guild, ct);
        var g = await Call(() => _client.GetGuildAsync(id, false, ct), "read the guild");
        var found = await Call(() => _client.SearchMembersAsync(id, text, take, ct), "search members");
        var views = found.Where(m => m.User is not null).Select(m => MemberView(g, m)).ToList();
        if (views.Count < take)
        {
            // Discord's search matches prefixes of username and nickname only; also match display names and inner fragments.
            var all = await Call(() => _client.ListMembersAsync(id, MaxMemberPage, null, ct), "list members (needs the Server Members intent)");
            foreach (var m in all.Where(m => m.User is not null && Names(m).Any(n => n.Contains(text, StringComparison.OrdinalIgnoreCase))))
            {
                if (views.Count >= take)
                    break;
                if (views.All(v => v.UserId != m.User!.Id.ToString()))
                    views.Add(MemberView(g, m));
            }
        }
        return new MemberPage(g.Id.ToString(), views, null, UntrustedText.Notice);
    }

    // ---------- audit log ----------

    public async Task<AuditLogResult> GetAuditLogAsync(string? guild, string? user, string? actionType, string? category, int? limit, string? before, CancellationToken ct)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxAuditLimit)
            throw DiscordServiceException.Invalid("limit", $"limit must be between 1 and {MaxAuditLimit} (default 50); got {take}.");
        AuditLogEvent? action = null;
        if (!string.IsNullOrWhiteSpace(actionType))
        {
            if (!AuditLogFormatter.TryParseAction(actionType, out var a))
                throw DiscordServiceException.Invalid("action_type", $"action_type \"{UntrustedText.Inline(actionType)}\" is unknown; use a name such as role_create, member_ban_add, channel_update, or Discord's number.");
            action = a;
        }
        IReadOnlySet<AuditLogEvent>? categorySet = null;
        if (!string.IsNullOrWhiteSpace(category) && !AuditLogFormatter.Categories.TryGetValue(category.Trim(), out categorySet))
            throw DiscordServiceException.Invalid("category", $"category must be one of: {string.Join(", ", AuditLogFormatter.Categories.Keys)}.");
        var beforeId = Cursor(before, "before");

        var ctx = await LoadGuildAsync(guild, ct);
        Snowflake? userId = null;
        if (!string.IsNullOrWhiteSpace(user))
            userId = (await ResolveMemberOrIdAsync(ctx.Guild.Id, user, "user", ct));
        var query = new AuditLogQuery
        {
            UserId = userId,
            ActionType = action,
            Before = beforeId,
            // A category spans several action types, so fetch a full page and filter here.
            Limit = categorySet is null ? take : MaxAuditLimit,
        };
        var log = await CallWith(ctx, () => _client.GetAuditLogAsync(ctx.Guild.Id, query, ct), "read the audit log (needs VIEW_AUDIT_LOG)");
        var names = new AuditLogFormatter.Names(
            log.Users.GroupBy(u => u.Id).ToDictionary(x => x.Key, x => x.First()),
            ctx.Guild.Roles.ToDictionary(r => r.Id, r => r.Name),
            ctx.Channels.Concat(log.Threads).GroupBy(c => c.Id).ToDictionary(x => x.Key, x => x.First().Name ?? ""));
        var lines = log.AuditLogEntries
            .Where(e => categorySet is null || categorySet.Contains(e.ActionType))
            .OrderByDescending(e => e.Id).Take(take)
            .Select(e => AuditLogFormatter.Format(e, names)).ToList();
        return new AuditLogResult(ctx.Guild.Id.ToString(), lines, UntrustedText.Notice);
    }

    // ---------- permissions ----------

    public async Task<PermissionExplanation> ExplainPermissionsAsync(string? guild, string channel, string permission, string? member, CancellationToken ct)
    {
        if (!PermissionExplainer.TryParse(permission, out var flag))
            throw DiscordServiceException.Invalid("permission",
                $"permission \"{UntrustedText.Inline(permission)}\" is unknown; use a Discord permission name such as VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, or an action word (read, send, pin, kick, ban, timeout).");
        var (ctx, c) = await ResolveChannelAsync(guild, channel, "channel", ct);
        GuildMember subject;
        bool isBot;
        if (string.IsNullOrWhiteSpace(member))
        {
            subject = ctx.Bot;
            isBot = true;
        }
        else
        {
            subject = await ResolveMemberAsync(ctx.Guild.Id, member, "member", ct);
            isBot = subject.User?.Id == ctx.Bot.User?.Id;
        }
        var pm = ToPermissionMember(subject);
        var overwrites = OverwritesFor(ctx, c);
        var name = isBot ? "The bot" : "@" + DisplayName(subject);
        var (allowed, layers, summary) = PermissionExplainer.Explain(ctx.Guild, pm, name, overwrites, PermissionExplainer.KindOf(c.Type), flag, _time.GetUtcNow());
        return new PermissionExplanation(ctx.Guild.Id.ToString(), pm.UserId.ToString(), name, isBot, c.Id.ToString(), UntrustedText.Inline(c.Name),
            DiscordPermissionSet.Name(flag), allowed, layers, summary, UntrustedText.Notice);
    }

    // ---------- resolution ----------

    /// <summary>Guild, its channels and the bot's member record: what channel resolution and permission checks need.</summary>
    public sealed record GuildContext(DiscordGuild Guild, IReadOnlyList<DiscordChannel> Channels, GuildMember Bot);

    /// <remarks>Served from a short-lived cache (<see cref="GuildContextLifetime"/>); the three REST calls run at most once
    /// per guild per lifetime, however many tool calls arrive.</remarks>
    public async Task<GuildContext> LoadGuildAsync(string? guild, CancellationToken ct)
    {
        var id = await _scope.ResolveGuildAsync(guild, ct);
        return await _contexts.GetAsync(id, () => FetchGuildAsync(id), ct);
    }

    /// <summary>The guild's context from Discord. Shared by concurrent callers, so it does not take one caller's token;
    /// the REST client's request timeout bounds it.</summary>
    private async Task<GuildContext> FetchGuildAsync(Snowflake id)
    {
        var botId = _botId ??= (await Call(() => _client.GetCurrentUserAsync(CancellationToken.None), "identify the bot")).Id;
        // Three independent reads (different rate-limit buckets): in parallel, so a fresh context costs one round trip.
        var guild = Call(() => _client.GetGuildAsync(id, false, CancellationToken.None), "read the guild");
        var channels = Call(() => _client.GetGuildChannelsAsync(id, CancellationToken.None), "list the guild's channels");
        var bot = Call(() => _client.GetMemberAsync(id, botId, CancellationToken.None), "read the bot's own membership");
        await Task.WhenAll(guild, channels, bot);
        return new GuildContext(await guild, await channels, await bot);
    }

    /// <summary>A channel from the guild's (possibly cached) context; a miss reloads the context once, so a channel created
    /// moments ago is found.</summary>
    private async Task<(GuildContext Context, DiscordChannel Channel)> ResolveChannelAsync(string? guild, string? channel, string argument, CancellationToken ct)
    {
        var ctx = await LoadGuildAsync(guild, ct);
        try
        {
            return (ctx, ResolveChannel(ctx, channel, argument));
        }
        catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
        {
            _contexts.Invalidate(ctx.Guild.Id);
            ctx = await LoadGuildAsync(guild, ct);
            return (ctx, ResolveChannel(ctx, channel, argument));
        }
    }

    /// <summary>A call that relied on the cached context: when Discord says not found or forbidden, the context is stale.</summary>
    private async Task<T> CallWith<T>(GuildContext ctx, Func<Task<T>> call, string what)
    {
        try
        {
            return await Call(call, what);
        }
        catch (DiscordServiceException e) when (e.Kind is DiscordErrorKind.NotFound or DiscordErrorKind.Forbidden)
        {
            _contexts.Invalidate(ctx.Guild.Id);
            throw;
        }
    }

    /// <summary>Channel by <c>#name</c>, <c>name</c>, <c>&lt;#id&gt;</c> or id. Threads are not listed by the guild endpoint and need an id.</summary>
    public static DiscordChannel ResolveChannel(GuildContext ctx, string? channel, string argument)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var text = (channel ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid(argument, $"{argument} is required: a channel name (#support or support), a mention <#id>, or an id.");
        if (text.StartsWith("<#", StringComparison.Ordinal) && text.EndsWith('>'))
            text = text[2..^1];
        if (Snowflake.TryParse(text, out var id))
        {
            return ctx.Channels.FirstOrDefault(c => c.Id == id)
                ?? throw new DiscordServiceException(DiscordErrorKind.NotFound, $"{argument}: no channel with id {id} in this guild.", argument);
        }
        var name = text.TrimStart('#');
        if (name.Length == 0)
            throw DiscordServiceException.Invalid(argument, $"{argument}: \"#\" alone is not a channel name.");
        return NameMatcher.Resolve(argument, "channel", name, ctx.Channels
            .Select(c => new NameCandidate<DiscordChannel>(c.Id.ToString(), (c.Type == ChannelType.GuildCategory ? "category " : "#") + (c.Name ?? ""), [c.Name ?? ""], c))
            .ToList());
    }

    /// <summary>Role by name, <c>@name</c>, <c>&lt;@&amp;id&gt;</c> or id.</summary>
    public static DiscordRole ResolveRole(DiscordGuild guild, string? role, string argument)
    {
        ArgumentNullException.ThrowIfNull(guild);
        var text = (role ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid(argument, $"{argument} is required: a role name, a mention <@&id>, or an id.");
        if (text.StartsWith("<@&", StringComparison.Ordinal) && text.EndsWith('>'))
            text = text[3..^1];
        if (Snowflake.TryParse(text, out var id))
        {
            return guild.Roles.FirstOrDefault(r => r.Id == id)
                ?? throw new DiscordServiceException(DiscordErrorKind.NotFound, $"{argument}: no role with id {id} in this guild.", argument);
        }
        var name = text.StartsWith('@') && !text.Equals("@everyone", StringComparison.OrdinalIgnoreCase) ? text[1..] : text;
        return NameMatcher.Resolve(argument, "role", name, guild.Roles
            .Select(r => new NameCandidate<DiscordRole>(r.Id.ToString(), r.Id == guild.Id ? "@everyone" : "@" + r.Name, [r.Id == guild.Id ? "@everyone" : r.Name], r))
            .ToList());
    }

    /// <summary>Member by <c>@name</c>, <c>name</c>, <c>&lt;@id&gt;</c>, <c>&lt;@!id&gt;</c> or id; matches username, global name and nickname.</summary>
    public async Task<GuildMember> ResolveMemberAsync(Snowflake guildId, string? user, string argument, CancellationToken ct)
    {
        var text = (user ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid(argument, $"{argument} is required: a name (@Luis or Luis), a mention <@id>, or a user id.");
        var stripped = StripMention(text);
        if (Snowflake.TryParse(stripped, out var id))
            return await Call(() => _client.GetMemberAsync(guildId, id, ct), $"find member {id} ({argument})");
        if (stripped.Length > 100)
            throw DiscordServiceException.Invalid(argument, $"{argument}: a name is at most 100 characters.");
        var candidates = new Dictionary<Snowflake, GuildMember>();
        foreach (var m in await Call(() => _client.SearchMembersAsync(guildId, stripped, 100, ct), "search members"))
        {
            if (m.User is not null)
                candidates[m.User.Id] = m;
        }
        // Search covers username and nickname prefixes; list members too so global (display) names match.
        foreach (var m in await Call(() => _client.ListMembersAsync(guildId, MaxMemberPage, null, ct), "list members (needs the Server Members intent)"))
        {
            if (m.User is not null)
                candidates.TryAdd(m.User.Id, m);
        }
        return NameMatcher.Resolve(argument, "member", stripped, candidates.Values
            .Select(m => new NameCandidate<GuildMember>(m.User!.Id.ToString(), "@" + DisplayName(m) + (m.User.Username != DisplayName(m) ? $" ({m.User.Username})" : ""), Names(m), m))
            .ToList());
    }

    private async Task<Snowflake> ResolveMemberOrIdAsync(Snowflake guildId, string user, string argument, CancellationToken ct)
    {
        var stripped = StripMention(user.Trim());
        // An id is taken as is: audit log actors may have left the guild.
        return Snowflake.TryParse(stripped, out var id) ? id : (await ResolveMemberAsync(guildId, user, argument, ct)).User!.Id;
    }

    private static string StripMention(string text)
    {
        if (text.StartsWith("<@", StringComparison.Ordinal) && text.EndsWith('>') && !text.StartsWith("<@&", StringComparison.Ordinal))
            return text[2..^1].TrimStart('!');
        return text.StartsWith('@') ? text[1..] : text;
    }

    private static List<string> Names(GuildMember m) =>
        new[] { m.Nick, m.User?.GlobalName, m.User?.Username }.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct().ToList();

    public static string DisplayName(GuildMember m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return UntrustedText.Inline(m.Nick ?? m.User?.GlobalName ?? m.User?.Username ?? "unknown");
    }

    // ---------- helpers ----------

    /// <summary>An id argument, or an error naming the argument and what it must be.</summary>
    public static Snowflake ParseId(string? value, string argument, string kind) => Id(value, argument, kind);

    private static Snowflake Id(string? value, string argument, string kind)
    {
        var text = (value ?? "").Trim();
        return Snowflake.TryParse(text, out var id)
            ? id
            : throw DiscordServiceException.Invalid(argument, $"{argument} must be a {kind} id (a decimal number of up to 20 digits), got \"{UntrustedText.Inline(text.Length > 32 ? text[..32] + "…" : text)}\".");
    }

    /// <summary>A message id, or an ISO-8601 time turned into the matching snowflake.</summary>
    private static Snowflake? Cursor(string? value, string argument)
    {
        if (value is null)
            return null;
        var text = value.Trim();
        if (Snowflake.TryParse(text, out var id))
            return id;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            if (time < DateTimeOffset.FromUnixTimeMilliseconds(Snowflake.DiscordEpochMilliseconds))
                throw DiscordServiceException.Invalid(argument, $"{argument}: {text} is before Discord existed (2015-01-01).");
            return Snowflake.FromTime(time);
        }
        throw DiscordServiceException.Invalid(argument, $"{argument} must be a message id or an ISO-8601 time such as 2026-02-23T09:00:00Z, got \"{UntrustedText.Inline(text.Length > 40 ? text[..40] + "…" : text)}\".");
    }

    private DiscordPermissions BotPerms(GuildContext ctx, DiscordChannel c) =>
        PermissionCalculator.ComputeChannel(PermissionExplainer.ToPermissionGuild(ctx.Guild), ToPermissionMember(ctx.Bot), OverwritesFor(ctx, c),
            PermissionExplainer.KindOf(c.Type), _time.GetUtcNow());

    private static IReadOnlyList<PermissionOverwrite> OverwritesFor(GuildContext ctx, DiscordChannel c)
    {
        if (PermissionExplainer.KindOf(c.Type) == PermissionChannelKind.Thread && c.ParentId is { } parent)
            return ctx.Channels.FirstOrDefault(x => x.Id == parent)?.PermissionOverwrites ?? [];
        return c.PermissionOverwrites ?? [];
    }

    private ChannelView View(GuildContext ctx, DiscordChannel c)
    {
        var p = BotPerms(ctx, c);
        return new ChannelView(c.Id.ToString(), UntrustedText.Inline(c.Name), TypeName(c.Type), c.Topic is null ? null : UntrustedText.Sanitize(c.Topic),
            c.ParentId?.ToString(), c.Position ?? 0, c.Nsfw ?? false, p.HasFlag(DiscordPermissions.ViewChannel),
            p.HasFlag(DiscordPermissions.ViewChannel | DiscordPermissions.ReadMessageHistory), p.HasFlag(DiscordPermissions.SendMessages));
    }

    public static string TypeName(ChannelType type) => type switch
    {
        ChannelType.GuildText => "text",
        ChannelType.GuildVoice => "voice",
        ChannelType.GuildCategory => "category",
        ChannelType.GuildAnnouncement => "announcement",
        ChannelType.AnnouncementThread => "announcement_thread",
        ChannelType.PublicThread => "public_thread",
        ChannelType.PrivateThread => "private_thread",
        ChannelType.GuildStageVoice => "stage",
        ChannelType.GuildForum => "forum",
        ChannelType.GuildMedia => "media",
        ChannelType.GuildDirectory => "directory",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static RoleView RoleView(DiscordGuild g, DiscordRole r) =>
        new(r.Id.ToString(), r.Id == g.Id ? "@everyone" : UntrustedText.Inline(r.Name), r.Position, "#" + r.Color.ToString("X6", CultureInfo.InvariantCulture),
            r.Hoist, r.Managed, r.Mentionable, r.Id == g.Id, r.Permissions.ToNames());

    private MemberView MemberView(DiscordGuild g, GuildMember m)
    {
        var u = m.User!;
        var roles = m.Roles.Select(id => g.Roles.FirstOrDefault(r => r.Id == id)).Where(r => r is not null).OrderByDescending(r => r!.Position).ToList();
        var timedOut = m.CommunicationDisabledUntil is { } until && until > _time.GetUtcNow() ? AuditLogFormatter.Iso(until) : null;
        return new MemberView(u.Id.ToString(), UntrustedText.Inline(u.Username), u.GlobalName is null ? null : UntrustedText.Inline(u.GlobalName),
            m.Nick is null ? null : UntrustedText.Inline(m.Nick), DisplayName(m), u.Bot ?? false,
            roles.Select(r => r!.Id.ToString()).ToList(), roles.Select(r => UntrustedText.Inline(r!.Name)).ToList(),
            m.JoinedAt is { } j ? AuditLogFormatter.Iso(j) : null, timedOut);
    }

    private static PermissionMember ToPermissionMember(GuildMember m) =>
        new(m.User?.Id ?? default, m.Roles, m.CommunicationDisabledUntil);

    /// <summary>Runs a client call and translates its errors once (<see cref="DiscordErrors"/>); <paramref name="what"/> is the operation in plain words.</summary>
    public static Task<T> CallAsync<T>(Func<Task<T>> call, string what) => Call(call, what);

    /// <inheritdoc cref="CallAsync{T}(Func{Task{T}}, string)"/>
    public static async Task CallAsync(Func<Task> call, string what)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call();
        }
        catch (Exception e) when (DiscordErrors.IsTranslatable(e))
        {
            throw DiscordErrors.Translate(e, what);
        }
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (DiscordErrors.IsTranslatable(e))
        {
            throw DiscordErrors.Translate(e, what);
        }
    }
}
