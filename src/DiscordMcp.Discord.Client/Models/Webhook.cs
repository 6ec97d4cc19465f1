using System.Text.Json.Serialization;

namespace DiscordMcp.Discord.Client.Models;

/// <summary>A webhook. <see cref="Token"/> and <see cref="Url"/> are bearer credentials and are left out of <see cref="ToString"/>.</summary>
public sealed record DiscordWebhook
{
    public required Snowflake Id { get; init; }
    public int Type { get; init; }
    public Snowflake? GuildId { get; init; }
    public Snowflake? ChannelId { get; init; }
    public DiscordUser? User { get; init; }
    public string? Name { get; init; }
    public string? Avatar { get; init; }
    public Snowflake? ApplicationId { get; init; }
    /// <summary>Secret: never log it or return it to callers unless explicitly asked.</summary>
    public string? Token { get; init; }
    /// <summary>Secret (contains the token).</summary>
    public string? Url { get; init; }

    public override string ToString() =>
        $"DiscordWebhook {{ Id = {Id}, Type = {Type}, GuildId = {GuildId}, ChannelId = {ChannelId}, Name = {Name}, Token = {(Token is null ? "null" : "***")} }}";
}

/// <summary>Body of <c>POST /channels/{channel_id}/webhooks</c>.</summary>
public sealed record CreateWebhookRequest
{
    public required string Name { get; init; }
    /// <summary>Image data URI.</summary>
    public string? Avatar { get; init; }
}

/// <summary>Body of <c>PATCH /webhooks/{webhook_id}</c>; absent fields are left unchanged.</summary>
public sealed record ModifyWebhookRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string> Name { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Avatar { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<Snowflake> ChannelId { get; init; }
}

/// <summary>Body of <c>POST /webhooks/{webhook_id}/{webhook_token}</c> and of interaction follow-ups.</summary>
public sealed record ExecuteWebhookRequest
{
    public string? Content { get; init; }
    public string? Username { get; init; }
    public string? AvatarUrl { get; init; }
    public bool? Tts { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    /// <summary>When null the client sends <see cref="AllowedMentions.None"/>.</summary>
    public AllowedMentions? AllowedMentions { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
    public MessageFlags? Flags { get; init; }
    /// <summary>Creates a forum post with this name (forum webhooks only).</summary>
    public string? ThreadName { get; init; }
    public IReadOnlyList<Snowflake>? AppliedTags { get; init; }
}

/// <summary>Body of <c>PATCH /webhooks/{id}/{token}/messages/{message_id}</c>; absent fields are left unchanged.</summary>
public sealed record EditWebhookMessageRequest
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<string?> Content { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<Embed>?> Embeds { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<AllowedMentions?> AllowedMentions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<IReadOnlyList<MessageComponent>?> Components { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Optional<MessageFlags?> Flags { get; init; }
}
