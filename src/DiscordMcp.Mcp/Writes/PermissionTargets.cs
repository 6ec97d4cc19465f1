using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Mcp.Writes;

/// <summary>A role or member a permission overwrite targets, with the label plans show ("@Luis", "Support role", "@everyone").</summary>
internal sealed record PermissionTarget(Snowflake Id, OverwriteType Type, string Label, string Phrase)
{
    public bool IsEveryone(Snowflake guildId) => Type == OverwriteType.Role && Id == guildId;
}

/// <summary>
/// Resolves the entries of an allowed/denied list inside the authorised guild: <c>@everyone</c>; <c>role:Name</c> or
/// <c>&lt;@&amp;id&gt;</c> for a role; <c>user:Name</c>, <c>&lt;@id&gt;</c> for a member; otherwise a role of that exact name
/// first, then a member (so <c>Support</c> is the Support role and <c>@Luis</c> the member Luis).
/// </summary>
internal static class PermissionTargets
{
    public const int MaxEntries = 25;

    public static async Task<IReadOnlyList<PermissionTarget>> ResolveAsync(
        DiscordReadService discord, DiscordReadService.GuildContext ctx, IReadOnlyList<string>? entries, string argument, CancellationToken ct)
    {
        if (entries is null || entries.Count == 0)
            return [];
        if (entries.Count > MaxEntries)
            throw DiscordServiceException.Invalid(argument, $"{argument} takes at most {MaxEntries} roles or members, got {entries.Count}.");
        var resolved = new List<PermissionTarget>();
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"{argument}[{i}]";
            var target = await ResolveOneAsync(discord, ctx, entries[i], field, ct);
            if (resolved.Any(r => r.Id == target.Id))
                throw DiscordServiceException.Invalid(field, $"{field}: {target.Label} is listed twice in {argument}.");
            resolved.Add(target);
        }
        return resolved;
    }

    private static async Task<PermissionTarget> ResolveOneAsync(DiscordReadService discord, DiscordReadService.GuildContext ctx, string? entry, string field, CancellationToken ct)
    {
        var text = (entry ?? "").Trim();
        if (text.Length == 0)
            throw DiscordServiceException.Invalid(field, $"{field} is empty: give a role (Support, role:Support, <@&id>), a member (@Luis, user:Luis, <@id>) or @everyone.");
        if (text.Equals("@everyone", StringComparison.OrdinalIgnoreCase) || text.Equals("everyone", StringComparison.OrdinalIgnoreCase))
            return new PermissionTarget(ctx.Guild.Id, OverwriteType.Role, "@everyone", "@everyone");
        if (text.StartsWith("role:", StringComparison.OrdinalIgnoreCase))
            return Role(ctx, DiscordReadService.ResolveRole(ctx.Guild, text[5..], field));
        if (text.StartsWith("<@&", StringComparison.Ordinal))
            return Role(ctx, DiscordReadService.ResolveRole(ctx.Guild, text, field));
        if (text.StartsWith("user:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("member:", StringComparison.OrdinalIgnoreCase))
            return Member(await discord.ResolveMemberAsync(ctx.Guild.Id, text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..], field, ct));
        if (text.StartsWith("<@", StringComparison.Ordinal))
            return Member(await discord.ResolveMemberAsync(ctx.Guild.Id, text, field, ct));
        var bare = text.TrimStart('@');
        var role = ctx.Guild.Roles.FirstOrDefault(r => r.Id != ctx.Guild.Id && string.Equals(r.Name, bare, StringComparison.OrdinalIgnoreCase));
        if (role is not null)
            return Role(ctx, role);
        if (Snowflake.TryParse(bare, out var id) && ctx.Guild.Roles.FirstOrDefault(r => r.Id == id) is { } byId)
            return Role(ctx, byId);
        return Member(await discord.ResolveMemberAsync(ctx.Guild.Id, text, field, ct));
    }

    private static PermissionTarget Role(DiscordReadService.GuildContext ctx, Discord.Client.Models.DiscordRole role) =>
        role.Id == ctx.Guild.Id
            ? new PermissionTarget(role.Id, OverwriteType.Role, "@everyone", "@everyone")
            : new PermissionTarget(role.Id, OverwriteType.Role, UntrustedText.Inline(role.Name) + " role", "the " + UntrustedText.Inline(role.Name) + " role");

    private static PermissionTarget Member(Discord.Client.Models.GuildMember member)
    {
        var label = "@" + DiscordReadService.DisplayName(member);
        return new PermissionTarget(member.User!.Id, OverwriteType.Member, label, label);
    }
}
