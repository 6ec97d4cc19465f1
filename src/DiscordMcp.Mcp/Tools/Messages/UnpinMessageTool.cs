using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Messages;

[McpServerToolType, Toolset(Toolsets.Messages), WriteTool, BotPermissions(DiscordPermissions.PinMessages | DiscordPermissions.ReadMessageHistory | DiscordPermissions.ViewChannel)]
internal sealed class UnpinMessageTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_unpin_message", Title = "Unpin a message", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Unpins a pinned message. Needs the Pin Messages permission. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Message id.")] string message_id,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new PinChange(discord, pin: false, guild_id, channel, message_id, reason), cancellationToken);
}
