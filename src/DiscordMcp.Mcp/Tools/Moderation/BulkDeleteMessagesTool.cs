using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Tools.Messages;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Moderation;

[McpServerToolType, Toolset(Toolsets.Moderation), WriteTool, BotPermissions(DiscordPermissions.ManageMessages | DiscordPermissions.ReadMessageHistory | DiscordPermissions.ViewChannel)]
internal sealed class BulkDeleteMessagesTool(DiscordReadService discord)
{
    /// <summary>Pages of 100 read to find the ids before falling back to reading each missing message.</summary>
    private const int MaxPages = 10;

    [McpServerTool(Name = "discord_bulk_delete_messages", Title = "Bulk delete messages", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Deletes 2–100 messages of one channel at once. Discord refuses messages older than 14 days, so the plan checks every id's age first " +
        "and names the old ones (delete those one by one with discord_delete_message). Cannot be undone. Dry run by default; deletes usually need a person's approval.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("Channel: #name, name, <#id> mention, or id.")] string channel,
        [Description("2–100 distinct message ids of that channel, none older than 14 days.")] string[] message_ids,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, message_ids, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, string[]? messageIds, string? reason) : IWriteOperation
    {
        private DiscordChannel? _channel;
        private List<Snowflake> _ids = [];
        private string? _reason;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var given = messageIds ?? [];
            if (given.Length is < DiscordLimits.BulkDeleteMin or > DiscordLimits.BulkDeleteMax)
                throw DiscordServiceException.Invalid("message_ids", $"message_ids must hold {DiscordLimits.BulkDeleteMin}–{DiscordLimits.BulkDeleteMax} ids, got {given.Length}.");
            var ids = new List<Snowflake>();
            for (var i = 0; i < given.Length; i++)
            {
                var id = DiscordReadService.ParseId(given[i], $"message_ids[{i}]", "message");
                if (ids.Contains(id))
                    throw DiscordServiceException.Invalid($"message_ids[{i}]", $"message_ids[{i}] repeats {id}; each id may appear once.");
                ids.Add(id);
            }
            // Before any call: Discord refuses the whole request when one message is older than 14 days (the id says when it was sent).
            var oldest = discord.Time.GetUtcNow() - DiscordLimits.BulkDeleteMaxAge;
            var old = ids.Where(id => id.CreatedAt < oldest).ToList();
            if (old.Count > 0)
                throw DiscordServiceException.Invalid("message_ids",
                    $"message_ids: {old.Count} message(s) are older than {DiscordLimits.BulkDeleteMaxAge.TotalDays:0} days and cannot be bulk deleted: {string.Join(", ", old)}. " +
                    "Remove them from the list and delete them one by one with discord_delete_message.");
            _reason = WriteText.Reason(reason);

            var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
            var found = await FindAsync(c, ids, cancellationToken);
            var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
            if (missing.Count > 0)
                throw new DiscordServiceException(DiscordErrorKind.NotFound,
                    $"message_ids: {missing.Count} message(s) do not exist in {WriteText.Channel(c)} (deleted, or in another channel): {string.Join(", ", missing)}.", "message_ids");

            _channel = c;
            _ids = ids;
            var authors = found.Values.GroupBy(m => m.Author.Id).Select(g => $"@{UntrustedText.Inline(g.First().Author.GlobalName ?? g.First().Author.Username)} ({g.Count()})").ToList();
            var where = WriteText.Channel(c);
            return new WritePlan
            {
                Action = "bulk_delete_messages",
                Sentence = $"delete {ids.Count} messages in {where} at once.",
                Target = $"{ids.Count} messages in {where} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes =
                [
                    $"Authors: {string.Join(", ", authors)}",
                    $"Sent between {Iso(found.Values.Min(m => m.Id).CreatedAt)} and {Iso(found.Values.Max(m => m.Id).CreatedAt)}",
                    $"Message ids: {string.Join(", ", ids)}",
                ],
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = DiscordPermissions.ManageMessages | DiscordPermissions.ReadMessageHistory,
                Undo = null,
                Notes = ["The authors are not notified; Discord's audit log records one bulk deletion" + (_reason is null ? "." : " with the reason.")],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var where = WriteText.Channel(_channel!);
            await DiscordReadService.CallAsync(() => discord.Client.BulkDeleteMessagesAsync(_channel!.Id, _ids, _reason, cancellationToken), $"bulk delete messages in {where}");
            return WriteOutcome.Of($"Deleted {_ids.Count} messages in {where}.", ("message_ids", string.Join(",", _ids)));
        }

        /// <summary>The listed messages that exist in the channel: read in pages from the oldest id, then one by one for any left.</summary>
        private async Task<Dictionary<Snowflake, DiscordMessage>> FindAsync(DiscordChannel c, List<Snowflake> ids, CancellationToken cancellationToken)
        {
            var wanted = ids.ToHashSet();
            var found = new Dictionary<Snowflake, DiscordMessage>();
            var max = ids.Max();
            var after = new Snowflake(ids.Min().Value - 1);
            var where = WriteText.Channel(c);
            for (var page = 0; page < MaxPages && found.Count < wanted.Count; page++)
            {
                var cursor = after;
                var messages = await DiscordReadService.CallAsync(
                    () => discord.Client.GetMessagesAsync(c.Id, new ListMessagesQuery { After = cursor, Limit = DiscordLimits.ListMessagesMax }, cancellationToken),
                    $"read the messages to delete in {where}");
                foreach (var m in messages.Where(m => wanted.Contains(m.Id)))
                    found[m.Id] = m;
                if (messages.Count < DiscordLimits.ListMessagesMax)
                    break;
                after = messages.Max(m => m.Id);
                if (after >= max)
                    break;
            }
            foreach (var id in ids.Where(id => !found.ContainsKey(id) && id <= max).ToList())
            {
                if (found.Count == wanted.Count)
                    break;
                try
                {
                    found[id] = await DiscordReadService.CallAsync(() => discord.Client.GetMessageAsync(c.Id, id, cancellationToken), $"read message {id} in {where}");
                }
                catch (DiscordServiceException e) when (e.Kind == DiscordErrorKind.NotFound)
                {
                    // reported as missing by the caller
                }
            }
            return found;
        }

        private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    }
}
