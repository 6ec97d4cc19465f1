using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Testing;

namespace DiscordMcp.Host.Tests.Packaging;

/// <summary>
/// <c>src/DiscordMcp.Host/.mcp/server.json</c> (packed into the MCP server package) must describe what the server really
/// reads: the stdio command, the package id and version of the project, and every documented environment variable with
/// its secret flag. <c>UPDATE_SNAPSHOTS=1</c> rewrites it from <see cref="DocumentedEnvironment"/>; review the diff.
/// </summary>
public sealed class ServerJsonTests
{
    private const string Regenerate = "UPDATE_SNAPSHOTS=1 dotnet test tests/DiscordMcp.Host.Tests -c Release --filter ServerJsonTests";

    internal static string ServerJsonPath => Path.Combine(RepositoryPaths.Root, "src", "DiscordMcp.Host", ".mcp", "server.json");

    /// <summary>The PackageId of the Host project (the one <c>dotnet tool install</c> takes).</summary>
    internal static string PackageId { get; } = XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "DiscordMcp.Host", "DiscordMcp.Host.csproj"))
        .Descendants("PackageId").Single().Value;

    [Fact]
    public void Server_json_matches_the_documented_environment_the_stdio_command_and_the_version()
    {
        var expected = Expected();
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
            File.WriteAllText(ServerJsonPath, expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

        var actual = JsonNode.Parse(File.ReadAllText(ServerJsonPath))!;

        var package = actual["packages"]![0]!;
        var variables = package["environmentVariables"]!.AsArray();
        // Named assertions first, so a failure says what disagrees.
        Assert.Equal(DocumentedEnvironment.Variables.Select(v => v.Name), variables.Select(v => (string)v!["name"]!));
        Assert.Equal(
            DocumentedEnvironment.Variables.Where(v => v.Secret).Select(v => v.Name),
            variables.Where(v => (bool)v!["isSecret"]!).Select(v => (string)v!["name"]!));
        Assert.Equal(HostVersion.Current, (string)package["version"]!);
        Assert.Equal(PackageId, (string)package["identifier"]!);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"server.json is out of date: run {Regenerate} and review the diff.");
    }

    [Fact]
    public void Server_json_starts_the_stdio_command_and_requires_only_the_bot_token()
    {
        var package = JsonNode.Parse(File.ReadAllText(ServerJsonPath))!["packages"]![0]!;

        Assert.Equal("stdio", (string)package["transport"]!["type"]!);
        Assert.Equal([StdioCommandName()], package["packageArguments"]!.AsArray().Select(a => (string)a!["value"]!));
        Assert.Equal(["DISCORD_BOT_TOKEN"], package["environmentVariables"]!.AsArray().Where(v => (bool)v!["isRequired"]!).Select(v => (string)v!["name"]!));
    }

    private static string StdioCommandName() => Commands.StdioCommand.Definition.Name;

    /// <summary>server.json as it follows from the code: package id, version, the stdio command, the documented variables.</summary>
    private static JsonObject Expected()
    {
        var variables = new JsonArray();
        foreach (var variable in DocumentedEnvironment.Variables)
        {
            variables.Add(new JsonObject
            {
                ["name"] = variable.Name,
                ["description"] = variable.Description,
                ["isRequired"] = variable.Name == "DISCORD_BOT_TOKEN",
                ["isSecret"] = variable.Secret,
                ["format"] = "string",
            });
        }
        return new JsonObject
        {
            ["name"] = "DiscordMcp/discord-mcp",
            ["description"] = "Operate Discord through a bot from MCP clients, with a policy platform in front of every tool call.",
            ["version"] = HostVersion.Current,
            ["packages"] = new JsonArray
            {
                new JsonObject
                {
                    ["registryType"] = "nuget",
                    ["identifier"] = PackageId,
                    ["version"] = HostVersion.Current,
                    ["transport"] = new JsonObject { ["type"] = "stdio" },
                    ["packageArguments"] = new JsonArray { new JsonObject { ["type"] = "positional", ["value"] = StdioCommandName() } },
                    ["environmentVariables"] = variables,
                },
            },
        };
    }
}
