using System.Text.Json;
using DiscordMcp.Discord.Client;

namespace DiscordMcp.Discord.Client.Tests;

public sealed class SnowflakeTests
{
    [Fact]
    public void Timestamp_round_trips_through_the_discord_epoch()
    {
        var time = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var id = Snowflake.FromTime(time);
        Assert.Equal(time, id.CreatedAt);
        Assert.Equal(new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero), new Snowflake(0).CreatedAt);
    }

    [Fact]
    public void Serialises_as_a_string_and_reads_strings_or_numbers()
    {
        var id = new Snowflake(175928847299117063);
        Assert.Equal("\"175928847299117063\"", JsonSerializer.Serialize(id));
        Assert.Equal(id, JsonSerializer.Deserialize<Snowflake>("\"175928847299117063\""));
        Assert.Equal(id, JsonSerializer.Deserialize<Snowflake>("175928847299117063"));
        Assert.Equal(id, JsonSerializer.Deserialize<Snowflake>("\"\\u0031\\u00375928847299117063\""));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"\"")]
    [InlineData("\"123456789012345678901\"")]
    [InlineData("true")]
    public void Rejects_malformed_ids_with_a_json_error(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Snowflake>(json));
    }

    [Fact]
    public void Parse_names_the_field_in_its_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => Snowflake.Parse("12x", "channel_id"));
        Assert.Contains("channel_id", ex.Message, StringComparison.Ordinal);
        Assert.Contains("12x", ex.Message, StringComparison.Ordinal);
    }
}
