using System.Text.Json;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp;

/// <summary>
/// Resource reads pass the same policy pipeline as tool calls: authenticated, in the caller's workspace, guild
/// installed, platform role, channel and tool policy (as a read of the resource's toolset), bot permission, rate
/// limit, audited. In the audit log a read shows as <c>resource:guild_summary</c> / <c>resource:guild_channels</c>.
/// A refusal is a protocol error whose message names the layer and reason, like a tool refusal.
/// </summary>
internal static partial class ResourceReadFilter
{
    /// <summary>The resources and the toolset whose policies govern them.</summary>
    private static readonly Dictionary<string, (string Name, string Toolset)> Kinds = new(StringComparer.Ordinal)
    {
        ["summary"] = ("resource:guild_summary", Toolsets.Guilds),
        ["channels"] = ("resource:guild_channels", Toolsets.Channels),
    };

    [GeneratedRegex(@"^discord://guilds/(?<guild>[^/]+)/(?<kind>summary|channels)$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceUri();

    public static McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> Create(McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services!;
            if (services.GetService<PolicyPipeline>() is not { } pipeline)
            {
                if (services.GetService<WithoutPlatformForTests>() is not null)
                    return await next(context, cancellationToken);
                // Fail closed, as for tools.
                throw new McpProtocolException("Denied (policy_error): the policy pipeline is not configured on this server, so no resource can be read.", McpErrorCode.InvalidRequest);
            }
            var uri = context.Params?.Uri ?? "";
            var credential = services.GetService<IToolCallerIdentity>()?.GetResourceCredential(context) ?? new ApiKeyCredential(null);
            ToolInfo resource;
            var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (ResourceUri().Match(uri) is { Success: true } match)
            {
                var (name, toolset) = Kinds[match.Groups["kind"].Value];
                arguments["guild_id"] = JsonSerializer.SerializeToElement(Uri.UnescapeDataString(match.Groups["guild"].Value), ToolResults.Json);
                resource = new ToolInfo(name, toolset, ReadOnly: true, Destructive: false, name, "Resource read")
                {
                    Arguments = [new ToolArgument("guild_id", "string", Required: true, "Guild id or name")],
                };
            }
            else
            {
                // Any other resource (none in the product today; the conformance fixtures in tests) is still read only by
                // an authenticated workspace member, within its rate limit, and audited: a guild-less read.
                resource = new ToolInfo("resource:other", ToolInfo.NoToolset, ReadOnly: true, Destructive: false, "resource", "Resource read");
                arguments["uri"] = JsonSerializer.SerializeToElement(uri, ToolResults.Json);
            }
            PolicyRequest request;
            try
            {
                request = await PolicyBinding.BuildAsync(services, resource, arguments, credential, cancellationToken);
            }
            catch (DiscordServiceException e)
            {
                throw new McpProtocolException(e.Message, McpErrorCode.InvalidParams);
            }
            if (services.GetService<IPlatformReadiness>() is { } readiness)
            {
                try
                {
                    await readiness.WaitAsync(cancellationToken);
                }
                catch (PlatformUnavailableException e)
                {
                    throw new McpProtocolException($"Denied (platform_unavailable): {e.Message}", McpErrorCode.InternalError);
                }
            }
            var callContext = services.GetRequiredService<PolicyCallContext>();
            PolicyResult<ReadResourceResult> run;
            try
            {
                run = await pipeline.RunAsync(request, (policyContext, ct) => callContext.RunInAsync(policyContext, () => next(context, ct)), cancellationToken);
            }
            catch (DiscordServiceException e)
            {
                throw new McpProtocolException(e.Message, McpErrorCode.InvalidParams);
            }
            if (!run.Decision.IsAllowed || run.Value is null)
            {
                var refusal = PolicyBinding.Refusal(run.Decision).Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "Denied.";
                throw new McpProtocolException(refusal, McpErrorCode.InvalidRequest);
            }
            return run.Value;
        };
}
