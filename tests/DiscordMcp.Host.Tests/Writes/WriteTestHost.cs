using System.Text.Json;
using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Hosting;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Sandbox;
using DiscordMcp.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>
/// The real HTTP host with the in-process sandbox and API-key authentication, for write-tool tests: an admin client of the
/// <c>default</c> workspace (the sandbox's key), helpers to issue more keys, compare sandbox snapshots around a dry run,
/// confirm, and read the audit log. Every Discord request the host sends is counted.
/// </summary>
internal static class ServiceCollectionTestExtensions
{
    public static IServiceCollection Apply(this IServiceCollection services, Action<IServiceCollection>? configure)
    {
        configure?.Invoke(services);
        return services;
    }
}

internal sealed class WriteTestHost : IAsyncDisposable
{
    private readonly List<McpClient> _clients = [];

    private WriteTestHost(WebApplication app, Uri mcpUrl, DiscordRequestCounter discord)
    {
        App = app;
        McpUrl = mcpUrl;
        Discord = discord;
    }

    public WebApplication App { get; }

    public Uri McpUrl { get; }

    /// <summary>Requests the host's Discord client sent to the sandbox.</summary>
    public DiscordRequestCounter Discord { get; }

    public SandboxHost Sandbox => App.Services.GetRequiredService<SandboxHost>();

    public IPlatformStore Store => App.Services.GetRequiredService<IPlatformStore>();

    /// <summary>The admin client of the default workspace (connected on start).</summary>
    public McpClient Admin { get; private set; } = null!;

    public static async Task<WriteTestHost> StartAsync(Dictionary<string, string?>? environment = null, string scanName = "Host.Tests Writes", Action<IServiceCollection>? configure = null)
    {
        var discord = new DiscordRequestCounter();
        var app = await DiscordMcpHttpHost.BuildAsync(TestHosts.Settings(sandbox: true, noAuth: false, environment: environment ?? []),
            configureServices: services => services.AddSecretScanCapture(scanName)
                .AddHttpClient(DiscordClientServiceCollectionExtensions.HttpClientName)
                .AddHttpMessageHandler(() => new DiscordRequestCounter.Handler(discord))
                .Services.Apply(configure));
        await app.StartAsync();
        var host = new WriteTestHost(app, new Uri(app.Urls.Single().TrimEnd('/') + DiscordMcpHttpHost.McpPath), discord);
        host.Admin = await host.ConnectAsync(DiscordMcpHttpHost.SandboxApiKey(app.Services)!);
        return host;
    }

    /// <summary>A client with <paramref name="key"/>; disposed with the host. <paramref name="options"/> can declare capabilities (elicitation).</summary>
    public async Task<McpClient> ConnectAsync(string key, McpClientOptions? options = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpUrl,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + key },
        });
        options ??= new McpClientOptions();
        options.ProtocolVersion ??= "2025-11-25";
        var client = await McpClient.CreateAsync(transport, options);
        _clients.Add(client);
        return client;
    }

    /// <summary>A new API key of <paramref name="workspace"/> (created when missing) with <paramref name="role"/>.</summary>
    public async Task<string> IssueKeyAsync(string workspace, PlatformRole role)
    {
        if (await Store.GetWorkspaceAsync(workspace, CancellationToken.None) is null)
            await Store.CreateWorkspaceAsync(new Workspace(workspace, workspace, DateTimeOffset.UtcNow), CancellationToken.None);
        var generated = ApiKeys.Generate();
        var principal = "key:" + generated.LookupId;
        await Store.UpsertPrincipalAsync(new Principal(principal, PrincipalKind.ApiClient, "test"), CancellationToken.None);
        await Store.SetMembershipAsync(new WorkspaceMembership(workspace, principal, role), CancellationToken.None);
        await Store.CreateApiKeyAsync(new ApiKeyRecord(Guid.NewGuid().ToString("N"), workspace, principal, role, generated.LookupId, generated.SecretHash,
            DateTimeOffset.UtcNow), CancellationToken.None);
        return generated.Key;
    }

    /// <summary>Sets the mode of one tool in the default workspace.</summary>
    public Task SetModeAsync(string tool, ToolMode mode, string workspace = "default") =>
        Store.SetToolPolicyAsync(new ToolPolicy(workspace, ToolPolicyTarget.Tool, tool, mode), CancellationToken.None);

    public string Snapshot() => Sandbox.State.Snapshot();

    /// <summary>The messages of a channel as the sandbox stores them (from a snapshot).</summary>
    public List<JsonObject> Messages(string channelId) =>
        [.. JsonNode.Parse(Snapshot())!["channels"]!.AsArray().Single(c => (string?)c!["channel"]!["id"] == channelId)!["messages"]!.AsArray().Select(m => m!["message"]!.AsObject())];

    /// <summary>One stored message, or <c>null</c> when it does not exist.</summary>
    public JsonObject? Message(string channelId, string messageId) => Messages(channelId).SingleOrDefault(m => (string?)m["id"] == messageId);

    /// <summary>The reactions of a stored message as (emoji key, user ids).</summary>
    public List<(string Key, List<string> Users)> Reactions(string channelId, string messageId) =>
        [.. JsonNode.Parse(Snapshot())!["channels"]!.AsArray().Single(c => (string?)c!["channel"]!["id"] == channelId)!["messages"]!.AsArray()
            .Single(m => (string?)m!["message"]!["id"] == messageId)!["reactions"]!.AsArray()
            .Select(r => ((string)r!["key"]!, r["users"]!.AsArray().Select(u => (string)u!).ToList()))];

    /// <summary>Deletes a message behind the server's back (as the bot, through the host's own client), to simulate drift.</summary>
    public Task DeleteMessageAsync(string channelId, string messageId) =>
        App.Services.GetRequiredService<DiscordRestClient>().DeleteMessageAsync(Snowflake.Parse(channelId), Snowflake.Parse(messageId));

    public static Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> args) =>
        client.CallToolAsync(tool, args).AsTask();

    public Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> args) => CallAsync(Admin, tool, args);

    /// <summary>
    /// Dry-runs <paramref name="tool"/> as the admin, asserts the sandbox did not change and no pending state leaked into the
    /// result, then confirms it and returns the confirmation's result (asserted successful).
    /// </summary>
    public async Task<(CallToolResult DryRun, CallToolResult Confirmed)> DryRunThenConfirmAsync(string tool, Dictionary<string, object?> args)
    {
        var before = Snapshot();
        var dry = await CallAsync(tool, args);
        Assert.True(dry.IsError != true, Text(dry));
        Assert.Equal(before, Snapshot());
        Assert.Equal("dry_run", Structured(dry).GetProperty("status").GetString());
        Assert.EndsWith("No Discord changes were made.", Text(dry), StringComparison.Ordinal);
        var id = ConfirmationId(dry);
        var confirmed = await CallAsync("discord_confirm_action", new() { ["confirmation_id"] = id });
        Assert.True(confirmed.IsError != true, Text(confirmed));
        Assert.Equal("executed", Structured(confirmed).GetProperty("status").GetString());
        return (dry, confirmed);
    }

    public static string ConfirmationId(CallToolResult result) =>
        Structured(result).GetProperty("confirmation_id").GetString() ?? throw new InvalidOperationException("no confirmation_id: " + Text(result));

    public static string Text(CallToolResult result) =>
        string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public static JsonElement Structured(CallToolResult result) =>
        result.StructuredContent ?? throw new InvalidOperationException("no structured content: " + Text(result));

    public async Task<IReadOnlyList<AuditEvent>> AuditAsync(string tool) =>
        await App.Services.GetRequiredService<IAuditLog>().ReadAsync(new AuditQuery(Tool: tool, Limit: 1000), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
