using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Conformance.Tests.Fixtures;

/// <summary>
/// The tools the official conformance suite calls by name (its server scenarios describe each one). They exist only in
/// this test composition: the product never registers them.
/// </summary>
[McpServerToolType]
internal sealed class ConformanceTools
{
    [McpServerTool(Name = "test_simple_text", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: returns one text block.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: returns one PNG image block.")]
    public static ImageContentBlock ImageContent() => ImageContentBlock.FromBytes(FixtureMedia.Png, "image/png");

    [McpServerTool(Name = "test_audio_content", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: returns one WAV audio block.")]
    public static AudioContentBlock AudioContent() => AudioContentBlock.FromBytes(FixtureMedia.Wav, "audio/wav");

    [McpServerTool(Name = "test_embedded_resource", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: returns an embedded text resource.")]
    public static EmbeddedResourceBlock EmbeddedResource() => new()
    {
        Resource = new TextResourceContents
        {
            Uri = "test://embedded-resource",
            MimeType = "text/plain",
            Text = "This is an embedded resource content.",
        },
    };

    [McpServerTool(Name = "test_multiple_content_types", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: returns text, an image and an embedded JSON resource.")]
    public static IEnumerable<ContentBlock> MultipleContentTypes() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        ImageContentBlock.FromBytes(FixtureMedia.Png, "image/png"),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents
            {
                Uri = "test://mixed-content-resource",
                MimeType = "application/json",
                Text = """{"test":"data","value":123}""",
            },
        },
    ];

    [McpServerTool(Name = "test_tool_with_logging", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: sends three info log notifications about 50 ms apart.")]
    public static async Task<string> ToolWithLogging(McpServer server, TimeProvider time, CancellationToken cancellationToken)
    {
        await LogAsync(server, "Tool execution started", cancellationToken);
        await Task.Delay(FixtureMedia.Step, time, cancellationToken); // the scenario asks for spaced notifications
        await LogAsync(server, "Tool processing data", cancellationToken);
        await Task.Delay(FixtureMedia.Step, time, cancellationToken);
        await LogAsync(server, "Tool execution completed", cancellationToken);
        return "Tool with logging executed successfully.";
    }

    [McpServerTool(Name = "test_error_handling", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: always fails with a tool error (isError).")]
    public static CallToolResult ErrorHandling() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
    };

    [McpServerTool(Name = "test_tool_with_progress", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: reports progress 0, 50 and 100 of 100 when the request carries a progress token.")]
    public static async Task<string> ToolWithProgress(RequestContext<CallToolRequestParams> context, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = context.Params?.ProgressToken;
        for (var progress = 0; progress <= 100; progress += 50)
        {
            if (progress > 0)
                await Task.Delay(FixtureMedia.Step, time, cancellationToken);
            if (token is { } progressToken)
                await context.Server.NotifyProgressAsync(progressToken, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: cancellationToken);
        }
        return token is null ? "Done (no progress token was sent)." : "Done: progress reported 0, 50, 100 of 100.";
    }

    // Sampling and client logging are deprecated by 2026-07-28 (MCP9005), but the 2025-11-25 scenarios test them.
#pragma warning disable MCP9005
    [McpServerTool(Name = "test_sampling", ReadOnly = true, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Conformance fixture: asks the client's model to answer the prompt (sampling/createMessage).")]
    public static async Task<string> Sampling(McpServer server, [Description("The prompt to send to the model.")] string prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.ClientCapabilities?.Sampling is null)
            throw new McpException("The client does not support sampling.");
        var result = await server.SampleAsync(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
            MaxTokens = 100,
        }, cancellationToken);
        var text = string.Join(" ", result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        return $"LLM response: {text}";
    }
#pragma warning restore MCP9005

    [McpServerTool(Name = "test_elicitation", ReadOnly = true, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Conformance fixture: asks the user for a username and an email (elicitation/create).")]
    public static async Task<string> Elicitation(McpServer server, [Description("The message to show the user.")] string message, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, message, new ElicitRequestParams.RequestSchema
        {
            Properties =
            {
                ["username"] = new ElicitRequestParams.StringSchema { Description = "User's response" },
                ["email"] = new ElicitRequestParams.StringSchema { Description = "User's email address" },
            },
            Required = ["username", "email"],
        }, cancellationToken);
        return $"User response: action={result.Action}, content={Describe(result)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults", ReadOnly = true, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Conformance fixture: elicitation whose fields carry default values of every primitive type (SEP-1034).")]
    public static async Task<string> ElicitationDefaults(McpServer server, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, "Please confirm your details (defaults are filled in).", new ElicitRequestParams.RequestSchema
        {
            Properties =
            {
                ["name"] = new ElicitRequestParams.StringSchema { Description = "Name", Default = "John Doe" },
                ["age"] = new ElicitRequestParams.NumberSchema { Type = "integer", Description = "Age", Default = 30 },
                ["score"] = new ElicitRequestParams.NumberSchema { Type = "number", Description = "Score", Default = 95.5 },
                ["status"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema
                {
                    Description = "Status",
                    Enum = ["active", "inactive", "pending"],
                    Default = "active",
                },
                ["verified"] = new ElicitRequestParams.BooleanSchema { Description = "Verified", Default = true },
            },
        }, cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={Describe(result)}";
    }

    [McpServerTool(Name = "test_elicitation_sep1330_enums", ReadOnly = true, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Conformance fixture: elicitation with the five enum forms of SEP-1330.")]
    public static async Task<string> ElicitationEnums(McpServer server, CancellationToken cancellationToken)
    {
        var result = await ElicitAsync(server, "Pick options (enum forms test).", new ElicitRequestParams.RequestSchema
        {
            Properties =
            {
                ["untitledSingle"] = new ElicitRequestParams.UntitledSingleSelectEnumSchema
                {
                    Description = "Untitled single-select",
                    Enum = ["option1", "option2", "option3"],
                },
                ["titledSingle"] = new ElicitRequestParams.TitledSingleSelectEnumSchema
                {
                    Description = "Titled single-select",
                    OneOf = [Option("value1", "First Option"), Option("value2", "Second Option"), Option("value3", "Third Option")],
                },
                ["legacyEnum"] = LegacyEnum(),
                ["untitledMulti"] = new ElicitRequestParams.UntitledMultiSelectEnumSchema
                {
                    Description = "Untitled multi-select",
                    Items = new ElicitRequestParams.UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] },
                },
                ["titledMulti"] = new ElicitRequestParams.TitledMultiSelectEnumSchema
                {
                    Description = "Titled multi-select",
                    Items = new ElicitRequestParams.TitledEnumItemsSchema
                    {
                        AnyOf = [Option("value1", "First Choice"), Option("value2", "Second Choice"), Option("value3", "Third Choice")],
                    },
                },
            },
        }, cancellationToken);
        return $"Elicitation completed: action={result.Action}, content={Describe(result)}";
    }

    /// <summary>SEP-1699 polling: ends the POST's event stream (with a 500 ms retry hint) before the result, which the client
    /// then receives by reconnecting with <c>Last-Event-ID</c>. Needs a stateful session and an event stream store. The result
    /// is returned only once the POST response has really completed, so it can only travel through the store.</summary>
    [McpServerTool(Name = "test_reconnection", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Conformance fixture: closes the response stream mid-call; the result arrives after the client reconnects.")]
    public static async Task<string> Reconnection(RequestContext<CallToolRequestParams> context, IHttpContextAccessor http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = http?.HttpContext?.Response ?? throw new McpException("test_reconnection works over Streamable HTTP only.");
        var responseEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        response.OnCompleted(() =>
        {
            responseEnded.TrySetResult();
            return Task.CompletedTask;
        });
        await context.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        await responseEnded.Task.WaitAsync(cancellationToken);
        return "Reconnection test completed successfully.";
    }

    /// <summary>A tool whose input schema uses JSON Schema 2020-12 keywords, which must reach the client unchanged.</summary>
    public static McpServerTool JsonSchema202012Tool()
    {
        var tool = McpServerTool.Create(
            (RequestContext<CallToolRequestParams> context) =>
                $"Received arguments: {JsonSerializer.Serialize(context.Params?.Arguments ?? new Dictionary<string, JsonElement>())}",
            new McpServerToolCreateOptions
            {
                Name = "json_schema_2020_12_tool",
                Description = "Conformance fixture: tool with JSON Schema 2020-12 features ($schema, $defs, $ref, additionalProperties).",
                ReadOnly = true,
                Destructive = false,
                Idempotent = true,
                OpenWorld = false,
            });
        tool.ProtocolTool.InputSchema = JsonElement.Parse("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": {
                "address": {
                  "type": "object",
                  "properties": { "street": { "type": "string" }, "city": { "type": "string" } }
                }
              },
              "properties": {
                "name": { "type": "string" },
                "address": { "$ref": "#/$defs/address" }
              },
              "additionalProperties": false
            }
            """);
        return tool;
    }

#pragma warning disable MCP9005
    private static async Task LogAsync(McpServer server, string message, CancellationToken cancellationToken)
    {
        // Log notifications are sent as the protocol defines them (the SDK's client logger provider is deprecated, MCP9005).
        await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
        {
            Level = LoggingLevel.Info,
            Logger = "conformance-fixture",
            Data = JsonSerializer.SerializeToElement(message),
        }, cancellationToken: cancellationToken);
    }
#pragma warning restore MCP9005

    private static async Task<ElicitResult> ElicitAsync(McpServer server, string message, ElicitRequestParams.RequestSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.ClientCapabilities?.Elicitation is null)
            throw new McpException("The client does not support elicitation.");
        return await server.ElicitAsync(new ElicitRequestParams { Message = message, RequestedSchema = schema }, cancellationToken);
    }

    private static ElicitRequestParams.EnumSchemaOption Option(string value, string title) => new() { Const = value, Title = title };

    // The scenario checks the deprecated enumNames form on purpose (SEP-1330 keeps it readable for old clients).
#pragma warning disable MCP9001
    private static ElicitRequestParams.LegacyTitledEnumSchema LegacyEnum() => new()
    {
        Description = "Legacy titled enum",
        Enum = ["opt1", "opt2", "opt3"],
        EnumNames = ["Option One", "Option Two", "Option Three"],
    };
#pragma warning restore MCP9001

    private static string Describe(ElicitResult result) =>
        result.Content is null ? "{}" : JsonSerializer.Serialize(result.Content);
}
