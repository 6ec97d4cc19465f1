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
internal sealed class ModifyScheduledEventTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_modify_scheduled_event", Title = "Modify a scheduled event", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Changes only the given fields of a scheduled event: name, description, start/end time (ISO-8601 with an offset, shown back in that offset), " +
        "channel (voice/stage events) or location (external events), or its status: active (start a scheduled event), completed (end an active one) or " +
        "canceled (cancel a scheduled one) — the only transitions Discord allows. The event type cannot be changed here. Dry run by default: returns the " +
        "plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The event: id or exact name.")] string @event,
        [Description("New name (1–100 characters).")] string? name = null,
        [Description("New description (at most 1000 characters).")] string? description = null,
        [Description("New start: ISO-8601 with an offset, e.g. 2026-11-30T15:00:00-03:00; must be in the future.")] string? start_time = null,
        [Description("New end: ISO-8601 with an offset, after the start.")] string? end_time = null,
        [Description("New channel (name or id) of the event's type; voice and stage events only.")] string? channel = null,
        [Description("New location (1–100 characters); external events only.")] string? location = null,
        [Description("New status: active, completed or canceled (scheduled → active or canceled; active → completed).")] string? status = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, @event, name, description, start_time, end_time, channel, location, status, reason), cancellationToken);

    private static readonly Dictionary<string, ScheduledEventStatus> Statuses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["active"] = ScheduledEventStatus.Active,
        ["completed"] = ScheduledEventStatus.Completed,
        ["canceled"] = ScheduledEventStatus.Canceled,
    };

    /// <summary>Discord's allowed status changes: scheduled → active or canceled, active → completed.</summary>
    private static bool Allowed(ScheduledEventStatus from, ScheduledEventStatus to) =>
        (from == ScheduledEventStatus.Scheduled && to is ScheduledEventStatus.Active or ScheduledEventStatus.Canceled)
        || (from == ScheduledEventStatus.Active && to == ScheduledEventStatus.Completed);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string @event, string? name, string? description, string? startTime, string? endTime, string? channel,
        string? location, string? status, string? reason) : IWriteOperation
    {
        private ModifyScheduledEventRequest? _request;
        private string? _reason;
        private string? _label;
        private Snowflake _eventId;
        private TimeSpan _offset;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if (name is null && description is null && startTime is null && endTime is null && channel is null && location is null && status is null)
                throw DiscordServiceException.Invalid("event", "Nothing to change: give at least one of name, description, start_time, end_time, channel, location or status.");
            var newName = name is null ? null : WriteText.Required(name, "name", DiscordLimits.EventNameMin, DiscordLimits.EventNameMax);
            WriteText.Optional(description, "description", DiscordLimits.EventDescriptionMax);
            DateTimeOffset? start = startTime is null ? null : EventText.Parse(startTime, "start_time");
            DateTimeOffset? end = endTime is null ? null : EventText.Parse(endTime, "end_time");
            if (location is not null)
                WriteText.Required(location, "location", DiscordLimits.EventLocationMin, DiscordLimits.EventLocationMax);
            ScheduledEventStatus? newStatus = null;
            if (status is not null)
            {
                if (!Statuses.TryGetValue(status.Trim(), out var s))
                    throw DiscordServiceException.Invalid("status", $"status must be one of {string.Join(", ", Statuses.Keys)}, got \"{UntrustedText.Inline(status)}\".");
                newStatus = s;
            }
            var now = discord.Time.GetUtcNow();
            if (start is { } st && st <= now)
                throw DiscordServiceException.Invalid("start_time", $"start_time must be in the future: {EventText.When(st)} has already passed.");
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var ev = await EventLookup.FindAsync(discord, ctx.Guild.Id, @event, cancellationToken);
            _eventId = ev.Id;
            _offset = (start ?? end)?.Offset ?? TimeSpan.Zero;
            _label = EventText.Name(ev);
            if (ev.Status is ScheduledEventStatus.Completed or ScheduledEventStatus.Canceled)
                throw DiscordServiceException.Invalid("event", $"event: {_label} is {EventText.StatusName(ev.Status)}; Discord does not change ended or canceled events.");
            if (newStatus is { } to && to != ev.Status && !Allowed(ev.Status, to))
                throw DiscordServiceException.Invalid("status",
                    $"status: {_label} is {EventText.StatusName(ev.Status)}; Discord allows only scheduled → active or canceled and active → completed, not → {EventText.StatusName(to)}.");
            if (start is not null && ev.Status != ScheduledEventStatus.Scheduled)
                throw DiscordServiceException.Invalid("start_time", $"start_time: {_label} has already started; only a scheduled event can be moved.");
            var finalStart = start ?? ev.ScheduledStartTime;
            var finalEnd = end ?? ev.ScheduledEndTime;
            if (finalEnd is { } fe && fe <= finalStart)
                throw DiscordServiceException.Invalid(end is not null ? "end_time" : "start_time",
                    $"{(end is not null ? "end_time" : "start_time")}: the end ({EventText.When(fe.ToOffset(_offset))}) must be after the start ({EventText.When(finalStart.ToOffset(_offset))}).");

            var changes = new List<string>();
            DiscordChannel? target = ev.ChannelId is { } current ? ctx.Channels.FirstOrDefault(c => c.Id == current) : null;
            if (channel is not null)
            {
                if (ev.EntityType == ScheduledEventEntityType.External)
                    throw DiscordServiceException.Invalid("channel", $"channel: {_label} is an external event; change its location instead.");
                var resolved = DiscordReadService.ResolveChannel(ctx, channel, "channel");
                var wanted = ev.EntityType == ScheduledEventEntityType.Voice ? ChannelType.GuildVoice : ChannelType.GuildStageVoice;
                if (resolved.Type != wanted)
                    throw DiscordServiceException.Invalid("channel",
                        $"channel: {WriteText.Channel(resolved)} is a {DiscordReadService.TypeName(resolved.Type)} channel; a {EventText.TypeName(ev.EntityType)} event needs a {EventText.TypeName(ev.EntityType)} channel.");
                changes.Add($"Channel: {(target is null ? "(none)" : WriteText.Channel(target))} → {WriteText.Channel(resolved)}");
                target = resolved;
            }
            if (location is not null && ev.EntityType != ScheduledEventEntityType.External)
                throw DiscordServiceException.Invalid("location", $"location: {_label} is a {EventText.TypeName(ev.EntityType)} event; only external events have a location.");

            var request = new ModifyScheduledEventRequest();
            if (newName is not null)
            {
                request = request with { Name = newName };
                changes.Add($"Name: {_label} → \"{UntrustedText.Inline(newName)}\"");
            }
            if (description is not null)
            {
                request = request with { Description = description };
                changes.Add($"Description: \"{UntrustedText.Inline(ev.Description)}\" → \"{UntrustedText.Inline(description)}\"");
            }
            if (start is { } newStart)
            {
                request = request with { ScheduledStartTime = newStart };
                var old = ev.ScheduledStartTime.ToOffset(_offset);
                changes.Add($"Date: {EventText.Date(old)} → {EventText.Date(newStart)}");
                changes.Add($"Time: {EventText.Clock(old)} → {EventText.Clock(newStart)}");
            }
            if (end is { } newEnd)
            {
                request = request with { ScheduledEndTime = newEnd };
                changes.Add($"Ends: {(ev.ScheduledEndTime is { } oe ? EventText.When(oe.ToOffset(_offset)) : "(none)")} → {EventText.When(newEnd.ToOffset(_offset))}");
            }
            if (channel is not null)
                request = request with { ChannelId = target!.Id };
            if (location is not null)
            {
                request = request with { EntityMetadata = new ScheduledEventEntityMetadata { Location = location.Trim() } };
                changes.Add($"Location: \"{UntrustedText.Inline(ev.EntityMetadata?.Location)}\" → \"{UntrustedText.Inline(location)}\"");
            }
            if (newStatus is { } ns && ns != ev.Status)
            {
                request = request with { Status = ns };
                changes.Add($"Status: {EventText.StatusName(ev.Status)} → {EventText.StatusName(ns)}");
            }
            if (changes.Count == 0)
                throw DiscordServiceException.Invalid("event", $"event: {_label} already has these values; nothing would change.");
            _request = request;

            // Discord: CREATE_EVENTS for the bot's own events, MANAGE_EVENTS for anyone else's; plus the channel's own rights.
            var needed = ev.CreatorId is { } creator && creator == ctx.Bot.User!.Id ? DiscordPermissions.CreateEvents : DiscordPermissions.ManageEvents;
            if (ev.EntityType != ScheduledEventEntityType.External && target is not null)
            {
                needed |= ev.EntityType == ScheduledEventEntityType.Voice
                    ? DiscordPermissions.ViewChannel | DiscordPermissions.Connect
                    : DiscordPermissions.ViewChannel | DiscordPermissions.ManageChannels | DiscordPermissions.MuteMembers | DiscordPermissions.MoveMembers;
            }
            var verb = newStatus switch
            {
                ScheduledEventStatus.Active => "start the event",
                ScheduledEventStatus.Completed => "end the event",
                ScheduledEventStatus.Canceled => "cancel the event",
                _ => "change the event",
            };
            return new WritePlan
            {
                Action = "modify_scheduled_event",
                Sentence = $"{verb} {_label} (starting {EventText.When(finalStart.ToOffset(_offset))}): {string.Join("; ", changes)}.",
                Target = $"event {_label} (id {ev.Id}) in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = ev.EntityType == ScheduledEventEntityType.External ? null : target?.Id.Value,
                BotPermissions = needed,
                Undo = newStatus is ScheduledEventStatus.Completed or ScheduledEventStatus.Canceled
                    ? null
                    : "modify the event back with discord_modify_scheduled_event",
                Notes = newStatus is ScheduledEventStatus.Completed or ScheduledEventStatus.Canceled
                    ? ["An ended or canceled event cannot be reopened."]
                    : [],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            var updated = await DiscordReadService.CallAsync(
                () => discord.Client.ModifyScheduledEventAsync(guildId, _eventId, _request!, _reason, cancellationToken), $"modify the event {_label}");
            var at = updated.ScheduledStartTime.ToOffset(_offset);
            return WriteOutcome.Of($"Updated the event {EventText.Name(updated)}: {EventText.StatusName(updated.Status)}, on {EventText.Date(at)}. Time: {EventText.Clock(at)}.",
                ("event_id", updated.Id.ToString()));
        }
    }
}
