using Microsoft.Extensions.Logging;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>Gateway log messages. None of them takes the token or a raw frame.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Information, "Gateway shard {ShardId}: connecting to {Host} to {Mode}")]
    public static partial void Connecting(ILogger logger, int shardId, string host, string mode);

    [LoggerMessage(2, LogLevel.Warning, "Gateway shard {ShardId}: connection attempt failed; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, int shardId, TimeSpan delay, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Gateway shard {ShardId}: READY as user {UserId}, session {SessionId}")]
    public static partial void Ready(ILogger logger, int shardId, string? userId, string? sessionId);

    [LoggerMessage(4, LogLevel.Information, "Gateway shard {ShardId}: RESUMED session {SessionId} at sequence {Sequence}")]
    public static partial void Resumed(ILogger logger, int shardId, string? sessionId, long sequence);

    [LoggerMessage(5, LogLevel.Warning, "Gateway shard {ShardId}: no heartbeat ACK since the previous heartbeat (zombie connection); closing with {CloseCode} to resume")]
    public static partial void Zombie(ILogger logger, int shardId, int closeCode);

    [LoggerMessage(6, LogLevel.Information, "Gateway shard {ShardId}: server asked to reconnect (op 7); resuming")]
    public static partial void ReconnectRequested(ILogger logger, int shardId);

    [LoggerMessage(7, LogLevel.Warning, "Gateway shard {ShardId}: invalid session (op 9, resumable: {Resumable})")]
    public static partial void InvalidSession(ILogger logger, int shardId, bool resumable);

    [LoggerMessage(8, LogLevel.Warning, "Gateway shard {ShardId}: server closed the connection with {CloseCode} ({CloseReason}); next: {Action}")]
    public static partial void ServerClosed(ILogger logger, int shardId, int closeCode, string? closeReason, GatewayCloseAction action);

    [LoggerMessage(9, LogLevel.Critical, "Gateway shard {ShardId} stopped: {Reason}")]
    public static partial void Stopped(ILogger logger, int shardId, string reason);

    [LoggerMessage(10, LogLevel.Warning, "Gateway shard {ShardId}: connection dropped; will resume if possible")]
    public static partial void Dropped(ILogger logger, int shardId, Exception exception);

    [LoggerMessage(11, LogLevel.Debug, "Gateway shard {ShardId}: skipped replayed dispatch {Sequence} (already delivered up to {LastSequence})")]
    public static partial void DuplicateSkipped(ILogger logger, int shardId, long sequence, long lastSequence);

    [LoggerMessage(12, LogLevel.Warning, "Gateway shard {ShardId}: sequence gap, expected {Expected} but got {Sequence}")]
    public static partial void SequenceGap(ILogger logger, int shardId, long expected, long sequence);

    [LoggerMessage(13, LogLevel.Warning, "Gateway shard {ShardId}: dispatch queue is full ({Capacity}); receiving waits for consumers")]
    public static partial void DispatchQueueFull(ILogger logger, int shardId, int capacity);

    [LoggerMessage(14, LogLevel.Warning, "Gateway shard {ShardId}: identify budget used up; waiting {Delay} for session_start_limit to reset")]
    public static partial void WaitingForIdentifyBudget(ILogger logger, int shardId, TimeSpan delay);

    [LoggerMessage(15, LogLevel.Warning, "Gateway shard {ShardId}: heartbeat loop failed")]
    public static partial void HeartbeatFailed(ILogger logger, int shardId, Exception exception);
}
