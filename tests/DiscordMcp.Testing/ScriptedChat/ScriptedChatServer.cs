using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DiscordMcp.Testing.ScriptedChat;

/// <summary>The wire format a <see cref="ScriptedChatServer"/> speaks.</summary>
public enum ChatWire
{
    /// <summary>OpenAI chat completions (<c>POST …/chat/completions</c>), as OpenAI, Ollama, vLLM and LM Studio serve it.</summary>
    OpenAI,
    /// <summary>Anthropic's Messages API (<c>POST /v1/messages</c>).</summary>
    Anthropic,
}

/// <summary>One planned tool call. <paramref name="ArgumentsJson"/> is sent as given, so it may be malformed on purpose (OpenAI wire only).</summary>
public sealed record ScriptedToolCall(string Name, string ArgumentsJson);

/// <summary>One planned answer of the model: text, tool calls, or no answer at all (<see cref="Hang"/>).</summary>
public sealed record ScriptedStep(string? Text, IReadOnlyList<ScriptedToolCall> ToolCalls, bool Hang = false, int Status = 200)
{
    /// <summary>A final text answer.</summary>
    public static ScriptedStep Reply(string text) => new(text, []);

    /// <summary>Tool calls (arguments as JSON text).</summary>
    public static ScriptedStep Call(params ScriptedToolCall[] calls) => new(null, calls);

    /// <summary>One tool call with arguments built from an object.</summary>
    public static ScriptedStep Call(string name, object arguments) => new(null, [new ScriptedToolCall(name, JsonSerializer.Serialize(arguments))]);

    /// <summary>Never answers (until the server is disposed or the client gives up).</summary>
    public static ScriptedStep NoAnswer() => new(null, [], Hang: true);

    /// <summary>An HTTP error answer.</summary>
    public static ScriptedStep Error(int status) => new(null, [], Status: status);
}

/// <summary>
/// A language model for tests: a real HTTP server on 127.0.0.1 (port 0) that answers chat requests with planned steps,
/// in order, in the OpenAI or Anthropic wire format, and records every request body. Past the plan it answers "(no more
/// scripted steps)".
/// </summary>
public sealed class ScriptedChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ScriptedStep> _steps;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<JsonNode> _requests = new();
    private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _counter;

    private ScriptedChatServer(WebApplication app, ChatWire wire, IEnumerable<ScriptedStep> steps)
    {
        _app = app;
        Wire = wire;
        _steps = new ConcurrentQueue<ScriptedStep>(steps);
    }

    /// <summary>The wire format.</summary>
    public ChatWire Wire { get; }

    /// <summary>The base URL to configure: <c>http://127.0.0.1:port/v1</c> (OpenAI) or <c>http://127.0.0.1:port</c> (Anthropic).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request body received, in order.</summary>
    public IReadOnlyList<JsonNode> Requests => [.. _requests];

    /// <summary>Completes when a <see cref="ScriptedStep.NoAnswer"/> step has been reached.</summary>
    public Task Hanging => _hanging.Task;

    /// <summary>The Authorization / x-api-key header values seen (to check the key is sent, never to print it).</summary>
    public ConcurrentQueue<string> Keys { get; } = new();

    /// <summary>Starts a server that plays <paramref name="steps"/>.</summary>
    public static async Task<ScriptedChatServer> StartAsync(ChatWire wire, params ScriptedStep[] steps)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedChatServer(app, wire, steps);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(wire == ChatWire.OpenAI ? address.TrimEnd('/') + "/v1/" : address.TrimEnd('/') + "/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var expected = Wire == ChatWire.OpenAI ? "/chat/completions" : "/messages";
        if (context.Request.Method != "POST" || !path.EndsWith(expected, StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }
        Keys.Enqueue(context.Request.Headers.Authorization.ToString());
        Keys.Enqueue(context.Request.Headers["x-api-key"].ToString());
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        _requests.Enqueue(body!);
        var step = _steps.TryDequeue(out var next) ? next : ScriptedStep.Reply("(no more scripted steps)");
        if (step.Hang)
        {
            _hanging.TrySetResult();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            catch (OperationCanceledException)
            {
            }
            return;
        }
        context.Response.StatusCode = step.Status;
        context.Response.ContentType = "application/json";
        var n = Interlocked.Increment(ref _counter);
        var json = step.Status != 200 ? ErrorBody(step.Status) : Wire == ChatWire.OpenAI ? OpenAIBody(step, n) : AnthropicBody(step, n);
        await context.Response.WriteAsync(json, Encoding.UTF8);
    }

    private string ErrorBody(int status) => Wire == ChatWire.OpenAI
        ? $$$"""{"error":{"message":"scripted error {{{status}}}","type":"server_error","code":null}}"""
        : $$$"""{"type":"error","error":{"type":"api_error","message":"scripted error {{{status}}}"}}""";

    private static string OpenAIBody(ScriptedStep step, int n)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = step.Text };
        if (step.ToolCalls.Count > 0)
        {
            var calls = new JsonArray();
            var i = 0;
            foreach (var call in step.ToolCalls)
            {
                calls.Add(new JsonObject
                {
                    ["id"] = $"call_{n}_{i++}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
                });
            }
            message["tool_calls"] = calls;
        }
        return new JsonObject
        {
            ["id"] = $"chatcmpl-{n}",
            ["object"] = "chat.completion",
            ["created"] = 1_764_000_000,
            ["model"] = "scripted",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = step.ToolCalls.Count > 0 ? "tool_calls" : "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        }.ToJsonString();
    }

    private static string AnthropicBody(ScriptedStep step, int n)
    {
        var content = new JsonArray();
        if (step.Text is not null)
            content.Add(new JsonObject { ["type"] = "text", ["text"] = step.Text });
        var i = 0;
        foreach (var call in step.ToolCalls)
        {
            content.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = $"toolu_{n}_{i++}",
                ["name"] = call.Name,
                ["input"] = JsonNode.Parse(call.ArgumentsJson),
            });
        }
        return new JsonObject
        {
            ["id"] = $"msg_{n}",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "scripted",
            ["content"] = content,
            ["stop_reason"] = step.ToolCalls.Count > 0 ? "tool_use" : "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = 10, ["output_tokens"] = 5 },
        }.ToJsonString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
