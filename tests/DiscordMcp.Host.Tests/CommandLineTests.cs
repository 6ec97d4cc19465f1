using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Commands;
using DiscordMcp.Mcp;

namespace DiscordMcp.Host.Tests;

public sealed class CommandLineTests
{
    private static readonly CommandSpec Probe = new("probe", "A test command.", "", [
        new OptionSpec("--flag", null, "A flag."),
        new OptionSpec("--port", "N", "A value."),
    ], (args, ctx) => Task.FromResult(args.Has("--flag") ? 10 : int.Parse(args.Value("--port") ?? "0", System.Globalization.CultureInfo.InvariantCulture)));

    private static (CliContext Context, StringWriter Out, StringWriter Error) Context(Dictionary<string, string?>? environment = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (new CliContext(output, error, environment ?? []), output, error);
    }

    private static Task<int> Run(CliContext context, params string[] args) =>
        CommandLine.RunAsync(args, [Probe], context, _ => null);

    [Theory]
    [InlineData(new[] { "probe", "--port", "7" }, 7)]
    [InlineData(new[] { "probe", "--port=8" }, 8)]
    [InlineData(new[] { "probe", "--flag" }, 10)]
    public async Task Options_are_parsed_in_both_forms(string[] args, int expected)
    {
        var (context, _, _) = Context();
        Assert.Equal(expected, await Run(context, args));
    }

    [Theory]
    [InlineData(new[] { "probe", "--nope" }, "unknown option '--nope'")]
    [InlineData(new[] { "probe", "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "probe", "--port" }, "option '--port' needs a value")]
    [InlineData(new[] { "probe", "--flag=yes" }, "option '--flag' is a flag and takes no value")]
    [InlineData(new[] { "probe", "--port", "1", "--port", "2" }, "option '--port' is given more than once")]
    [InlineData(new[] { "nosuch" }, "unknown command 'nosuch'")]
    public async Task Bad_arguments_exit_2_with_an_error_naming_the_argument(string[] args, string expected)
    {
        var (context, output, error) = Context();

        var exit = await Run(context, args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Command_help_lists_its_options_and_exits_0()
    {
        var (context, output, _) = Context();

        Assert.Equal(0, await Run(context, "probe", "--help"));

        Assert.Contains("discord-mcp probe", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--port <N>", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("-h, --help", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_command_without_MCP_TRANSPORT_prints_the_overview()
    {
        var (context, output, _) = Context();

        Assert.Equal(0, await CommandLine.RunAsync([], [Probe], context, _ => null));

        Assert.Contains("Commands:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("probe", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stdio", "stdio")]
    [InlineData("http", "serve")]
    [InlineData("HTTP", "serve")]
    [InlineData("carrier-pigeon", null)]
    public void MCP_TRANSPORT_picks_the_default_command(string transport, string? expected)
    {
        var (context, _, _) = Context(new() { ["MCP_TRANSPORT"] = transport });
        Assert.Equal(expected, DefaultCommand.FromTransport(context));
    }

    [Fact]
    public async Task Options_without_a_command_run_the_command_MCP_TRANSPORT_names()
    {
        var (context, _, _) = Context();

        var exit = await CommandLine.RunAsync(["--port", "5"], [Probe], context, _ => "probe");

        Assert.Equal(5, exit);
    }

    [Fact]
    public void Tools_table_aligns_columns_and_marks_read_and_write()
    {
        ToolInfo[] catalog =
        [
            new("discord_list_channels", "channels", true, false, "List channels", "Lists the channels\nof a guild."),
            new("discord_delete_message", "messages", false, true, "Delete message", "Deletes one message."),
        ];

        var lines = ToolsCommand.RenderTable(catalog).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        var toolsetColumn = lines[0].IndexOf("TOOLSET", StringComparison.Ordinal);
        var accessColumn = lines[0].IndexOf("ACCESS", StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line =>
        {
            Assert.NotEqual(' ', line[toolsetColumn]);
            Assert.Equal(' ', line[toolsetColumn - 1]);
            Assert.NotEqual(' ', line[accessColumn]);
        });
        Assert.Contains("Lists the channels of a guild.", lines[1], StringComparison.Ordinal); // sorted by toolset: channels first
        Assert.Contains("read", lines[1], StringComparison.Ordinal);
        Assert.Contains("write (destructive)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Tools_json_lists_every_field()
    {
        var json = ToolsCommand.RenderJson([new("discord_get_guild", "guilds", true, false, "Get guild", "Reads a guild.")]);

        using var document = System.Text.Json.JsonDocument.Parse(json);
        var tool = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("discord_get_guild", tool.GetProperty("name").GetString());
        Assert.Equal("guilds", tool.GetProperty("toolset").GetString());
        Assert.Equal("read", tool.GetProperty("access").GetString());
        Assert.True(tool.GetProperty("read_only").GetBoolean());
        Assert.Equal("Reads a guild.", tool.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Serve_rejects_a_malformed_urls_value_naming_it()
    {
        var (context, _, error) = Context();

        var exit = await CommandLine.RunAsync(["serve", "--urls", "ftp://x"], [ServeCommand.Definition], context, _ => null);

        Assert.Equal(2, exit);
        Assert.Contains("--urls", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'ftp://x'", error.ToString(), StringComparison.Ordinal);
    }
}
