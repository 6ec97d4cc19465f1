using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Channels;

[McpServerToolType, Toolset(Toolsets.Channels), WriteTool, BotPermissions(DiscordPermissions.ManageChannels)]
internal sealed class DeleteChannelTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_channel", Title = "Delete a channel", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes a channel or category with all its messages; this cannot be undone. A category that still contains channels is refused unless " +
        "force is true (its channels then stay, without a category). Dry run by default: returns the plan and a confirmation_id; deletions usually need a " +
        "person's approval.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The channel or category to delete: #name, name, <#id> or id.")] string channel,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Delete a category even though it still contains channels (they are kept, without a category).")] bool? force = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, force ?? false, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, bool force, string? reason) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var target = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            var label = WriteText.Channel(target);
            var changes = new List<string>();
            var notes = new List<string>();
            var kindWord = EditChannelTool.KindWord(target.Type);
            if (target.Type == ChannelType.GuildCategory)
            {
                var children = ctx.Channels.Where(c => c.ParentId == target.Id).OrderBy(c => c.Position ?? 0).ToList();
                if (children.Count > 0)
                {
                    var names = WriteText.And([.. children.Take(10).Select(WriteText.Channel)]) + (children.Count > 10 ? $" and {children.Count - 10} more" : "");
                    if (!force)
                        throw DiscordServiceException.Invalid("force",
                            $"The category {label} still contains {children.Count} channel{(children.Count == 1 ? "" : "s")} ({names}). " +
                            "Move or delete them first, or pass force: true to delete the category anyway (its channels are kept, without a category).");
                    changes.Add($"Channels left without a category: {names}");
                    notes.Add($"The category still contains {children.Count} channel{(children.Count == 1 ? "" : "s")}; they are not deleted and move out of the category.");
                }
                changes.Insert(0, $"Delete the category {label}");
            }
            else
            {
                changes.Add($"Delete the {kindWord} {label} ({DiscordReadService.TypeName(target.Type)})");
                if (target.Type is not (ChannelType.GuildVoice or ChannelType.GuildStageVoice))
                    changes.Add("Its messages and threads are deleted with it");
            }
            notes.Add("This cannot be undone.");

            _channel = target;
            _label = label;
            return new WritePlan
            {
                Action = "delete_channel",
                Sentence = $"delete the {kindWord} {label} (id {target.Id}). This cannot be undone.",
                Target = $"{label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = target.Id.Value,
                BotPermissions = DiscordPermissions.ManageChannels,
                Undo = null,
                Notes = notes,
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var deleted = await DiscordReadService.CallAsync(() => discord.Client.DeleteChannelAsync(_channel!.Id, _reason, cancellationToken), $"delete the channel {_label}");
            discord.InvalidateGuild(new Snowflake(plan.GuildId));
            return WriteOutcome.Of($"Deleted the {EditChannelTool.KindWord(deleted.Type)} {_label}.", ("channel_id", deleted.Id.ToString()));
        }
    }
}
