using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Discord.Client.Rest;

/// <summary>Checks against <see cref="DiscordLimits"/>; every message names the field and the limit.</summary>
internal static class DiscordValidation
{
    public static DiscordValidationException Fail(string field, string message) => new(field, message);

    public static string? Reason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
            return null;
        MaxLength("reason", reason, DiscordLimits.AuditLogReason);
        return reason;
    }

    public static void MaxLength(string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
            throw Fail(field, $"{field} must be at most {max} characters (got {value.Length}).");
    }

    /// <summary>Length between min and max; null passes unless <paramref name="required"/>.</summary>
    public static void Length(string field, string? value, int min, int max, bool required = false)
    {
        if (value is null)
        {
            if (required)
                throw Fail(field, $"{field} is required ({min}-{max} characters).");
            return;
        }
        if (value.Length < min || value.Length > max)
            throw Fail(field, $"{field} must be {min}-{max} characters (got {value.Length}).");
    }

    public static void Range(string field, long? value, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
            throw Fail(field, $"{field} must be between {min} and {max} (got {v}).");
    }

    public static void MaxCount<T>(string field, IReadOnlyCollection<T>? items, int max)
    {
        if (items is not null && items.Count > max)
            throw Fail(field, $"{field} must have at most {max} items (got {items.Count}).");
    }

    public static void NotEmpty(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw Fail(field, $"{field} must not be empty.");
    }

    public static void AutoArchiveDuration(string field, int? minutes)
    {
        if (minutes is { } m && !DiscordLimits.ThreadAutoArchiveDurations.Contains(m))
            throw Fail(field, $"{field} must be one of {string.Join(", ", DiscordLimits.ThreadAutoArchiveDurations)} minutes (got {m}).");
    }

    public static void Slowmode(string field, int? seconds) => Range(field, seconds, 0, DiscordLimits.SlowmodeMaxSeconds);

    /// <summary>A secret path segment (webhook or interaction token): checked without ever echoing it.</summary>
    public static string Token(string field, string token)
    {
        if (string.IsNullOrEmpty(token) || token.Any(c => c is '/' or '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c)))
            throw Fail(field, $"{field} must be a non-empty token without '/', '?', '#' or whitespace.");
        return Uri.EscapeDataString(token);
    }

    public static void Mentions(string field, AllowedMentions? mentions)
    {
        if (mentions is null)
            return;
        MaxCount($"{field}.users", mentions.UserIds, DiscordLimits.AllowedMentionsIds);
        MaxCount($"{field}.roles", mentions.RoleIds, DiscordLimits.AllowedMentionsIds);
        if (mentions.Parse is { } parse)
        {
            foreach (var p in parse)
            {
                if (p is not (Models.AllowedMentions.Users or Models.AllowedMentions.Roles or Models.AllowedMentions.Everyone))
                    throw Fail($"{field}.parse", $"{field}.parse values must be \"users\", \"roles\" or \"everyone\" (got \"{Clip(p)}\").");
            }
            if (mentions.UserIds is { Count: > 0 } && parse.Contains(Models.AllowedMentions.Users))
                throw Fail($"{field}.parse", $"{field}.parse must not contain \"users\" when {field}.users is set.");
            if (mentions.RoleIds is { Count: > 0 } && parse.Contains(Models.AllowedMentions.Roles))
                throw Fail($"{field}.parse", $"{field}.parse must not contain \"roles\" when {field}.roles is set.");
        }
    }

    public static void Embeds(string field, IReadOnlyList<Embed>? embeds)
    {
        if (embeds is null)
            return;
        MaxCount(field, embeds, DiscordLimits.EmbedsPerMessage);
        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var e = embeds[i];
            var at = $"{field}[{i}]";
            MaxLength($"{at}.title", e.Title, DiscordLimits.EmbedTitle);
            MaxLength($"{at}.description", e.Description, DiscordLimits.EmbedDescription);
            MaxCount($"{at}.fields", e.Fields, DiscordLimits.EmbedFields);
            MaxLength($"{at}.footer.text", e.Footer?.Text, DiscordLimits.EmbedFooterText);
            MaxLength($"{at}.author.name", e.Author?.Name, DiscordLimits.EmbedAuthorName);
            total += (e.Title?.Length ?? 0) + (e.Description?.Length ?? 0) + (e.Footer?.Text.Length ?? 0) + (e.Author?.Name.Length ?? 0);
            for (var f = 0; f < (e.Fields?.Count ?? 0); f++)
            {
                var field2 = e.Fields![f];
                Length($"{at}.fields[{f}].name", field2.Name, 1, DiscordLimits.EmbedFieldName, required: true);
                Length($"{at}.fields[{f}].value", field2.Value, 1, DiscordLimits.EmbedFieldValue, required: true);
                total += field2.Name.Length + field2.Value.Length;
            }
        }
        if (total > DiscordLimits.EmbedTotalCharacters)
            throw Fail(field, $"{field} must total at most {DiscordLimits.EmbedTotalCharacters} characters across titles, descriptions, fields, footers and authors (got {total}).");
    }

    public static void Components(string field, IReadOnlyList<MessageComponent>? components, MessageFlags? flags)
    {
        if (components is null)
            return;
        if ((flags ?? MessageFlags.None).HasFlag(MessageFlags.IsComponentsV2) is false)
            MaxCount(field, components, DiscordLimits.ActionRowsPerMessage);
        Walk(field, components);

        static void Walk(string field, IReadOnlyList<MessageComponent> components)
        {
            for (var i = 0; i < components.Count; i++)
            {
                var c = components[i];
                var at = $"{field}[{i}]";
                if (!Enum.IsDefined(c.Type))
                    throw Fail($"{at}.type", $"{at}.type must be a known component type (got {(int)c.Type}).");
                MaxLength($"{at}.label", c.Label, DiscordLimits.ButtonLabel);
                Length($"{at}.custom_id", c.CustomId, DiscordLimits.CustomIdMin, DiscordLimits.CustomIdMax);
                if (c.Type == ComponentType.Button)
                {
                    var style = c.Style ?? 0;
                    if (!Enum.IsDefined(style))
                        throw Fail($"{at}.style", $"{at}.style must be a button style 1-6 (got {(int)style}).");
                    if (style is ButtonStyle.Link && string.IsNullOrEmpty(c.Url))
                        throw Fail($"{at}.url", $"{at}.url is required for link buttons.");
                    if (style is >= ButtonStyle.Primary and <= ButtonStyle.Danger && c.CustomId is null)
                        throw Fail($"{at}.custom_id", $"{at}.custom_id is required for buttons of style {style} ({DiscordLimits.CustomIdMin}-{DiscordLimits.CustomIdMax} characters).");
                }
                if (c.Components is { } children)
                    Walk($"{at}.components", children);
            }
        }
    }

    /// <summary>The shared checks of every message-like body.</summary>
    public static void MessageBody(
        string prefix, string? content, IReadOnlyList<Embed>? embeds, AllowedMentions? mentions,
        IReadOnlyList<MessageComponent>? components, MessageFlags? flags, bool requireSomething, IReadOnlyCollection<Snowflake>? stickers = null)
    {
        MaxLength(prefix + "content", content, DiscordLimits.MessageContent);
        Embeds(prefix + "embeds", embeds);
        Mentions(prefix + "allowed_mentions", mentions);
        Components(prefix + "components", components, flags);
        MaxCount(prefix + "sticker_ids", stickers, DiscordLimits.StickersPerMessage);
        if (requireSomething && string.IsNullOrEmpty(content) && embeds is not { Count: > 0 }
            && components is not { Count: > 0 } && stickers is not { Count: > 0 })
            throw Fail(prefix + "content", $"{prefix}content, embeds, components or sticker_ids must be provided: a message cannot be empty.");
    }

    public static string Clip(string? value) =>
        value is null ? "null" : value.Length <= 32 ? value : string.Concat(value.AsSpan(0, 32), "…");
}
