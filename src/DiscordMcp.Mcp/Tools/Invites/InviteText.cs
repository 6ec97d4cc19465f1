using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Models;

namespace DiscordMcp.Mcp.Tools.Invites;

/// <summary>One invite as the invite tools show it. Invite codes are not secrets: anyone with the link can see them.</summary>
internal sealed record InviteView(
    string Code,
    string Url,
    string? ChannelId,
    string? ChannelName,
    string? Inviter,
    int? Uses,
    int? MaxUses,
    int? MaxAgeSeconds,
    bool? Temporary,
    string? CreatedAt,
    string? ExpiresAt);

/// <summary>The invites of a guild or one channel.</summary>
internal sealed record InviteList(string GuildId, string? ChannelId, IReadOnlyList<InviteView> Invites, string Notice);

/// <summary>Shared by the invite tools: code parsing and rendering.</summary>
internal static partial class InviteText
{
    /// <summary>The code of <c>abc123</c>, <c>discord.gg/abc123</c> or <c>https://discord.com/invite/abc123</c>, or an error naming <paramref name="argument"/>.</summary>
    public static string Code(string? value, string argument)
    {
        var text = (value ?? "").Trim().TrimEnd('/');
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
            text = text[(slash + 1)..];
        var query = text.IndexOfAny(['?', '#']);
        if (query >= 0)
            text = text[..query];
        if (!CodePattern().IsMatch(text))
            throw DiscordServiceException.Invalid(argument,
                $"{argument} must be an invite code (1–100 letters, digits, dashes or underscores) or an invite link such as https://discord.gg/abc123, got \"{UntrustedText.Inline(value is { Length: > 40 } ? value[..40] + "…" : value ?? "")}\".");
        return text;
    }

    public static string Url(string code) => "https://discord.gg/" + code;

    public static InviteView View(DiscordInvite invite) => new(
        invite.Code, Url(invite.Code), invite.Channel?.Id.ToString(), invite.Channel is { } c ? Writes.WriteText.Channel(c.Type, c.Name) : null,
        invite.Inviter is { } u ? "@" + UntrustedText.Inline(u.GlobalName ?? u.Username) : null,
        invite.Uses, invite.MaxUses, invite.MaxAge, invite.Temporary,
        invite.CreatedAt is { } created ? created.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : null,
        invite.ExpiresAt is { } expires ? expires.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : null);

    public static string Line(InviteView v) =>
        $"{v.Url} → {v.ChannelName ?? "unknown channel"}" + (v.Inviter is null ? "" : $", by {v.Inviter}")
        + (v.Uses is { } uses ? $", used {uses}{(v.MaxUses is > 0 ? "/" + v.MaxUses : "")} times" : "")
        + (v.ExpiresAt is { } e ? $", expires {e}" : v.MaxAgeSeconds == 0 ? ", never expires" : "")
        + (v.Temporary == true ? ", temporary membership" : "");

    public static string Age(int seconds) => seconds switch
    {
        0 => "never",
        _ when seconds % 86400 == 0 => $"after {seconds / 86400} day{(seconds == 86400 ? "" : "s")}",
        _ when seconds % 3600 == 0 => $"after {seconds / 3600} hour{(seconds == 3600 ? "" : "s")}",
        _ when seconds % 60 == 0 => $"after {seconds / 60} minute{(seconds == 60 ? "" : "s")}",
        _ => $"after {seconds} seconds",
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex CodePattern();
}
