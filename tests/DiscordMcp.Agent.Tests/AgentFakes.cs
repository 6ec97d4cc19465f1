using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text.Json;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Testing.ScriptedChat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Agent.Tests;

/// <summary>Records what the agent does in Discord.</summary>
internal sealed class RecordingSurface : IAgentSurface
{
    private long _nextId = 9000;

    public ConcurrentQueue<(ulong Channel, ulong Id, OutgoingMessage Message)> Posts { get; } = new();
    public ConcurrentQueue<(ulong Channel, ulong Id, OutgoingMessage Message)> Edits { get; } = new();
    public ConcurrentQueue<string> Reactions { get; } = new();
    public List<ChannelMessage> Channel { get; } = [];
    public Dictionary<ulong, ChannelMessage> Messages { get; } = [];

    public Task AddReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken)
    {
        Reactions.Enqueue("+" + emoji);
        return Task.CompletedTask;
    }

    public Task RemoveOwnReactionAsync(ulong channelId, ulong messageId, string emoji, CancellationToken cancellationToken)
    {
        Reactions.Enqueue("-" + emoji);
        return Task.CompletedTask;
    }

    public Task TriggerTypingAsync(ulong channelId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ulong> PostAsync(ulong channelId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        Assert.True(message.Content.Length <= 2000, "a message over Discord's limit was posted");
        var id = (ulong)Interlocked.Increment(ref _nextId);
        Posts.Enqueue((channelId, id, message));
        return Task.FromResult(id);
    }

    public Task EditAsync(ulong channelId, ulong messageId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        Edits.Enqueue((channelId, messageId, message));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChannelMessage>> GetRecentMessagesAsync(ulong channelId, ulong beforeMessageId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChannelMessage>>([.. Channel.Where(m => m.Id < beforeMessageId).TakeLast(limit)]);

    public Task<ChannelMessage?> GetMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken) =>
        Task.FromResult(Messages.GetValueOrDefault(messageId));

    public string AllPosted => string.Join("\n---\n", Posts.Select(p => p.Message.Content));
}

internal sealed class RecordingResponder : IInteractionResponder
{
    public ConcurrentQueue<string> Ephemeral { get; } = new();
    public int Acknowledged;

    public Task ReplyEphemeralAsync(InteractionEvent interaction, string content, CancellationToken cancellationToken)
    {
        Ephemeral.Enqueue(content);
        return Task.CompletedTask;
    }

    public Task AcknowledgeButtonAsync(InteractionEvent interaction, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Acknowledged);
        return Task.CompletedTask;
    }

    public Task UpdateMessageAsync(InteractionEvent interaction, OutgoingMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Fake Discord tools over a real in-memory MCP server: a read, dry-run writes that return the write tools' structured
/// pending result (and store a pending action for the principal), the confirm/cancel tools, and a write without dry_run.
/// Records every call with its arguments and principal.
/// </summary>
internal sealed class FakeToolSessions(InMemoryPendingActionStore pending, TimeProvider time) : IAgentToolSessions
{
    public const string SecretWebhook = "https://discord.com/api/webhooks/123/SECRET-webhook-token-abc";

    public ConcurrentQueue<(AgentPrincipal Principal, string Tool, string Arguments)> Calls { get; } = new();
    public ConcurrentQueue<string> Executed { get; } = new();
    public string ReadText { get; set; } = "Alice: the deploy is broken\nBob: I will look at it";
    public bool DenyWrites { get; set; }
    private int _ids;

    public async Task<McpClient> ConnectAsync(AgentPrincipal principal, CancellationToken cancellationToken)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var options = new McpServerOptions { ServerInfo = new Implementation { Name = "fake", Version = "0" }, ToolCollection = [] };
        foreach (var tool in Tools(principal))
            options.ToolCollection.Add(tool);
        var server = McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()), options, NullLoggerFactory.Instance);
        _ = Task.Run(async () =>
        {
            await server.RunAsync();
            await server.DisposeAsync();
        }, CancellationToken.None);
        return await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), cancellationToken: cancellationToken);
    }

    private IEnumerable<McpServerTool> Tools(AgentPrincipal principal)
    {
        void Record(string tool, object args) => Calls.Enqueue((principal, tool, JsonSerializer.Serialize(args)));

        yield return McpServerTool.Create((string channel) =>
        {
            Record("discord_read_messages", new { channel });
            return ReadText;
        }, new McpServerToolCreateOptions { Name = "discord_read_messages", ReadOnly = true, Description = "Reads messages." });

        yield return McpServerTool.Create((string name, bool dry_run = true) =>
            Write(principal, "discord_create_channel", new { name, dry_run }, dry_run, approval: false, $"I would create the channel #{name}."),
            new McpServerToolCreateOptions { Name = "discord_create_channel", ReadOnly = false, Description = "Creates a channel." });

        yield return McpServerTool.Create((string user_id, bool dry_run = true) =>
            Write(principal, "discord_ban_member", new { user_id, dry_run }, dry_run, approval: true, $"I would ban the member {user_id}."),
            new McpServerToolCreateOptions { Name = "discord_ban_member", ReadOnly = false, Destructive = true, Description = "Bans a member." });

        yield return McpServerTool.Create((string confirmation_id) =>
        {
            Record("discord_confirm_action", new { confirmation_id });
            Executed.Enqueue(confirmation_id);
            return "Created #release-notes. (channel_id 42)";
        }, new McpServerToolCreateOptions { Name = "discord_confirm_action", ReadOnly = false });

        yield return McpServerTool.Create((string confirmation_id) =>
        {
            Record("discord_cancel_action", new { confirmation_id });
            return "Cancelled.";
        }, new McpServerToolCreateOptions { Name = "discord_cancel_action", ReadOnly = false });

        yield return McpServerTool.Create((string text) =>
        {
            Record("discord_send_raw", new { text });
            Executed.Enqueue("send_raw");
            return "sent";
        }, new McpServerToolCreateOptions { Name = "discord_send_raw", ReadOnly = false, Description = "A write without dry run." });

        yield return McpServerTool.Create(() =>
        {
            Record("discord_webhook_info", new { });
            return "webhook: (redacted by the server)";
        }, new McpServerToolCreateOptions { Name = "discord_webhook_info", ReadOnly = true });
    }

    private static readonly string[] Changes = ["- Name: x"];

    private CallToolResult Write(AgentPrincipal principal, string tool, object args, bool dryRun, bool approval, string sentence)
    {
        Calls.Enqueue((principal, tool, JsonSerializer.Serialize(args)));
        if (DenyWrites)
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "Denied (discord_permission): you lack Manage Channels in #general." }] };
        if (!dryRun)
        {
            Executed.Enqueue(tool);
            return new CallToolResult { Content = [new TextContentBlock { Text = "done" }] };
        }
        var id = "pa_" + Interlocked.Increment(ref _ids);
        var now = time.GetUtcNow();
        pending.CreateAsync(new PendingAction(id, "ws", "discord:" + principal.UserId, tool, "{}", "h", approval ? ToolMode.Approve : ToolMode.Confirm, principal.GuildId, now, now.AddMinutes(10)), default).AsTask().GetAwaiter().GetResult();
        var structured = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["status"] = approval ? "pending_approval" : "pending_confirmation",
            ["executed"] = false,
            ["plan"] = new Dictionary<string, object?> { ["summary"] = sentence, ["changes"] = Changes },
            ["confirmation_id"] = id,
            ["expires_at"] = now.AddMinutes(10).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["message"] = "Dry run. To run it, call discord_confirm_action with confirmation_id " + id,
        });
        return new CallToolResult { Content = [new TextContentBlock { Text = "Dry-run: " + sentence + " Confirmation id: " + id }], StructuredContent = structured };
    }
}

/// <summary>One agent with fakes around it and a scripted model.</summary>
internal sealed class AgentRig : IAsyncDisposable
{
    public const ulong Guild = 100, ChannelId = 200, Alice = 300, Mallory = 301;

    private AgentRig(ScriptedChatServer model, AgentSettings settings)
    {
        Model = model;
        Settings = settings;
        Pending = new InMemoryPendingActionStore(Time);
        Tools = new FakeToolSessions(Pending, Time);
        Agent = new ChatAgent(ChatClientFactory.Create(settings), Tools, Surface, Responder, Pending, settings, Time, NullLogger<ChatAgent>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    public ScriptedChatServer Model { get; }
    public AgentSettings Settings { get; }
    public InMemoryPendingActionStore Pending { get; }
    public FakeToolSessions Tools { get; }
    public RecordingSurface Surface { get; } = new();
    public RecordingResponder Responder { get; } = new();
    public ChatAgent Agent { get; }

    public static async Task<AgentRig> StartAsync(ChatWire wire, ScriptedStep[] steps, Func<AgentSettings, AgentSettings>? configure = null)
    {
        var model = await ScriptedChatServer.StartAsync(wire, steps);
        var settings = new AgentSettings
        {
            Provider = wire == ChatWire.OpenAI ? AgentProvider.OpenAICompatible : AgentProvider.Anthropic,
            Model = "scripted-model",
            BaseUrl = model.BaseUrl,
            ApiKey = "sk-SECRET-agent-key-1234",
        };
        return new AgentRig(model, configure?.Invoke(settings) ?? settings);
    }

    private ulong _messageId = 5000;

    public MentionEvent Mention(string text, ulong author = Alice, ulong? replyTo = null) =>
        new(Guild, ChannelId, ++_messageId, author, author == Alice ? "alice" : "mallory", "<@999> " + text, replyTo, Time.GetUtcNow());

    public Task AskAsync(string text, ulong author = Alice) => Agent.HandleMentionAsync(Mention(text, author), CancellationToken.None);

    public static InteractionEvent Press(string customId, ulong user, ulong messageId = 777) =>
        new(1, "interaction-token-SECRET", 5, InteractionKind.Button, Guild, ChannelId, user, user == Alice ? "alice" : "mallory", 0, customId, new Dictionary<string, string>(), messageId);

    public void AddChannelMessage(string author, string content, bool bot = false) =>
        Surface.Channel.Add(new ChannelMessage((ulong)(1000 + Surface.Channel.Count), 400, author, bot, content, Time.GetUtcNow(), null));

    public async ValueTask DisposeAsync() => await Model.DisposeAsync();
}
