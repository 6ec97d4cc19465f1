using System.Globalization;
using System.Text;
using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Discord;

/// <summary>Compact message views and the text transcript built from them; user-authored parts are sanitized and fenced.</summary>
public static class Transcript
{
    private const int MaxEmbedText = 200;

    public static MessageView View(DiscordMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var author = UntrustedText.Inline(m.Author.GlobalName ?? m.Author.Username);
        var replyAuthor = m.ReferencedMessage?.Author is { } ra ? UntrustedText.Inline(ra.GlobalName ?? ra.Username) : null;
        var attachments = m.Attachments.Select(a =>
            $"{UntrustedText.Inline(a.Filename)} ({a.ContentType ?? "file"}, {Size(a.Size)})").ToList();
        var embeds = m.Embeds.Select(Embed).ToList();
        var reactions = (m.Reactions ?? []).Select(r => $"{(r.Emoji.Id is null ? r.Emoji.Name : ":" + r.Emoji.Name + ":")} {r.Count}").ToList();
        return new MessageView(m.Id.ToString(), m.ChannelId.ToString(), m.Author.Id.ToString(), author, m.Author.Bot ?? false,
            AuditLogFormatter.Iso(m.Timestamp), m.EditedTimestamp is { } e ? AuditLogFormatter.Iso(e) : null,
            UntrustedText.Sanitize(m.Content), m.MessageReference?.MessageId?.ToString(), replyAuthor, attachments, embeds, reactions, m.Pinned);
    }

    private static string Embed(Embed e)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(e.Title))
            parts.Add($"title \"{Cut(e.Title)}\"");
        if (!string.IsNullOrEmpty(e.Description))
            parts.Add($"description \"{Cut(e.Description)}\"");
        if (e.Fields is { Count: > 0 } f)
            parts.Add($"{f.Count} field(s)");
        if (!string.IsNullOrEmpty(e.Url))
            parts.Add($"link {UntrustedText.Inline(e.Url)}");
        return $"embed ({e.Type ?? "rich"}): " + (parts.Count == 0 ? "no text" : string.Join(", ", parts));
    }

    private static string Cut(string text)
    {
        var clean = UntrustedText.Inline(text);
        return clean.Length <= MaxEmbedText ? clean : clean[..MaxEmbedText] + "…";
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    /// <summary>One transcript line per message; the whole user-authored part sits inside one untrusted block.</summary>
    public static string Render(IEnumerable<MessageView> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sb = new StringBuilder();
        foreach (var m in messages)
        {
            sb.Append('[').Append(m.Time).Append("] ").Append(m.Author).Append(m.AuthorIsBot ? " [bot]" : "").Append(" (msg ").Append(m.Id).Append(')');
            if (m.ReplyToMessageId is not null)
                sb.Append(" ↪ reply to ").Append(m.ReplyToAuthor ?? "a message").Append(" (msg ").Append(m.ReplyToMessageId).Append(')');
            if (m.EditedTime is not null)
                sb.Append(" (edited)");
            sb.Append(": ").Append(m.Content.Replace("\n", "\n    ", StringComparison.Ordinal));
            foreach (var a in m.Attachments)
                sb.Append("\n    📎 ").Append(a);
            foreach (var e in m.Embeds)
                sb.Append("\n    ▣ ").Append(e);
            if (m.Reactions.Count > 0)
                sb.Append("\n    reactions: ").Append(string.Join(", ", m.Reactions));
            sb.Append('\n');
        }
        return UntrustedText.Fence("discord-messages", sb.ToString().TrimEnd('\n'));
    }
}
