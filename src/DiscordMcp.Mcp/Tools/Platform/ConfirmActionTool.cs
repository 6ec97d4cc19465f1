using System.ComponentModel;
using System.Text.Json;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Platform;

[McpServerToolType, Toolset(Toolsets.Platform), WriteTool, BotPermissions(DiscordPermissions.None)]
internal sealed class ConfirmActionTool(ToolDescriptors descriptors)
{
    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");

    [McpServerTool(Name = "discord_confirm_action", Title = "Confirm a pending action", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Runs a pending action that a write tool returned (its confirmation_id). It runs exactly as planned: the arguments are stored on the server and cannot be changed here. Every policy check runs again first, and a server that changed since the plan (the name is now taken, the message is gone, the member left) is reported instead of executed. Actions in 'approve' mode run only after a person approved them; you cannot approve them yourself.")]
    public async Task<CallToolResult> Run(
        [Description("The confirmation_id a write tool returned (pa_ followed by 32 hex digits).")] string confirmation_id,
        RequestContext<CallToolRequestParams> context,
        CancellationToken cancellationToken = default)
    {
        var services = context.Services!;
        if (services.GetService<PolicyPipeline>() is not { } pipeline || services.GetService<IPendingActionStore>() is not { } store)
            return ToolResults.Error("Denied (policy_error): the policy pipeline is not configured on this server, so nothing can be confirmed. This is a server configuration error.");
        var id = confirmation_id.Trim();
        var routes = services.GetRequiredService<PendingActionRoutes>();
        // Which tool runs it, with which stored arguments: known here for the actions this process handed out, else read
        // from the store. Only routing — the pipeline's confirmation layer consumes the action from the store, checking its
        // binding (tool, arguments, caller, workspace), expiry and approval.
        string? toolName = null, storedArguments = null;
        if (IsWellFormed(id))
        {
            if (routes.TryGet(id, out var routedTool, out var routedArguments))
                (toolName, storedArguments) = (routedTool, routedArguments);
            else if (await store.GetAsync(id, cancellationToken) is { } stored)
                (toolName, storedArguments) = (stored.ToolName, stored.CanonicalArguments);
        }
        var target = toolName is null ? null : context.Server.ServerOptions.ToolCollection?.FirstOrDefault(t => t.ProtocolTool.Name == toolName);
        var targetInfo = target is null ? null : descriptors.Describe(target.ProtocolTool);
        if (storedArguments is null || target is null || targetInfo is not { RunsPolicyItself: true })
            return await RefuseAsync(context, pipeline, id, cancellationToken);

        // The target's toolset must still be enabled and the server not read-only (the configuration may have changed).
        var gate = await services.GetRequiredService<IToolCallGate>().CheckAsync(
            new ToolCallRequest(targetInfo, new Dictionary<string, string>(StringComparer.Ordinal)), cancellationToken);
        if (!gate.Allowed)
            return ToolResults.Error($"Denied ({gate.ReasonCode}): {gate.Message}");

        var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(storedArguments) ?? [];
        var targetContext = new RequestContext<CallToolRequestParams>(context.Server, context.JsonRpcRequest,
            new CallToolRequestParams { Name = target.ProtocolTool.Name, Arguments = arguments })
        {
            Services = services,
            MatchedPrimitive = target,
            User = context.User,
        };
        try
        {
            return await WriteConfirmation.RunAsync(id, () => target.InvokeAsync(targetContext, cancellationToken));
        }
        catch (DiscordServiceException e)
        {
            // Consumed meanwhile (a concurrent confirmation ran it, which is also why the plan no longer fits): a replay.
            if (await store.GetAsync(id, cancellationToken) is null)
                return await RefuseAsync(context, pipeline, id, cancellationToken);
            // The arguments were valid when planned, so a failing plan now means the server changed since.
            return ToolResults.Error($"Not run: the server changed since the plan. {e.Message} Pending action {id} was not used; cancel it with discord_cancel_action or let it expire, and plan again.");
        }
        finally
        {
            // Used, refused or still waiting: a next attempt reads the store.
            routes.Forget(id);
        }
    }

    /// <summary>Unknown, used, expired or forged ids: the pipeline refuses them under this tool's name, and audits it.</summary>
    private static async Task<CallToolResult> RefuseAsync(RequestContext<CallToolRequestParams> context, PolicyPipeline pipeline, string id, CancellationToken cancellationToken)
    {
        var services = context.Services!;
        var self = services.GetRequiredService<ToolDescriptors>().Describe(((McpServerTool)context.MatchedPrimitive!).ProtocolTool);
        var credential = services.GetService<IToolCallerIdentity>()?.GetCredential(context) ?? new ApiKeyCredential(null);
        var request = new PolicyRequest
        {
            Credential = credential,
            Tool = PolicyBinding.Descriptor(self),
            ConfirmationId = id,
            CanonicalArguments = CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["confirmation_id"] = id })),
        };
        // No pending action is ever bound to this tool, so the confirmation layer cannot consume anything here.
        var run = await pipeline.RunAsync(request, (_, _) => ValueTask.FromResult(false), cancellationToken);
        return run.Decision.IsAllowed
            ? ToolResults.Error($"There is no pending action {id} to run. No Discord changes were made.")
            : PolicyBinding.Refusal(run.Decision);
    }

    private static bool IsWellFormed(string id) =>
        id.Length == 35 && id.StartsWith("pa_", StringComparison.Ordinal) && !id.AsSpan(3).ContainsAnyExcept(Hex);
}
