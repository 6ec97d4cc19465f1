using System.Text.Json.Nodes;
using DiscordMcp.Discord.Client;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Rest;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.DependencyInjection;
using static DiscordMcp.Host.Tests.Writes.WriteTestHost;

namespace DiscordMcp.Host.Tests.Writes;

/// <summary>Reads of the sandbox's roles, members and bans for the role and member write tests.</summary>
internal static class RoleMemberTestSupport
{
    public static List<JsonObject> Roles(this WriteTestHost host) =>
        [.. JsonNode.Parse(host.Snapshot())!["guilds"]!.AsArray()
            .Single(g => (string?)g!["guild"]!["id"] == DemoGuild.GuildId)!["roles"]!.AsArray().Select(r => r!.AsObject())];

    public static JsonObject Role(this WriteTestHost host, string name) => host.Roles().Single(r => (string?)r["name"] == name);

    /// <summary>The member as Discord (the sandbox) returns it now, or <c>null</c> when not a member.</summary>
    public static async Task<GuildMember?> MemberAsync(this WriteTestHost host, string userId)
    {
        var client = host.App.Services.GetRequiredService<DiscordRestClient>();
        try
        {
            return await client.GetMemberAsync(Snowflake.Parse(DemoGuild.GuildId), Snowflake.Parse(userId));
        }
        catch (DiscordHttpException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task<bool> IsBannedAsync(this WriteTestHost host, string userId)
    {
        var client = host.App.Services.GetRequiredService<DiscordRestClient>();
        var bans = await client.GetBansAsync(Snowflake.Parse(DemoGuild.GuildId));
        return bans.Any(b => b.User.Id == Snowflake.Parse(userId));
    }

    /// <summary>A destructive tool in its default (approve) mode: the model's own confirmation is refused and nothing changes.</summary>
    public static async Task AssertApprovalRequiredAsync(this WriteTestHost host, string tool, Dictionary<string, object?> args)
    {
        var dry = await host.CallAsync(tool, args);
        Assert.True(dry.IsError != true, Text(dry));
        Assert.Contains("needs a person's approval", Text(dry), StringComparison.Ordinal);
        var before = host.Snapshot();
        var confirmed = await host.CallAsync("discord_confirm_action", new() { ["confirmation_id"] = ConfirmationId(dry) });
        Assert.Equal("pending_approval", Structured(confirmed).GetProperty("status").GetString());
        Assert.False(Structured(confirmed).GetProperty("executed").GetBoolean());
        Assert.Contains("waiting for a person to approve", Text(confirmed), StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
    }

    /// <summary>Bad input: an error naming the field, the sandbox unchanged and nothing stored as pending.</summary>
    public static async Task AssertRefusedAsync(this WriteTestHost host, string tool, Dictionary<string, object?> args, string expected)
    {
        var before = host.Snapshot();
        var result = await host.CallAsync(tool, args);
        Assert.True(result.IsError, Text(result));
        Assert.Contains(expected, Text(result), StringComparison.Ordinal);
        Assert.Equal(before, host.Snapshot());
        Assert.Null(result.StructuredContent?.TryGetProperty("confirmation_id", out var id) == true ? id.GetString() : null);
    }
}
