using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;

namespace DiscordMcp.Mcp.Tools.Messages;

/// <summary>One embed of a message a tool sends: the small shape a model can fill in.</summary>
internal sealed record EmbedInput
{
    [Description("Title (at most 256 characters).")]
    public string? Title { get; init; }

    [Description("Description (at most 4096 characters).")]
    public string? Description { get; init; }

    [Description("Link of the title: an absolute http(s) URL.")]
    public string? Url { get; init; }

    [Description("Colour as #RRGGBB (e.g. #5865F2).")]
    public string? Color { get; init; }

    [Description("At most 25 fields.")]
    public IReadOnlyList<EmbedFieldInput>? Fields { get; init; }
}

/// <summary>One field of an <see cref="EmbedInput"/>.</summary>
internal sealed record EmbedFieldInput
{
    [Description("Field name (1–256 characters).")]
    public string? Name { get; init; }

    [Description("Field value (1–1024 characters).")]
    public string? Value { get; init; }

    [Description("Shown side by side with other inline fields.")]
    public bool? Inline { get; init; }
}

/// <summary>What the message write tools share: argument checks, loading the channel and message on fresh state, wording.</summary>
internal static partial class MessageWrites
{
    /// <summary>The channel (text-like, as fresh state) a message tool acts in.</summary>
    public static async Task<(DiscordReadService.GuildContext Context, DiscordChannel Channel)> LoadChannelAsync(
        DiscordReadService discord, string? guild, string? channel, CancellationToken cancellationToken)
    {
        var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
        var c = DiscordReadService.ResolveChannel(ctx, channel, "channel");
        if (c.Type is ChannelType.GuildCategory or ChannelType.GuildForum or ChannelType.GuildMedia or ChannelType.GuildDirectory)
            throw DiscordServiceException.Invalid("channel", $"channel: {WriteText.Channel(c)} is a {DiscordReadService.TypeName(c.Type)} channel; messages live in text, announcement, voice or stage channels and threads.");
        return (ctx, c);
    }

    /// <summary>The message as Discord has it now; a missing one is reported naming <paramref name="argument"/> (state drift after a dry run).</summary>
    public static async Task<DiscordMessage> LoadMessageAsync(DiscordReadService discord, DiscordChannel channel, Snowflake messageId, string argument, CancellationToken cancellationToken)
    {
        try
        {
            return await DiscordReadService.CallAsync(() => discord.Client.GetMessageAsync(channel.Id, messageId, cancellationToken),
                $"read message {messageId} in {WriteText.Channel(channel)}");
        }
        catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
        {
            throw new DiscordServiceException(DiscordErrorKind.NotFound,
                $"{argument}: message {messageId} does not exist in {WriteText.Channel(channel)} (it may have been deleted).", argument, e);
        }
    }

    /// <summary>A message reference for the policy's cross-guild check.</summary>
    public static ResourceReference Reference(DiscordChannel channel, Snowflake messageId) =>
        new(ResourceKind.Message, messageId.Value, channel.Id.Value);

    /// <summary>"@Luis's message 123… in #general".</summary>
    public static string Describe(DiscordMessage message, DiscordChannel channel, ulong botId) =>
        (message.Author.Id.Value == botId ? "the bot's message " : $"@{UntrustedText.Inline(message.Author.GlobalName ?? message.Author.Username)}'s message ")
        + $"{message.Id} in {WriteText.Channel(channel)}";

    /// <summary>The first characters of user text, sanitized, on one line, in quotes.</summary>
    public static string Quote(string? text, int max = 80)
    {
        var inline = UntrustedText.Inline(text);
        return "\"" + (inline.Length > max ? inline[..max] + "…" : inline) + "\"";
    }

    /// <summary>What the bot needs to send in <paramref name="channel"/> (threads: Send Messages in Threads).</summary>
    public static DiscordPermissions SendPermission(DiscordChannel channel) =>
        channel.Type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread
            ? DiscordPermissions.SendMessagesInThreads
            : DiscordPermissions.SendMessages;

    /// <summary>Content of at most 2000 characters (<c>null</c> stays <c>null</c>).</summary>
    public static string? Content(string? content, string argument = "content") =>
        WriteText.Optional(content, argument, DiscordLimits.MessageContent);

    /// <summary>Whether the content would ping @everyone, @here or a role.</summary>
    public static bool HasMassMentions(string? content) =>
        content is not null && (content.Contains("@everyone", StringComparison.Ordinal) || content.Contains("@here", StringComparison.Ordinal) || RoleMention().IsMatch(content));

    public static bool HasEveryone(string? content) =>
        content is not null && (content.Contains("@everyone", StringComparison.Ordinal) || content.Contains("@here", StringComparison.Ordinal));

    /// <summary>
    /// Who a message may ping: by default users only (@everyone, @here and roles are suppressed); with
    /// <paramref name="allowAll"/> every mention in the content.
    /// </summary>
    public static AllowedMentions Mentions(bool allowAll) => allowAll
        ? new AllowedMentions { Parse = [AllowedMentions.Users, AllowedMentions.Roles, AllowedMentions.Everyone] }
        : new AllowedMentions { Parse = [AllowedMentions.Users] };

    public const string SuppressedNote =
        "Mentions of @everyone, @here and roles in the content are suppressed: they show as text and ping nobody (allow_mentions: true lets them ping).";

    /// <summary>Validates the embeds against Discord's limits and converts them; <c>null</c> or empty stays <c>null</c>.</summary>
    public static IReadOnlyList<Embed>? Embeds(IReadOnlyList<EmbedInput>? embeds)
    {
        if (embeds is null || embeds.Count == 0)
            return null;
        if (embeds.Count > DiscordLimits.EmbedsPerMessage)
            throw DiscordServiceException.Invalid("embeds", $"embeds: at most {DiscordLimits.EmbedsPerMessage} embeds per message, got {embeds.Count}.");
        var result = new List<Embed>();
        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var e = embeds[i] ?? throw DiscordServiceException.Invalid($"embeds[{i}]", $"embeds[{i}] is empty.");
            var field = $"embeds[{i}]";
            WriteText.Optional(e.Title, field + ".title", DiscordLimits.EmbedTitle);
            WriteText.Optional(e.Description, field + ".description", DiscordLimits.EmbedDescription);
            if (e.Url is not null && (!Uri.TryCreate(e.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
                throw DiscordServiceException.Invalid(field + ".url", $"{field}.url must be an absolute http(s) URL.");
            int? color = null;
            if (e.Color is not null)
            {
                var hex = e.Color.Trim().TrimStart('#');
                if (hex.Length != 6 || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var c))
                    throw DiscordServiceException.Invalid(field + ".color", $"{field}.color must be #RRGGBB (e.g. #5865F2), got \"{UntrustedText.Inline(e.Color.Length > 16 ? e.Color[..16] : e.Color)}\".");
                color = c;
            }
            var fields = e.Fields ?? [];
            if (fields.Count > DiscordLimits.EmbedFields)
                throw DiscordServiceException.Invalid(field + ".fields", $"{field}.fields: at most {DiscordLimits.EmbedFields} fields, got {fields.Count}.");
            var converted = new List<EmbedField>();
            for (var j = 0; j < fields.Count; j++)
            {
                var f = fields[j];
                var name = WriteText.Required(f?.Name, $"{field}.fields[{j}].name", 1, DiscordLimits.EmbedFieldName);
                var value = WriteText.Required(f?.Value, $"{field}.fields[{j}].value", 1, DiscordLimits.EmbedFieldValue);
                converted.Add(new EmbedField { Name = name, Value = value, Inline = f!.Inline });
                total += name.Length + value.Length;
            }
            if (string.IsNullOrWhiteSpace(e.Title) && string.IsNullOrWhiteSpace(e.Description) && converted.Count == 0)
                throw DiscordServiceException.Invalid(field, $"{field} needs a title, a description or fields.");
            total += (e.Title?.Length ?? 0) + (e.Description?.Length ?? 0);
            result.Add(new Embed { Title = e.Title, Description = e.Description, Url = e.Url, Color = color, Fields = converted.Count > 0 ? converted : null });
        }
        if (total > DiscordLimits.EmbedTotalCharacters)
            throw DiscordServiceException.Invalid("embeds", $"embeds: all titles, descriptions and fields together must be at most {DiscordLimits.EmbedTotalCharacters} characters, got {total}.");
        return result;
    }

    /// <summary>An emoji argument: a unicode emoji, <c>name:id</c> or <c>&lt;:name:id&gt;</c>, as (key for the API, label, custom id).</summary>
    public static (string Api, string Label, Snowflake? CustomId) Emoji(string? emoji)
    {
        var value = (emoji ?? "").Trim();
        if (value.Length == 0 || value.Length > 100)
            throw DiscordServiceException.Invalid("emoji", "emoji must be a unicode emoji (e.g. 👍) or a custom emoji as name:id (1–100 characters).");
        if (value.StartsWith('<') && value.EndsWith('>'))
        {
            var inner = value[1..^1];
            value = inner.StartsWith("a:", StringComparison.Ordinal) ? inner[2..] : inner.TrimStart(':');
        }
        var colon = value.LastIndexOf(':');
        if (colon >= 0)
        {
            var name = value[..colon];
            if (name.Length == 0 || !Snowflake.TryParse(value[(colon + 1)..], out var id) || !CustomName().IsMatch(name))
                throw DiscordServiceException.Invalid("emoji", $"emoji: a custom emoji is name:id (e.g. party:1234567890123), got \"{UntrustedText.Inline(emoji)}\".");
            return ($"{name}:{id}", $":{name}:", id);
        }
        if (value.Any(c => char.IsAsciiLetterOrDigit(c) || char.IsWhiteSpace(c)))
            throw DiscordServiceException.Invalid("emoji", $"emoji must be a unicode emoji (e.g. 👍) or a custom emoji as name:id, got \"{UntrustedText.Inline(emoji)}\".");
        return (value, value, null);
    }

    /// <summary>Whether the reaction is the <paramref name="emoji"/> (custom: by id; unicode: by the character sequence).</summary>
    public static bool IsEmoji(Reaction reaction, (string Api, string Label, Snowflake? CustomId) emoji) =>
        emoji.CustomId is { } id ? reaction.Emoji.Id == id : reaction.Emoji.Id is null && string.Equals(reaction.Emoji.Name, emoji.Api, StringComparison.Ordinal);

    [GeneratedRegex(@"<@&\d+>")]
    private static partial Regex RoleMention();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,32}$")]
    private static partial Regex CustomName();
}
