using DiscordMcp.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DiscordMcp.Mcp;

/// <summary>
/// Checks the MCP layer's settings (<c>ALLOWED_GUILD_IDS</c>, <c>TOOLSETS</c>, <c>READ_ONLY</c>) when the host starts,
/// so every bad value is reported with the host's other validation messages and nothing runs half-configured.
/// </summary>
public sealed class DiscordMcpConfigurationCheck
{
    internal sealed class Validator(IConfiguration configuration) : IValidateOptions<DiscordMcpConfigurationCheck>
    {
        public ValidateOptionsResult Validate(string? name, DiscordMcpConfigurationCheck options)
        {
            var failures = new List<string>();
            Check(() => DiscordScopeOptions.FromConfiguration(configuration), failures);
            Check(() => McpToolOptions.FromConfiguration(configuration), failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Check(Func<object> parse, List<string> failures)
        {
            try
            {
                parse();
            }
            catch (InvalidOperationException ex)
            {
                failures.Add(ex.Message);
            }
        }
    }
}
