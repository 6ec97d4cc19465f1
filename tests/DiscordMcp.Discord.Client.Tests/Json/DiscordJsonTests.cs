using System.Text.Json;
using DiscordMcp.Discord.Client.Json;
using DiscordMcp.Discord.Client.Models;
using DiscordMcp.Discord.Client.Permissions;

namespace DiscordMcp.Discord.Client.Tests.Json;

public sealed class DiscordJsonTests
{
    [Fact]
    public void Optional_absent_is_omitted_null_is_written_and_value_is_written()
    {
        Assert.Equal("{}", JsonSerializer.Serialize(new ModifyRoleRequest(), DiscordJsonContext.Default.ModifyRoleRequest));
        Assert.Equal("""{"name":null}""", JsonSerializer.Serialize(new ModifyRoleRequest { Name = null }, DiscordJsonContext.Default.ModifyRoleRequest));
        Assert.Equal("""{"permissions":"8","hoist":false}""",
            JsonSerializer.Serialize(new ModifyRoleRequest { Permissions = DiscordPermissions.Administrator, Hoist = false }, DiscordJsonContext.Default.ModifyRoleRequest));
    }

    [Fact]
    public void Optional_reads_null_as_present()
    {
        var read = JsonSerializer.Deserialize("""{"nick":null}""", DiscordJsonContext.Default.ModifyMemberRequest)!;
        Assert.True(read.Nick.HasValue);
        Assert.Null(read.Nick.Value);
        Assert.False(read.Roles.HasValue);
    }

    [Fact]
    public void Optional_equality_distinguishes_absent_from_null()
    {
        Assert.Equal(default, new Optional<string?>());
        Assert.NotEqual(default, new Optional<string?>(null));
        Assert.Equal("<absent>", default(Optional<int>).ToString());
        Assert.Throws<InvalidOperationException>(() => default(Optional<int>).Value);
    }

    [Theory]
    [InlineData("\"2251799813685248\"", DiscordPermissions.PinMessages)]
    [InlineData("1024", DiscordPermissions.ViewChannel)]
    [InlineData("\"0\"", DiscordPermissions.None)]
    public void Permissions_read_strings_or_numbers(string json, DiscordPermissions expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize($$"""{"id":"1","permissions":{{json}}}""", DiscordJsonContext.Default.DiscordRole)!.Permissions);

    [Theory]
    [InlineData("\"-1\"")]
    [InlineData("\"12a\"")]
    [InlineData("true")]
    public void Permissions_reject_non_decimal_values(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize($$"""{"id":"1","permissions":{{json}}}""", DiscordJsonContext.Default.DiscordRole));
}
