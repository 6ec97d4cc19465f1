using System.IO.Compression;
using System.Xml.Linq;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Testing;
using ModelContextProtocol.Client;

namespace DiscordMcp.Host.Tests.Packaging;

/// <summary>
/// The Host packed once (<c>dotnet pack --no-build</c> from the build the tests made) into a temporary folder, then
/// installed from that folder alone with <c>dotnet tool install --tool-path</c>: a NuGet.config that clears every other
/// source (so no configured feed is consulted, offline works) and a private NUGET_PACKAGES folder (so no stale copy of
/// the same version in the user's cache is used, and nothing is left there).
/// </summary>
public sealed class PackedToolFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("dmcp-pack-").FullName;

    public string PackageFolder => Path.Combine(_root, "feed");

    public string ToolPath => Path.Combine(_root, "tools");

    public string Package => Path.Combine(PackageFolder, $"{ServerJsonTests.PackageId}.{HostVersion.Current}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(PackageFolder);
        await DotnetCli.RunAsync(_root, null, "pack", DotnetCli.HostProject, "-c", DotnetCli.Configuration, "--no-build", "-o", PackageFolder);
        var config = Path.Combine(_root, "nuget.config");
        new XDocument(new XElement("configuration",
            new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "local"), new XAttribute("value", PackageFolder))))).Save(config);
        await DotnetCli.RunAsync(_root, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(_root, "packages") },
            "tool", "install", ServerJsonTests.PackageId, "--version", HostVersion.Current, "--tool-path", ToolPath, "--configfile", config);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}

[Collection(PackagingCollection.Name)]
public sealed class ToolPackageTests(PackedToolFixture packed) : IClassFixture<PackedToolFixture>
{
    [Fact]
    public async Task Package_is_a_dotnet_tool_and_an_mcp_server_package_with_its_server_json()
    {
        await using var zip = await ZipFile.OpenReadAsync(packed.Package);

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        await using (var stream = await nuspecEntry.OpenAsync())
            nuspec = await XDocument.LoadAsync(stream, LoadOptions.None, CancellationToken.None);
        var types = nuspec.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")!.Value);
        Assert.Equal(["DotnetTool", "McpServer"], types.Order());
        Assert.Equal(ServerJsonTests.PackageId, nuspec.Descendants().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal(HostVersion.Current, nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value);

        var serverJson = zip.GetEntry(".mcp/server.json");
        Assert.NotNull(serverJson);
        using var reader = new StreamReader(await serverJson.OpenAsync());
        Assert.Equal(await File.ReadAllTextAsync(ServerJsonTests.ServerJsonPath), await reader.ReadToEndAsync());
        Assert.NotNull(zip.GetEntry("README.md"));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Installed_tool_starts_over_stdio_with_the_sandbox_and_answers_tools_list()
    {
        var command = Path.Combine(packed.ToolPath, "discord-mcp");
        Assert.True(File.Exists(command), $"dotnet tool install did not create {command}.");
        var environment = DocumentedEnvironment.Variables.ToDictionary(v => v.Name, _ => (string?)null);
        environment["Storage__DataDirectory"] = TestHosts.NewDataDirectory();
        var options = new StdioClientTransportOptions
        {
            Command = command,
            Arguments = ["stdio", "--sandbox"],
            WorkingDirectory = Path.GetTempPath(),
            EnvironmentVariables = environment,
        };
        await using var client = await McpClient.CreateAsync(new StdioClientTransport(options));

        var tools = await client.ListToolsAsync();

        Assert.Equal("discord-mcp", client.ServerInfo!.Name);
        Assert.Equal(HostVersion.Current, client.ServerInfo.Version);
        Assert.Equal(DiscordMcp.Mcp.DiscordMcpRegistration.Catalog().Count, tools.Count);
    }
}
