using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Mcp.Tests;

/// <summary>The catalog's per-tool bot permissions, which <c>doctor</c> and <c>invite-url</c> derive their lists from.</summary>
public sealed class BotPermissionDeclarationTests
{
    [Fact]
    public void Every_write_tool_that_changes_Discord_declares_the_bot_permissions_it_needs()
    {
        var undeclared = ToolCatalog.All
            .Where(t => t.RunsPolicyItself && t.Toolset != Toolsets.Platform && t.BotPermissions == DiscordPermissions.None)
            .Select(t => t.Name).ToList();

        Assert.Empty(undeclared);
    }

    [Fact]
    public void Read_tools_carry_the_permissions_the_policy_checks_for_them()
    {
        foreach (var tool in ToolCatalog.All.Where(t => !t.RunsPolicyItself))
            Assert.Equal(PolicyBinding.RequiredPermissions(tool.Name), (ulong)tool.BotPermissions);
        Assert.Equal(DiscordPermissions.ManageWebhooks, ToolCatalog.Find("discord_list_webhooks")!.BotPermissions);
    }

    [Theory]
    [InlineData("discord_create_webhook", DiscordPermissions.ManageWebhooks)]
    [InlineData("discord_ban_member", DiscordPermissions.BanMembers)]
    [InlineData("discord_pin_message", DiscordPermissions.PinMessages)]
    [InlineData("discord_bulk_delete_messages", DiscordPermissions.ManageMessages)]
    public void Write_tools_declare_the_permission_their_plans_use(string tool, DiscordPermissions permission) =>
        Assert.True(ToolCatalog.Find(tool)!.BotPermissions.HasFlag(permission));
}
