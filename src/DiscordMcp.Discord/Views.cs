namespace DiscordMcp.Discord;

// Values the service returns and the MCP tools publish as structured output. Ids are strings; times ISO-8601 UTC.
// Fields that carry user-authored text are sanitized (see UntrustedText) and named in each result's notice.

public sealed record GuildRef(string Id, string Name);

public sealed record GuildList(IReadOnlyList<GuildRef> Guilds, string Notice);

public sealed record GuildDetails(
    string Id, string Name, string? Description, string OwnerId, int? ApproximateMemberCount, int? ApproximatePresenceCount,
    int RoleCount, int ChannelCount, string? SystemChannelId, IReadOnlyList<string> Features, string Notice);

public sealed record ChannelView(
    string Id, string Name, string Type, string? Topic, string? CategoryId, int Position, bool Nsfw,
    bool BotCanView, bool BotCanReadHistory, bool BotCanSend);

public sealed record ChannelGroup(string? CategoryId, string CategoryName, bool BotCanViewCategory, IReadOnlyList<ChannelView> Channels);

public sealed record ChannelList(string GuildId, int ChannelCount, int NotViewableCount, IReadOnlyList<ChannelGroup> Categories, string Notice);

public sealed record ChannelDetails(ChannelView Channel, string GuildId, string? CategoryName, int? SlowmodeSeconds, string? LastMessageId,
    IReadOnlyList<string> BotPermissions, int OverwriteCount, string Notice);

public sealed record MessageView(
    string Id, string ChannelId, string AuthorId, string Author, bool AuthorIsBot, string Time, string? EditedTime, string Content,
    string? ReplyToMessageId, string? ReplyToAuthor, IReadOnlyList<string> Attachments, IReadOnlyList<string> Embeds,
    IReadOnlyList<string> Reactions, bool Pinned);

public sealed record MessageList(string GuildId, string ChannelId, string ChannelName, int Count, IReadOnlyList<MessageView> Messages, string Notice);

public sealed record MessageDetails(string GuildId, string ChannelName, MessageView Message, string Notice);

public sealed record RoleView(string Id, string Name, int Position, string Color, bool Hoist, bool Managed, bool Mentionable, bool IsEveryone,
    IReadOnlyList<string> Permissions);

public sealed record RoleList(string GuildId, IReadOnlyList<RoleView> Roles, string Notice);

public sealed record MemberView(string UserId, string Username, string? GlobalName, string? Nick, string DisplayName, bool Bot,
    IReadOnlyList<string> RoleIds, IReadOnlyList<string> RoleNames, string? JoinedAt, string? TimedOutUntil);

public sealed record MemberDetails(string GuildId, MemberView Member, string HighestRole, IReadOnlyList<string> GuildPermissions, bool IsOwner, string Notice);

public sealed record MemberPage(string GuildId, IReadOnlyList<MemberView> Members, string? NextAfter, string Notice);

public sealed record AuditLine(string Id, string Time, string? ActorId, string Actor, string Action, string Category, string? TargetId, string Text, string? Reason);

public sealed record AuditLogResult(string GuildId, IReadOnlyList<AuditLine> Entries, string Notice);

public sealed record PermissionStep(string Layer, string Effect, string Detail);

public sealed record PermissionExplanation(
    string GuildId, string SubjectId, string Subject, bool SubjectIsBot, string ChannelId, string ChannelName, string Permission,
    bool Allowed, IReadOnlyList<PermissionStep> Layers, string Summary, string Notice);
