using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Host.Gateway;

/// <summary>How the gateway connects (a seam: tests wrap the WebSocket transport to watch heartbeat ACKs).</summary>
internal sealed record GatewayTransportFactory(Func<IGatewayTransport> Create);

/// <summary>What the gateway service was configured to do.</summary>
/// <param name="AgentEnabled">Route mentions to the agent (needs GUILD_MESSAGES and the privileged MESSAGE_CONTENT intent).</param>
internal sealed record GatewaySettings(string Token, bool AgentEnabled)
{
    /// <summary>Only what is used: GUILDS (guilds, channels, threads) always; messages and their content for the agent.</summary>
    public GatewayIntents Intents => AgentEnabled
        ? GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.MessageContent
        : GatewayIntents.Guilds;

    public override string ToString() => $"GatewaySettings {{ Token = (redacted), AgentEnabled = {AgentEnabled} }}";
}

/// <summary>
/// The Discord gateway (on with <c>ENABLE_GATEWAY</c> or <c>AGENT_ENABLED</c>). The dispatch loop only parses and
/// queues: mentions, interactions and command registrations each go to bounded queues drained by their own workers, so
/// a slow agent never holds up the loop, and heartbeats run on the client's own timer regardless.
/// </summary>
internal sealed partial class DiscordGatewayService(
    GatewaySettings settings, DiscordRestClient rest, ChannelDirectory channels, ChatAccess access, ChatCommands commands,
    DiscordApprovals approvals, IInteractionResponder responder, ShardLeaseKeeper leases, IEventClaims claims,
    IServiceProvider services, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    /// <summary>Application flags: GATEWAY_MESSAGE_CONTENT (verified bots) and GATEWAY_MESSAGE_CONTENT_LIMITED.</summary>
    private const long MessageContentFlags = (1L << 18) | (1L << 19);
    // Mentions wait on a model for seconds, so many run at once (50 conversations across channels are answered together,
    // docs/benchmarks.md §8); the agent's per-channel concurrency and per-user cooldown bound them further. Interactions
    // are short (a store write, a Discord call).
    private const int MentionWorkers = 64;
    private const int InteractionWorkers = 8;
    // An event is claimed (cluster-wide) before it is handled; the claim outlives an interaction's 15-minute token.
    private static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(20);

    private readonly ILogger _logger = loggers.CreateLogger<DiscordGatewayService>();
    private readonly Channel<MentionEvent> _mentions = Bounded<MentionEvent>(1024);
    private readonly Channel<InteractionEvent> _interactions = Bounded<InteractionEvent>(1024);
    private readonly Channel<(ulong GuildId, GatewayClient Client)> _registrations = Bounded<(ulong GuildId, GatewayClient Client)>(4096);
    private readonly ConcurrentDictionary<ulong, bool> _registered = new();
    private readonly TaskCompletionSource<GatewayClient> _client = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The running client (tests read its state).</summary>
    public Task<GatewayClient> Client => _client.Task;

    /// <summary>Guilds whose commands were registered in this process.</summary>
    public IReadOnlyCollection<ulong> RegisteredGuilds => (IReadOnlyCollection<ulong>)_registered.Keys;

    /// <summary>Raised after a guild's commands were registered (tests wait on it).</summary>
    public event Action<ulong>? CommandsRegistered;

    /// <summary>Raised when a queued mention is done: true when it went to the agent, false when chat is off there.</summary>
    public event Action<MentionEvent, bool>? MentionHandled;

    /// <summary>Raised when an interaction has been handled (answered, or its handler failed).</summary>
    public event Action<InteractionEvent>? InteractionHandled;

    private static Channel<T> Bounded<T>(int capacity) => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleWriter = false, // one dispatch loop per shard
    });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Storage is migrated and bootstrapped before anything is routed (installations and policies live there).
        if (services.GetService<IPlatformReadiness>() is { } readiness)
            await readiness.WaitAsync(stoppingToken);
        if (settings.AgentEnabled)
            await CheckMessageContentFlagAsync(stoppingToken);

        var workers = new List<Task>();
        for (var i = 0; i < MentionWorkers; i++)
            workers.Add(Task.Run(() => MentionWorkerAsync(stoppingToken), CancellationToken.None));
        for (var i = 0; i < InteractionWorkers; i++)
            workers.Add(Task.Run(() => InteractionWorkerAsync(stoppingToken), CancellationToken.None));
        workers.Add(Task.Run(() => RegistrationWorkerAsync(stoppingToken), CancellationToken.None));
        workers.Add(Task.Run(() => approvals.RunPosterAsync(stoppingToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(Enumerable.Range(0, leases.Settings.ShardCount).Select(shard => RunShardAsync(shard, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _mentions.Writer.TryComplete();
            _interactions.Writer.TryComplete();
            _registrations.Writer.TryComplete();
            try
            {
                await Task.WhenAll(workers);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Connects shard <paramref name="shardId"/> only while this process holds its lease (docs/scaling.md): waits for the
    /// lease, runs the connection until the lease is lost (then stands by again) or the client stops for good.
    /// </summary>
    private async Task RunShardAsync(int shardId, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var held = await leases.AcquireAsync(shardId, stoppingToken);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held.Lost);
            var ended = await RunConnectionAsync(shardId, session.Token);
            if (ended || stoppingToken.IsCancellationRequested)
                return;
        }
    }

    /// <summary>One connection of one shard; true when the client stopped for good (the service ends, as before leases).</summary>
    private async Task<bool> RunConnectionAsync(int shardId, CancellationToken cancellationToken)
    {
        var client = new GatewayClient(
            new GatewayOptions { Token = settings.Token, Intents = settings.Intents, ShardId = shardId, ShardCount = leases.Settings.ShardCount },
            new RestGatewayUrlSource(rest),
            services.GetService<GatewayTransportFactory>()?.Create,
            timeProvider: time,
            logger: loggers.CreateLogger<GatewayClient>());
        await using var _ = client;
        try
        {
            await client.StartAsync(cancellationToken);
            _client.TrySetResult(client);
            Log.Started(_logger, settings.Intents);
            var loop = DispatchLoopAsync(client, cancellationToken);
            await Task.WhenAny(loop, client.Completion);
            if (client.Completion.IsFaulted && client.Completion.Exception?.InnerException is { } failure)
            {
                ReportStopped(failure);
                return true;
            }
            return !cancellationToken.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            try
            {
                await client.StopAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is GatewayStoppedException or OperationCanceledException or ObjectDisposedException)
            {
                // Stopping a client that already ended.
            }
        }
    }

    private async Task CheckMessageContentFlagAsync(CancellationToken cancellationToken)
    {
        try
        {
            var application = await rest.GetCurrentApplicationAsync(cancellationToken);
            if (application.Flags is { } flags && (flags & MessageContentFlags) == 0)
                Log.MessageContentMissing(_logger, application.Id.ToString());
        }
        catch (DiscordException ex)
        {
            Log.ApplicationCheckFailed(_logger, ex);
        }
    }

    private void ReportStopped(Exception failure)
    {
        if (failure is GatewayStoppedException { CloseCode: GatewayCloseCodes.DisallowedIntents })
        {
            Log.DisallowedIntents(_logger, settings.Intents.PrivilegedPart());
            return;
        }
        Log.GatewayStopped(_logger, failure);
    }

    private async Task DispatchLoopAsync(GatewayClient client, CancellationToken cancellationToken)
    {
        await foreach (var dispatch in client.Dispatches.ReadAllAsync(cancellationToken))
        {
            try
            {
                Route(client, dispatch);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                // Nothing a dispatch contains may end the loop.
                Log.DispatchIgnored(_logger, dispatch.EventName, ex);
            }
        }
    }

    /// <summary>Cheap, synchronous: parse, update the channel cache, queue work. Never awaits.</summary>
    private void Route(GatewayClient client, GatewayDispatch dispatch)
    {
        switch (dispatch.EventName)
        {
            case "GUILD_CREATE":
            {
                using var doc = dispatch.ParseData();
                channels.PutGuild(doc.RootElement);
                if (ChannelDirectory.TryId(doc.RootElement, "id", out var guildId) && !_registrations.Writer.TryWrite((guildId, client)))
                    Log.QueueFull(_logger, "command registration");
                break;
            }
            case "CHANNEL_CREATE" or "CHANNEL_UPDATE" or "THREAD_CREATE" or "THREAD_UPDATE":
            {
                using var doc = dispatch.ParseData();
                if (ChannelDirectory.Read(doc.RootElement) is { } channel)
                    channels.Put(channel);
                break;
            }
            case "CHANNEL_DELETE" or "THREAD_DELETE":
            {
                using var doc = dispatch.ParseData();
                if (ChannelDirectory.TryId(doc.RootElement, "id", out var id))
                    channels.Remove(id);
                break;
            }
            case "MESSAGE_CREATE" when settings.AgentEnabled:
            {
                if (GatewayEvents.ReadMention(dispatch.Data, client.CurrentUserId?.Value ?? 0) is { } mention && !_mentions.Writer.TryWrite(mention))
                    Log.QueueFull(_logger, "mention");
                break;
            }
            case "INTERACTION_CREATE":
            {
                using var doc = dispatch.ParseData();
                if (GatewayEvents.ReadInteraction(doc.RootElement) is { } interaction && !_interactions.Writer.TryWrite(interaction))
                    Log.QueueFull(_logger, "interaction");
                break;
            }
        }
    }

    private async Task MentionWorkerAsync(CancellationToken cancellationToken)
    {
        await foreach (var mention in _mentions.Reader.ReadAllAsync(cancellationToken))
        {
            if (!await ClaimAsync("message:" + mention.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken))
                continue;
            var routed = false;
            try
            {
                if (!await access.IsAllowedAsync(mention.GuildId, mention.ChannelId, cancellationToken))
                    continue;
                if (services.GetService<IChatAgent>() is not { } agent)
                {
                    Log.NoAgent(_logger);
                    continue;
                }
                routed = true;
                await agent.HandleMentionAsync(mention, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.HandlerFailed(_logger, "mention", ex);
            }
            finally
            {
                MentionHandled?.Invoke(mention, routed);
            }
        }
    }

    private async Task InteractionWorkerAsync(CancellationToken cancellationToken)
    {
        await foreach (var interaction in _interactions.Reader.ReadAllAsync(cancellationToken))
        {
            if (!await ClaimAsync("interaction:" + interaction.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken))
                continue;
            try
            {
                await HandleInteractionAsync(interaction, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.HandlerFailed(_logger, interaction.Kind == InteractionKind.SlashCommand ? "slash command" : "button", ex);
            }
            finally
            {
                InteractionHandled?.Invoke(interaction);
            }
        }
    }

    /// <summary>
    /// True when this process won the event: an event seen twice (by two processes while a shard moves, or replayed
    /// after RESUME) is handled once. When the claim store fails, the event is not handled (no double handling).
    /// </summary>
    private async Task<bool> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            if (await claims.TryClaimAsync(key, ClaimDuration, cancellationToken))
                return true;
            Log.DuplicateSkipped(_logger, key);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ClaimFailed(_logger, key, ex);
            return false;
        }
    }

    private async Task HandleInteractionAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        if (interaction.Kind == InteractionKind.SlashCommand)
        {
            await commands.HandleAsync(interaction, cancellationToken);
            return;
        }
        if (DiscordApprovals.IsApprovalButton(interaction.Name))
        {
            await approvals.HandleAsync(interaction, cancellationToken);
            return;
        }
        if (PlanButtons.IsRequesterButton(interaction.Name))
        {
            if (settings.AgentEnabled && services.GetService<IChatAgent>() is { } agent)
            {
                await agent.HandleButtonAsync(interaction, cancellationToken);
                return;
            }
        }
        await responder.ReplyEphemeralAsync(interaction, "This button is no longer active: the request it belonged to expired or was already decided. Nothing was changed.", cancellationToken);
    }

    private async Task RegistrationWorkerAsync(CancellationToken cancellationToken)
    {
        await foreach (var (guildId, client) in _registrations.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                if (_registered.ContainsKey(guildId) || await access.WorkspaceOfAsync(guildId, cancellationToken) is null || client.ApplicationId is not { } applicationId)
                    continue;
                await rest.BulkOverwriteCommandsAsync(applicationId, ChatCommands.Definitions, new Snowflake(guildId), cancellationToken);
                _registered[guildId] = true;
                Log.CommandsRegistered(_logger, guildId);
                CommandsRegistered?.Invoke(guildId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.RegistrationFailed(_logger, guildId, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Discord gateway: connecting with intents {Intents}")]
        public static partial void Started(ILogger logger, GatewayIntents intents);

        [LoggerMessage(2, LogLevel.Warning, "Discord gateway: application {ApplicationId} does not have the Message Content intent enabled; the in-Discord agent (AGENT_ENABLED) needs it to read mentions. Enable \"Message Content Intent\" in the developer portal (Bot page, Privileged Gateway Intents).")]
        public static partial void MessageContentMissing(ILogger logger, string applicationId);

        [LoggerMessage(3, LogLevel.Warning, "Discord gateway: could not read the application's flags (GET /applications/@me); the privileged-intent check was skipped")]
        public static partial void ApplicationCheckFailed(ILogger logger, Exception exception);

        [LoggerMessage(4, LogLevel.Critical, "Discord gateway stopped: Discord refused the privileged intent {Intents} (close code 4014). The in-Discord agent (AGENT_ENABLED) needs it to read mentions: enable \"Message Content Intent\" for this application in the developer portal (Bot page, Privileged Gateway Intents), then restart.")]
        public static partial void DisallowedIntents(ILogger logger, GatewayIntents intents);

        [LoggerMessage(5, LogLevel.Critical, "Discord gateway stopped; events, slash commands and the agent are unavailable until restart")]
        public static partial void GatewayStopped(ILogger logger, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "Discord gateway: ignored an unreadable {EventName} dispatch")]
        public static partial void DispatchIgnored(ILogger logger, string eventName, Exception exception);

        [LoggerMessage(7, LogLevel.Warning, "Discord gateway: the {Kind} queue is full; the event was dropped")]
        public static partial void QueueFull(ILogger logger, string kind);

        [LoggerMessage(8, LogLevel.Warning, "Discord gateway: AGENT_ENABLED is true but no agent is registered; the mention was ignored")]
        public static partial void NoAgent(ILogger logger);

        [LoggerMessage(9, LogLevel.Error, "Discord gateway: the {Kind} handler failed")]
        public static partial void HandlerFailed(ILogger logger, string kind, Exception exception);

        [LoggerMessage(10, LogLevel.Information, "Discord gateway: slash commands registered in guild {GuildId}")]
        public static partial void CommandsRegistered(ILogger logger, ulong guildId);

        [LoggerMessage(11, LogLevel.Warning, "Discord gateway: registering slash commands in guild {GuildId} failed")]
        public static partial void RegistrationFailed(ILogger logger, ulong guildId, Exception exception);

        [LoggerMessage(12, LogLevel.Information, "Discord gateway: {Key} was already claimed (handled by another process or a replay); skipped")]
        public static partial void DuplicateSkipped(ILogger logger, string key);

        [LoggerMessage(13, LogLevel.Error, "Discord gateway: could not claim {Key} (the shared store failed); the event was not handled, so that it cannot be handled twice")]
        public static partial void ClaimFailed(ILogger logger, string key, Exception exception);
    }
}
