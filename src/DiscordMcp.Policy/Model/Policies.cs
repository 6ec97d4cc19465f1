namespace DiscordMcp.Policy.Model;

/// <summary>A tri-state rule: inherit from the enclosing scope, or decide.</summary>
public enum AccessRule
{
    /// <summary>Defer to the enclosing scope (channel → parent channel → category → guild → allow).</summary>
    Inherit = 0,
    /// <summary>Allowed.</summary>
    Allow = 1,
    /// <summary>Denied.</summary>
    Deny = 2,
}

/// <summary>What a channel policy is attached to.</summary>
public enum ChannelPolicyScope
{
    /// <summary>Unset (zero value; invalid in a stored policy).</summary>
    None = 0,
    /// <summary>The whole guild (<see cref="ChannelPolicy.TargetId"/> is the guild id).</summary>
    Guild = 1,
    /// <summary>A category and every channel under it.</summary>
    Category = 2,
    /// <summary>One channel (and its threads).</summary>
    Channel = 3,
}

/// <summary>
/// Access to a guild, category or channel. Unique on (<see cref="GuildId"/>, <see cref="TargetId"/>).
/// The most specific non-<see cref="AccessRule.Inherit"/> rule wins; with none, access is allowed.
/// </summary>
public sealed record ChannelPolicy(
    ulong GuildId,
    ChannelPolicyScope Scope,
    ulong TargetId,
    AccessRule Read = AccessRule.Inherit,
    AccessRule Write = AccessRule.Inherit,
    AccessRule AgentChat = AccessRule.Inherit);

/// <summary>How a tool runs (architecture §3).</summary>
public enum ToolMode
{
    /// <summary>Unset: fall back to the next rule (tool → toolset → annotation default).</summary>
    Default = 0,
    /// <summary>Runs when called.</summary>
    Allow = 1,
    /// <summary>First call returns a plan and a confirmation id; runs only when confirmed.</summary>
    Confirm = 2,
    /// <summary>Like confirm, but a person must approve; the model alone cannot.</summary>
    Approve = 3,
    /// <summary>Never runs.</summary>
    Deny = 4,
}

/// <summary>Whether a tool policy targets one tool or a whole toolset.</summary>
public enum ToolPolicyTarget
{
    /// <summary>Unset (zero value; invalid in a stored policy).</summary>
    None = 0,
    /// <summary><see cref="ToolPolicy.Name"/> is a tool name (e.g. <c>discord_delete_channel</c>).</summary>
    Tool = 1,
    /// <summary><see cref="ToolPolicy.Name"/> is a toolset name (e.g. <c>channels</c>).</summary>
    Toolset = 2,
}

/// <summary>A workspace override of a tool's mode. Unique on (<see cref="WorkspaceId"/>, <see cref="Target"/>, <see cref="Name"/>).</summary>
public sealed record ToolPolicy(string WorkspaceId, ToolPolicyTarget Target, string Name, ToolMode Mode);

/// <summary>What a tool does, from its MCP annotations.</summary>
public enum ToolAccess
{
    /// <summary>Unset (zero value; treated as the most restrictive, <see cref="Destructive"/>).</summary>
    None = 0,
    /// <summary><c>ReadOnly = true</c>.</summary>
    Read = 1,
    /// <summary>Changes something, not destructively.</summary>
    Write = 2,
    /// <summary><c>Destructive = true</c>.</summary>
    Destructive = 3,
}

/// <summary>Token-bucket budgets. Capacity is the burst; refill is tokens per second.</summary>
public sealed record RateLimitSettings(
    int PrincipalReadCapacity,
    double PrincipalReadRefillPerSecond,
    int PrincipalWriteCapacity,
    double PrincipalWriteRefillPerSecond,
    int GuildReadCapacity,
    double GuildReadRefillPerSecond,
    int GuildWriteCapacity,
    double GuildWriteRefillPerSecond)
{
    /// <summary>Defaults: reads 60 burst / 10 per s per principal, writes 10 burst / 1 per s; guild budgets twice that.</summary>
    public static RateLimitSettings Default { get; } = new(60, 10, 10, 1, 120, 20, 20, 2);
}
