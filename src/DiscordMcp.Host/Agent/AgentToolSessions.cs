using System.IO.Pipelines;
using DiscordMcp.Agent;
using DiscordMcp.Mcp;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Host.Agent;

/// <summary>
/// In-process MCP sessions for the agent: per turn, an <see cref="McpServer"/> with the host's own server options (the
/// same tools, filters, policy pipeline and audit as an external client) over a pair of in-memory pipes, and a client
/// connected to it. The server is created with an <see cref="AgentSessionServices"/> as its service provider: that object
/// carries the member's credential and is what <see cref="AgentCallerIdentity"/> recognises.
/// </summary>
internal sealed partial class AgentToolSessions(
    IServiceProvider services,
    IOptions<McpServerOptions> serverOptions,
    IPlatformStore platform,
    ILoggerFactory loggerFactory) : IAgentToolSessions
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AgentToolSessions>();

    public async Task<McpClient> ConnectAsync(AgentPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var installation = await platform.GetInstallationAsync(principal.GuildId, cancellationToken)
            ?? throw new AgentSessionException("This Discord server is not installed in any workspace of DiscordMCP, so I cannot use my tools here.");
        // The member's own permissions are computed by the pipeline's permission layer for each call's target channel:
        // nothing is lent from the bot.
        var credential = new DiscordUserCredential(installation.WorkspaceId, principal.UserId, principal.DisplayName) { GuildId = principal.GuildId };
        var session = new AgentSessionServices(services, credential);
        var toServer = new Pipe();
        var toClient = new Pipe();
        var server = McpServer.Create(new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()),
            serverOptions.Value, loggerFactory, session);
        _ = RunAsync(server, session, toServer, toClient);
        try
        {
            return await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()),
                new McpClientOptions { ClientInfo = new Implementation { Name = "discord-mcp-agent", Version = HostVersion.Current } },
                loggerFactory, cancellationToken);
        }
        catch
        {
            session.Close();
            await toServer.Writer.CompleteAsync();
            throw;
        }
    }

    // Runs until the client closes its side (the agent disposes the client at the end of the turn), then closes the
    // session: any late call on this server instance is refused (AgentSessionServices.Credential fails closed).
    private async Task RunAsync(McpServer server, AgentSessionServices session, Pipe toServer, Pipe toClient)
    {
        try
        {
            await server.RunAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSessionEnded(_logger, e.GetType());
        }
        finally
        {
            session.Close();
            await server.DisposeAsync();
            await toServer.Reader.CompleteAsync();
            await toClient.Writer.CompleteAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An agent MCP session ended with {Error}")]
    private static partial void LogSessionEnded(ILogger logger, Type error);
}

/// <summary>The agent cannot open a tool session; the message is safe to show to the member.</summary>
internal sealed class AgentSessionException(string message) : Exception(message);

/// <summary>
/// The service provider of one in-process agent session: the host's services plus the member's credential. Its
/// identity (reference) marks a request as the agent's; after <see cref="Close"/> the credential is an unknown caller.
/// </summary>
internal sealed class AgentSessionServices(IServiceProvider inner, DiscordUserCredential credential) : IServiceProvider, IKeyedServiceProvider
{
    private volatile DiscordUserCredential? _credential = credential;

    /// <summary>The member's credential while the session is open; an unknown caller (denied) afterwards.</summary>
    public PolicyCredential Credential => (PolicyCredential?)_credential ?? new ApiKeyCredential(null);

    public void Close() => _credential = null;

    public object? GetService(Type serviceType) => inner.GetService(serviceType);

    public object? GetKeyedService(Type serviceType, object? serviceKey) =>
        inner is IKeyedServiceProvider keyed ? keyed.GetKeyedService(serviceType, serviceKey) : null;

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) =>
        inner is IKeyedServiceProvider keyed ? keyed.GetRequiredKeyedService(serviceType, serviceKey)
            : throw new InvalidOperationException($"No keyed service for {serviceType}.");
}

/// <summary>
/// Wraps the host's <see cref="IToolCallerIdentity"/>: a call on an in-process agent server runs as that session's
/// member (never as the local operator or an HTTP caller, even after the session closed); every other call is the inner
/// identity's.
/// </summary>
internal sealed class AgentCallerIdentity(IToolCallerIdentity inner) : IToolCallerIdentity
{
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Server.Services is AgentSessionServices session ? session.Credential : inner.GetCredential(context);
    }

    public PolicyCredential GetResourceCredential(RequestContext<ReadResourceRequestParams> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Server.Services is AgentSessionServices session ? session.Credential : inner.GetResourceCredential(context);
    }
}

/// <summary>No identity was registered: every caller is unknown (the pipeline denies).</summary>
internal sealed class UnknownCallerIdentity : IToolCallerIdentity
{
    public PolicyCredential GetCredential(RequestContext<CallToolRequestParams> context) => new ApiKeyCredential(null);
}
