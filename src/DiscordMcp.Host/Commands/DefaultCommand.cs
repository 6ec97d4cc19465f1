using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;

namespace DiscordMcp.Host.Commands;

/// <summary>Without a command, <c>MCP_TRANSPORT</c> (or <c>Server:Transport</c>) chooses: stdio → <c>stdio</c>, http → <c>serve</c>.</summary>
internal static class DefaultCommand
{
    public static string? FromTransport(CliContext context)
    {
        var settings = new HostSettings { Environment = DotEnvFile.WithProcessEnvironment(context.Environment, Directory.GetCurrentDirectory()) };
        string? transport;
        try
        {
            transport = HostConfiguration.Load(settings)["Server:Transport"]?.Trim().ToUpperInvariant();
        }
        catch (HostConfigurationException)
        {
            return null;
        }
        return transport switch
        {
            "STDIO" => "stdio",
            "HTTP" => "serve",
            _ => null,
        };
    }
}
