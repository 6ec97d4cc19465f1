using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Events;

[McpServerToolType, Toolset(Toolsets.Events), WriteTool, BotPermissions(DiscordPermissions.CreateEvents | DiscordPermissions.ViewChannel)]
internal sealed class CreateScheduledEventTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_scheduled_event", Title = "Create a scheduled event", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Schedules a guild event in a voice or stage channel, or at an external location (e.g. \"Community Sync\" tomorrow at " +
        "2026-11-30T14:00:00-03:00 in the voice channel Events). Times are ISO-8601 WITH an offset and are shown back in that offset " +
        "(\"Time: 14:00 GMT-3\"). The start must be in the future and the end after the start; voice/stage events need a channel of that type; " +
        "external events need a location and an end time. Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Event name (1–100 characters).")] string name,
        [Description("voice, stage or external.")] string entity_type,
        [Description("Start: ISO-8601 date and time with an offset, e.g. 2026-11-30T14:00:00-03:00 or 2026-11-30T17:00:00Z. Must be in the future.")] string start_time,
        [Description("End: ISO-8601 with an offset, after the start. Required for external events.")] string? end_time = null,
        [Description("Voice or stage channel (name or id) of exactly the entity_type; not for external events.")] string? channel = null,
        [Description("Where an external event happens (1–100 characters); only for external events.")] string? location = null,
        [Description("Description (at most 1000 characters).")] string? description = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, name, entity_type, start_time, end_time, channel, location, description, reason), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string name, string entityType, string startTime, string? endTime, string? channel, string? location,
        string? description, string? reason) : IWriteOperation
    {
        private CreateScheduledEventRequest? _request;
        private string? _reason;
        private string? _where;
        private DateTimeOffset _start;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var eventName = WriteText.Required(name, "name", DiscordLimits.EventNameMin, DiscordLimits.EventNameMax);
            if (!EventText.Types.TryGetValue((entityType ?? "").Trim(), out var type))
                throw DiscordServiceException.Invalid("entity_type", $"entity_type must be one of {string.Join(", ", EventText.Types.Keys)}, got \"{UntrustedText.Inline(entityType)}\".");
            WriteText.Optional(description, "description", DiscordLimits.EventDescriptionMax);
            _start = EventText.Parse(startTime, "start_time");
            DateTimeOffset? end = endTime is null ? null : EventText.Parse(endTime, "end_time");
            var now = discord.Time.GetUtcNow();
            if (_start <= now)
                throw DiscordServiceException.Invalid("start_time", $"start_time must be in the future: {EventText.When(_start)} has already passed (now {EventText.When(now.ToOffset(_start.Offset))}).");
            if (end is { } e && e <= _start)
                throw DiscordServiceException.Invalid("end_time", $"end_time must be after start_time: {EventText.When(e.ToOffset(_start.Offset))} is not after {EventText.When(_start)}.");
            if (type == ScheduledEventEntityType.External)
            {
                if (channel is not null)
                    throw DiscordServiceException.Invalid("channel", "channel is only for voice and stage events; an external event has a location instead.");
                WriteText.Required(location, "location", DiscordLimits.EventLocationMin, DiscordLimits.EventLocationMax);
                if (end is null)
                    throw DiscordServiceException.Invalid("end_time", "end_time is required for external events.");
            }
            else
            {
                if (location is not null)
                    throw DiscordServiceException.Invalid("location", "location is only for external events; a voice or stage event happens in its channel.");
                if (string.IsNullOrWhiteSpace(channel))
                    throw DiscordServiceException.Invalid("channel", $"channel is required for {EventText.TypeName(type)} events: a {EventText.TypeName(type)} channel name or id.");
            }
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            DiscordChannel? target = null;
            var needed = DiscordPermissions.CreateEvents;
            if (type != ScheduledEventEntityType.External)
            {
                target = DiscordReadService.ResolveChannel(ctx, channel, "channel");
                var wanted = type == ScheduledEventEntityType.Voice ? ChannelType.GuildVoice : ChannelType.GuildStageVoice;
                if (target.Type != wanted)
                    throw DiscordServiceException.Invalid("channel",
                        $"channel: {WriteText.Channel(target)} is a {DiscordReadService.TypeName(target.Type)} channel; a {EventText.TypeName(type)} event needs a {EventText.TypeName(type)} channel.");
                // What Discord requires of the event's creator in the channel (CREATE_EVENTS plus the channel's own rights).
                needed |= type == ScheduledEventEntityType.Voice
                    ? DiscordPermissions.ViewChannel | DiscordPermissions.Connect
                    : DiscordPermissions.ViewChannel | DiscordPermissions.ManageChannels | DiscordPermissions.MuteMembers | DiscordPermissions.MoveMembers;
            }

            _where = target is not null ? $"in {WriteText.Channel(target)}" : $"at {UntrustedText.Inline(location)}";
            _request = new CreateScheduledEventRequest
            {
                Name = eventName,
                Description = description,
                EntityType = type,
                ChannelId = target?.Id,
                EntityMetadata = type == ScheduledEventEntityType.External ? new ScheduledEventEntityMetadata { Location = location!.Trim() } : null,
                ScheduledStartTime = _start,
                ScheduledEndTime = end,
            };
            var changes = new List<string>
            {
                $"Name: {UntrustedText.Inline(eventName)}",
                $"Type: {EventText.TypeName(type)}",
                target is not null ? $"Channel: {WriteText.Channel(target)} (id {target.Id})" : $"Location: {UntrustedText.Inline(location)}",
                $"Date: {EventText.Date(_start)}",
                $"Time: {EventText.Clock(_start)}",
            };
            if (end is { } endAt)
                changes.Add($"Ends: {EventText.When(endAt.ToOffset(_start.Offset))}");
            if (description is not null)
                changes.Add($"Description: \"{UntrustedText.Inline(description)}\"");
            return new WritePlan
            {
                Action = "create_scheduled_event",
                Sentence = $"create the {EventText.TypeName(type)} event \"{UntrustedText.Inline(eventName)}\" {_where} on {EventText.When(_start)}.",
                Target = $"event \"{UntrustedText.Inline(eventName)}\" in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = target?.Id.Value,
                BotPermissions = needed,
                Undo = "cancel the event with discord_modify_scheduled_event (status canceled) or delete it with discord_delete_scheduled_event",
                Notes = [$"Discord stores the start as {EventText.Utc(_start)} (UTC); members see it in their own time zone."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var created = await DiscordReadService.CallAsync(
                () => discord.Client.CreateScheduledEventAsync(guildId, _request!, _reason, cancellationToken), "create the scheduled event");
            var at = created.ScheduledStartTime.ToOffset(_start.Offset);
            return WriteOutcome.Of($"Created the event {EventText.Name(created)} {_where} on {EventText.Date(at)}. Time: {EventText.Clock(at)}.",
                ("event_id", created.Id.ToString()));
        }
    }
}
