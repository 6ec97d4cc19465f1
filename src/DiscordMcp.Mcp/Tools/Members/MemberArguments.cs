using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Mcp.Tools.Members;

/// <summary>Member resolution and the refusals Discord would give anyway (the owner, the bot itself), shared by the member write tools.</summary>
internal static class MemberArguments
{
    /// <summary>"@Luis" — how plans name a member.</summary>
    public static string Label(GuildMember member) => "@" + DiscordReadService.DisplayName(member);

    public static bool IsBot(DiscordReadService.GuildContext ctx, GuildMember member) => member.User!.Id == ctx.Bot.User!.Id;

    public static bool IsOwner(DiscordReadService.GuildContext ctx, GuildMember member) => member.User!.Id == ctx.Guild.OwnerId;

    /// <summary>
    /// A member to moderate (kick, ban, time out, rename): refuses the guild owner (nobody can) and, for <paramref name="selfAllowed"/>
    /// false, the bot itself (Discord refuses a bot kicking, banning or timing out itself).
    /// </summary>
    public static async Task<GuildMember> ModerateAsync(
        DiscordReadService discord, DiscordReadService.GuildContext ctx, string? member, string argument, string verb, bool selfAllowed, CancellationToken ct)
    {
        var resolved = await discord.ResolveMemberAsync(ctx.Guild.Id, member, argument, ct);
        if (IsOwner(ctx, resolved))
            throw DiscordServiceException.Invalid(argument, $"{argument}: {Label(resolved)} owns the server; nobody, including the bot, can {verb} the owner.");
        if (!selfAllowed && IsBot(ctx, resolved))
            throw DiscordServiceException.Invalid(argument, $"{argument}: {Label(resolved)} is the bot itself; it cannot {verb} itself.");
        return resolved;
    }

    /// <summary>Discord refuses to time out members with Administrator.</summary>
    public static bool IsAdministrator(DiscordReadService.GuildContext ctx, GuildMember member)
    {
        var perms = ctx.Guild.Roles.Where(r => r.Id == ctx.Guild.Id || member.Roles.Contains(r.Id)).Aggregate(DiscordPermissions.None, (a, r) => a | r.Permissions);
        return perms.HasFlag(DiscordPermissions.Administrator);
    }

    /// <summary>A user id argument: a bare id or a mention <c>&lt;@id&gt;</c>.</summary>
    public static Snowflake UserId(string? value, string argument)
    {
        var text = (value ?? "").Trim();
        if (text.StartsWith("<@", StringComparison.Ordinal) && text.EndsWith('>') && !text.StartsWith("<@&", StringComparison.Ordinal))
            text = text[2..^1].TrimStart('!');
        return DiscordReadService.ParseId(text, argument, "user");
    }
}
