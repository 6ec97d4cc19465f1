using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Events;

[McpServerToolType, Toolset(Toolsets.Events), WriteTool, BotPermissions(DiscordPermissions.ManageEvents | DiscordPermissions.CreateEvents)]
internal sealed class DeleteScheduledEventTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_delete_scheduled_event", Title = "Delete a scheduled event", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes a scheduled event and its list of interested members (to keep a record, cancel it with discord_modify_scheduled_event instead). " +
        "Dry run by default: returns the plan and a confirmation_id; destructive, so by default a person must approve it.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The event: id or exact name.")] string @event,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, @event), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string @event) : IWriteOperation
    {
        private Snowflake _eventId;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var ev = await EventLookup.FindAsync(discord, ctx.Guild.Id, @event, cancellationToken);
            _eventId = ev.Id;
            _label = EventText.Name(ev);
            var channel = ev.ChannelId is { } cid ? ctx.Channels.FirstOrDefault(c => c.Id == cid) : null;
            var where = channel is not null ? $" in {WriteText.Channel(channel)}" : ev.EntityMetadata?.Location is { } loc ? $" at {UntrustedText.Inline(loc)}" : "";
            return new WritePlan
            {
                Action = "delete_scheduled_event",
                Sentence = $"delete the {EventText.TypeName(ev.EntityType)} event {_label}{where} ({EventText.StatusName(ev.Status)}, starting {EventText.When(ev.ScheduledStartTime)}).",
                Target = $"event {_label} (id {ev.Id}) in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = [$"Event {_label}: exists → deleted"],
                GuildId = ctx.Guild.Id.Value,
                // Deleting needs only the event permission (guild-wide): CREATE_EVENTS for the bot's own events, else MANAGE_EVENTS.
                BotPermissions = ev.CreatorId is { } creator && creator == ctx.Bot.User!.Id ? DiscordPermissions.CreateEvents : DiscordPermissions.ManageEvents,
                Undo = null,
                Notes = ["The list of interested members is lost; a new event starts with none."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            await DiscordReadService.CallAsync(() => discord.Client.DeleteScheduledEventAsync(new Snowflake(plan.GuildId), _eventId, cancellationToken), $"delete the event {_label}");
            return WriteOutcome.Of($"Deleted the event {_label}.", ("event_id", _eventId.ToString()));
        }
    }
}
