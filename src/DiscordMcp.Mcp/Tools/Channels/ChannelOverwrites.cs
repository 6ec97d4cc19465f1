using System.Globalization;
using DiscordMcp.Discord;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;
using DiscordMcp.Mcp.Writes;

namespace DiscordMcp.Mcp.Tools.Channels;

/// <summary>Shared by the channel-permission tools: the one overwrite target, and how an overwrite reads in a plan (names: <see cref="PermissionList"/>).</summary>
internal static class ChannelOverwrites
{
    public static async Task<PermissionTarget> ResolveTargetAsync(DiscordReadService discord, DiscordReadService.GuildContext ctx, string? target, string argument, CancellationToken ct)
    {
        try
        {
            return (await PermissionTargets.ResolveAsync(discord, ctx, [target ?? ""], argument, ct))[0];
        }
        catch (DiscordServiceException e) when (e.Message.Contains(argument + "[0]", StringComparison.Ordinal))
        {
            // PermissionTargets names list entries ("target[0]"); this argument is a single value.
            throw new DiscordServiceException(e.Kind, e.Message.Replace(argument + "[0]", argument, StringComparison.Ordinal), argument, e);
        }
    }

    /// <summary>"allow VIEW_CHANNEL, SEND_MESSAGES; deny none".</summary>
    public static string Describe(PermissionOverwrite? overwrite) =>
        overwrite is { } o
            ? $"allow {Names(o.Allow)}; deny {Names(o.Deny)}"
            : "no overwrite (inherits)";

    public static string Names(DiscordPermissions permissions) =>
        permissions == DiscordPermissions.None ? "none" : string.Join(", ", permissions.ToNames());

    public static PermissionOverwrite? Find(DiscordChannel channel, Snowflake id) =>
        channel.PermissionOverwrites?.Where(o => o.Id == id).Select(o => (PermissionOverwrite?)o).FirstOrDefault();

    public static string Count(int n, string word) => n.ToString(CultureInfo.InvariantCulture) + " " + word + (n == 1 ? "" : "s");
}
