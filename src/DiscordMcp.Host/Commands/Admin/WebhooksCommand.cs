using System.Globalization;
using System.Net;
using System.Text.Json;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Admin;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Policy.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Host.Commands.Admin;

/// <summary>
/// <c>discord-mcp webhooks reveal ID</c>: the only way to see a webhook's URL (no MCP tool returns it). The webhook is
/// read with the bot (same client configuration as the server), must belong to a guild installed in the workspace
/// (anything else is "not found"), and the reveal is audited BEFORE the URL is printed; without the audit row nothing
/// is printed. The URL goes to stdout only, never into the audit row or an error.
/// </summary>
internal static class WebhooksCommand
{
    /// <summary>The audit event's tool name.</summary>
    public const string AuditTool = "webhooks_reveal";

    private static readonly OptionSpec Workspace = new("--workspace", "ID", "Workspace the webhook's guild must be installed in (default: default).");
    private static readonly OptionSpec Guild = new("--guild", "GUILD_ID", "Guild the webhook must belong to (optional extra check).");

    public static CommandSpec Definition { get; } = AdminGroup.Define("webhooks", "Reveal a webhook's URL (audited).",
    [
        new("reveal", "Print a webhook's URL to stdout after recording an audit event (needs DISCORD_BOT_TOKEN).", ["id"], [Guild, Workspace], RevealAsync,
            "The URL is a secret: anyone who has it can post as the webhook. It is printed to stdout only; the audit event records who\n" +
            "revealed which webhook (principal cli:<OS user>), never the URL or token. Nothing is printed when the audit log cannot be written."),
    ]);

    private static async Task<int> RevealAsync(AdminInvocation call)
    {
        if (!AdminFormat.TryParseSnowflake(call.Positionals[0], out var webhookId))
            return await call.UsageErrorAsync($"ID '{call.Positionals[0]}' is not a webhook id (a positive number).");
        ulong? guildFilter = null;
        if (call.Value(Guild.Name) is { } g)
        {
            if (!AdminFormat.TryParseSnowflake(g, out var gid))
                return await call.UsageErrorAsync($"--guild '{g}' is not a guild id (a positive number).");
            guildFilter = gid;
        }
        var workspaceId = call.Value(Workspace.Name) ?? "default";
        if (!AdminFormat.IsWorkspaceId(workspaceId))
            return await call.UsageErrorAsync($"--workspace '{workspaceId}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");

        IConfiguration configuration;
        try
        {
            configuration = HostConfiguration.Load(new HostSettings { Environment = call.Context.Environment });
        }
        catch (FormatException ex)
        {
            return await call.UsageErrorAsync($"invalid configuration: {ex.Message}");
        }
        var section = configuration.GetSection("Discord");
        if (string.IsNullOrWhiteSpace(section["Token"]))
            return await call.UsageErrorAsync("DISCORD_BOT_TOKEN is not set; the webhook is read with the bot.");

        await using var services = await AdminServices.OpenAsync(call);
        if (services is null)
            return AdminExit.Usage;
        if (await WorkspaceArgument.ResolveAsync(call, services, workspaceId, "--workspace") is null)
            return AdminExit.Failed;

        var collection = new ServiceCollection().AddLogging();
        collection.AddDiscordRestClient(section);
        await using var provider = collection.BuildServiceProvider();
        DiscordClientOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            return await call.UsageErrorAsync($"invalid Discord configuration: {ex.Message}");
        }
        var client = provider.GetRequiredService<DiscordRestClient>();
        var notFound = $"webhook {webhookId} was not found in workspace '{workspaceId}'" + (guildFilter is null ? "" : $" (guild {guildFilter})") + ".";
        DiscordWebhook webhook;
        try
        {
            webhook = await client.GetWebhookAsync(new Snowflake(webhookId), CancellationToken.None);
        }
        catch (DiscordHttpException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return await call.FailAsync(notFound);
        }
        catch (DiscordHttpException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return await call.FailAsync("Discord rejected the bot token (401 Unauthorized). Fix DISCORD_BOT_TOKEN.");
        }
        catch (DiscordException ex)
        {
            return await call.FailAsync($"cannot read the webhook from Discord ({ex.GetType().Name}). Check Discord:BaseUrl and the network.");
        }

        // The webhook's guild must be one of the workspace's; otherwise it does not exist as far as this workspace knows.
        var guildId = webhook.GuildId?.Value;
        var installation = guildId is { } id ? await services.Platform.GetInstallationAsync(id, CancellationToken.None) : null;
        if (installation is null || installation.WorkspaceId != workspaceId || (guildFilter is { } want && want != guildId))
            return await call.FailAsync(notFound);
        if (string.IsNullOrEmpty(webhook.Token))
            return await call.FailAsync($"webhook {webhookId} has no URL (only incoming webhooks have one; this one is of type {webhook.Type}).");

        var principal = "cli:" + System.Environment.UserName;
        var auditEvent = new AuditEvent(
            Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), services.Time.GetUtcNow(), principal, workspaceId, guildId,
            webhook.ChannelId?.Value, AuditTool,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["webhook_id"] = webhookId.ToString(CultureInfo.InvariantCulture) }),
            AuditDecision.Allowed, null, null, "The webhook URL was revealed on the admin command line.", 0, AuditOutcome.Executed)
        { EntryPoint = AuditEntryPoints.Cli };
        try
        {
            await services.Audit.AppendAsync(auditEvent, CancellationToken.None);
        }
#pragma warning disable CA1031 // Any failure to record the reveal must stop it (fail closed); the exception's type is reported.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await call.FailAsync($"the audit log could not be written ({ex.GetType().Name}), so the URL was not revealed.");
        }

        var url = webhook.Url is { Length: > 0 } given
            ? given
            : new Uri(options.BaseUrl, $"webhooks/{webhookId.ToString(CultureInfo.InvariantCulture)}/{webhook.Token}").ToString();
        await call.Context.Out.WriteLineAsync(url);
        return AdminExit.Ok;
    }
}
