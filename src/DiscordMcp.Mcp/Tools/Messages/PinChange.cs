using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;

namespace DiscordMcp.Mcp.Tools.Messages;

/// <summary>Pinning or unpinning a message (<c>discord_pin_message</c>, <c>discord_unpin_message</c>), mirrored by <paramref name="pin"/>.</summary>
internal sealed class PinChange(DiscordReadService discord, bool pin, string? guild, string channel, string messageId, string? reason) : IWriteOperation
{
    private DiscordChannel? _channel;
    private Snowflake _id;
    private string? _reason;

    public async ValueTask<WritePlan> PlanAsync(CancellationToken cancellationToken)
    {
        var id = DiscordReadService.ParseId(messageId, "message_id", "message");
        _reason = WriteText.Reason(reason);
        var (ctx, c) = await MessageWrites.LoadChannelAsync(discord, guild, channel, cancellationToken);
        var message = await MessageWrites.LoadMessageAsync(discord, c, id, "message_id", cancellationToken);
        if (message.Pinned == pin)
        {
            throw DiscordServiceException.Invalid("message_id", pin
                ? $"message_id: message {id} is already pinned in {WriteText.Channel(c)}."
                : $"message_id: message {id} is not pinned in {WriteText.Channel(c)}.");
        }
        _channel = c;
        _id = id;
        var describe = MessageWrites.Describe(message, c, ctx.Bot.User!.Id.Value);
        return new WritePlan
        {
            Action = pin ? "pin_message" : "unpin_message",
            Sentence = $"{(pin ? "pin" : "unpin")} {describe}.",
            Target = $"{describe} in {UntrustedText.Inline(ctx.Guild.Name)}",
            Changes = [pin ? "Pinned: no → yes" : "Pinned: yes → no", $"Message: {MessageWrites.Quote(message.Content, 120)}"],
            GuildId = ctx.Guild.Id.Value,
            ChannelId = c.Id.Value,
            // Discord's PIN_MESSAGES (split from MANAGE_MESSAGES); the message must be readable too.
            BotPermissions = DiscordPermissions.PinMessages | DiscordPermissions.ReadMessageHistory,
            Undo = pin ? "unpin it with discord_unpin_message" : "pin it again with discord_pin_message",
            References = [MessageWrites.Reference(c, id)],
        };
    }

    public async ValueTask<WriteOutcome> ExecuteAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        var where = WriteText.Channel(_channel!);
        await DiscordReadService.CallAsync(() => pin
            ? discord.Client.PinMessageAsync(_channel!.Id, _id, _reason, cancellationToken)
            : discord.Client.UnpinMessageAsync(_channel!.Id, _id, _reason, cancellationToken), $"{(pin ? "pin" : "unpin")} message {_id} in {where}");
        return WriteOutcome.Of($"{(pin ? "Pinned" : "Unpinned")} message {_id} in {where}.", ("message_id", _id.ToString()));
    }
}
