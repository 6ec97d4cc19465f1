using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using DiscordMcp.Agent;
using DiscordMcp.Discord.Client.Gateway;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Gateway;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Tests.Gateway;

/// <summary>An agent double: records what the gateway routes to it; can be held (a slow agent).</summary>
internal sealed class ScriptedAgent : IChatAgent
{
    private readonly Channel<MentionEvent> _mentions = Channel.CreateUnbounded<MentionEvent>();
    private readonly Channel<InteractionEvent> _buttons = Channel.CreateUnbounded<InteractionEvent>();

    /// <summary>While set and not completed, every mention waits for it (a slow model).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task HandleMentionAsync(MentionEvent mention, CancellationToken cancellationToken)
    {
        await _mentions.Writer.WriteAsync(mention, cancellationToken);
        if (Gate is { } gate)
            await gate.Task.WaitAsync(cancellationToken);
    }

    public async Task HandleButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken) =>
        await _buttons.Writer.WriteAsync(interaction, cancellationToken);

    public async Task<MentionEvent> NextMentionAsync() => await _mentions.Reader.ReadAsync().AsTask().WaitAsync(GatewayTestHost.Timeout);

    public async Task<InteractionEvent> NextButtonAsync() => await _buttons.Reader.ReadAsync().AsTask().WaitAsync(GatewayTestHost.Timeout);

    public bool TryTakeMention(out MentionEvent? mention) => _mentions.Reader.TryRead(out mention);
}

/// <summary>The real WebSocket transport, watched: counts heartbeat ACKs received and can hold a reconnect attempt.</summary>
internal sealed class WatchedTransports
{
    private int _acks;
    private int _connects;
    private TaskCompletionSource? _hold;
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _connectEntered = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _ackReached = new();

    public int Acks => Volatile.Read(ref _acks);

    public IGatewayTransport Create() => new Transport(this, new WebSocketGatewayTransport());

    /// <summary>The next connection attempt waits for the returned source.</summary>
    public TaskCompletionSource HoldNextConnect() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when connection attempt <paramref name="attempt"/> (1-based) has started.</summary>
    public Task ConnectStarted(int attempt) => _connectEntered.GetOrAdd(attempt, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Completes when <paramref name="count"/> heartbeat ACKs have been received in total.</summary>
    public Task AcksReached(int count)
    {
        var source = _ackReached.GetOrAdd(count, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Acks >= count)
            source.TrySetResult();
        return source.Task;
    }

    private sealed class Transport(WatchedTransports owner, IGatewayTransport inner) : IGatewayTransport
    {
        public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref owner._connects);
            owner._connectEntered.GetOrAdd(attempt, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (Interlocked.Exchange(ref owner._hold, null) is { } hold)
                await hold.Task.WaitAsync(cancellationToken);
            await inner.ConnectAsync(uri, cancellationToken);
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken) => inner.SendAsync(utf8Json, cancellationToken);

        public async ValueTask<GatewayReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
        {
            var result = await inner.ReceiveAsync(cancellationToken);
            if (!result.IsClose && Encoding.UTF8.GetString(result.Message.Span).Contains("\"op\":11", StringComparison.Ordinal))
            {
                var acks = Interlocked.Increment(ref owner._acks);
                foreach (var (count, source) in owner._ackReached)
                {
                    if (acks >= count)
                        source.TrySetResult();
                }
            }
            return result;
        }

        public Task CloseAsync(int closeCode, string reason, CancellationToken cancellationToken) => inner.CloseAsync(closeCode, reason, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>The HTTP host on the sandbox with the gateway and agent switched on, the agent replaced by <see cref="ScriptedAgent"/>.</summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public static readonly ulong GuildId = Id(DemoGuild.GuildId);
    public static readonly ulong BotId = Id(DemoGuild.BotUserId);

    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _interactions = new();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<bool>> _mentions = new();
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource> _registered = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ulong>> _posted = new();

    private GatewayTestHost(WebApplication app, ScriptedAgent agent, WatchedTransports transports)
    {
        App = app;
        Agent = agent;
        Transports = transports;
        Service = app.Services.GetRequiredService<DiscordGatewayService>();
        Service.InteractionHandled += i => Source(_interactions, i.Id).TrySetResult();
        Service.MentionHandled += (m, routed) => Source(_mentions, m.MessageId).TrySetResult(routed);
        Service.CommandsRegistered += g => Source(_registered, g).TrySetResult();
        app.Services.GetRequiredService<DiscordApprovals>().Posted += (id, message) => Source(_posted, id).TrySetResult(message);
    }

    public WebApplication App { get; }

    public ScriptedAgent Agent { get; }

    public WatchedTransports Transports { get; }

    public DiscordGatewayService Service { get; }

    public SandboxState Sandbox => App.Services.GetRequiredService<SandboxHost>().State;

    public SandboxHost SandboxHost => App.Services.GetRequiredService<SandboxHost>();

    public IPlatformStore Store => App.Services.GetRequiredService<IPlatformStore>();

    public DiscordRestClient Rest => App.Services.GetRequiredService<DiscordRestClient>();

    /// <param name="agentEnvironment">When set, the real agent runs with these variables (a scripted model); otherwise <see cref="ScriptedAgent"/> stands in for it.</param>
    public static async Task<GatewayTestHost> StartAsync(string? approvalsChannelIds = null, bool agent = true, IReadOnlyDictionary<string, string?>? agentEnvironment = null)
    {
        var environment = new Dictionary<string, string?> { ["ENABLE_GATEWAY"] = "true" };
        if (agent)
        {
            environment["AGENT_ENABLED"] = "true";
            environment["AGENT_API_KEY"] = "test-agent-key";
            environment["AGENT_MODEL"] = "scripted";
        }
        foreach (var (key, value) in agentEnvironment ?? new Dictionary<string, string?>())
            environment[key] = value;
        if (approvalsChannelIds is not null)
            environment["APPROVALS_CHANNEL_IDS"] = approvalsChannelIds;
        var scripted = new ScriptedAgent();
        var transports = new WatchedTransports();
        var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, environment: environment),
            configureServices: services =>
            {
                services.AddSecretScanCapture("Host.Tests Gateway").AddSingleton(new GatewayTransportFactory(transports.Create));
                if (agentEnvironment is null)
                    services.AddSingleton<IChatAgent>(scripted);
            });
        var host = new GatewayTestHost(app, scripted, transports);
        var registered = host.CommandsRegisteredIn(GuildId);
        await app.StartAsync();
        await registered;
        return host;
    }

    public Task CommandsRegisteredIn(ulong guildId) =>
        Service.RegisteredGuilds.Contains(guildId) ? Task.CompletedTask : Source(_registered, guildId).Task.WaitAsync(Timeout);

    /// <summary>Completes with true when the mention went to the agent, false when it was dropped (chat off).</summary>
    public Task<bool> MentionHandled(ulong messageId) => Source(_mentions, messageId).Task.WaitAsync(Timeout);

    public Task InteractionHandled(ulong interactionId) => Source(_interactions, interactionId).Task.WaitAsync(Timeout);

    public Task<ulong> ApprovalPosted(string actionId) => Source(_posted, actionId).Task.WaitAsync(Timeout);

    /// <summary>Posts as a user and returns the message id.</summary>
    public ulong Post(string channelId, string userId, string content, string? replyTo = null) =>
        Id((string)Sandbox.PostMessageAsUser(channelId, userId, content, replyTo)["id"]!);

    /// <summary>Runs a slash command and waits until the service has handled it; returns the sandbox's interaction record.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> SlashAsync(string channelId, string userId, string name, System.Text.Json.Nodes.JsonArray? options = null)
    {
        var handle = Sandbox.SimulateSlashCommand(DemoGuild.GuildId, channelId, userId, name, options);
        await InteractionHandled(Id(handle.Id));
        return Sandbox.GetInteractionRecord(handle.Id);
    }

    /// <summary>Presses a button and waits until the service has handled it; returns the sandbox's interaction record.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> ClickAsync(ulong messageId, string userId, string customId)
    {
        var handle = Sandbox.SimulateButtonClick(messageId.ToString(CultureInfo.InvariantCulture), userId, customId);
        await InteractionHandled(Id(handle.Id));
        return Sandbox.GetInteractionRecord(handle.Id);
    }

    public Task AllowChatAsync(string channelId) =>
        Store.SetChannelPolicyAsync(new ChannelPolicy(GuildId, ChannelPolicyScope.Channel, Id(channelId), AgentChat: AccessRule.Allow), CancellationToken.None);

    public static ulong Id(string id) => ulong.Parse(id, CultureInfo.InvariantCulture);

    private static TaskCompletionSource<T> Source<TKey, T>(ConcurrentDictionary<TKey, TaskCompletionSource<T>> map, TKey key) where TKey : notnull =>
        map.GetOrAdd(key, _ => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static TaskCompletionSource Source<TKey>(ConcurrentDictionary<TKey, TaskCompletionSource> map, TKey key) where TKey : notnull =>
        map.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync()
    {
        Agent.Gate?.TrySetResult();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
