using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Host.Telemetry;
using DiscordMcp.Host.Tests.Writes;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Security;
using DiscordMcp.Policy.Telemetry;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using DiscordMcp.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests;

/// <summary>
/// Traces, metrics and logs end to end over HTTP with the sandbox (docs/observability.md). The activity sources and meters
/// are process-wide, so a test's exporter may also see other tests' spans: assertions pick spans by their relations
/// (same trace, parent id), never by "the only span".
/// </summary>
public sealed class TelemetryTests
{
    private static async Task<(WriteTestHost Host, List<Activity> Spans, JsonLogCapture Logs)> StartAsync(Dictionary<string, string?>? environment = null)
    {
        var spans = new List<Activity>();
        var logs = new JsonLogCapture();
        var host = await WriteTestHost.StartAsync(environment ?? new() { ["LOG_FORMAT"] = "json" }, "Host.Tests TelemetryTests", services =>
        {
            services.AddOpenTelemetry().WithTracing(t => t.AddSource(TelemetryServiceCollectionExtensions.Sources).AddInMemoryExporter(spans));
            // The JSON console formatter the host uses, writing to memory, behind the same redaction the host puts on every provider.
            services.AddSingleton<ILoggerProvider>(sp => new RedactingLoggerProvider(
                logs.Attach(sp.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json)), sp.GetRequiredService<Redactor>()));
        });
        return (host, spans, logs);
    }

    [Fact]
    public async Task A_tool_call_span_carries_every_policy_layer_event_and_a_Discord_REST_child_span_in_the_same_trace()
    {
        var (host, spans, _) = await StartAsync();
        await using (host)
        {
            var result = await host.CallAsync("discord_list_channels", new() { ["guild_id"] = DemoGuild.GuildId });
            Assert.True(result.IsError != true, Text(result));
            ForceFlush(host);
        }

        var snapshot = Snapshot(spans);
        var call = snapshot.Where(s => s.DisplayName == "tools/call discord_list_channels" && s.Source.Name == PlatformTelemetry.SourceName
                && Equals(s.GetTagItem(PlatformTelemetry.DecisionAttribute), "allowed"))
            .First(s => snapshot.Any(c => c.ParentSpanId == s.SpanId && c.Source.Name == DiscordClientTelemetry.SourceName));
        Assert.Equal("discord_list_channels", call.GetTagItem(PlatformTelemetry.ToolAttribute));
        Assert.Equal("default", call.GetTagItem(PlatformTelemetry.WorkspaceAttribute));
        Assert.Equal(DemoGuild.GuildId, call.GetTagItem(PlatformTelemetry.GuildAttribute));
        Assert.Equal("ok", call.GetTagItem(PlatformTelemetry.OutcomeAttribute));

        // One event per layer, in pipeline order, each allowing.
        var layers = call.Events.Where(e => e.Name == PlatformTelemetry.PolicyEventName)
            .Select(e => (Layer: Tag(e, PlatformTelemetry.LayerAttribute), Decision: Tag(e, PlatformTelemetry.DecisionAttribute))).ToList();
        Assert.Equal(["authentication", "workspace_membership", "guild_installation", "platform_permission", "channel_policy", "bot_permission", "rate_limit", "confirmation"],
            layers.Select(l => l.Layer));
        Assert.All(layers, l => Assert.Equal("allow", l.Decision));

        var rest = snapshot.Where(c => c.ParentSpanId == call.SpanId && c.Source.Name == DiscordClientTelemetry.SourceName).ToList();
        Assert.NotEmpty(rest);
        Assert.All(rest, r =>
        {
            Assert.Equal(call.TraceId, r.TraceId);
            Assert.Equal(ActivityKind.Client, r.Kind);
            Assert.Equal($"{r.GetTagItem("http.request.method")} {r.GetTagItem("url.template")}", r.DisplayName);
            Assert.Equal(200, r.GetTagItem("http.response.status_code"));
        });
        Assert.Contains(rest, r => r.DisplayName == "GET /guilds/{guild_id}/channels");
        // The audit append is a child span too.
        Assert.Contains(snapshot, c => c.ParentSpanId == call.SpanId && c.DisplayName == "db audit.append");
    }

    [Fact]
    public async Task A_denied_call_span_names_the_denying_layer_and_reason_and_no_later_layer_ran()
    {
        var (host, spans, _) = await StartAsync();
        await using (host)
        {
            await host.SetModeAsync("discord_list_roles", ToolMode.Deny);
            var result = await host.CallAsync("discord_list_roles", new() { ["guild_id"] = DemoGuild.GuildId });
            Assert.True(result.IsError);
            ForceFlush(host);
        }

        var call = Snapshot(spans).First(s => s.DisplayName == "tools/call discord_list_roles" && Equals(s.GetTagItem(PlatformTelemetry.DecisionAttribute), "denied")
            && Equals(s.GetTagItem(PlatformTelemetry.ReasonAttribute), "tool_denied"));
        Assert.Equal("confirmation", call.GetTagItem(PlatformTelemetry.LayerAttribute));
        Assert.Equal("denied", call.GetTagItem(PlatformTelemetry.OutcomeAttribute));
        var last = call.Events.Last(e => e.Name == PlatformTelemetry.PolicyEventName);
        Assert.Equal("confirmation", Tag(last, PlatformTelemetry.LayerAttribute));
        Assert.Equal("deny", Tag(last, PlatformTelemetry.DecisionAttribute));
        Assert.Equal("tool_denied", Tag(last, PlatformTelemetry.ReasonAttribute));
    }

    [Fact]
    public async Task Metrics_endpoint_exposes_the_named_metrics_with_counts_of_the_calls_made()
    {
        var (host, _, _) = await StartAsync();
        string text;
        await using (host)
        {
            const int Calls = 3;
            for (var i = 0; i < Calls; i++)
                Assert.True((await host.CallAsync("discord_list_channels", new() { ["guild_id"] = DemoGuild.GuildId })).IsError != true);
            await host.SetModeAsync("discord_list_roles", ToolMode.Deny);
            Assert.True((await host.CallAsync("discord_list_roles", new() { ["guild_id"] = DemoGuild.GuildId })).IsError);
            await host.DryRunThenConfirmAsync("discord_create_webhook",
                new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments", ["name"] = "Deployments" });

            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri(host.App.Urls.Single().TrimEnd('/') + TelemetryServiceCollectionExtensions.MetricsPath));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();

            Assert.True(Value(text, "discord_mcp_tool_calls_total", ("tool", "discord_list_channels"), ("decision", "allowed"), ("outcome", "ok")) >= Calls, text);
            Assert.True(Value(text, "discord_mcp_tool_calls_total", ("tool", "discord_list_roles"), ("decision", "denied"), ("outcome", "denied")) >= 1, text);
            Assert.True(Value(text, "discord_mcp_tool_calls_total", ("tool", "discord_create_webhook"), ("decision", "dry_run"), ("outcome", "not_executed")) >= 1, text);
            Assert.True(Value(text, "discord_mcp_tool_call_duration_seconds_count", ("tool", "discord_list_channels"), ("decision", "allowed"), ("outcome", "ok")) >= Calls, text);
            Assert.True(Value(text, "discord_mcp_pending_actions_total", ("state", "created")) >= 1, text);
            Assert.True(Value(text, "discord_mcp_pending_actions_total", ("state", "consumed")) >= 1, text);
            Assert.Contains("# TYPE discord_mcp_gateway_connected gauge", text, StringComparison.Ordinal);
            Assert.Contains("# TYPE discord_mcp_tool_call_duration_seconds histogram", text, StringComparison.Ordinal);
        }
        // Labels are bounded names only: no ids, no workspace.
        Assert.DoesNotContain(DemoGuild.GuildId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_secret_reaches_any_exported_span_metric_label_or_json_log_line()
    {
        var (host, spans, logs) = await StartAsync();
        string metrics, webhookToken, webhookUrl, apiKey, botToken;
        await using (host)
        {
            apiKey = DiscordMcpHttpHost.SandboxApiKey(host.App.Services)!;
            botToken = host.Sandbox.BotToken;
            var (_, created) = await host.DryRunThenConfirmAsync("discord_create_webhook",
                new() { ["guild_id"] = DemoGuild.GuildId, ["channel"] = "#deployments", ["name"] = "Deployments" });
            var id = Structured(created).GetProperty("ids").GetProperty("webhook_id").GetString()!;
            // The execute route carries the webhook's token in its path.
            await host.DryRunThenConfirmAsync("discord_execute_webhook",
                new() { ["guild_id"] = DemoGuild.GuildId, ["webhook_id"] = id, ["content"] = "Deploy 1.2.3 done" });
            webhookToken = (string)JsonNode.Parse(host.Snapshot())!["webhooks"]!.AsArray().Single(w => (string?)w!["id"] == id)!["token"]!;
            webhookUrl = new Uri(host.Sandbox.ApiBaseUrl, $"webhooks/{id}/{webhookToken}").AbsoluteUri;
            // A log line that carries them, through the host's own logging.
            var logger = host.App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DiscordMcp.Tests.Telemetry");
#pragma warning disable CA1848, CA2254 // A deliberately secret-bearing line: the point is that it comes out redacted.
            logger.LogWarning("Posting to {Url} with token {Token}; key " + apiKey, webhookUrl, botToken);
#pragma warning restore CA1848, CA2254
            using var http = new HttpClient();
            metrics = await http.GetStringAsync(new Uri(host.App.Urls.Single().TrimEnd('/') + TelemetryServiceCollectionExtensions.MetricsPath));
            ForceFlush(host);
        }

        var snapshot = Snapshot(spans);
        // The confirmed execute call was traced (so the scan below covers the webhook-token route).
        var execute = Assert.Single(snapshot, s => s.Source.Name == DiscordClientTelemetry.SourceName && s.DisplayName.StartsWith("POST /webhooks/", StringComparison.Ordinal)
            && snapshot.Any(p => p.SpanId == s.ParentSpanId && p.DisplayName == "tools/call discord_confirm_action"));
        Assert.Equal("POST /webhooks/{webhook_id}/{webhook_token}", execute.DisplayName);
        var exported = new List<string>();
        foreach (var span in snapshot)
        {
            exported.Add(span.DisplayName);
            exported.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            foreach (var e in span.Events)
            {
                exported.Add(e.Name);
                exported.AddRange(e.Tags.Select(t => $"{t.Key}={t.Value}"));
            }
            exported.Add(span.StatusDescription ?? "");
        }
        exported.Add(metrics);
        var jsonLines = logs.Lines;
        var messages = jsonLines.Select(l =>
        {
            using var json = JsonDocument.Parse(l); // every line is one JSON object
            return json.RootElement.GetProperty("Message").GetString()!;
        }).ToList();
        var posting = Assert.Single(messages, m => m.StartsWith("Posting to ", StringComparison.Ordinal));
        Assert.Contains("with token [redacted]; key [redacted]", posting, StringComparison.Ordinal);
        exported.AddRange(jsonLines);
        foreach (var text in exported)
            SecretScan.Record("Host.Tests TelemetryTests exported", text);

        var all = string.Join('\n', exported);
        foreach (var secret in new[] { webhookToken, webhookUrl, apiKey, botToken, SandboxOptions.DefaultBotToken })
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_log_lines_are_redacted_in_message_state_and_exception()
    {
        var logs = new JsonLogCapture();
        using var services = new ServiceCollection().AddLogging(b => b.AddJsonConsole()).BuildServiceProvider();
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
        const string Bot = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";
        const string Hook = "https://discord.com/api/webhooks/1300000000000000099/aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012345";
        using var provider = new RedactingLoggerProvider(logs.Attach(formatter), new Redactor(["my-configured-secret-123"]));
        var logger = provider.CreateLogger("Test");

#pragma warning disable CA1848, CA1873 // Plain extension methods are the thing under test here.
        logger.LogInformation("Hook {Hook} bot {Bot} uri {Uri}", Hook, Bot, new Uri(Hook));
        logger.LogError(new InvalidOperationException("failed with " + Hook + " and my-configured-secret-123"), "Failed for {Who}", "Bot " + Bot);
#pragma warning restore CA1848, CA1873

        Assert.Equal(2, logs.Lines.Count);
        foreach (var line in logs.Lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.DoesNotContain(Bot, line, StringComparison.Ordinal);
            Assert.DoesNotContain("aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", line, StringComparison.Ordinal);
            Assert.DoesNotContain("my-configured-secret-123", line, StringComparison.Ordinal);
            Assert.Contains("[redacted]", json.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
        using var first = JsonDocument.Parse(logs.Lines[0]);
        Assert.Equal("[redacted]", first.RootElement.GetProperty("State").GetProperty("Bot").GetString());
        using var second = JsonDocument.Parse(logs.Lines[1]);
        Assert.Contains("InvalidOperationException", second.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4317", "must be an absolute http or https URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url", "must be an absolute http or https URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://collector:21", "with scheme 'ftp'")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://user:hunter2@collector:4318", "must not contain a user name or password")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "udp", "must be grpc or http/protobuf; got 'udp'")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "Authorization", "must be comma-separated key=value pairs")]
    [InlineData("LOG_FORMAT", "xml", "must be text or json; got 'xml'")]
    public void Bad_telemetry_settings_name_their_variable_and_what_is_allowed(string variable, string value, string expected)
    {
        var configuration = HostConfiguration.Load(new HostSettings { Environment = new Dictionary<string, string?> { [variable] = value }, UseAppSettingsFile = false });

        var failure = Assert.Single(TelemetryOptionsValidator.Check(TelemetryOptions.Read(configuration)));

        Assert.StartsWith(variable, failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:4317", null)]
    [InlineData("https://otel.example.com:4318/", "http/protobuf")]
    public void Valid_telemetry_settings_pass(string endpoint, string? protocol)
    {
        var options = new TelemetryOptions { OtlpEndpoint = endpoint, OtlpProtocol = protocol, OtlpHeaders = "Authorization=Bearer%20abc,x-team=ops", LogFormat = "JSON" };

        Assert.Empty(TelemetryOptionsValidator.Check(options));
        Assert.True(options.JsonLogs);
        Assert.DoesNotContain("abc", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_an_invalid_OTLP_endpoint_exits_2_naming_the_variable()
    {
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, new Dictionary<string, string?>());
        var settings = TestHosts.Settings(sandbox: true, environment: new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4317" });

        var exit = await HostCommand.RunAsync("serve", async () => await DiscordMcpHttpHost.BuildAsync(settings), context);

        Assert.Equal(2, exit);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT (Telemetry:OtlpEndpoint) must be an absolute http or https URL", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_collector_warns_once_and_tool_calls_still_answer()
    {
        var warned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var warnings = new ConcurrentQueue<string>();
        var port = TestHosts.ClosedPort();
        await using var host = await WriteTestHost.StartAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" },
            "Host.Tests TelemetryTests", services => services.AddSingleton<ILoggerProvider>(new SignalingLogs(line =>
            {
                warnings.Enqueue(line);
                warned.TrySetResult();
            })));

        for (var i = 0; i < 3; i++)
            Assert.True((await host.CallAsync("discord_list_channels", new() { ["guild_id"] = DemoGuild.GuildId })).IsError != true);
        await warned.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var warning = Assert.Single(warnings);
        Assert.Contains($"127.0.0.1:{port} cannot be reached", warning, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", warning, StringComparison.Ordinal);
    }

    // ---------- helpers

    private static void ForceFlush(WriteTestHost host) =>
        host.App.Services.GetRequiredService<TracerProvider>().ForceFlush();

    private static List<Activity> Snapshot(List<Activity> spans)
    {
        lock (spans)
            return [.. spans];
    }

    private static string? Tag(ActivityEvent e, string name) => e.Tags.FirstOrDefault(t => t.Key == name).Value as string;

    /// <summary>The summed value of the Prometheus samples of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>.</summary>
    private static double Value(string exposition, string metric, params (string Name, string Value)[] labels)
    {
        var total = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(metric + "{", StringComparison.Ordinal))
                continue;
            var close = line.LastIndexOf('}');
            var labelText = line[(metric.Length + 1)..close];
            if (labels.All(l => labelText.Contains($"{l.Name}=\"{l.Value}\"", StringComparison.Ordinal)))
                total += double.Parse(line[(close + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return total;
    }

    /// <summary>Formats every log entry with a real console formatter into memory, one line per entry.</summary>
    private sealed class JsonLogCapture
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public List<string> Lines => [.. _lines];

        public ILoggerProvider Attach(ConsoleFormatter formatter) => new Provider(this, formatter);

        private sealed class Provider(JsonLogCapture owner, ConsoleFormatter formatter) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Logger(owner, formatter, categoryName);

            public void Dispose() { }
        }

        private sealed class Logger(JsonLogCapture owner, ConsoleFormatter formatter, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format)
            {
                using var writer = new StringWriter();
                formatter.Write(new Microsoft.Extensions.Logging.Abstractions.LogEntry<TState>(logLevel, category, eventId, state, exception, format), null, writer);
                owner._lines.Enqueue(writer.ToString().TrimEnd());
            }
        }
    }

    /// <summary>Calls back for each warning of the OTLP reachability check.</summary>
    private sealed class SignalingLogs(Action<string> onWarning) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, onWarning);

        public void Dispose() { }

        private sealed class Logger(string category, Action<string> onWarning) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning && category.EndsWith(nameof(OtlpReachabilityCheck), StringComparison.Ordinal))
                    onWarning(formatter(state, exception));
            }
        }
    }
}
