using System.Globalization;
using System.Net;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Admin;

/// <summary>The channel check could not be done at all (Discord unreachable, token rejected): nothing may be applied.</summary>
internal sealed class PolicyChannelCheckException(string message) : Exception(message);

/// <summary>
/// Checks a policy file's <c>category</c> and <c>channel</c> ids against Discord, with the same client configuration as
/// the server (<c>DISCORD_BOT_TOKEN</c>, <c>Discord:BaseUrl</c>, …): each guild's channels are listed once; an id not in
/// the list is looked up once more (a thread is a valid <c>channel</c> target and is not listed). The admin CLI otherwise
/// works only on the database, so without this check a typo in an id would be applied silently.
/// </summary>
internal sealed class PolicyChannelCheck(ServiceProvider provider) : IAsyncDisposable
{
    private const int NamesShown = 5;

    private readonly DiscordRestClient _client = provider.GetRequiredService<DiscordRestClient>();

    /// <summary>
    /// The check's client when a bot token is configured, else null. A malformed client setting (e.g. <c>Discord:BaseUrl</c>)
    /// throws <see cref="OptionsValidationException"/> naming it.
    /// </summary>
    public static PolicyChannelCheck? Create(IConfiguration configuration)
    {
        var section = configuration.GetSection("Discord");
        if (string.IsNullOrWhiteSpace(section["Token"]))
            return null;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRestClient(section);
        var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value; // validates the options now
            return new PolicyChannelCheck(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Problems for every category/channel entry whose id is not a channel of its guild, or is the wrong kind for its
    /// scope. Entries whose guild is in <paramref name="skipGuilds"/> (already reported, e.g. not installed) are left out.
    /// </summary>
    /// <exception cref="PolicyChannelCheckException">Discord could not be asked (unreachable, token rejected, rate limited).</exception>
    public async Task<List<PolicyProblem>> CheckAsync(PolicyDocument document, IReadOnlySet<ulong> skipGuilds, CancellationToken cancellationToken)
    {
        var problems = new List<PolicyProblem>();
        var entries = Enumerable.Range(0, document.Channels.Count)
            .Where(i => document.Channels[i].Scope is ChannelPolicyScope.Category or ChannelPolicyScope.Channel && !skipGuilds.Contains(document.Channels[i].GuildId))
            .ToList();
        foreach (var guild in entries.GroupBy(i => document.Channels[i].GuildId))
        {
            var guildId = guild.Key;
            IReadOnlyList<DiscordChannel> channels;
            try
            {
                channels = await _client.GetGuildChannelsAsync(new Snowflake(guildId), cancellationToken);
            }
            catch (DiscordHttpException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                // The bot is not in the guild (or the guild does not exist): no id of it can be checked, so none is accepted.
                problems.Add(new($"{document.ChannelPaths[guild.First()]}.guild",
                    $"cannot list the channels of guild {guildId}: Discord answered {(int)ex.StatusCode} {ex.DiscordMessage} (is the bot in this guild?). Use --offline to apply without checking."));
                continue;
            }
            catch (DiscordException ex)
            {
                throw new PolicyChannelCheckException(Failure(ex));
            }
            var byId = channels.ToDictionary(c => c.Id.Value);
            foreach (var i in guild)
            {
                var entry = document.Channels[i];
                var path = $"{document.ChannelPaths[i]}.id";
                var wantCategory = entry.Scope == ChannelPolicyScope.Category;
                if (!byId.TryGetValue(entry.TargetId, out var channel))
                {
                    if (!wantCategory && await ThreadOfGuildAsync(entry.TargetId, guildId, cancellationToken))
                        continue;
                    problems.Add(new(path, $"{Kind(wantCategory)} {Id(entry.TargetId)} is not a {Kind(wantCategory)} of guild {Id(guildId)} ({Known(channels, wantCategory)})."));
                }
                else if (wantCategory && channel.Type != ChannelType.GuildCategory)
                {
                    problems.Add(new(path, $"{Id(entry.TargetId)} is the channel {Name(channel)} of guild {Id(guildId)}, not a category; use \"scope\": \"channel\" (or a category: {Known(channels, true)})."));
                }
                else if (!wantCategory && channel.Type == ChannelType.GuildCategory)
                {
                    problems.Add(new(path, $"{Id(entry.TargetId)} is the category {Name(channel)} of guild {Id(guildId)}, not a channel; use \"scope\": \"category\"."));
                }
            }
        }
        return problems;
    }

    private async Task<bool> ThreadOfGuildAsync(ulong id, ulong guildId, CancellationToken cancellationToken)
    {
        try
        {
            var channel = await _client.GetChannelAsync(new Snowflake(id), cancellationToken);
            return channel.GuildId?.Value == guildId && channel.Type is ChannelType.PublicThread or ChannelType.PrivateThread or ChannelType.AnnouncementThread;
        }
        catch (DiscordHttpException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return false; // unknown, or not visible to the bot: reported as not a channel of the guild
        }
        catch (DiscordException ex)
        {
            throw new PolicyChannelCheckException(Failure(ex));
        }
    }

    private static string Failure(DiscordException ex) => ex switch
    {
        DiscordHttpException { StatusCode: HttpStatusCode.Unauthorized } =>
            "Discord rejected the bot token (401 Unauthorized), so channel ids could not be checked. Fix DISCORD_BOT_TOKEN, or use --offline to apply without checking.",
        DiscordProtocolException => $"cannot reach Discord to check channel ids ({ex.Message.TrimEnd('.')}). Check Discord:BaseUrl and the network, or use --offline to apply without checking.",
        _ => $"cannot check channel ids with Discord ({ex.Message.TrimEnd('.')}). Use --offline to apply without checking.",
    };

    private static string Kind(bool category) => category ? "category" : "channel";

    private static string Known(IReadOnlyList<DiscordChannel> channels, bool categories)
    {
        // Sidebar order: channels without a category first, then by their category's position, then their own.
        var categoryPositions = channels.Where(c => c.Type == ChannelType.GuildCategory).ToDictionary(c => c.Id, c => c.Position ?? int.MaxValue);
        var names = channels.Where(c => (c.Type == ChannelType.GuildCategory) == categories)
            .OrderBy(c => c.ParentId is { } parent ? categoryPositions.GetValueOrDefault(parent, int.MaxValue) : -1)
            .ThenBy(c => c.Position ?? int.MaxValue).ThenBy(c => c.Id.Value).Select(Name).ToList();
        if (names.Count == 0)
            return categories ? "it has no categories" : "it has no channels";
        var shown = string.Join(", ", names.Take(NamesShown));
        return $"it has {shown}{(names.Count > NamesShown ? $", … {names.Count} in all" : "")}";
    }

    /// <summary>Names come from Discord (anyone with Manage Channels sets them): control characters are dropped before printing.</summary>
    private static string Name(DiscordChannel channel)
    {
        var name = new string((channel.Name ?? "").Where(c => !char.IsControl(c)).Take(100).ToArray());
        return channel.Type == ChannelType.GuildCategory ? $"'{name}'" : $"#{name}";
    }

    private static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();
}
