using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Benchmarks.Agent;

/// <summary>
/// A minimal OpenAI-compatible chat server (<c>POST /v1/chat/completions</c>, non-streaming) on 127.0.0.1 that plays the
/// model. Stateless, so any number of conversations can run at once: the first request of a turn (last message from the
/// user) asks for one tool call chosen by a marker in the member's question (<c>bench:list:&lt;channel id&gt;</c> →
/// <c>discord_list_messages</c>, <c>bench:create</c> → <c>discord_create_channel</c>); a request whose last message is a
/// tool result gets the final reply. Each answer can be delayed (a slow model) by a seeded random time.
/// </summary>
internal sealed class ScriptedModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Random _random = new(20261129);
    private readonly Lock _randomGate = new();
    private int _inFlight;
    private int _maxInFlight;
    private long _requests;

    private ScriptedModelServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Each answer waits a uniformly random time in [min, max) milliseconds; (0, 0) answers at once.</summary>
    public (int Min, int Max) DelayMilliseconds { get; set; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The most requests the server held at once since the last <see cref="ResetMaxInFlight"/>.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, 0);

    public static async Task<ScriptedModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedModelServer(app);
        app.MapPost("/v1/chat/completions", server.AnswerAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/v1/");
        return server;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw new InvalidOperationException("The request body is not a JSON object.");
            var (min, max) = DelayMilliseconds;
            if (max > 0)
            {
                int wait;
                lock (_randomGate)
                    wait = _random.Next(min, max);
                // Playing a slow model: the delay is what is being simulated, not a wait for something.
                await Task.Delay(wait, context.RequestAborted);
            }
            var body = Respond(request);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static JsonObject Respond(JsonObject request)
    {
        var messages = request["messages"] as JsonArray ?? throw new InvalidOperationException("The request has no messages.");
        var last = messages[^1] as JsonObject;
        var message = new JsonObject { ["role"] = "assistant" };
        string finish;
        if ((string?)last?["role"] == "tool")
        {
            message["content"] = "Summary: the discussion is about the launch; nothing needs action from you.";
            finish = "stop";
        }
        else
        {
            var text = Text(last?["content"]);
            var marker = text.LastIndexOf("bench:", StringComparison.Ordinal);
            var command = marker < 0 ? "" : text[(marker + "bench:".Length)..].Split((char[])[' ', '\n', '`'], 2)[0];
            var (name, arguments) = command.StartsWith("list:", StringComparison.Ordinal)
                ? ("discord_list_messages", new JsonObject { ["channel"] = command["list:".Length..], ["limit"] = 50 })
                : ("discord_create_channel", new JsonObject { ["name"] = "bench-room" });
            message["content"] = null;
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = "call_" + Guid.NewGuid().ToString("N"),
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments.ToJsonString() },
            });
            finish = "tool_calls";
        }
        return new JsonObject
        {
            ["id"] = "chatcmpl-bench",
            ["object"] = "chat.completion",
            ["created"] = 1764400000,
            ["model"] = (string?)request["model"] ?? "scripted",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
        };
    }

    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => (string)value!,
        JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? "")),
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
