namespace DiscordMcp.Mcp;

/// <summary>Names of the toolsets a deployment can enable (configuration key <c>TOOLSETS</c>).</summary>
public static class Toolsets
{
    public const string Guilds = "guilds";
    public const string Channels = "channels";
    public const string Messages = "messages";
    public const string Roles = "roles";
    public const string Members = "members";
    public const string Moderation = "moderation";
    public const string Threads = "threads";
    public const string Webhooks = "webhooks";
    public const string Invites = "invites";
    public const string Events = "events";
    public const string Audit = "audit";
    public const string Automation = "automation";
    public const string Platform = "platform";

    public static IReadOnlyList<string> All { get; } =
        [Guilds, Channels, Messages, Roles, Members, Moderation, Threads, Webhooks, Invites, Events, Audit, Automation, Platform];
}

/// <summary>Puts a tool class in a toolset; read by the catalog, the list filter and the call gate.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class ToolsetAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// Marks a write tool class: its method hands an <c>IWriteOperation</c> to <c>WriteRunner</c>, which plans, runs the policy
/// pipeline and executes; the call filter then does not wrap it in the pipeline a second time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class WriteToolAttribute : Attribute;

/// <summary>
/// The Discord permissions the bot needs for a write tool's use (every variant: e.g. Manage Events for others' events and
/// Create Events for its own). Required on every <see cref="WriteToolAttribute"/> class; read by the catalog
/// (<see cref="ToolInfo.BotPermissions"/>), which <c>discord-mcp doctor</c> and <c>invite-url</c> derive their lists from.
/// A call's plan still states exactly what that call needs, and the policy checks that.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class BotPermissionsAttribute(DiscordMcp.Discord.Client.Permissions.DiscordPermissions permissions) : Attribute
{
    public DiscordMcp.Discord.Client.Permissions.DiscordPermissions Permissions { get; } = permissions;
}
