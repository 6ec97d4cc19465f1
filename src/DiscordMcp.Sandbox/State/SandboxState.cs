using System.Text.Json.Nodes;
using DiscordMcp.Sandbox.Gateway;

namespace DiscordMcp.Sandbox.State;

/// <summary>
/// The emulated Discord's data: users, guilds, channels, messages, roles, members, webhooks, invites,
/// scheduled events, audit log, application commands and interactions. Thread-safe.
/// SKELETON: replaced by the sandbox state implementation.
/// </summary>
public sealed class SandboxState(SandboxOptions options) : ISandboxGatewayData
{
    public SandboxOptions Options { get; } = options;

    public string ApplicationId => "1300000000000000001";

    public JsonObject BotUser() => new() { ["id"] = ApplicationId, ["username"] = "DiscordMCP", ["discriminator"] = "0", ["bot"] = true };

    public IReadOnlyList<string> BotGuildIds() => [];

    public JsonObject BuildGuildCreate(string guildId) => throw new KeyNotFoundException(guildId);

    public IReadOnlyList<JsonObject> QueryMembers(string guildId, string? query, IReadOnlyList<string>? userIds, int limit) => [];

    public IDisposable Subscribe(Action<SandboxDispatch> onDispatch) => new NoopSubscription();

    private sealed class NoopSubscription : IDisposable
    {
        public void Dispose() { }
    }
}
