using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Sandbox.State;

/// <summary>An interaction created by the control API: its id and the token the bot answers with.</summary>
public sealed record SandboxInteractionHandle(string Id, string Token);

public sealed partial class SandboxState
{
    /// <summary>Adds a user (not yet in any guild) and returns its id.</summary>
    public string AddUser(string username, bool bot = false, string? id = null)
    {
        lock (_gate)
        {
            id ??= NextId();
            _users[id] = NewUser(id, username, bot);
            return id;
        }
    }

    /// <summary>Adds a guild owned by <paramref name="ownerId"/>, with @everyone and (unless false) the bot as a member; returns its id.</summary>
    public string AddGuild(string name, string ownerId, bool withBot = true, string? id = null)
    {
        lock (_gate)
        {
            UserOrThrow(ownerId);
            id ??= NextId();
            var guild = new GuildData(id, NewGuildJson(id, name, ownerId));
            guild.Roles[id] = NewRole(id, "@everyone", DefaultEveryone, 0);
            _guilds[id] = guild;
            AddMember(id, ownerId, []);
            if (withBot)
                AddMember(id, BotUserId, []);
            return id;
        }
    }

    internal const DiscordPermissions DefaultEveryone =
        DiscordPermissions.ViewChannel | DiscordPermissions.SendMessages | DiscordPermissions.ReadMessageHistory |
        DiscordPermissions.AddReactions | DiscordPermissions.EmbedLinks | DiscordPermissions.AttachFiles |
        DiscordPermissions.CreateInstantInvite | DiscordPermissions.ChangeNickname | DiscordPermissions.Connect |
        DiscordPermissions.Speak | DiscordPermissions.UseApplicationCommands | DiscordPermissions.CreatePublicThreads |
        DiscordPermissions.SendMessagesInThreads | DiscordPermissions.UseExternalEmojis;

    internal static JsonObject NewGuildJson(string id, string name, string ownerId) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["icon"] = null,
        ["description"] = null,
        ["home_header"] = null,
        ["splash"] = null,
        ["discovery_splash"] = null,
        ["features"] = new JsonArray(),
        ["banner"] = null,
        ["owner_id"] = ownerId,
        ["application_id"] = null,
        ["region"] = "deprecated",
        ["afk_channel_id"] = null,
        ["afk_timeout"] = 300,
        ["system_channel_id"] = null,
        ["system_channel_flags"] = 0,
        ["widget_enabled"] = false,
        ["widget_channel_id"] = null,
        ["verification_level"] = 1,
        ["default_message_notifications"] = 1,
        ["mfa_level"] = 0,
        ["explicit_content_filter"] = 2,
        ["max_presences"] = null,
        ["max_members"] = 500000,
        ["max_stage_video_channel_users"] = 50,
        ["max_video_channel_users"] = 25,
        ["vanity_url_code"] = null,
        ["premium_tier"] = 0,
        ["premium_subscription_count"] = 0,
        ["preferred_locale"] = "en-US",
        ["rules_channel_id"] = null,
        ["safety_alerts_channel_id"] = null,
        ["public_updates_channel_id"] = null,
        ["premium_progress_bar_enabled"] = false,
        ["nsfw"] = false,
        ["nsfw_level"] = 0,
        ["emojis"] = new JsonArray(),
        ["stickers"] = new JsonArray(),
        ["incidents_data"] = null,
    };

    /// <summary>Adds (or replaces) a member with the given role ids.</summary>
    public void AddMember(string guildId, string userId, IReadOnlyList<string> roleIds, string? nick = null)
    {
        ArgumentNullException.ThrowIfNull(roleIds);
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            UserOrThrow(userId);
            guild.Members[userId] = new JsonObject
            {
                ["avatar"] = null,
                ["banner"] = null,
                ["communication_disabled_until"] = null,
                ["flags"] = 0,
                ["joined_at"] = IsoFromId(guildId),
                ["nick"] = nick,
                ["pending"] = false,
                ["premium_since"] = null,
                ["roles"] = new JsonArray(roleIds.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
                ["mute"] = false,
                ["deaf"] = false,
            };
        }
    }

    /// <summary>The member leaves the guild on their own (no audit entry, unlike a kick). Publishes GUILD_MEMBER_REMOVE.</summary>
    public void LeaveGuild(string guildId, string userId)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            MemberOrThrow(guild, userId);
            RemoveMember(guild, userId);
        }
    }

    /// <summary>Adds a channel (type 0 text by default) to a guild; returns its id. Publishes CHANNEL_CREATE.</summary>
    public string AddChannel(string guildId, string name, int type = 0, string? parentId = null)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var result = CreateChannelApi(new Actor(guild.OwnerId, false), guildId, new JsonObject { ["name"] = name, ["type"] = type, ["parent_id"] = parentId }, null);
            return (string)result["id"]!;
        }
    }

    /// <summary>Posts a message as a user (no permission checks), optionally replying; returns the message object. Publishes MESSAGE_CREATE.</summary>
    public JsonObject PostMessageAsUser(string channelId, string userId, string content, string? replyToMessageId = null)
    {
        var body = new JsonObject { ["content"] = content };
        if (replyToMessageId is not null)
            body["message_reference"] = new JsonObject { ["message_id"] = replyToMessageId };
        lock (_gate)
        {
            UserOrThrow(userId);
            return SendMessageApi(new Actor(userId, false), channelId, body);
        }
    }

    /// <summary>A user reacts to a message (no permission checks). Publishes MESSAGE_REACTION_ADD.</summary>
    public void ReactAsUser(string channelId, string messageId, string userId, string emoji) =>
        AddReactionApi(new Actor(userId, false), channelId, messageId, emoji);

    /// <summary>
    /// Simulates a user running slash command <paramref name="name"/> (type 2, CHAT_INPUT) in a channel; publishes
    /// INTERACTION_CREATE and returns the interaction's id and token.
    /// </summary>
    public SandboxInteractionHandle SimulateSlashCommand(string guildId, string channelId, string userId, string name, JsonArray? options = null)
    {
        lock (_gate)
        {
            var guild = GuildOrThrow(guildId);
            var channel = ChannelOrThrow(channelId);
            MemberOrThrow(guild, userId);
            var command = guild.Commands.Values.Concat(_globalCommands.Values).FirstOrDefault(c => (string?)c["name"] == name);
            var data = new JsonObject
            {
                ["id"] = (string?)command?["id"] ?? NextId(),
                ["name"] = name,
                ["type"] = 1,
                ["guild_id"] = guildId,
            };
            if (options is not null)
                data["options"] = options.DeepClone();
            return CreateInteraction(guild, channel, userId, 2, data, null);
        }
    }

    /// <summary>Simulates a user clicking the button <paramref name="customId"/> on a message (type 3); publishes INTERACTION_CREATE.</summary>
    public SandboxInteractionHandle SimulateButtonClick(string messageId, string userId, string customId)
    {
        lock (_gate)
        {
            var channel = _channels.Values.FirstOrDefault(c => ulong.TryParse(messageId, out var key) && c.Messages.ContainsKey(key))
                ?? throw SandboxApiException.NotFound(10008, "Message");
            var message = MessageOrThrow(channel, messageId);
            var guild = GuildOfChannel(channel);
            MemberOrThrow(guild, userId);
            // A user can only click a button that is on the message and enabled.
            var button = FindComponent(message.Message["components"] as JsonArray, customId);
            if (button is null || (int?)button["type"] != 2)
                throw new SandboxApiException(400, 50035, "Invalid Form Body", FormErrorsFor("custom_id", "COMPONENT_NOT_FOUND", $"The message has no button with custom_id \"{customId}\"."));
            if (button["disabled"] is JsonValue disabled && disabled.TryGetValue<bool>(out var isDisabled) && isDisabled)
                throw new SandboxApiException(400, 50035, "Invalid Form Body", FormErrorsFor("custom_id", "COMPONENT_DISABLED", $"The button \"{customId}\" is disabled."));
            var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
            return CreateInteraction(guild, channel, userId, 3, data, message);
        }
    }

    private static JsonObject? FindComponent(JsonArray? components, string customId)
    {
        foreach (var component in components?.OfType<JsonObject>() ?? [])
        {
            if ((string?)component["custom_id"] == customId)
                return component;
            if (FindComponent(component["components"] as JsonArray, customId) is { } inner)
                return inner;
            if (component["accessory"] is JsonObject accessory && (string?)accessory["custom_id"] == customId)
                return accessory;
        }
        return null;
    }

    private static JsonObject FormErrorsFor(string field, string code, string message) =>
        new() { [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) } };

    private SandboxInteractionHandle CreateInteraction(GuildData guild, ChannelData channel, string userId, int type, JsonObject data, MessageData? message)
    {
        var id = NextId();
        var token = IssueToken("aW50ZXJhY3Rpb246", 64);
        var member = MemberJson(guild, userId);
        member["permissions"] = ChannelPermissions(channel, userId).ToWire();
        var payload = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["guild_id"] = guild.Id,
            ["guild"] = new JsonObject { ["id"] = guild.Id, ["locale"] = "en-US", ["features"] = new JsonArray() },
            ["channel_id"] = channel.Id,
            ["channel"] = ChannelJson(channel),
            ["member"] = member,
            ["token"] = token,
            ["version"] = 1,
            ["app_permissions"] = ChannelPermissions(channel, BotUserId).ToWire(),
            ["locale"] = "en-US",
            ["guild_locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = guild.Id },
            ["context"] = 0,
            ["attachment_size_limit"] = 10485760,
        };
        if (message is not null)
            payload["message"] = MessageJson(message);
        var interaction = new InteractionData(id, token, guild.Id, channel.Id, userId, payload);
        _interactions[id] = interaction;
        _interactionsByToken[token] = id;
        Publish("INTERACTION_CREATE", guild.Id, (JsonObject)payload.DeepClone());
        return new SandboxInteractionHandle(id, token);
    }

    /// <summary>
    /// What the bot answered to an interaction: <c>{id, type, callback (null until answered), callback_attempts (callback
    /// requests, refused repeats included), original (message or null), followups: [messages]}</c>.
    /// </summary>
    public JsonObject GetInteractionRecord(string interactionId)
    {
        lock (_gate)
        {
            if (!_interactions.TryGetValue(interactionId, out var interaction))
                throw SandboxApiException.NotFound(10062, "interaction");
            var channel = ChannelOrThrow(interaction.ChannelId);
            JsonObject? Message(string? id) => id is not null && channel.Messages.TryGetValue(IdValue(id), out var m) ? MessageJson(m) : null;
            return new JsonObject
            {
                ["id"] = interaction.Id,
                ["type"] = interaction.Payload["type"]!.DeepClone(),
                ["acknowledged"] = interaction.Callback is not null,
                ["callback"] = interaction.Callback?.DeepClone(),
                ["callback_attempts"] = interaction.CallbackAttempts,
                ["original"] = Message(interaction.OriginalMessageId),
                ["followups"] = new JsonArray(interaction.FollowupIds.Select(f => (JsonNode?)Message(f)).ToArray()),
            };
        }
    }

    /// <summary>
    /// Every piece of Discord state the REST API can change (guilds with roles, members, bans, events and audit log;
    /// channels and threads with messages, reactions, pins and thread members; webhooks; invites), as canonical JSON with
    /// keys in a fixed order. Two equal snapshots mean nothing changed; tests compare them around a dry run.
    /// </summary>
    public string Snapshot()
    {
        lock (_gate)
        {
            static JsonArray Sorted(IEnumerable<KeyValuePair<string, JsonObject>> items) =>
                new(items.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (JsonNode?)kv.Value.DeepClone()).ToArray());
            var root = new JsonObject
            {
                ["guilds"] = new JsonArray(_guilds.Values.OrderBy(g => g.Id, StringComparer.Ordinal).Select(g => (JsonNode?)new JsonObject
                {
                    ["guild"] = g.Guild.DeepClone(),
                    ["roles"] = Sorted(g.Roles),
                    ["members"] = Sorted(g.Members),
                    ["bans"] = Sorted(g.Bans),
                    ["events"] = Sorted(g.Events),
                    ["event_users"] = new JsonArray(g.EventUsers.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => (JsonNode?)new JsonObject { ["event"] = kv.Key, ["users"] = new JsonArray(kv.Value.Select(u => (JsonNode?)u).ToArray()) }).ToArray()),
                    ["audit"] = new JsonArray(g.Audit.Select(a => (JsonNode?)a.DeepClone()).ToArray()),
                }).ToArray()),
                ["channels"] = new JsonArray(_channels.Values.OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => (JsonNode?)new JsonObject
                {
                    ["channel"] = c.Channel.DeepClone(),
                    ["messages"] = new JsonArray(c.Messages.Values.Select(m => (JsonNode?)new JsonObject
                    {
                        ["message"] = m.Message.DeepClone(),
                        ["reactions"] = new JsonArray(m.Reactions.Select(r => (JsonNode?)new JsonObject
                        {
                            ["key"] = r.Key,
                            ["users"] = new JsonArray(r.Users.Select(u => (JsonNode?)u).ToArray()),
                        }).ToArray()),
                    }).ToArray()),
                    ["pins"] = new JsonArray(c.Pins.Select(p => (JsonNode?)p.MessageId).ToArray()),
                    ["thread_members"] = Sorted(c.ThreadMembers),
                }).ToArray()),
                ["webhooks"] = Sorted(_webhooks),
                ["invites"] = Sorted(_invites),
            };
            return root.ToJsonString();
        }
    }

    /// <summary>A small overview for demos: guilds with channel/member/message counts, interactions, audit entries.</summary>
    public JsonObject Summary()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["application_id"] = ApplicationId,
                ["bot_user_id"] = BotUserId,
                ["guilds"] = new JsonArray(_guilds.Values.Select(g => (JsonNode)new JsonObject
                {
                    ["id"] = g.Id,
                    ["name"] = g.Guild["name"]!.DeepClone(),
                    ["members"] = g.Members.Count,
                    ["roles"] = g.Roles.Count,
                    ["channels"] = _channels.Values.Count(c => c.GuildId == g.Id && !c.IsThread),
                    ["threads"] = _channels.Values.Count(c => c.GuildId == g.Id && c.IsThread),
                    ["messages"] = _channels.Values.Where(c => c.GuildId == g.Id).Sum(c => c.Messages.Count),
                    ["audit_log_entries"] = g.Audit.Count,
                }).ToArray()),
                ["webhooks"] = _webhooks.Count,
                ["invites"] = _invites.Count,
                ["interactions"] = _interactions.Count,
            };
        }
    }

    internal JsonObject CurrentUserApi()
    {
        lock (_gate)
        {
            var user = UserJson(BotUserId);
            user["mfa_enabled"] = false;
            user["locale"] = "en-US";
            user["verified"] = true;
            return user;
        }
    }

    internal JsonObject UserApi(string userId)
    {
        lock (_gate)
            return UserJson((string)UserOrThrow(userId)["id"]!);
    }

    private int ApplicationFlags() =>
        ((Options.AllowedPrivilegedIntents & (1 << 8)) != 0 ? 1 << 13 : 0)
        | ((Options.AllowedPrivilegedIntents & (1 << 1)) != 0 ? 1 << 15 : 0)
        | ((Options.AllowedPrivilegedIntents & (1 << 15)) != 0 ? 1 << 19 : 0);

    internal JsonObject ApplicationApi() => new()
    {
        ["id"] = ApplicationId,
        ["name"] = DemoGuild.BotName,
        ["icon"] = null,
        ["description"] = "DiscordMCP sandbox application",
        ["type"] = null,
        ["verify_key"] = "0000000000000000000000000000000000000000000000000000000000000000",
        // The *_LIMITED flags (presence 1 << 13, guild members 1 << 15, message content 1 << 19) for the privileged
        // intents the sandbox allows, as for an unverified bot with them switched on in the developer portal.
        ["flags"] = ApplicationFlags(),
        ["flags_new"] = ApplicationFlags().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["redirect_uris"] = new JsonArray(),
        ["interactions_endpoint_url"] = null,
        ["role_connections_verification_url"] = null,
        ["owner"] = BotUser() is { } ? UserJsonLocked(DemoGuild.AdminUserId) : null,
        ["approximate_guild_count"] = BotGuildIds().Count,
        ["approximate_user_install_count"] = 0,
        ["approximate_user_authorization_count"] = 0,
        ["explicit_content_filter"] = 0,
        ["team"] = null,
        ["eligible_oauth2_scopes"] = new JsonArray(),
        ["bot_public"] = false,
        ["bot_require_code_grant"] = false,
    };

    private JsonObject UserJsonLocked(string userId)
    {
        lock (_gate)
            return UserJson(userId);
    }
}
