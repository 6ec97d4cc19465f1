using System.Collections.Concurrent;
using System.Text.Json;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;

namespace DiscordMcp.Host.Gateway;

/// <summary>What chat routing needs to know about a channel.</summary>
internal sealed record ChannelInfo(ulong Id, ulong GuildId, ChannelType Type, ulong? ParentId, string? Name)
{
    public bool IsThread => Type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread;

    public bool IsCategory => Type == ChannelType.GuildCategory;
}

/// <summary>
/// The guild channels and threads the gateway has told us about (GUILD_CREATE, CHANNEL_*, THREAD_*), with the REST
/// client as the fallback for one not seen yet.
/// </summary>
internal sealed class ChannelDirectory(DiscordRestClient rest)
{
    private readonly ConcurrentDictionary<ulong, ChannelInfo> _channels = new();

    public void Put(ChannelInfo channel) => _channels[channel.Id] = channel;

    public void Remove(ulong channelId) => _channels.TryRemove(channelId, out _);

    public IEnumerable<ChannelInfo> InGuild(ulong guildId) => _channels.Values.Where(c => c.GuildId == guildId);

    /// <summary>Reads a channel or thread object of a dispatch; null when it is not a guild channel.</summary>
    public static ChannelInfo? Read(JsonElement channel, ulong? guildId = null)
    {
        if (!TryId(channel, "id", out var id))
            return null;
        var guild = TryId(channel, "guild_id", out var g) ? g : guildId ?? 0;
        if (guild == 0)
            return null;
        var type = channel.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.Number ? (ChannelType)t.GetInt32() : ChannelType.GuildText;
        ulong? parent = TryId(channel, "parent_id", out var p) ? p : null;
        var name = channel.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new ChannelInfo(id, guild, type, parent, name);
    }

    /// <summary>Records the channels and threads of a GUILD_CREATE.</summary>
    public void PutGuild(JsonElement guild)
    {
        if (!TryId(guild, "id", out var guildId))
            return;
        foreach (var list in new[] { "channels", "threads" })
        {
            if (!guild.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var item in items.EnumerateArray())
            {
                if (Read(item, guildId) is { } channel)
                    Put(channel);
            }
        }
    }

    /// <summary>The channel, from the cache or Discord; null when Discord does not know it (or it is not in a guild).</summary>
    public async Task<ChannelInfo?> GetAsync(ulong channelId, CancellationToken cancellationToken)
    {
        if (_channels.TryGetValue(channelId, out var known))
            return known;
        DiscordChannel channel;
        try
        {
            channel = await rest.GetChannelAsync(new Snowflake(channelId), cancellationToken);
        }
        catch (DiscordHttpException ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden)
        {
            return null;
        }
        if (channel.GuildId is not { } guildId)
            return null;
        var info = new ChannelInfo(channel.Id.Value, guildId.Value, channel.Type, channel.ParentId?.Value, channel.Name);
        Put(info);
        return info;
    }

    internal static bool TryId(JsonElement element, string name, out ulong id)
    {
        id = 0;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && ulong.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id) && id > 0;
    }
}
