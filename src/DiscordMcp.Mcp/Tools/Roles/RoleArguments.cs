using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Mcp.Writes;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Mcp.Tools.Roles;

/// <summary>Argument parsing and wording shared by the role write tools: colours, permission lists, role labels, the bot's rank.</summary>
internal static class RoleArguments
{
    /// <summary>Colour names accepted besides <c>#RRGGBB</c> (Discord's own palette); <c>none</c>/<c>default</c> is no colour.</summary>
    private static readonly Dictionary<string, int> Colors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["none"] = 0, ["default"] = 0,
        ["teal"] = 0x1ABC9C, ["green"] = 0x2ECC71, ["blue"] = 0x3498DB, ["purple"] = 0x9B59B6, ["magenta"] = 0xE91E63,
        ["pink"] = 0xEB459E, ["gold"] = 0xF1C40F, ["yellow"] = 0xFEE75C, ["orange"] = 0xE67E22, ["red"] = 0xE74C3C,
        ["grey"] = 0x95A5A6, ["gray"] = 0x95A5A6, ["navy"] = 0x34495E, ["blurple"] = 0x5865F2, ["white"] = 0xFFFFFF, ["black"] = 0x010101,
    };

    public const string ColorForms = "#RRGGBB (e.g. #3498DB) or a colour name: none, teal, green, blue, purple, magenta, pink, gold, yellow, orange, red, grey, navy, blurple, white, black";

    /// <summary>A colour as Discord's integer, or <c>null</c> when not given.</summary>
    public static int? Color(string? value, string argument = "color")
    {
        if (value is null)
            return null;
        var text = value.Trim();
        if (Colors.TryGetValue(text, out var named))
            return named;
        if (text.Length == 7 && text[0] == '#' && int.TryParse(text.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
            return rgb;
        throw DiscordServiceException.Invalid(argument,
            $"{argument} must be {ColorForms}; got \"{UntrustedText.Inline(text.Length > 20 ? text[..20] + "…" : text)}\".");
    }

    public static string ColorText(int color) => color == 0 ? "none" : "#" + color.ToString("X6", CultureInfo.InvariantCulture);

    /// <summary>A list of permission names as one bitfield; <c>null</c> when the argument was not given.</summary>
    public static DiscordPermissions? Permissions(string[]? names, string argument = "permissions") =>
        names is null ? null : PermissionList.Parse(names, argument);

    public static string PermissionText(DiscordPermissions permissions) =>
        permissions == DiscordPermissions.None ? "none" : string.Join(", ", permissions.ToNames());

    /// <summary>Discord lets the bot grant only what it has itself (Administrator grants anything): refuse the rest, naming them.</summary>
    public static void RequireCanGrant(DiscordReadService discord, DiscordReadService.GuildContext ctx, DiscordPermissions requested, string argument = "permissions")
    {
        var has = discord.BotGuildPermissions(ctx);
        if (has.HasFlag(DiscordPermissions.Administrator) || ctx.Guild.OwnerId == ctx.Bot.User!.Id)
            return;
        var missing = requested & ~has;
        if (missing != DiscordPermissions.None)
            throw DiscordServiceException.Invalid(argument,
                $"{argument}: the bot can only grant permissions it has itself, and it lacks {string.Join(", ", missing.ToNames())}. Remove them or give the bot's role those permissions first.");
    }

    /// <summary>"Support" (the plan's name for a role), "@everyone" for the guild's default role.</summary>
    public static string Name(DiscordGuild guild, DiscordRole role) =>
        role.Id == guild.Id ? "@everyone" : UntrustedText.Inline(role.Name);

    /// <summary>"the Support role", "@everyone".</summary>
    public static string Phrase(DiscordGuild guild, DiscordRole role) =>
        role.Id == guild.Id ? "@everyone" : $"the {UntrustedText.Inline(role.Name)} role";

    /// <summary>The position of the bot's highest role (0: only @everyone).</summary>
    public static int BotTopPosition(DiscordReadService.GuildContext ctx) =>
        ctx.Guild.Roles.Where(r => ctx.Bot.Roles.Contains(r.Id)).Select(r => r.Position).DefaultIfEmpty(0).Max();

    /// <summary>A role of the guild by name, mention or id, refusing @everyone and managed (bot/integration) roles where Discord does.</summary>
    public static DiscordRole Manageable(DiscordReadService.GuildContext ctx, string? role, string argument, string verb)
    {
        var resolved = DiscordReadService.ResolveRole(ctx.Guild, role, argument);
        if (resolved.Id == ctx.Guild.Id)
            throw DiscordServiceException.Invalid(argument, $"{argument}: @everyone cannot be {verb}; every member always has it.");
        if (resolved.Managed)
            throw DiscordServiceException.Invalid(argument,
                $"{argument}: {UntrustedText.Inline(resolved.Name)} is managed by an integration or bot and cannot be {verb}.");
        return resolved;
    }
}
