using System.ComponentModel;
using System.Text;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client.Models;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Threads;

[McpServerToolType, Toolset(Toolsets.Threads)]
internal sealed class ListActiveThreadsTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_list_active_threads", Title = "List active threads", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(ThreadListView))]
    [Description("Lists the guild's active (not archived) threads and forum posts the bot can see, optionally only those of one parent channel: name, id, type, " +
        "parent channel, locked, message and member counts, auto-archive time and forum tags.")]
    public async Task<CallToolResult> Run(
        [Description("Only threads of this parent channel (#name, name, <#id> or id). Default: the whole guild.")] string? channel = null,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        var ctx = await discord.LoadGuildAsync(guild_id, cancellationToken);
        var parent = channel is null ? null : DiscordReadService.ResolveChannel(ctx, channel, "channel");
        var list = await DiscordReadService.CallAsync(() => discord.Client.GetActiveThreadsAsync(ctx.Guild.Id, cancellationToken), "list the guild's active threads");
        var views = list.Threads
            .Where(t => t.GuildId == ctx.Guild.Id && (parent is null || t.ParentId == parent.Id))
            .OrderBy(t => t.ParentId?.Value ?? 0).ThenBy(t => t.Id.Value)
            .Select(t => View(ctx, t))
            .ToList();
        var result = new ThreadListView(ctx.Guild.Id.ToString(), parent?.Id.ToString(), views, views.Count);

        var text = new StringBuilder();
        foreach (var t in views)
        {
            text.Append('"').Append(t.Name).Append("\" id ").Append(t.Id).Append(" [").Append(t.Type).Append("] in ")
                .Append(t.ParentName is { } p ? (t.ParentType is "text" or "announcement" or "forum" or "media" ? "#" : "") + p : "channel " + t.ParentId)
                .Append(" — ").Append(t.Archived ? "archived" : "active").Append(t.Locked ? ", locked" : "")
                .Append(", ").Append(t.MessageCount).Append(t.MessageCount == 1 ? " message" : " messages")
                .Append(", ").Append(t.MemberCount).Append(t.MemberCount == 1 ? " member" : " members");
            if (t.Tags.Count > 0)
                text.Append(", tags: ").Append(string.Join(", ", t.Tags));
            text.Append('\n');
        }
        text.Append(views.Count).Append(views.Count == 1 ? " active thread" : " active threads")
            .Append(parent is null ? " in the guild. " : $" in {Writes.WriteText.Channel(parent)}. ").Append(UntrustedText.Notice);
        return ToolResults.Ok(result, text.ToString());
    }

    private static ThreadView View(DiscordReadService.GuildContext ctx, DiscordChannel t)
    {
        var parent = t.ParentId is { } pid ? ctx.Channels.FirstOrDefault(c => c.Id == pid) : null;
        var meta = t.ThreadMetadata ?? new ThreadMetadata();
        var tags = (t.AppliedTags ?? [])
            .Select(id => parent?.AvailableTags?.FirstOrDefault(tag => tag.Id == id)?.Name is { } n ? UntrustedText.Inline(n) : id.ToString())
            .ToList();
        return new ThreadView(t.Id.ToString(), UntrustedText.Inline(t.Name), DiscordReadService.TypeName(t.Type), t.ParentId?.ToString(),
            parent is null ? null : UntrustedText.Inline(parent.Name), parent is null ? null : DiscordReadService.TypeName(parent.Type),
            meta.Archived, meta.Locked, t.MessageCount ?? 0, t.MemberCount ?? 0, meta.AutoArchiveDuration, t.OwnerId?.ToString(), tags);
    }
}

/// <summary>Active threads of a guild (or of one parent channel).</summary>
internal sealed record ThreadListView(string GuildId, string? ChannelId, IReadOnlyList<ThreadView> Threads, int Count);

/// <summary>One thread as the tools show it; names are sanitized user text.</summary>
internal sealed record ThreadView(
    string Id,
    string Name,
    string Type,
    string? ParentId,
    string? ParentName,
    string? ParentType,
    bool Archived,
    bool Locked,
    int MessageCount,
    int MemberCount,
    int AutoArchiveMinutes,
    string? OwnerId,
    IReadOnlyList<string> Tags);
