using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Threads;

[McpServerToolType, Toolset(Toolsets.Threads), WriteTool, BotPermissions(DiscordPermissions.ManageThreads | DiscordPermissions.SendMessagesInThreads | DiscordPermissions.ViewChannel)]
internal sealed class ModifyThreadTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_modify_thread", Title = "Archive, lock or rename a thread", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Archives or unarchives, locks or unlocks, renames a thread or changes its auto-archive time. Only the fields given change; the plan lists each as " +
        "\"from → to\". An archived thread changes only together with archived: false. Needs Manage Threads; Send Messages in Threads is enough to rename, " +
        "archive or unarchive a thread the bot started, or only to unarchive an unlocked thread (locking always needs Manage Threads). Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The thread: its id or a <#id> mention (discord_list_active_threads lists them).")] string thread,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("New name (1–100 characters).")] string? name = null,
        [Description("true: archive the thread; false: unarchive it.")] bool? archived = null,
        [Description("true: lock the thread (only members with Manage Threads can unarchive it or post); false: unlock it.")] bool? locked = null,
        [Description("Archive after this many minutes without activity: 60, 1440, 4320 or 10080.")] int? auto_archive_minutes = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, thread, name, archived, locked, auto_archive_minutes, reason), cancellationToken);

    private sealed class Operation(
        DiscordReadService discord, string? guild, string thread, string? name, bool? archived, bool? locked, int? autoArchive, string? reason) : IWriteOperation
    {
        private DiscordChannel? _thread;
        private ModifyChannelRequest? _request;
        private string? _reason;
        private string? _label;
        private string? _past;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            if (name is null && archived is null && locked is null && autoArchive is null)
                throw DiscordServiceException.Invalid("thread", "Nothing to change in the thread: give at least one of name, archived, locked or auto_archive_minutes.");
            var newName = name is null ? null : ThreadText.Name(name);
            ThreadText.AutoArchive(autoArchive);
            _reason = WriteText.Reason(reason);

            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var current = await ThreadText.LoadAsync(discord, ctx, thread, "thread", cancellationToken);
            var meta = current.ThreadMetadata ?? new ThreadMetadata();
            var label = $"{ThreadText.Quoted(current.Name)} in {ThreadText.Parent(ctx, current.ParentId)}";

            var changes = new List<string>();
            var verbs = new List<string>();
            var past = new List<string>();
            var extras = new List<string>();
            var pastExtras = new List<string>();
            var request = new ModifyChannelRequest();
            if (archived is { } a && a != meta.Archived)
            {
                changes.Add($"Archived: {YesNo(meta.Archived)} → {YesNo(a)}");
                verbs.Add(a ? "archive" : "unarchive");
                past.Add(a ? "archived" : "unarchived");
                request = request with { Archived = a };
            }
            if (locked is { } l && l != meta.Locked)
            {
                changes.Add($"Locked: {YesNo(meta.Locked)} → {YesNo(l)}");
                verbs.Add(l ? "lock" : "unlock");
                past.Add(l ? "locked" : "unlocked");
                request = request with { Locked = l };
            }
            if (newName is not null && !string.Equals(newName, current.Name, StringComparison.Ordinal))
            {
                changes.Add($"Name: {ThreadText.Quoted(current.Name)} → {ThreadText.Quoted(newName)}");
                extras.Add($"rename it to {ThreadText.Quoted(newName)}");
                pastExtras.Add($"renamed it to {ThreadText.Quoted(newName)}");
                request = request with { Name = newName };
            }
            if (autoArchive is { } m && m != meta.AutoArchiveDuration)
            {
                changes.Add($"Auto-archive: after {ThreadText.Duration(meta.AutoArchiveDuration)} → after {ThreadText.Duration(m)}");
                extras.Add($"set it to archive after {ThreadText.Duration(m)} of inactivity");
                pastExtras.Add($"set it to archive after {ThreadText.Duration(m)} of inactivity");
                request = request with { AutoArchiveDuration = m };
            }
            if (changes.Count == 0)
                throw DiscordServiceException.Invalid("thread", $"thread: {label} already has these settings; nothing would change.");
            // Discord refuses changes to an archived thread unless the same request unarchives it.
            if (meta.Archived && archived != false && (extras.Count > 0 || locked is not null && locked != meta.Locked))
                throw DiscordServiceException.Invalid("archived",
                    $"archived: the thread {label} is archived; Discord changes an archived thread only together with archived: false (unarchive it in the same call).");

            // Discord: Manage Threads, except that the creator may rename, archive, unarchive and change the auto-archive time of
            // its thread, and anyone who can send in a thread may unarchive it (only that) while it is unlocked: for those the bot
            // needs Send Messages in Threads. Locking, unlocking and unarchiving a locked thread always need Manage Threads.
            var botOwns = current.OwnerId == ctx.Bot.User!.Id;
            var unarchives = request.Archived.HasValue && !request.Archived.Value;
            var touchesLock = request.Locked.HasValue || (meta.Locked && unarchives);
            var onlyUnarchive = unarchives && changes.Count == 1 && !meta.Locked;
            var needed = touchesLock || !(botOwns || onlyUnarchive) ? DiscordPermissions.ManageThreads : DiscordPermissions.SendMessagesInThreads;

            var kind = ThreadText.KindWord(current.Type);
            var main = verbs.Count > 0 ? $"{WriteText.And(verbs)} the {kind} {label}" : $"change the {kind} {label}:";
            var sentence = verbs.Count > 0
                ? main + (extras.Count > 0 ? " and " + WriteText.And(extras) : "") + "."
                : main + " " + WriteText.And(extras) + ".";
            _past = verbs.Count > 0
                ? $"{Capitalized(WriteText.And(past))} the {kind} {label}" + (pastExtras.Count > 0 ? " and " + WriteText.And(pastExtras) : "") + "."
                : $"Changed the {kind} {label}: " + WriteText.And(pastExtras) + ".";

            _thread = current;
            _request = request;
            _label = label;
            return new WritePlan
            {
                Action = "modify_thread",
                Sentence = sentence,
                Target = $"{kind} {label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = current.Id.Value,
                BotPermissions = needed,
                Undo = "run discord_modify_thread again with the previous values (the \"from\" side of each change)",
                References = [new ResourceReference(ResourceKind.Thread, current.Id.Value)],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var updated = await DiscordReadService.CallAsync(
                () => discord.Client.ModifyChannelAsync(_thread!.Id, _request!, _reason, cancellationToken), $"change the thread {_label}");
            return WriteOutcome.Of(_past!, ("thread_id", updated.Id.ToString()));
        }

        private static string YesNo(bool value) => value ? "yes" : "no";

        private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
