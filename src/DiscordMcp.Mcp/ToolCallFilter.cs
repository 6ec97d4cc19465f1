using System.Diagnostics;
using System.Text.Json;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Security;
using DiscordMcp.Policy.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp;

/// <summary>
/// The one filter every tool call passes: argument checks against the input schema (so bad input never reaches
/// Discord), the gate, the call, translation of <see cref="DiscordServiceException"/> to an error result, a log line,
/// and redaction of every result (success, refusal or error) by the composition's <see cref="Redactor"/>.
/// </summary>
internal static partial class ToolCallFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Create(McpRequestHandler<CallToolRequestParams, CallToolResult> next)
    {
        var run = Run(next);
        return async (context, cancellationToken) =>
        {
            // Without a configured redactor the built-in patterns still apply (fail closed: never unredacted output).
            var redactor = context.Services?.GetService<Redactor>() ?? Redactor.Default;
            try
            {
                return RedactResult(redactor, await run(context, cancellationToken));
            }
            catch (McpException e) when (!ReferenceEquals(e.Message, redactor.Redact(e.Message)))
            {
                // The SDK shows these messages to the client; rethrow the same kind with the message redacted and
                // without the original as inner exception (the SDK logs exceptions with their inner ones).
                throw e is McpProtocolException protocol
                    ? new McpProtocolException(redactor.Redact(e.Message), protocol.ErrorCode)
                    : new McpException(redactor.Redact(e.Message));
            }
        };
    }

    /// <summary>Redacts the text of every text block (and embedded text resource) and the structured content, in place.</summary>
    internal static CallToolResult RedactResult(Redactor redactor, CallToolResult result)
    {
        foreach (var block in result.Content)
        {
            switch (block)
            {
                case TextContentBlock text:
                    text.Text = redactor.Redact(text.Text);
                    break;
                case EmbeddedResourceBlock { Resource: TextResourceContents resource }:
                    resource.Text = redactor.Redact(resource.Text);
                    break;
            }
        }
        if (result.StructuredContent is { } structured)
            result.StructuredContent = redactor.RedactJson(structured);
        return result;
    }

    private static McpRequestHandler<CallToolRequestParams, CallToolResult> Run(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services!;
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("DiscordMcp.Mcp.ToolCalls");
            var time = services.GetRequiredService<TimeProvider>();
            var name = context.Params?.Name ?? "";
            var started = time.GetTimestamp();
            string outcome = "exception";
            // Telemetry: a span and metrics only when something listens (otherwise no allocation here).
            var telemetry = PlatformTelemetry.Source.HasListeners() || PlatformTelemetry.ToolCalls.Enabled || PlatformTelemetry.ToolCallDuration.Enabled
                ? ToolCallTelemetry.Begin()
                : null;
            // Only a matched tool's name is used as a label: an unknown name is whatever the client sent.
            var toolLabel = context.MatchedPrimitive is McpServerTool known ? known.ProtocolTool.Name : "unknown";
            using var activity = telemetry is null ? null : StartSpan(toolLabel);
            try
            {
                if (context.MatchedPrimitive is not McpServerTool matched)
                {
                    outcome = "unknown_tool";
                    var gateForList = services.GetRequiredService<IToolCallGate>();
                    var descriptors = services.GetRequiredService<ToolDescriptors>();
                    var visible = (context.Server.ServerOptions.ToolCollection ?? []).Select(t => descriptors.Describe(t.ProtocolTool))
                        .Where(gateForList.IsVisible).Select(t => t.Name).Order(StringComparer.Ordinal);
                    var shownName = UntrustedText.Inline((services.GetService<Redactor>() ?? Redactor.Default).Redact(name));
                    throw new McpProtocolException($"Unknown tool '{shownName}'. Available tools: {string.Join(", ", visible)}.", McpErrorCode.InvalidParams);
                }
                var tool = services.GetRequiredService<ToolDescriptors>().Describe(matched.ProtocolTool);
                var problem = CheckArguments(context);
                if (problem is not null)
                {
                    outcome = "invalid_arguments";
                    return ToolResults.Error(problem);
                }
                var gate = services.GetRequiredService<IToolCallGate>();
                var args = (context.Params?.Arguments ?? new Dictionary<string, JsonElement>())
                    .ToDictionary(kv => kv.Key, kv => kv.Value.ValueKind == JsonValueKind.String ? kv.Value.GetString() ?? "" : kv.Value.GetRawText());
                var decision = await gate.CheckAsync(new ToolCallRequest(tool, args), cancellationToken);
                if (!decision.Allowed)
                {
                    outcome = "denied:" + decision.ReasonCode;
                    return ToolResults.Error($"Denied ({decision.ReasonCode}): {decision.Message}");
                }
                CallToolResult result;
                if (services.GetService<PolicyPipeline>() is { } pipeline)
                {
                    if (services.GetService<IPlatformReadiness>() is { } readiness)
                    {
                        try
                        {
                            await readiness.WaitAsync(cancellationToken);
                        }
                        catch (PlatformUnavailableException e)
                        {
                            outcome = "denied:platform_unavailable";
                            return ToolResults.Error($"Denied (platform_unavailable): {e.Message}");
                        }
                    }
                    if (tool.RunsPolicyItself)
                    {
                        // Write tools plan first, then run the pipeline themselves (WriteRunner): no second pipeline here.
                        result = await next(context, cancellationToken);
                        outcome = result.IsError == true ? "tool_error" : "ok";
                        return result;
                    }
                    // The platform: authentication → … → confirmation, then the call, every step audited.
                    var credential = services.GetService<IToolCallerIdentity>()?.GetCredential(context) ?? new ApiKeyCredential(null);
                    var request = await PolicyBinding.BuildAsync(services, tool, context.Params!.Arguments!.AsReadOnly(), credential, cancellationToken);
                    var callContext = services.GetRequiredService<PolicyCallContext>();
                    var run = await pipeline.RunAsync(request, (policyContext, ct) => callContext.RunInAsync(policyContext, () => next(context, ct)), cancellationToken);
                    if (!run.Decision.IsAllowed || run.Value is null)
                    {
                        outcome = "denied:" + run.Decision.ReasonCode;
                        return PolicyBinding.Refusal(run.Decision);
                    }
                    result = run.Value;
                }
                else if (services.GetService<WithoutPlatformForTests>() is not null)
                {
                    // The MCP layer's own unit tests compose the tools without the platform, and say so explicitly.
                    result = await next(context, cancellationToken);
                }
                else
                {
                    // Fail closed: a composition that forgot the policy pipeline must not run tools unchecked.
                    outcome = "denied:policy_error";
                    return ToolResults.Error("Denied (policy_error): the policy pipeline is not configured on this server, so no tool can run. This is a server configuration error.");
                }
                outcome = result.IsError == true ? "tool_error" : "ok";
                return result;
            }
            catch (DiscordServiceException e)
            {
                outcome = "discord_error:" + e.Kind;
                return ToolResults.Error(e.Message);
            }
            finally
            {
                var elapsed = time.GetElapsedTime(started);
                LogCall(logger, name, outcome, elapsed.TotalMilliseconds);
                if (telemetry is not null)
                    Record(activity, telemetry, toolLabel, outcome, elapsed);
            }
        };

    private static System.Diagnostics.Activity? StartSpan(string tool)
    {
        if (!PlatformTelemetry.Source.HasListeners())
            return null;
        // ASP.NET Core keeps an unsampled placeholder activity per request (for log scopes) when nothing traces HTTP:
        // as a parent it would make the sampler drop this span. Start a new trace instead (only this async flow sees the
        // change). A caller's own traceparent (a remote parent) is kept and decides sampling.
        if (System.Diagnostics.Activity.Current is { Recorded: false, HasRemoteParent: false })
            System.Diagnostics.Activity.Current = null;
        var activity = PlatformTelemetry.Source.StartActivity(string.Concat("tools/call ", tool), System.Diagnostics.ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
            activity.SetTag(PlatformTelemetry.ToolAttribute, tool);
        return activity;
    }

    /// <summary>The tool-call metrics and the span's outcome. Labels are bounded: tool names, decisions, outcome kinds.</summary>
    private static void Record(System.Diagnostics.Activity? activity, ToolCallTelemetry telemetry, string tool, string outcome, TimeSpan elapsed)
    {
        var kind = OutcomeKind(outcome);
        // A refusal before the pipeline (gate, unavailable platform) is a denial too.
        var decision = telemetry.Decision ?? (kind == "denied" ? "denied" : "none");
        // Write tools run the pipeline themselves and turn its answer into an ordinary result: name what happened.
        if (kind is "ok" or "tool_error")
        {
            kind = decision switch
            {
                "denied" => "denied",
                "pending" or "dry_run" => "not_executed",
                _ => kind,
            };
        }
        var tags = new System.Diagnostics.TagList
        {
            { "tool", tool },
            { "decision", decision },
            { "outcome", kind },
        };
        PlatformTelemetry.ToolCalls.Add(1, tags);
        PlatformTelemetry.ToolCallDuration.Record(elapsed.TotalSeconds, tags);
        if (activity is not { IsAllDataRequested: true })
            return;
        activity.SetTag(PlatformTelemetry.DecisionAttribute, decision);
        activity.SetTag(PlatformTelemetry.OutcomeAttribute, kind);
        var reason = telemetry.ReasonCode ?? (kind == "denied" && outcome.StartsWith("denied:", StringComparison.Ordinal) ? outcome["denied:".Length..] : null);
        if (reason is not null)
            activity.SetTag(PlatformTelemetry.ReasonAttribute, reason);
        if (telemetry.Layer is not null)
            activity.SetTag(PlatformTelemetry.LayerAttribute, telemetry.Layer);
        if (kind is "tool_error" or "discord_error" or "exception")
            activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, kind);
    }

    /// <summary>The bounded outcome label: ok, tool_error, denied, discord_error, invalid_arguments, unknown_tool or exception (and, for writes, not_executed).</summary>
    private static string OutcomeKind(string outcome) => outcome switch
    {
        "ok" or "tool_error" or "invalid_arguments" or "unknown_tool" or "exception" => outcome,
        _ when outcome.StartsWith("denied:", StringComparison.Ordinal) => "denied",
        _ when outcome.StartsWith("discord_error:", StringComparison.Ordinal) => "discord_error",
        _ => "other",
    };

    /// <summary>Required arguments present, no unknown ones, and each value of the schema's JSON type. Numbers are accepted for string ids.</summary>
    private static string? CheckArguments(RequestContext<CallToolRequestParams> context)
    {
        if (context.MatchedPrimitive is not McpServerTool tool)
            return null;
        var schema = tool.ProtocolTool.InputSchema;
        var args = context.Params!.Arguments ??= new Dictionary<string, JsonElement>();
        var props = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var allowed = props.ValueKind == JsonValueKind.Object ? props.EnumerateObject().Select(x => x.Name).ToList() : [];
        foreach (var key in args.Keys.ToList())
        {
            if (!allowed.Contains(key))
                return $"Unknown argument '{key}' for {tool.ProtocolTool.Name}; allowed: {string.Join(", ", allowed)}.";
            var type = ToolCatalog.JsonSchemaType(props.GetProperty(key));
            var value = args[key];
            if (value.ValueKind == JsonValueKind.Null)
                continue;
            if (type == "string" && value.ValueKind == JsonValueKind.Number)
            {
                // Some clients send ids as numbers; keep the exact digits.
                args[key] = JsonSerializer.SerializeToElement(value.GetRawText(), ToolResults.Json);
                continue;
            }
            if (type == "integer")
            {
                if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n))
                {
                    args[key] = JsonSerializer.SerializeToElement(n, ToolResults.Json);
                    continue;
                }
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out _))
                    return $"{key} must be an integer, got {Describe(value)}.";
            }
            else if (type == "string" && value.ValueKind != JsonValueKind.String)
            {
                return $"{key} must be a string, got {Describe(value)}.";
            }
            else if (type == "boolean" && value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"{key} must be true or false, got {Describe(value)}.";
            }
        }
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!args.TryGetValue(r, out var v) || v.ValueKind == JsonValueKind.Null || (v.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(v.GetString())))
                    return $"Missing required argument '{r}' for {tool.ProtocolTool.Name}" + (props.TryGetProperty(r, out var d) && d.TryGetProperty("description", out var desc) ? $": {desc.GetString()}" : ".");
            }
        }
        return null;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Tool {Tool} finished: {Outcome} in {DurationMs:0.0} ms")]
    private static partial void LogCall(ILogger logger, string tool, string outcome, double durationMs);
}
