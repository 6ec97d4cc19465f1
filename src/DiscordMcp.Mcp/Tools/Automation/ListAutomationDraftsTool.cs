using System.ComponentModel;
using System.Globalization;
using System.Text;
using DiscordMcp.Discord;
using DiscordMcp.Policy.Ports;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace DiscordMcp.Mcp.Tools.Automation;

[McpServerToolType, Toolset(Toolsets.Automation)]
internal sealed class ListAutomationDraftsTool(PolicyCallContext calls, IAutomationDraftStore store)
{
    [McpServerTool(Name = "discord_list_automation_drafts", Title = "List automation drafts", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(AutomationDraftList))]
    [Description("Lists the automation drafts stored for a guild in YOUR workspace (oldest first): trigger, conditions and the tools each would call. " +
        "Drafts are never executed.")]
    public async Task<CallToolResult> Run(
        [Description("Guild (server) id or exact name; optional when the bot can use exactly one guild.")] string? guild_id = null,
        CancellationToken cancellationToken = default)
    {
        if (calls.Current?.WorkspaceId is not { } workspace || calls.Current.Request.GuildId is not { } guild)
            return ToolResults.Error("Denied (policy_error): the call has no authorised workspace and guild.");
        var drafts = (await store.ListAsync(workspace, guild, cancellationToken)).Select(AutomationDraftView.Of).ToList();
        var sb = new StringBuilder();
        foreach (var d in drafts)
            sb.Append('"').Append(UntrustedText.Inline(d.Name)).Append("\" id ").Append(d.DraftId).Append(" — ").Append(d.Describe()).Append('\n');
        sb.Append(drafts.Count.ToString(CultureInfo.InvariantCulture)).Append(drafts.Count == 1 ? " draft" : " drafts")
          .Append(" (never executed). ").Append(UntrustedText.Notice);
        return ToolResults.Ok(new AutomationDraftList(guild.ToString(CultureInfo.InvariantCulture), drafts), sb.ToString());
    }
}

internal sealed record AutomationDraftList(string GuildId, IReadOnlyList<AutomationDraftView> Drafts);
