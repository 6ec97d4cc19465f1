using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Messages;

[McpServerToolType, Toolset(Toolsets.Messages), WriteTool, BotPermissions(DiscordPermissions.ReadMessageHistory | DiscordPermissions.ViewChannel)]
internal sealed class RemoveReactionTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_remove_reaction", Title = "Remove the bot's reaction", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Removes the bot's own reaction from a message (other people's reactions are left alone). Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("Message id.")] string message_id,
        [Description("A unicode emoji (e.g. 👍) or a custom emoji as name:id or <:name:id>.")] string emoji,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new ReactionChange(discord, add: false, guild_id, channel, message_id, emoji), cancellationToken);
}
