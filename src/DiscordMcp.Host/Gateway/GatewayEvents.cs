using System.Globalization;
using System.Text.Json;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client.Json;
using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Host.Gateway;

/// <summary>Turns gateway dispatches into the agent's records, and decides which messages are for the bot.</summary>
internal static class GatewayEvents
{
    /// <summary>
    /// A MESSAGE_CREATE for the agent: a guild message (not a DM) by a person (not a bot, not a webhook, not the bot
    /// itself) that mentions the bot or replies to one of its messages. Null otherwise, and for anything unreadable.
    /// </summary>
    public static MentionEvent? ReadMention(ReadOnlyMemory<byte> data, ulong botUserId)
    {
        DiscordMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(data.Span, DiscordJsonContext.Default.DiscordMessage);
        }
        catch (JsonException)
        {
            return null;
        }
        if (message is null || message.GuildId is not { } guildId || botUserId == 0)
            return null;
        var author = message.Author;
        if (author.Bot == true || author.System == true || message.WebhookId is not null || author.Id.Value == botUserId)
            return null;
        // 0 = default, 19 = reply; joins, pins, boosts and the like are not conversation.
        if (message.Type is not (0 or 19))
            return null;
        var mentioned = message.Mentions.Any(u => u.Id.Value == botUserId)
            || message.Content.Contains($"<@{botUserId}>", StringComparison.Ordinal)
            || message.Content.Contains($"<@!{botUserId}>", StringComparison.Ordinal);
        var repliesToBot = message.ReferencedMessage?.Author.Id.Value == botUserId;
        if (!mentioned && !repliesToBot)
            return null;
        return new MentionEvent(guildId.Value, message.ChannelId.Value, message.Id.Value, author.Id.Value,
            author.GlobalName ?? author.Username, message.Content, message.MessageReference?.MessageId?.Value, message.Timestamp);
    }

    /// <summary>An INTERACTION_CREATE in a guild (slash command or button); null for DMs, other kinds and unreadable ones.</summary>
    public static InteractionEvent? ReadInteraction(JsonElement root)
    {
        if (!ChannelDirectory.TryId(root, "id", out var id) || !ChannelDirectory.TryId(root, "guild_id", out var guildId)
            || !ChannelDirectory.TryId(root, "channel_id", out var channelId)
            || Text(root, "token") is not { Length: > 0 } token
            || !root.TryGetProperty("member", out var member) || member.ValueKind != JsonValueKind.Object
            || !member.TryGetProperty("user", out var user) || !ChannelDirectory.TryId(user, "id", out var userId)
            || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return null;
        ChannelDirectory.TryId(root, "application_id", out var applicationId);
        var kind = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() switch
        {
            2 => InteractionKind.SlashCommand,
            3 => InteractionKind.Button,
            _ => InteractionKind.None,
        } : InteractionKind.None;
        if (kind == InteractionKind.None)
            return null;
        var name = kind == InteractionKind.SlashCommand ? Text(data, "name") : Text(data, "custom_id");
        if (string.IsNullOrEmpty(name))
            return null;
        // Discord sends the member's permissions in the channel as a decimal string; unreadable = none (fail closed).
        var permissions = member.TryGetProperty("permissions", out var p) && p.ValueKind == JsonValueKind.String
            && ulong.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : 0UL;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.TryGetProperty("options", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var option in list.EnumerateArray())
            {
                if (Text(option, "name") is { } optionName && option.TryGetProperty("value", out var value))
                    options[optionName] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }
        ulong? messageId = root.TryGetProperty("message", out var message) && ChannelDirectory.TryId(message, "id", out var m) ? m : null;
        var userName = Text(member, "nick") ?? Text(user, "global_name") ?? Text(user, "username") ?? userId.ToString(CultureInfo.InvariantCulture);
        return new InteractionEvent(id, token, applicationId, kind, guildId, channelId, userId, userName, permissions, name, options, messageId);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
