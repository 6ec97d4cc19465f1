namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>Where the gateway connection is in its life.</summary>
public enum GatewayState
{
    Disconnected,
    Connecting,
    Identifying,
    Resuming,
    Ready,
    /// <summary>Terminal: stopped by the caller or by a fatal close code.</summary>
    Stopped,
}
