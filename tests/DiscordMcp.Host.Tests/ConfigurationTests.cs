using DiscordMcp.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Host.Tests;

public sealed class ConfigurationTests
{
    private static IConfigurationRoot Load(Dictionary<string, string?> environment) =>
        HostConfiguration.Load(new HostSettings { Environment = environment, UseAppSettingsFile = false });

    [Fact]
    public void Documented_variables_map_onto_option_keys()
    {
        var configuration = Load(new()
        {
            ["DISCORD_BOT_TOKEN"] = "abc.def",
            ["DISCORD_CLIENT_ID"] = "1300000000000000001",
            ["DISCORD_CLIENT_SECRET"] = "s3cret",
            ["DATABASE_URL"] = "sqlite:///data/x.db",
            ["REDIS_URL"] = "redis://localhost:6379",
            ["MCP_TRANSPORT"] = "stdio",
            ["ENABLE_GATEWAY"] = "1",
            ["AGENT_ENABLED"] = "yes",
            ["AGENT_API_KEY"] = "k",
        });

        Assert.Equal("abc.def", configuration["Discord:Token"]);
        Assert.Equal("1300000000000000001", configuration["Discord:ClientId"]);
        Assert.Equal("s3cret", configuration["Discord:ClientSecret"]);
        Assert.Equal("sqlite:///data/x.db", configuration["Storage:DatabaseUrl"]);
        Assert.Equal("redis://localhost:6379", configuration["Storage:RedisUrl"]);
        Assert.Equal("stdio", configuration["Server:Transport"]);
        Assert.Equal("true", configuration["Discord:EnableGateway"]);
        Assert.Equal("true", configuration["Agent:Enabled"]);
        Assert.Equal("k", configuration["Agent:ApiKey"]);
    }

    [Theory]
    [InlineData("1213093380096131072, 1213093380096131073")]
    [InlineData("[\"1213093380096131072\",\"1213093380096131073\"]")]
    [InlineData("[1213093380096131072, 1213093380096131073]")]
    public void ALLOWED_GUILD_IDS_accepts_comma_separated_and_JSON_lists_without_losing_digits(string value)
    {
        var options = Load(new() { ["ALLOWED_GUILD_IDS"] = value }).GetSection("Discord").Get<DiscordHostOptions>()!;

        Assert.Equal(["1213093380096131072", "1213093380096131073"], options.AllowedGuildIds);
    }

    [Fact]
    public void Key_form_variables_are_read_and_documented_names_win_over_them()
    {
        var configuration = Load(new() { ["Discord__Token"] = "from-key-form", ["Server__MaxRequestBodyBytes"] = "2048" });

        Assert.Equal("from-key-form", configuration["Discord:Token"]);
        Assert.Equal("2048", configuration["Server:MaxRequestBodyBytes"]);
        Assert.Equal("from-documented", Load(new() { ["Discord__Token"] = "k", ["DISCORD_BOT_TOKEN"] = "from-documented" })["Discord:Token"]);
    }

    [Fact]
    public void Loopback_host_names_are_the_default_allowed_hosts()
    {
        Assert.Equal("localhost;127.0.0.1;[::1]", Load([])["AllowedHosts"]);
    }

    [Theory]
    [InlineData("ENABLE_GATEWAY", "maybe")]
    [InlineData("AGENT_ENABLED", "2")]
    public void A_boolean_variable_that_is_not_a_boolean_is_refused_by_name(string name, string value)
    {
        var ex = Assert.Throws<HostConfigurationException>(() => Load(new() { [name] = value }));

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    [InlineData(" True ", true)]
    public void Sandbox_rate_limits_are_on_unless_the_key_form_variable_turns_them_off(string? value, bool expected)
    {
        var environment = new Dictionary<string, string?>();
        if (value is not null)
            environment["Sandbox__RateLimits__Enabled"] = value;

        var options = HostConfiguration.SandboxOptions(new HostSettings { Environment = environment, UseAppSettingsFile = false });

        Assert.Equal(expected, options.RateLimits.Enabled);
    }

    [Fact]
    public void Sandbox_rate_limits_can_be_raised_by_key_form_variables()
    {
        var settings = new HostSettings
        {
            Environment = new Dictionary<string, string?> { ["Sandbox__RateLimits__GlobalPerSecond"] = "100000", ["Sandbox__RateLimits__DefaultLimit"] = "50000" },
            UseAppSettingsFile = false,
        };

        var options = HostConfiguration.SandboxOptions(settings);

        Assert.Equal(100_000, options.RateLimits.GlobalPerSecond);
        Assert.Equal(50_000, options.RateLimits.DefaultLimit);
        Assert.True(options.RateLimits.Enabled);
    }

    [Fact]
    public void The_sandbox_heartbeat_interval_is_Discord_like_unless_set_in_milliseconds()
    {
        var unset = HostConfiguration.SandboxOptions(new HostSettings { Environment = new Dictionary<string, string?>(), UseAppSettingsFile = false });
        var set = HostConfiguration.SandboxOptions(new HostSettings
        {
            Environment = new Dictionary<string, string?> { ["Sandbox__HeartbeatIntervalMilliseconds"] = "250" },
            UseAppSettingsFile = false,
        });

        Assert.Equal(TimeSpan.FromSeconds(41.25), unset.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), set.HeartbeatInterval);
        var ex = Assert.Throws<HostConfigurationException>(() => HostConfiguration.SandboxOptions(new HostSettings
        {
            Environment = new Dictionary<string, string?> { ["Sandbox__HeartbeatIntervalMilliseconds"] = "0" },
            UseAppSettingsFile = false,
        }));
        Assert.Contains("Sandbox:HeartbeatIntervalMilliseconds", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Enabled", "off")]
    [InlineData("GlobalPerSecond", "0")]
    [InlineData("DefaultLimit", "lots")]
    public void A_sandbox_rate_limit_value_of_the_wrong_kind_is_refused_by_key(string name, string value)
    {
        var settings = new HostSettings { Environment = new Dictionary<string, string?> { ["Sandbox__RateLimits__" + name] = value }, UseAppSettingsFile = false };

        var ex = Assert.Throws<HostConfigurationException>(() => HostConfiguration.SandboxOptions(settings));

        Assert.Contains("Sandbox:RateLimits:" + name, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_JSON_guild_list_is_refused_with_the_accepted_forms()
    {
        var ex = Assert.Throws<HostConfigurationException>(() => Load(new() { ["ALLOWED_GUILD_IDS"] = "[1213093380096131072," }));

        Assert.Contains("ALLOWED_GUILD_IDS", ex.Message, StringComparison.Ordinal);
        Assert.Contains("comma-separated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Guild_ids_that_are_not_snowflakes_are_named_in_the_error()
    {
        var result = new HostOptionsValidator(requireToken: false).Validate(null, new DiscordHostOptions { AllowedGuildIds = ["1213093380096131072", "abc"] });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("ALLOWED_GUILD_IDS (Discord:AllowedGuildIds) must be Discord ids", failure, StringComparison.Ordinal);
        Assert.EndsWith("got 'abc'.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_token_is_an_error_unless_the_sandbox_supplies_one()
    {
        var options = new DiscordHostOptions();

        Assert.Contains(new HostOptionsValidator(requireToken: true).Validate(null, options).Failures!, f => f.Contains("DISCORD_BOT_TOKEN", StringComparison.Ordinal));
        Assert.True(new HostOptionsValidator(requireToken: false).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("MCP_TRANSPORT", "websocket")]
    [InlineData("DISCORD_CLIENT_ID", "my-app")]
    public void Other_bad_values_name_their_variable(string variable, string value)
    {
        var validator = new HostOptionsValidator(requireToken: false);
        var failures = variable == "MCP_TRANSPORT"
            ? validator.Validate(null, new ServerOptions { Transport = value }).Failures
            : validator.Validate(null, new DiscordHostOptions { ClientId = value }).Failures;

        var failure = Assert.Single(failures!);
        Assert.StartsWith(variable, failure, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_limit_and_origins_are_checked()
    {
        var failures = new HostOptionsValidator(false).Validate(null, new ServerOptions { MaxRequestBodyBytes = 10, AllowedOrigins = ["https://ok.example", "not a url"] }).Failures!;

        Assert.Equal(2, failures.Count());
        Assert.Contains(failures, f => f.StartsWith("Server:MaxRequestBodyBytes must be between 1024 and", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("got 'not a url'", StringComparison.Ordinal));
    }

    [Fact]
    public void Agent_needs_a_key_when_enabled()
    {
        var failure = Assert.Single(new HostOptionsValidator(false).Validate(null, new AgentOptions { Enabled = true, Model = "m" }).Failures!);
        Assert.Contains("AGENT_API_KEY", failure, StringComparison.Ordinal);
        Assert.True(new HostOptionsValidator(false).Validate(null, new AgentOptions { Enabled = false }).Succeeded);
    }

    [Fact]
    public void Secrets_never_appear_in_validation_messages_or_ToString()
    {
        const string ClientSecret = "client secret-XYZ";
        const string Password = "pw-SECRET-4";
        var validator = new HostOptionsValidator(false);
        var discord = new DiscordHostOptions { Token = "tok-SECRET-1", ClientSecret = ClientSecret };
        var storage = new StorageOptions { DatabaseUrl = $"mysql://user:{Password}@db/x", RedisUrl = $"redis://:{Password}@cache:6379" };
        var agent = new AgentOptions { Enabled = true, ApiKey = "ak-SECRET-3" };

        var text = string.Join('\n', [
            .. validator.Validate(null, discord).Failures ?? [],
            .. validator.Validate(null, storage).Failures ?? [],
            discord.ToString(), storage.ToString(), agent.ToString()]);

        Assert.Contains("DISCORD_CLIENT_SECRET", text, StringComparison.Ordinal); // the bad secret is reported…
        Assert.Contains("DATABASE_URL", text, StringComparison.Ordinal);           // …and so is the bad URL…
        Assert.Contains("(set, redacted)", text, StringComparison.Ordinal);
        foreach (var secret in new[] { "tok-SECRET-1", ClientSecret, Password, "ak-SECRET-3" })
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);     // …without showing either.
    }

    [Fact]
    public void Dot_env_file_is_read_and_the_process_environment_wins()
    {
        var dir = Directory.CreateTempSubdirectory("dotenv");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, ".env"), """
                # comment
                DISCORD_BOT_TOKEN="from-file"
                export MCP_TRANSPORT=stdio # trailing comment
                ALLOWED_GUILD_IDS='["1213093380096131072"]'
                """);

            var merged = DotEnvFile.WithProcessEnvironment(new Dictionary<string, string?> { ["MCP_TRANSPORT"] = "http" }, dir.FullName);

            Assert.Equal("from-file", merged["DISCORD_BOT_TOKEN"]);
            Assert.Equal("http", merged["MCP_TRANSPORT"]);
            Assert.Equal("[\"1213093380096131072\"]", merged["ALLOWED_GUILD_IDS"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

public sealed class EnvExampleTests
{
    [Fact]
    public void Env_example_lists_every_documented_variable_and_loads_cleanly()
    {
        var path = System.IO.Path.Combine(DiscordMcp.Testing.RepositoryPaths.Root, ".env.example");
        var values = DotEnvFile.Read(path);

        Assert.Equal(DocumentedEnvironment.Variables.Select(v => v.Name).Order(), values.Keys.Order());
        var configuration = HostConfiguration.Load(new HostSettings { Environment = values, UseAppSettingsFile = false });
        Assert.Null(configuration["Discord:Token"]);
    }
}
