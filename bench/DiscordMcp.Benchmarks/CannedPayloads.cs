using System.Globalization;
using System.Text;

namespace DiscordMcp.Benchmarks;

/// <summary>Realistic Discord JSON shared by the benchmarks (shapes as Discord's v10 API returns them).</summary>
internal static class CannedPayloads
{
    public const string ChannelId = "1213109486223491072";
    public const string GuildId = "1213093380096131072";

    public static readonly byte[] Channel = Encoding.UTF8.GetBytes(
        $$"""{"id":"{{ChannelId}}","type":0,"guild_id":"{{GuildId}}","position":0,"permission_overwrites":[],"name":"general","topic":"General chat","nsfw":false,"last_message_id":"1300000000000000100","rate_limit_per_user":0,"parent_id":"1213108479590531072","flags":0}""");

    public static string Message(long id, string content) =>
        $$"""{"id":"{{id.ToString(CultureInfo.InvariantCulture)}}","type":0,"content":"{{content}}","channel_id":"{{ChannelId}}","author":{"id":"1114131293798531072","username":"luis","avatar":null,"discriminator":"0","public_flags":0,"flags":0,"bot":false,"banner":null,"accent_color":null,"global_name":"Luis"},"attachments":[],"embeds":[],"mentions":[],"mention_roles":[],"pinned":false,"mention_everyone":false,"tts":false,"timestamp":"2026-02-23T09:00:00.000000+00:00","edited_timestamp":null,"flags":0,"components":[]}""";

    public static readonly byte[] SingleMessage = Encoding.UTF8.GetBytes(Message(1300000000000000001, "Deploy finished: all checks green."));

    public static readonly byte[] FiftyMessages = Encoding.UTF8.GetBytes(
        "[" + string.Join(",", Enumerable.Range(0, 50).Select(i => Message(1300000000000000100 - i, $"message number {i} with some ordinary text"))) + "]");

    public static readonly byte[] SendMessageBody = Encoding.UTF8.GetBytes(
        """{"content":"Deploy finished: all checks green.","allowed_mentions":{"parse":[]}}""");
}
