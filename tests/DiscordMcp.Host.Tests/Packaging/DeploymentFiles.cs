using System.Text.Json;
using System.Text.RegularExpressions;
using DiscordMcp.Testing;
using YamlDotNet.RepresentationModel;

namespace DiscordMcp.Host.Tests.Packaging;

/// <summary>What the repository's <c>Dockerfile</c> says about its final (runtime) stage.</summary>
internal sealed record DockerfileRuntime(
    string? User,
    IReadOnlyList<int> ExposedPorts,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Volumes,
    string WorkDir,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Healthcheck)
{
    public static DockerfileRuntime Load() => Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile")));

    /// <summary>A small reader for the instructions this Dockerfile uses (exec-form JSON arrays, ENV key=value, line continuations).</summary>
    public static DockerfileRuntime Parse(string text)
    {
        var joined = Regex.Replace(text, @"\\\r?\n", " ");
        var lines = joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var lastFrom = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        Assert.True(lastFrom >= 0, "The Dockerfile has no FROM.");
        string? user = null;
        string workDir = "/";
        var ports = new List<int>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var volumes = new List<string>();
        IReadOnlyList<string> entrypoint = [], command = [], healthcheck = [];
        foreach (var line in lines.Skip(lastFrom + 1))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (instruction)
            {
                case "USER": user = rest; break;
                case "WORKDIR": workDir = rest; break;
                case "EXPOSE": ports.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))); break;
                case "VOLUME": volumes.AddRange(rest.StartsWith('[') ? ExecForm(rest) : rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case "ENTRYPOINT": entrypoint = ExecForm(rest); break;
                case "CMD": command = ExecForm(rest); break;
                case "HEALTHCHECK":
                    var cmd = rest.IndexOf("CMD ", StringComparison.Ordinal);
                    Assert.True(cmd >= 0, "HEALTHCHECK must use CMD [..] (exec form).");
                    healthcheck = ExecForm(rest[(cmd + 4)..].Trim());
                    break;
                case "ENV":
                    foreach (Match m in Regex.Matches(rest, @"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S*)"))
                        environment[m.Groups[1].Value] = m.Groups[2].Value.Trim('"');
                    break;
            }
        }
        return new DockerfileRuntime(user, ports, environment, volumes, workDir, entrypoint, command, healthcheck);
    }

    private static List<string> ExecForm(string json)
    {
        Assert.True(json.StartsWith('['), $"Expected an exec-form JSON array, got: {json}");
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }
}

/// <summary>The services of the repository's <c>docker-compose.yml</c>, read with YamlDotNet's representation model.</summary>
internal sealed class ComposeFile
{
    private readonly YamlMappingNode _services;

    private ComposeFile(YamlMappingNode services) => _services = services;

    public static ComposeFile Load()
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"))))
            stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return new ComposeFile((YamlMappingNode)root.Children[new YamlScalarNode("services")]);
    }

    public IEnumerable<string> ServiceNames => _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!);

    public YamlMappingNode Service(string name) =>
        _services.Children.TryGetValue(new YamlScalarNode(name), out var node) ? (YamlMappingNode)node : throw new KeyNotFoundException($"docker-compose.yml has no service '{name}'.");

    public static YamlNode? Child(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>The service's <c>environment</c> as written (mapping form), before interpolation.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var node = Child(Service(service), "environment") as YamlMappingNode ?? throw new InvalidOperationException($"'{service}' needs an environment mapping.");
        return node.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal);
    }

    /// <summary>The service's <c>ports</c> entries (short syntax), or none.</summary>
    public IReadOnlyList<string> Ports(string service) =>
        Child(Service(service), "ports") is YamlSequenceNode ports ? [.. ports.Children.Select(p => ((YamlScalarNode)p).Value!)] : [];

    /// <summary>Compose interpolation of <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?message}</c> and <c>$$</c>, from <paramref name="variables"/>.</summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Regex.Replace(value, @"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}", m =>
        {
            if (m.Value == "$$")
                return "$";
            var name = m.Groups[1].Value;
            if (variables.TryGetValue(name, out var set) && set.Length > 0)
                return set;
            return m.Groups[2].Value switch
            {
                ":-" => m.Groups[3].Value,
                ":?" => throw new InvalidOperationException($"docker-compose.yml requires {name}: {m.Groups[3].Value}"),
                _ => "",
            };
        });
}
