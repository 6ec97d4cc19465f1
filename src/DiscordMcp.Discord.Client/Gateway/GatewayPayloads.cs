using System.Text.Json;
using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client.Gateway;

/// <summary>Gateway opcodes (API v10).</summary>
internal static class GatewayOpcode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int PresenceUpdate = 3;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int RequestGuildMembers = 8;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>An outgoing frame <c>{op, d}</c>.</summary>
internal sealed record GatewayOutgoing<T>(int Op, T D);

/// <summary>IDENTIFY <c>d</c>. Holds the token: never log or ToString it.</summary>
internal sealed class IdentifyData
{
    public required string Token { get; init; }
    public required IdentifyProperties Properties { get; init; }
    public required ulong Intents { get; init; }
    public bool Compress { get; init; }
    public int LargeThreshold { get; init; }
    public int[]? Shard { get; init; }
    public PresenceData? Presence { get; init; }
}

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed record PresenceData(long? Since, ActivityData[] Activities, string Status, bool Afk);

internal sealed record ActivityData(string Name, int Type, string? State);

/// <summary>RESUME <c>d</c>. Holds the token: never log or ToString it.</summary>
internal sealed class ResumeData
{
    public required string Token { get; init; }
    public required string SessionId { get; init; }
    public long? Seq { get; init; }
}

internal sealed class RequestGuildMembersData
{
    public required string GuildId { get; init; }
    public string? Query { get; init; }
    public int? Limit { get; init; }
    public bool? Presences { get; init; }
    public string[]? UserIds { get; init; }
    public string? Nonce { get; init; }
}

internal sealed class HelloData
{
    public double HeartbeatInterval { get; init; }
}

internal sealed class ReadyData
{
    public string? SessionId { get; init; }
    public string? ResumeGatewayUrl { get; init; }
    public ReadyUser? User { get; init; }
    public ReadyApplication? Application { get; init; }
}

internal sealed class ReadyUser
{
    public string? Id { get; init; }
    public string? Username { get; init; }
}

internal sealed class ReadyApplication
{
    public string? Id { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GatewayOutgoing<IdentifyData>))]
[JsonSerializable(typeof(GatewayOutgoing<ResumeData>))]
[JsonSerializable(typeof(GatewayOutgoing<RequestGuildMembersData>))]
[JsonSerializable(typeof(GatewayOutgoing<PresenceData>))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
