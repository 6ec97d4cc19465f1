using System.ComponentModel;
using System.Text;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Events;

[McpServerToolType, Toolset(Toolsets.Events)]
internal sealed class ListScheduledEventsTool(DiscordReadService discord, IGuildScope scope)
{
    [McpServerTool(Name = "discord_list_scheduled_events", Title = "List scheduled events", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ScheduledEventList))]
    [Description("Lists a guild's scheduled events, soonest first, with type, " +
        "status, start and end in UTC, channel or location, and how many members are interested.")]
    public async Task<CallToolResult> Run(
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var guildId = await scope.ResolveGuildAsync(guild_id, cancellationToken);
        var events = await DiscordReadService.CallAsync(() => discord.Client.GetScheduledEventsAsync(guildId, withUserCount: true, cancellationToken), "list the guild's scheduled events");
        var items = events.OrderBy(e => e.ScheduledStartTime).Select(e => new ScheduledEventItem(
            e.Id.ToString(), e.Name, e.Description, EventText.TypeName(e.EntityType), EventText.StatusName(e.Status),
            EventText.Utc(e.ScheduledStartTime), e.ScheduledEndTime is { } end ? EventText.Utc(end) : null,
            e.ChannelId?.ToString(), e.EntityMetadata?.Location, e.UserCount)).ToList();
        var sb = new StringBuilder();
        foreach (var e in items)
        {
            sb.Append('"').Append(UntrustedText.Inline(e.Name)).Append("\" [").Append(e.Type).Append(", ").Append(e.Status).Append("] id ").Append(e.Id)
              .Append(" — starts ").Append(e.StartTime).Append(e.EndTime is null ? "" : ", ends " + e.EndTime)
              .Append(e.ChannelId is null ? "" : " in channel " + e.ChannelId).Append(e.Location is null ? "" : " at " + UntrustedText.Inline(e.Location))
              .Append(e.InterestedCount is { } n ? $", {n} interested" : "").Append('\n');
        }
        sb.Append(items.Count).Append(items.Count == 1 ? " event. " : " events. ").Append(UntrustedText.Notice);
        return ToolResults.Ok(new ScheduledEventList(guildId.ToString(), items), sb.ToString());
    }
}

internal sealed record ScheduledEventList(string GuildId, IReadOnlyList<ScheduledEventItem> Events);

internal sealed record ScheduledEventItem(
    string Id, string Name, string? Description, string Type, string Status, string StartTime, string? EndTime, string? ChannelId, string? Location, int? InterestedCount);
