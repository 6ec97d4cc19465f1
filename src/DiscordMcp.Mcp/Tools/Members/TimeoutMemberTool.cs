using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Members;

[McpServerToolType, Toolset(Toolsets.Members), WriteTool, BotPermissions(DiscordPermissions.ModerateMembers)]
internal sealed partial class TimeoutMemberTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_timeout_member", Title = "Time out a member", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Times a member out (they cannot send messages, react, or join voice) for a duration of at most 28 days, or removes a time-out " +
        "(duration \"0\" or \"none\"). Refuses the owner, the bot itself, administrators and members whose highest role is at or above the bot's. " +
        "Dry run by default: returns the plan and a confirmation_id; run it with discord_confirm_action.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The member: @name, name, mention <@id> or user id.")] string member,
        [Description("How long: an ISO-8601 duration such as PT10M, PT2H or P1D, or whole minutes such as \"10\"; at most 28 days (P28D, 40320 minutes). " +
            "\"0\" or \"none\" removes the member's time-out.")] string duration,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, member, duration, reason), cancellationToken);

    /// <summary>Parses the duration: <c>null</c> means "remove the time-out".</summary>
    internal static TimeSpan? ParseDuration(string? value)
    {
        var text = (value ?? "").Trim();
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase) || text == "0")
            return null;
        TimeSpan span;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            span = TimeSpan.FromMinutes(minutes);
        }
        else if (Iso().Match(text.ToUpperInvariant()) is { Success: true } m && text.Length > 1 && !text.EndsWith('T'))
        {
            static long Part(Match m, string name) =>
                m.Groups[name].Success ? long.Parse(m.Groups[name].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
            var seconds = Part(m, "w") * 604800 + Part(m, "d") * 86400 + Part(m, "h") * 3600 + Part(m, "m") * 60 + Part(m, "s");
            span = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds));
        }
        else
        {
            throw DiscordServiceException.Invalid("duration",
                $"duration must be an ISO-8601 duration such as PT10M or P1D, whole minutes such as \"10\", or \"none\"; got \"{UntrustedText.Inline(text.Length > 32 ? text[..32] + "…" : text)}\".");
        }
        if (span <= TimeSpan.Zero)
            return null;
        if (span > DiscordLimits.MaxTimeout)
            throw DiscordServiceException.Invalid("duration",
                $"duration must be at most {DiscordLimits.MaxTimeout.TotalDays:0} days (P28D, {DiscordLimits.MaxTimeout.TotalMinutes:0} minutes), got {Describe(span)}.");
        return span;
    }

    internal static string Describe(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
            parts.Add($"{span.Days} day{(span.Days == 1 ? "" : "s")}");
        if (span.Hours > 0)
            parts.Add($"{span.Hours} hour{(span.Hours == 1 ? "" : "s")}");
        if (span.Minutes > 0)
            parts.Add($"{span.Minutes} minute{(span.Minutes == 1 ? "" : "s")}");
        if (span.Seconds > 0)
            parts.Add($"{span.Seconds} second{(span.Seconds == 1 ? "" : "s")}");
        return parts.Count == 0 ? "0 minutes" : WriteText.And(parts);
    }

    private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^P(?:(?<w>\d{1,6})W)?(?:(?<d>\d{1,6})D)?(?:T(?:(?<h>\d{1,7})H)?(?:(?<m>\d{1,8})M)?(?:(?<s>\d{1,9})S)?)?$")]
    private static partial Regex Iso();

    private sealed class Operation(DiscordReadService discord, string? guild, string memberArg, string duration, string? reason) : IWriteOperation
    {
        private Snowflake _user;
        private string _label = "";
        private string? _reason;
        private DateTimeOffset? _until;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            var span = ParseDuration(duration);
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var member = await MemberArguments.ModerateAsync(discord, ctx, memberArg, "member", "time out", selfAllowed: false, cancellationToken);
            _user = member.User!.Id;
            _label = MemberArguments.Label(member);
            if (MemberArguments.IsAdministrator(ctx, member))
                throw DiscordServiceException.Invalid("member", $"member: {_label} has Administrator; Discord does not allow timing out administrators.");
            var now = discord.Time.GetUtcNow();
            var current = member.CommunicationDisabledUntil is { } c && c > now ? c : (DateTimeOffset?)null;
            var from = current is { } cur ? $"timed out until {At(cur)}" : "not timed out";
            if (span is null)
            {
                if (current is null)
                    throw DiscordServiceException.Invalid("duration", $"duration: {_label} is not timed out, so there is no time-out to remove.");
                _until = null;
                return Plan(ctx, "remove_timeout", $"remove the time-out of {_label}.", $"Time-out of {_label}: {from} → not timed out",
                    $"time them out again with discord_timeout_member (until {At(current.Value)})");
            }
            _until = now + span.Value;
            return Plan(ctx, "timeout_member", $"time out {_label} for {Describe(span.Value)}, until {At(_until.Value)}.",
                $"Time-out of {_label}: {from} → until {At(_until.Value)}",
                current is null ? "remove the time-out with discord_timeout_member (duration \"none\")" : $"set it back with discord_timeout_member (until {At(current.Value)})");
        }

        private WritePlan Plan(DiscordReadService.GuildContext ctx, string action, string sentence, string change, string undo) => new()
        {
            Action = action,
            Sentence = sentence,
            Target = $"{_label} in {UntrustedText.Inline(ctx.Guild.Name)}",
            Changes = [change],
            GuildId = ctx.Guild.Id.Value,
            BotPermissions = DiscordPermissions.ModerateMembers,
            Undo = undo,
            TargetMemberIds = [_user.Value],
        };

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var guildId = new Snowflake(plan.GuildId);
            await DiscordReadService.CallAsync(() => discord.Client.TimeoutMemberAsync(guildId, _user, _until, _reason, cancellationToken),
                _until is null ? $"remove the time-out of {_label}" : $"time out {_label}");
            discord.InvalidateGuild(guildId);
            return _until is { } until
                ? WriteOutcome.Of($"Timed out {_label} until {At(until)}.", ("user_id", _user.ToString()))
                : WriteOutcome.Of($"Removed the time-out of {_label}.", ("user_id", _user.ToString()));
        }
    }
}
