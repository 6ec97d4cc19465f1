using System.ComponentModel;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Invites;

[McpServerToolType, Toolset(Toolsets.Invites), WriteTool, BotPermissions(DiscordPermissions.CreateInstantInvite | DiscordPermissions.ViewChannel)]
internal sealed class CreateInviteTool(DiscordReadService discord)
{
    [McpServerTool(Name = "discord_create_invite", Title = "Create an invite", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true,
        UseStructuredContent = true, OutputSchemaType = typeof(WriteResult))]
    [Description("Creates an invite link to a channel, optionally expiring or limited in uses. Dry run by default: returns the plan and a confirmation_id; " +
        "run it with discord_confirm_action. The result contains the invite code and link.")]
    public Task<CallToolResult> Run(
        RequestContext<CallToolRequestParams> context,
        [Description("The channel the invite opens: #name, name, <#id> or id (not a category).")] string channel,
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        [Description("Seconds until the invite expires, 0 (never) to 604800 (7 days); Discord's default is 86400 (1 day).")] int? max_age_seconds = null,
        [Description("How many times it can be used, 0 (unlimited) to 100; default 0.")] int? max_uses = null,
        [Description("Members who join through it are removed when they go offline unless given a role.")] bool? temporary = null,
        [Description("Always create a new code (otherwise Discord may return an existing invite with the same settings).")] bool? unique = null,
        [Description("Reason shown in Discord's audit log (at most 512 characters).")] string? reason = null,
        [Description("true (default): only plan and return a confirmation_id; false: run now when the workspace policy allows it without confirmation.")] bool dry_run = true,
        CancellationToken cancellationToken = default) =>
        WriteRunner.RunAsync(context, dry_run, () => new Operation(discord, guild_id, channel, max_age_seconds, max_uses, temporary, unique, reason), cancellationToken);

    private sealed class Operation(DiscordReadService discord, string? guild, string channel, int? maxAge, int? maxUses, bool? temporary, bool? unique, string? reason)
        : IWriteOperation
    {
        private DiscordChannel? _channel;
        private CreateInviteRequest? _request;
        private string? _reason;
        private string? _label;

        public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
        {
            WriteText.Range(maxAge, "max_age_seconds", 0, DiscordLimits.InviteMaxAgeSeconds, "seconds");
            WriteText.Range(maxUses, "max_uses", 0, DiscordLimits.InviteMaxUses);
            _reason = WriteText.Reason(reason);
            var ctx = await discord.LoadFreshGuildAsync(guild, cancellationToken);
            var c = DiscordReadService.ResolveChannel(ctx, channel, "channel");
            if (c.Type == ChannelType.GuildCategory)
                throw DiscordServiceException.Invalid("channel", $"channel: {WriteText.Channel(c)} is a category; invites open a text, voice, announcement, stage or forum channel.");
            var label = WriteText.Channel(c);
            var age = maxAge ?? 86400;
            var uses = maxUses ?? 0;
            var changes = new List<string>
            {
                $"Channel: {label}",
                $"Expires: {InviteText.Age(age)}",
                $"Uses: {(uses == 0 ? "unlimited" : uses)}",
            };
            if (temporary == true)
                changes.Add("Temporary membership: members are removed when they go offline unless given a role");
            if (unique == true)
                changes.Add("Always a new code");
            _channel = c;
            _label = label;
            _request = new CreateInviteRequest { MaxAge = age, MaxUses = uses, Temporary = temporary, Unique = unique };
            return new WritePlan
            {
                Action = "create_invite",
                Sentence = $"create an invite to {label} that expires {InviteText.Age(age)} with {(uses == 0 ? "unlimited uses" : $"at most {uses} use{(uses == 1 ? "" : "s")}")}"
                    + (temporary == true ? " and temporary membership." : "."),
                Target = $"{label} in {UntrustedText.Inline(ctx.Guild.Name)}",
                Changes = changes,
                GuildId = ctx.Guild.Id.Value,
                ChannelId = c.Id.Value,
                BotPermissions = DiscordPermissions.CreateInstantInvite,
                Undo = "delete the invite with discord_delete_invite",
                Notes = unique == true ? [] : ["Without unique: true Discord may return an existing invite with the same settings instead of a new one."],
            };
        }

        public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
        {
            var invite = await DiscordReadService.CallAsync(() => discord.Client.CreateChannelInviteAsync(_channel!.Id, _request, _reason, cancellationToken),
                $"create an invite to {_label}");
            return WriteOutcome.Of($"Created the invite {InviteText.Url(invite.Code)} to {_label}.", ("invite_code", invite.Code), ("channel_id", _channel!.Id.ToString()));
        }
    }
}
