using DiscordMcp.Host.Hosting;
using DiscordMcp.Sandbox;
using DiscordMcp.Sandbox.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace DiscordMcp.Host.Configuration;

/// <summary>
/// The configuration layers, lowest first: built-in defaults, <c>appsettings.json</c>, <c>appsettings.{Environment}.json</c>,
/// environment variables in key form (<c>Discord__Token</c>), the documented names (<c>DISCORD_BOT_TOKEN</c>), the
/// sandbox's address and token (with <c>--sandbox</c>), then <see cref="HostSettings.Overrides"/>.
/// </summary>
internal static class HostConfiguration
{
    /// <summary>Defaults that hold even without <c>appsettings.json</c>: loopback host names only (DNS-rebinding protection).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["AllowedHosts"] = "localhost;127.0.0.1;[::1]",
    };

    /// <summary>
    /// For the host builders' own argument list: their default sources (appsettings.json with reload-on-change) exist
    /// only until <see cref="AddDiscordMcpSources"/> replaces them, and should not start file watchers meanwhile.
    /// </summary>
    public const string NoReloadOnChangeArgument = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Replaces the builder's sources with ours (same order for <c>serve</c>, <c>stdio</c> and the pre-flight checks).</summary>
    public static void AddDiscordMcpSources(this IConfigurationManager configuration, HostSettings settings, SandboxSlot? sandbox, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Clear();
        AddSources(configuration, settings, sandbox, environmentName);
    }

    /// <summary>A configuration with the same layers, without a host (for <c>MCP_TRANSPORT</c> and the token pre-flight).</summary>
    public static IConfigurationRoot Load(HostSettings settings)
    {
        var builder = new ConfigurationBuilder();
        AddSources(builder, settings, sandbox: null, EnvironmentName(settings));
        return builder.Build();
    }

    /// <summary>
    /// Options of the sandbox that <c>--sandbox</c> starts. Its rate limits are Discord-like by default; load tests change
    /// them under <c>Sandbox:RateLimits</c> (environment <c>Sandbox__RateLimits__…</c>): <c>Enabled</c> (false: no 429s,
    /// headers still sent), <c>GlobalPerSecond</c> and <c>DefaultLimit</c> (per route bucket and window; our client paces
    /// itself by the advertised headers, so raising these is what lets a load test through). <c>Sandbox:HeartbeatIntervalMilliseconds</c>
    /// sets the heartbeat interval its gateway announces (default 41,250); <c>Sandbox:MessageContentIntent</c> false makes the
    /// sandbox's application lack the privileged Message Content intent (flags and gateway 4014, as Discord does).
    /// </summary>
    /// <exception cref="HostConfigurationException">A value is not a boolean or not a positive whole number.</exception>
    public static SandboxOptions SandboxOptions(HostSettings settings)
    {
        var configuration = Load(settings);
        var options = new SandboxOptions();
        if (Value(configuration, "Sandbox:RateLimits:Enabled") is { } enabled)
        {
            options.RateLimits.Enabled = bool.TryParse(enabled, out var on)
                ? on
                : throw new HostConfigurationException($"Sandbox:RateLimits:Enabled must be true or false; got '{enabled}'.");
        }
        options.RateLimits.GlobalPerSecond = PositiveInt(configuration, "Sandbox:RateLimits:GlobalPerSecond") ?? options.RateLimits.GlobalPerSecond;
        options.RateLimits.DefaultLimit = PositiveInt(configuration, "Sandbox:RateLimits:DefaultLimit") ?? options.RateLimits.DefaultLimit;
        // The heartbeat interval the sandbox's gateway announces in HELLO (Discord: ~41 s); benchmarks shorten it to watch heartbeats under load.
        if (PositiveInt(configuration, "Sandbox:HeartbeatIntervalMilliseconds") is { } heartbeat)
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeat);
        // An application without the privileged Message Content intent (to see what the agent's operators see then).
        if (Value(configuration, "Sandbox:MessageContentIntent") is { } content)
        {
            if (!bool.TryParse(content, out var allowed))
                throw new HostConfigurationException($"Sandbox:MessageContentIntent must be true or false; got '{content}'.");
            const int MessageContent = 1 << 15;
            options.AllowedPrivilegedIntents = allowed ? options.AllowedPrivilegedIntents | MessageContent : options.AllowedPrivilegedIntents & ~MessageContent;
        }
        return options;

        static string? Value(IConfiguration configuration, string key) =>
            configuration[key] is { } text && text.Trim().Length > 0 ? text.Trim() : null;

        static int? PositiveInt(IConfiguration configuration, string key) => Value(configuration, key) is not { } text
            ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new HostConfigurationException($"{key} must be a whole number from 1 to {int.MaxValue}; got '{text}'.");
    }

    public static IReadOnlyDictionary<string, string?> Environment(HostSettings settings) =>
        settings.Environment ?? Cli.CliContext.ProcessEnvironment();

    public static string EnvironmentName(HostSettings settings)
    {
        var env = Environment(settings);
        return env.GetValueOrDefault("DOTNET_ENVIRONMENT") ?? env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? "Production";
    }

    private static void AddSources(IConfigurationBuilder builder, HostSettings settings, SandboxSlot? sandbox, string environmentName)
    {
        var environment = Environment(settings);
        builder.Add(new MemoryConfigurationSource { InitialData = Defaults });
        if (settings.UseAppSettingsFile)
        {
            builder.SetBasePath(AppContext.BaseDirectory);
            builder.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
            builder.AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false);
        }
        builder.Add(new MemoryConfigurationSource { InitialData = KeyFormVariables(environment) });
        builder.Add(new MemoryConfigurationSource { InitialData = DocumentedEnvironment.Map(environment) });
        if (sandbox is not null)
        {
            sandbox.Configuration.Provider.SetValues(SandboxValues(sandbox.Options, environment));
            builder.Add(sandbox.Configuration);
        }
        if (settings.Overrides is not null)
            builder.Add(new MemoryConfigurationSource { InitialData = settings.Overrides });
    }

    /// <summary><c>Discord__Token</c> → <c>Discord:Token</c>, like the standard environment provider, but from our dictionary.</summary>
    private static Dictionary<string, string?> KeyFormVariables(IReadOnlyDictionary<string, string?> environment)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in environment)
        {
            if (key.Contains("__", StringComparison.Ordinal))
                values[key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] = value;
            else if (key.Equals("AllowedHosts", StringComparison.OrdinalIgnoreCase))
                values[key] = value;
        }
        return values;
    }

    /// <summary>
    /// With <c>--sandbox</c>: the client talks to the sandbox with its token, limited to the demo guild unless set
    /// otherwise. The sandbox's address (<c>Discord:BaseUrl</c>) joins these once it listens (<see cref="SandboxSlot.Fill"/>).
    /// </summary>
    private static Dictionary<string, string?> SandboxValues(SandboxOptions sandbox, IReadOnlyDictionary<string, string?> environment)
    {
        var values = new Dictionary<string, string?>
        {
            ["Discord:Token"] = sandbox.BotToken,
        };
        if (string.IsNullOrWhiteSpace(environment.GetValueOrDefault("ALLOWED_GUILD_IDS")))
            values["Discord:AllowedGuildIds:0"] = DemoGuild.GuildId;
        return values;
    }
}
