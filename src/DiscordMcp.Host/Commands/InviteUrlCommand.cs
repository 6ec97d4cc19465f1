using System.Globalization;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Host.Doctor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Commands;

/// <summary><c>discord-mcp invite-url</c>: the OAuth2 URL that adds the bot with exactly the permissions the enabled features need.</summary>
internal static class InviteUrlCommand
{
    public const string AuthorizeUrl = "https://discord.com/oauth2/authorize";

    public static CommandSpec Definition { get; } = new(
        "invite-url",
        "Print the bot invite URL with exactly the permissions the enabled toolsets (and gateway/agent) need.",
        """
        The permissions are derived from the tool catalog for TOOLSETS (write tools dropped with READ_ONLY), plus what
        the gateway and the agent need when ENABLE_GATEWAY or AGENT_ENABLED is on. stdout carries the URL alone (for
        scripts); stderr lists the permissions by name. The application id comes from DISCORD_CLIENT_ID, else Discord
        is asked with DISCORD_BOT_TOKEN (GET /applications/@me).
        """,
        [],
        RunAsync);

    /// <summary>The invite URL for <paramref name="clientId"/> with <paramref name="permissions"/>.</summary>
    public static string Build(string clientId, DiscordPermissions permissions) =>
        $"{AuthorizeUrl}?client_id={Uri.EscapeDataString(clientId)}&scope=bot+applications.commands&permissions={((ulong)permissions).ToString(CultureInfo.InvariantCulture)}";

    private static async Task<int> RunAsync(ParsedArguments args, CliContext context)
    {
        IConfiguration configuration;
        BotPermissionNeeds needs;
        try
        {
            configuration = HostConfiguration.Load(new HostSettings
            {
                Environment = DotEnvFile.WithProcessEnvironment(context.Environment, Directory.GetCurrentDirectory()),
            });
            needs = BotPermissionNeeds.FromConfiguration(configuration);
        }
        catch (Exception ex) when (ex is HostConfigurationException or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"discord-mcp invite-url: {ex.Message}");
            return CommandLine.UsageError;
        }

        var clientId = configuration["Discord:ClientId"]?.Trim();
        if (string.IsNullOrEmpty(clientId))
        {
            clientId = await ApplicationIdAsync(configuration, context);
            if (clientId is null)
                return CommandLine.UsageError;
        }
        else if (!Snowflake.TryParse(clientId, out _))
        {
            await context.Error.WriteLineAsync($"discord-mcp invite-url: DISCORD_CLIENT_ID must be the application id (a number such as 1300000000000000001); got '{clientId}'.");
            return CommandLine.UsageError;
        }

        await context.Out.WriteLineAsync(Build(clientId, needs.All));
        await context.Error.WriteLineAsync($"Permissions ({((ulong)needs.All).ToString(CultureInfo.InvariantCulture)}): {BotPermissionNeeds.Describe(needs.All)}");
        foreach (var (feature, need) in needs.Features)
            await context.Error.WriteLineAsync($"  {feature}: {BotPermissionNeeds.Describe(need)}");
        return 0;
    }

    /// <summary>The application id from Discord (the bot token's application), or null after writing why not.</summary>
    private static async Task<string?> ApplicationIdAsync(IConfiguration configuration, CliContext context)
    {
        var section = configuration.GetSection("Discord");
        if (string.IsNullOrWhiteSpace(section["Token"]))
        {
            await context.Error.WriteLineAsync(
                "discord-mcp invite-url: the application id is unknown. Set DISCORD_CLIENT_ID to the application id (developer portal → your application → General Information → Application ID), or set DISCORD_BOT_TOKEN so it can be asked from Discord.");
            return null;
        }
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRestClient(section);
        await using var provider = services.BuildServiceProvider();
        try
        {
            var application = await provider.GetRequiredService<DiscordRestClient>().GetCurrentApplicationAsync(CancellationToken.None);
            return application.Id.ToString();
        }
        catch (DiscordException ex)
        {
            var why = ex is DiscordHttpException { StatusCode: System.Net.HttpStatusCode.Unauthorized } ? "Discord refused the bot token (401)" : ex.GetType().Name;
            await context.Error.WriteLineAsync(
                $"discord-mcp invite-url: cannot ask Discord for the application id ({why}). Set DISCORD_CLIENT_ID to the application id (developer portal → General Information → Application ID).");
            return null;
        }
    }
}
