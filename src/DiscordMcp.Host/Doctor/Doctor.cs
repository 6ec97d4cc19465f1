using System.Globalization;
using System.Net;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Storage;
using DiscordMcp.Storage.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace DiscordMcp.Host.Doctor;

/// <summary>The last <c>Date</c> header Discord sent (for the clock check); filled by <see cref="DateHeaderHandler"/>.</summary>
internal sealed class DiscordServerClock
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _date;

    public DateTimeOffset? LastDate
    {
        get
        {
            lock (_gate)
                return _date;
        }
    }

    public void Observe(DateTimeOffset? date)
    {
        if (date is not { } d)
            return;
        lock (_gate)
            _date = d;
    }
}

/// <summary>Records each Discord response's <c>Date</c> header.</summary>
internal sealed class DateHeaderHandler(DiscordServerClock clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        clock.Observe(response.Headers.Date);
        return response;
    }
}

/// <summary>
/// <c>discord-mcp doctor</c>'s checks, in order: configuration, database and migrations, Redis, the bot token, the
/// clock, privileged intents, guilds (bot vs installed), then the permissions each enabled toolset needs in each installed
/// guild, guild-wide and per channel. Nothing is changed: no migration is applied, nothing is installed.
/// </summary>
internal sealed class Doctor(IConfiguration configuration, TimeProvider time, DoctorReport report)
{
    /// <summary>Clock difference to Discord above which the doctor warns.</summary>
    public static readonly TimeSpan ClockSkewLimit = TimeSpan.FromSeconds(5);

    /// <summary>Application flags GATEWAY_MESSAGE_CONTENT (1 &lt;&lt; 18) and GATEWAY_MESSAGE_CONTENT_LIMITED (1 &lt;&lt; 19).</summary>
    private const long MessageContentFlags = (1L << 18) | (1L << 19);

    private const string InviteFix = "run 'discord-mcp invite-url' and open the URL to add the bot with every permission it needs";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        BotPermissionNeeds needs;
        try
        {
            needs = BotPermissionNeeds.FromConfiguration(configuration);
            report.Ok("toolsets", needs.ByToolset.Count == 0
                ? "no toolset is enabled"
                : $"enabled: {string.Join(", ", needs.ByToolset.Keys.Order(StringComparer.Ordinal))}{(McpReadOnly() ? " (READ_ONLY: reads only)" : "")}");
        }
        catch (InvalidOperationException ex)
        {
            report.Fail("toolsets", ex.Message, "fix TOOLSETS / READ_ONLY");
            return;
        }

        var installed = await CheckStorageAsync(cancellationToken);
        await CheckRedisAsync(cancellationToken);
        await CheckDiscordAsync(needs, installed, cancellationToken);
    }

    private bool McpReadOnly() => bool.TryParse(configuration["READ_ONLY"] ?? configuration["Mcp:ReadOnly"], out var b) && b;

    /// <summary>Database connectivity and migrations; the installed guilds when the database is usable, else null.</summary>
    private async Task<IReadOnlyList<GuildInstallation>?> CheckStorageAsync(CancellationToken cancellationToken)
    {
        ServiceProvider provider;
        try
        {
            // Only the database part of storage: Redis is checked on its own below.
            var databaseOnly = new ConfigurationBuilder().AddConfiguration(configuration)
                .AddInMemoryCollection([new(StorageServiceCollectionExtensions.RedisUrlKey, "")]).Build();
            provider = new ServiceCollection().AddDiscordMcpStorage(databaseOnly).AddStorageDiagnostics().BuildServiceProvider();
        }
        catch (FormatException ex)
        {
            report.Fail("database", $"the storage settings are not valid: {ex.Message}", "fix the setting named (DATABASE_URL takes sqlite:///path/to/file.db or postgres://user:password@host:5432/db)");
            return null;
        }
        await using (provider)
        {
            var status = await provider.GetRequiredService<IStorageDiagnostics>().CheckDatabaseAsync(cancellationToken);
            if (!status.Connected)
            {
                report.Fail("database", $"cannot use the {status.Provider} database at {status.Location}: {status.Error}",
                    status.Provider == "sqlite"
                        ? "start the server once ('discord-mcp serve' or 'discord-mcp stdio') to create it, or point DATABASE_URL at the existing file"
                        : "check that PostgreSQL runs and that DATABASE_URL names the right host, port, database, user and password");
                return null;
            }
            if (status.PendingMigrations.Count > 0)
            {
                report.Fail("migrations", $"{status.PendingMigrations.Count} migration(s) not applied to the {status.Provider} database at {status.Location} (next: {status.PendingMigrations[0]})",
                    "start the server once ('discord-mcp serve' or 'discord-mcp stdio'), or run any admin command such as 'discord-mcp workspaces list': each applies the migrations before it does anything else");
                return null;
            }
            report.Ok("database", $"{status.Provider} at {status.Location}: connected, schema up to date");
            var store = provider.GetRequiredService<IPlatformStore>();
            var installations = new List<GuildInstallation>();
            foreach (var workspace in await store.ListWorkspacesAsync(cancellationToken))
                installations.AddRange(await store.ListInstallationsAsync(workspace.Id, cancellationToken));
            return installations;
        }
    }

    private async Task CheckRedisAsync(CancellationToken cancellationToken)
    {
        if (configuration[StorageServiceCollectionExtensions.RedisUrlKey] is not { Length: > 0 } url)
        {
            report.Ok("redis", "REDIS_URL is not set: rate limits and pending actions stay in this process (fine for one server)");
            return;
        }
        ConfigurationOptions options;
        try
        {
            options = RedisUrl.Parse(url);
        }
        catch (FormatException ex)
        {
            report.Fail("redis", ex.Message, "set REDIS_URL to redis://[:password@]host:6379[/db]");
            return;
        }
        var where = RedisEndpoint.Describe(options);
        options.ConnectTimeout = 3000;
        options.ConnectRetry = 1;
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            var latency = await redis.GetDatabase().PingAsync();
            cancellationToken.ThrowIfCancellationRequested();
            report.Ok("redis", $"{where}: answered PING in {latency.TotalMilliseconds:0} ms");
        }
        catch (RedisException ex)
        {
            report.Fail("redis", $"cannot reach Redis at {where} ({ex.GetType().Name})",
                "start Redis or fix REDIS_URL (host, port, password); unset REDIS_URL to keep shared state in one process instead");
        }
    }

    private async Task CheckDiscordAsync(BotPermissionNeeds needs, IReadOnlyList<GuildInstallation>? installed, CancellationToken cancellationToken)
    {
        var section = configuration.GetSection("Discord");
        if (string.IsNullOrWhiteSpace(section["Token"]))
        {
            report.Fail("token", "DISCORD_BOT_TOKEN is not set", "copy the bot token from the Discord developer portal (Bot → Reset Token) into DISCORD_BOT_TOKEN (environment or .env)");
            return;
        }
        var clock = new DiscordServerClock();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRestClient(section).AddHttpMessageHandler(() => new DateHeaderHandler(clock));
        await using var provider = services.BuildServiceProvider();
        DiscordRestClient client;
        try
        {
            client = provider.GetRequiredService<DiscordRestClient>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            report.Fail("token", $"the Discord client settings are not valid: {string.Join("; ", ex.Failures)}", "fix the settings named above");
            return;
        }

        DiscordUser bot;
        try
        {
            bot = await client.GetCurrentUserAsync(cancellationToken);
        }
        catch (DiscordHttpException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            report.Fail("token", "Discord refused the bot token (401 Unauthorized)",
                "reset the token in the Discord developer portal (your application → Bot → Reset Token) and set DISCORD_BOT_TOKEN to the new one");
            return;
        }
        catch (DiscordException ex)
        {
            report.Fail("token", $"cannot ask Discord who the bot is ({ex.GetType().Name}: {ex.Message.TrimEnd('.')})",
                "check the network and Discord:BaseUrl; https://discordstatus.com shows outages");
            return;
        }
        report.Ok("token", $"valid: the bot is {bot.Username} (id {bot.Id})");

        CheckClock(clock);
        await CheckIntentsAsync(client, needs, cancellationToken);
        if (await CheckGuildsAsync(client, installed, cancellationToken) is { } reachable)
        {
            var probe = new DiscordBotPermissionProbe(client, TimeProvider.System);
            foreach (var guild in reachable)
                await CheckPermissionsAsync(client, probe, guild, needs, cancellationToken);
        }
    }

    private void CheckClock(DiscordServerClock clock)
    {
        if (clock.LastDate is not { } server)
        {
            report.Warn("clock", "Discord's answer had no Date header, so the clock could not be compared", "make sure this machine's clock is synchronised (NTP)");
            return;
        }
        var skew = time.GetUtcNow() - server;
        // The header has one-second resolution, so up to a second of difference is noise.
        if (skew.Duration() > ClockSkewLimit)
        {
            report.Warn("clock", $"this machine's clock is {skew.Duration().TotalSeconds:0} s {(skew > TimeSpan.Zero ? "ahead of" : "behind")} Discord's (limit {ClockSkewLimit.TotalSeconds:0} s); rate-limit waits, confirmation expiry and time-outs depend on it",
                "synchronise the clock (e.g. enable NTP: 'timedatectl set-ntp true' on Linux)");
            return;
        }
        report.Ok("clock", $"within {ClockSkewLimit.TotalSeconds:0} s of Discord's");
    }

    private async Task CheckIntentsAsync(DiscordRestClient client, BotPermissionNeeds needs, CancellationToken cancellationToken)
    {
        if (!needs.GatewayEnabled)
        {
            report.Ok("intents", "no privileged intent needed (the gateway is off)");
            return;
        }
        if (!needs.AgentEnabled)
        {
            report.Ok("intents", "no privileged intent needed (the gateway uses GUILDS only; the agent is off)");
            return;
        }
        DiscordApplication application;
        try
        {
            application = await client.GetCurrentApplicationAsync(cancellationToken);
        }
        catch (DiscordException ex)
        {
            report.Warn("intents", $"cannot read the application's settings ({ex.GetType().Name}), so the Message Content intent was not checked",
                "make sure 'Message Content Intent' is on in the developer portal (your application → Bot → Privileged Gateway Intents)");
            return;
        }
        var configuredId = configuration["Discord:ClientId"];
        if (!string.IsNullOrWhiteSpace(configuredId) && configuredId.Trim() != application.Id.ToString())
        {
            report.Warn("application", $"DISCORD_CLIENT_ID is {configuredId.Trim()} but the token belongs to application {application.Id}",
                $"set DISCORD_CLIENT_ID={application.Id} (or remove it: invite-url then asks Discord)");
        }
        if (application.Flags is { } flags && (flags & MessageContentFlags) == 0)
        {
            report.Fail("intents", $"the agent (AGENT_ENABLED) needs the privileged Message Content intent, which application {application.Id} does not have: Discord would close the gateway (4014)",
                "turn on 'Message Content Intent' in the developer portal (your application → Bot → Privileged Gateway Intents), or set AGENT_ENABLED=false");
            return;
        }
        report.Ok("intents", "Message Content (needed by the agent) is enabled for the application");
    }

    /// <summary>Compares the bot's guilds with the installed ones; returns the installed guilds the bot is in (null: stop).</summary>
    private async Task<IReadOnlyList<(ulong Id, string Name)>?> CheckGuildsAsync(DiscordRestClient client, IReadOnlyList<GuildInstallation>? installed, CancellationToken cancellationToken)
    {
        var botGuilds = new List<PartialGuild>();
        try
        {
            Snowflake? after = null;
            while (true)
            {
                var page = await client.GetCurrentUserGuildsAsync(after: after, limit: DiscordLimits.MyGuildsLimitMax, cancellationToken: cancellationToken);
                botGuilds.AddRange(page);
                if (page.Count < DiscordLimits.MyGuildsLimitMax)
                    break;
                after = page[^1].Id;
            }
        }
        catch (DiscordException ex)
        {
            report.Fail("guilds", $"cannot list the bot's guilds ({ex.GetType().Name}: {ex.Message.TrimEnd('.')})", "check the network and try again");
            return null;
        }
        var byId = botGuilds.ToDictionary(g => g.Id.Value);
        if (botGuilds.Count == 0)
        {
            report.Fail("guilds", "the bot is in no guild", InviteFix);
            return null;
        }
        report.Ok("guilds", $"the bot is in {botGuilds.Count} guild(s): {string.Join(", ", botGuilds.Take(10).Select(g => $"{Clean(g.Name)} ({g.Id})"))}{(botGuilds.Count > 10 ? ", …" : "")}");
        if (installed is null)
            return null; // the database check failed; reported above
        if (installed.Count == 0)
        {
            report.Fail("installed", "no guild is installed in any workspace, so every tool call is refused",
                $"install one: 'discord-mcp guilds install {botGuilds[0].Id} --workspace default' (or set ALLOWED_GUILD_IDS and start the server)");
            return null;
        }
        var reachable = new List<(ulong, string)>();
        foreach (var installation in installed.OrderBy(i => i.GuildId))
        {
            if (byId.TryGetValue(installation.GuildId, out var guild))
            {
                reachable.Add((installation.GuildId, Clean(guild.Name)));
                continue;
            }
            report.Warn("installed", $"guild {installation.GuildId} is installed in workspace '{installation.WorkspaceId}' but the bot is not in it: its tools calls are refused",
                $"{InviteFix} to that guild, or uninstall it: 'discord-mcp guilds uninstall {installation.GuildId}'");
        }
        var notInstalled = botGuilds.Where(g => installed.All(i => i.GuildId != g.Id.Value)).ToList();
        if (notInstalled.Count > 0)
        {
            report.Warn("installed", $"the bot is in {notInstalled.Count} guild(s) no workspace has installed, so tools refuse them: {string.Join(", ", notInstalled.Take(10).Select(g => $"{Clean(g.Name)} ({g.Id})"))}",
                $"install the ones tools should use: 'discord-mcp guilds install {notInstalled[0].Id} --workspace default'");
        }
        if (reachable.Count == 0)
        {
            report.Fail("installed", "the bot is in none of the installed guilds, so no tool can act", InviteFix);
            return null;
        }
        report.Ok("installed", $"{reachable.Count} installed guild(s) the bot is in: {string.Join(", ", reachable.Select(g => $"{g.Item2} ({g.Item1})"))}");
        return reachable;
    }

    private async Task CheckPermissionsAsync(DiscordRestClient client, DiscordBotPermissionProbe probe, (ulong Id, string Name) guild, BotPermissionNeeds needs, CancellationToken cancellationToken)
    {
        var check = $"permissions {guild.Name}";
        DiscordPermissions guildWide;
        IReadOnlyList<DiscordChannel> channels;
        try
        {
            guildWide = (DiscordPermissions)await probe.GetGuildPermissionsAsync(guild.Id, cancellationToken);
            channels = await client.GetGuildChannelsAsync(new Snowflake(guild.Id), cancellationToken);
        }
        catch (DiscordException ex)
        {
            report.Warn(check, $"cannot read the bot's permissions in {guild.Name} ({guild.Id}): {ex.GetType().Name}", "check the network and try again");
            return;
        }
        if (guildWide.HasFlag(DiscordPermissions.Administrator))
        {
            report.Ok(check, "the bot has Administrator: every permission, in every channel (consider granting only what 'discord-mcp invite-url' lists)");
            return;
        }
        var problems = 0;
        foreach (var (feature, need) in needs.Features)
        {
            var missing = need & ~guildWide;
            if (missing == DiscordPermissions.None)
                continue;
            problems++;
            report.Warn(check, $"{Feature(feature)} lacks {BotPermissionNeeds.Describe(missing)} guild-wide in {guild.Name} ({guild.Id})",
                $"give the bot's role {BotPermissionNeeds.Describe(missing)} (Server Settings → Roles), or re-invite it with 'discord-mcp invite-url'");
        }

        foreach (var channel in channels.Where(c => c.Type is ChannelType.GuildText or ChannelType.GuildAnnouncement or ChannelType.GuildForum or ChannelType.GuildMedia)
                     .OrderBy(c => c.Position ?? int.MaxValue).ThenBy(c => c.Id.Value))
        {
            var inChannel = (DiscordPermissions)await probe.GetChannelPermissionsAsync(guild.Id, channel.Id.Value, cancellationToken);
            var name = $"#{Clean(channel.Name ?? channel.Id.ToString())}";
            if (guildWide.HasFlag(DiscordPermissions.ViewChannel) && !inChannel.HasFlag(DiscordPermissions.ViewChannel))
            {
                problems++;
                report.Warn(check, $"the bot cannot see {name} ({channel.Id}): an overwrite denies View Channel, so no tool can use that channel",
                    $"if tools should work there, allow View Channel for the bot's role in {name} (Edit Channel → Permissions); otherwise nothing to do");
                continue;
            }
            foreach (var (feature, need) in needs.Features)
            {
                // Only what the bot has guild-wide and an overwrite takes away here; guild-only permissions are not per channel.
                var denied = need & ~BotPermissionNeeds.GuildOnly & ~DiscordPermissionSet.VoiceOnly & ~DiscordPermissions.Connect & guildWide & ~inChannel;
                if (denied == DiscordPermissions.None)
                    continue;
                problems++;
                report.Warn(check, $"{Feature(feature)} lacks {BotPermissionNeeds.Describe(denied)} in {name} ({channel.Id}): a channel overwrite denies it",
                    $"in {name} → Edit Channel → Permissions, allow {BotPermissionNeeds.Describe(denied)} for the bot's role (or remove the deny), if the {feature} tools should work there");
            }
        }
        if (problems == 0)
            report.Ok(check, $"the bot has every permission the enabled features need in {guild.Name} ({guild.Id}), in all {channels.Count(c => c.Type != ChannelType.GuildCategory)} channels");
    }

    private static string Feature(string feature) => feature == BotPermissionNeeds.GatewayFeature ? "the gateway/agent" : $"toolset {feature}";

    /// <summary>Names come from Discord (anyone with Manage Server sets them): control characters are dropped before printing.</summary>
    private static string Clean(string text) => new(text.Where(c => !char.IsControl(c)).Take(100).ToArray());

    internal static string Id(ulong id) => id.ToString(CultureInfo.InvariantCulture);
}
