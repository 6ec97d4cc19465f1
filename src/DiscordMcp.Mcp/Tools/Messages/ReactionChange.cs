using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;

namespace DiscordMcp.Mcp.Tools.Messages;

/// <summary>The bot adding or removing its own reaction (<c>discord_add_reaction</c>, <c>discord_remove_reaction</c>), mirrored by <paramref name="add"/>.</summary>
internal sealed class ReactionChange(DiscordReadService discord, bool add, string? guild, string channel, string messageId, string emoji) : IWriteOperation
{
    private DiscordChannel? _channel;
    private Snowflake _id;
    private string _api = "";
    private string _label = "";

    public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var id = DiscordReadService.ParseId(messageId, "message_id", "message");
        var parsed = MessageWrites.Emoji(emoji);
        var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
        var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
        var mine = message.Reactions?.Any(r => r.Me && MessageWrites.IsEmoji(r, parsed)) ?? false;
        var label = UntrustedText.Inline(parsed.Label);
        if (mine == add)
        {
            throw DiscordServiceException.Invalid("emoji", add
                ? $"emoji: the bot already reacted with {label} on message {id}."
                : $"emoji: the bot has no {label} reaction on message {id}; nothing to remove.");
        }
        _channel = c;
        _id = id;
        _api = parsed.Api;
        _label = parsed.Label;
        var describe = MessageWrites.Describe(message, c, ctx.Bot.User!.Id.Value);
        return new WritePlan
        {
            Action = add ? "add_reaction" : "remove_reaction",
            Sentence = add ? $"react with {label} to {describe}." : $"remove the bot's {label} reaction from {describe}.",
            Target = $"{describe} in {UntrustedText.Inline(ctx.Guild.Name)}",
            Changes = [add ? $"Bot's reaction: none → {label}" : $"Bot's reaction: {label} → none"],
            GuildId = ctx.Guild.Id.Value,
            ChannelId = c.Id.Value,
            // Removing its own reaction needs no permission beyond reading the message.
            BotPermissions = add ? DiscordPermissions.AddReactions | DiscordPermissions.ReadMessageHistory : DiscordPermissions.ReadMessageHistory,
            Undo = add ? "remove the reaction with discord_remove_reaction" : "react again with discord_add_reaction",
            References = [MessageWrites.Reference(c, id)],
        };
    }

    public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        var where = WriteText.Channel(_channel!);
        var label = UntrustedText.Inline(_label);
        await DiscordReadService.CallAsync(() => add
            ? discord.Client.CreateReactionAsync(_channel!.Id, _id, _api, cancellationToken)
            : discord.Client.DeleteOwnReactionAsync(_channel!.Id, _id, _api, cancellationToken),
            $"{(add ? "add" : "remove")} the reaction {label} on message {_id} in {where}");
        return WriteOutcome.Of(add ? $"Reacted with {label} to message {_id} in {where}." : $"Removed the bot's {label} reaction from message {_id} in {where}.",
            ("message_id", _id.ToString()));
    }
}
