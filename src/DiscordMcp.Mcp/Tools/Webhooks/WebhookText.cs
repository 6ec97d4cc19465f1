using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;

namespace DiscordMcp.Mcp.Tools.Webhooks;

/// <summary>
/// What the webhook tools share: the safety notice, argument checks, lookup inside the authorised guild and a view of a
/// webhook WITHOUT its token or URL (a webhook's token is a bearer credential: whoever has it can post as the webhook).
/// No tool returns either; an admin reveals the URL with <c>discord-mcp webhooks reveal ID</c>, which is audited.
/// </summary>
internal static class WebhookText
{
    /// <summary>Said by every webhook tool result that names a webhook.</summary>
    public static string Notice(string id) =>
        $"The webhook URL was not printed here for safety. An admin can reveal it with: discord-mcp webhooks reveal {id}";

    /// <summary>Channel types Discord lets a webhook post in.</summary>
    public static bool CanHost(ChannelType type) =>
        type is ChannelType.GuildText or ChannelType.GuildAnnouncement or ChannelType.GuildForum or ChannelType.GuildVoice or ChannelType.GuildStageVoice;

    /// <summary>A webhook name (also the execute username): 1–80 characters, without the words Discord reserves.</summary>
    public static string Name(string? value, string argument)
    {
        var name = WriteText.Required(value, argument, DiscordLimits.WebhookNameMin, DiscordLimits.WebhookNameMax);
        foreach (var forbidden in DiscordLimits.WebhookNameForbidden)
        {
            if (name.Contains(forbidden, StringComparison.OrdinalIgnoreCase))
                throw DiscordServiceException.Invalid(argument, $"{argument} must not contain \"{forbidden}\" (Discord reserves it).");
        }
        return name;
    }

    /// <summary>A webhook of the guild by id (<c>webhook_id</c>); a webhook of another guild is reported as not found.</summary>
    public static async Task<DiscordWebhook> LoadAsync(DiscordReadService discord, DiscordReadService.GuildContext ctx, string? webhookId, CancellationToken ct)
    {
        var id = DiscordReadService.ParseId(webhookId, "webhook_id", "webhook");
        DiscordWebhook webhook;
        try
        {
            webhook = await DiscordReadService.CallAsync(() => discord.Client.GetWebhookAsync(id, ct), "read the webhook");
        }
        catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
        {
            throw NotFound(id);
        }
        if (webhook.GuildId != ctx.Guild.Id)
            throw NotFound(id);
        return webhook;
    }

    private static DiscordServiceException NotFound(Snowflake id) =>
        new(DiscordErrorKind.NotFound, $"webhook_id: no webhook {id} in this guild. List them with discord_list_webhooks.", "webhook_id");

    /// <summary>The webhook's channel in the guild context (null when Discord reports a channel the guild list lacks).</summary>
    public static DiscordChannel? ChannelOf(DiscordReadService.GuildContext ctx, DiscordWebhook webhook) =>
        ctx.Channels.FirstOrDefault(c => c.Id == webhook.ChannelId);

    public static string ChannelLabel(DiscordReadService.GuildContext ctx, DiscordWebhook webhook) =>
        ChannelOf(ctx, webhook) is { } c ? WriteText.Channel(c) : $"channel {webhook.ChannelId}";

    /// <summary>"Deployments" (quoted, untrusted).</summary>
    public static string Quoted(string? name) => $"\"{UntrustedText.Inline(name)}\"";

    public static string TypeName(int type) => type switch
    {
        1 => "incoming",
        2 => "channel_follower",
        3 => "application",
        _ => "unknown",
    };

    /// <summary>The tool view: no token, no URL, by construction.</summary>
    public static WebhookView View(DiscordReadService.GuildContext ctx, DiscordWebhook w) => new(
        w.Id.ToString(), UntrustedText.Inline(w.Name), TypeName(w.Type), w.GuildId?.ToString(), w.ChannelId?.ToString(),
        ChannelOf(ctx, w)?.Name is { } n ? UntrustedText.Inline(n) : null,
        w.User is { } u ? UntrustedText.Inline(u.GlobalName ?? u.Username) : null,
        Notice(w.Id.ToString()));

    /// <summary>Discord's limit of webhooks per channel.</summary>
    public const int PerChannel = 15;

    /// <summary>Manage Webhooks, which every webhook tool needs of the bot.</summary>
    public const DiscordPermissions Permission = DiscordPermissions.ManageWebhooks;
}

/// <summary>A webhook as the tools show it. There is deliberately no token or URL field.</summary>
internal sealed record WebhookView(string Id, string Name, string Type, string? GuildId, string? ChannelId, string? ChannelName, string? CreatedBy, string UrlNotice);

/// <summary>The webhooks of a guild or channel.</summary>
internal sealed record WebhookList(string GuildId, string? ChannelId, IReadOnlyList<WebhookView> Webhooks, string UrlNotice);
