using DiscordMcp.Host.Configuration;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Storage;
using DiscordMcp.Storage.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace DiscordMcp.Host.Hosting;

/// <summary>
/// What start-up installs besides <c>ALLOWED_GUILD_IDS</c> (with <c>--sandbox</c>, the demo guild), and whether storage
/// is prepared in the background while the transport already answers (stdio) or before it starts (HTTP).
/// </summary>
/// <param name="CheckLocalWorkspace">The local operator calls (stdio, <c>--no-auth</c>): its configured workspace must exist.</param>
internal sealed record PlatformStartupOptions(ulong? SandboxGuildId, bool IssueSandboxKey = false, bool InBackground = false, bool CheckLocalWorkspace = false);

/// <summary>Storage could not be prepared at start; the message says what failed (never a secret).</summary>
internal sealed class PlatformStartupException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>
/// Migrates and bootstraps storage (default workspace, allowed guilds, interrupted writes → <c>outcome_unknown</c>).
/// In the foreground (HTTP: API-key authentication reads storage) the transports start only afterwards. In the
/// background (stdio) the MCP handshake and <c>tools/list</c>, which touch no storage, are answered meanwhile, and
/// every tool call waits in <see cref="WaitAsync"/> first. Either way a failure stops the host with exit code 1 and no
/// tool runs: nothing is served without its audit log.
/// </summary>
internal sealed partial class PlatformStartup(
    IStorageInitializer storage,
    PlatformStartupOptions options,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<PlatformStartup> logger) : IHostedService, IPlatformReadiness, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _initialization = Task.CompletedTask;
    private Task? _prepared;

    /// <summary>Why start-up failed, once it has; the command turns it into its exit code and message.</summary>
    public PlatformStartupException? Failure { get; private set; }

    /// <summary>
    /// Prepares storage before the host starts (the command calls this for a foreground start), so that a failure is
    /// one line from the command instead of the host's "Hosting failed to start" with a stack trace; <see cref="StartAsync"/>
    /// then finds it done. A no-op when storage is prepared in the background.
    /// </summary>
    public Task PrepareBeforeStartAsync(CancellationToken cancellationToken)
    {
        if (options.InBackground)
            return Task.CompletedTask;
        return _prepared ??= InitializeAsync(cancellationToken);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.InBackground)
        {
            _initialization = _prepared ?? InitializeAsync(cancellationToken);
            await _initialization;
            return;
        }
        _initialization = Task.Run(async () =>
        {
            try
            {
                await InitializeAsync(_stopping.Token);
            }
            catch (PlatformStartupException e)
            {
                LogFailed(logger, e.Message); // the message only: the inner exception's text is not redacted
                lifetime.StopApplication();
                throw;
            }
        }, CancellationToken.None);
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _initialization.WaitAsync(cancellationToken);
        }
        catch (PlatformStartupException e)
        {
            throw new PlatformUnavailableException($"{e.Message} The server is stopping; no tool can run.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformUnavailableException("The server is stopping before its storage was ready; no tool can run.");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            // Let a background initialisation finish unwinding before the container disposes the database.
            await _initialization.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is PlatformStartupException or OperationCanceledException)
        {
            // Reported already (Failure), or cancelled by this stop.
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await storage.InitializeAsync(cancellationToken);
            ConnectRedis();
            if (options.SandboxGuildId is { } guildId)
                await storage.InstallIntoDefaultWorkspaceAsync(guildId, cancellationToken);
            if (options.IssueSandboxKey)
                await services.GetRequiredService<SandboxAdminKey>().IssueAsync(cancellationToken);
            if (options.CheckLocalWorkspace)
                await CheckLocalWorkspaceAsync(cancellationToken);
        }
        catch (PlatformStartupException e)
        {
            Failure = e;
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure here means the platform cannot serve; it is reported, not swallowed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Database errors can quote connection details; the message goes to stderr and logs, so it is redacted.
            var detail = services.GetService<Redactor>() is { } redactor ? redactor.Redact(e.Message) : e.Message;
            Failure = new PlatformStartupException(
                $"The platform's storage could not be prepared ({e.GetType().Name}: {detail.Split('\n')[0].Trim().TrimEnd('.')}). Check that the database runs and DATABASE_URL; 'discord-mcp doctor' checks the whole setup.", e);
            throw Failure;
        }
        // Start-up (EF Core model building, migrations, first queries) leaves megabytes of garbage behind; an idle stdio
        // server would keep it committed until a full collection happens to run. Give it back once, now.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        LogReady(logger, elapsed);
    }

    /// <summary>
    /// With <c>REDIS_URL</c>, connects now (rate limits and pending actions live there): an unreachable Redis stops the
    /// start with one line naming its address (never the password) rather than failing the first tool call.
    /// </summary>
    private void ConnectRedis()
    {
        try
        {
            _ = services.GetService<IConnectionMultiplexer>(); // registered only with REDIS_URL; connects on resolution
        }
        catch (RedisException e)
        {
            var where = "the configured address";
            if (services.GetService<IConfiguration>()?[StorageServiceCollectionExtensions.RedisUrlKey] is { Length: > 0 } url)
            {
                try
                {
                    where = RedisEndpoint.Describe(RedisUrl.Parse(url));
                }
                catch (FormatException)
                {
                    // Validated at composition; keep the generic wording.
                }
            }
            throw new PlatformStartupException(
                $"Redis at {where} is unreachable ({e.GetType().Name}). Start Redis or fix REDIS_URL (host, port, password); 'discord-mcp doctor' checks the whole setup.", e);
        }
    }

    /// <summary>An unknown local workspace stops the start with a message naming the setting and both fixes.</summary>
    private async Task CheckLocalWorkspaceAsync(CancellationToken cancellationToken)
    {
        var workspace = services.GetRequiredService<IOptions<PlatformOptions>>().Value.LocalWorkspace.Trim();
        if (await services.GetRequiredService<IPlatformStore>().GetWorkspaceAsync(workspace, cancellationToken) is null)
        {
            throw new PlatformStartupException(
                $"DISCORD_MCP_WORKSPACE (Platform:LocalWorkspace) names workspace '{workspace}', which does not exist. " +
                $"Create it with 'discord-mcp workspaces create \"{workspace}\" --id {workspace}', or set DISCORD_MCP_WORKSPACE to an existing workspace (discord-mcp workspaces list).",
                new InvalidOperationException("Unknown local workspace."));
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Platform storage ready in {ElapsedMs:0} ms")]
    private static partial void LogReady(ILogger logger, double elapsedMs);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "{Problem} Stopping.")]
    private static partial void LogFailed(ILogger logger, string problem);
}
