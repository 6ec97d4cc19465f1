using System.Globalization;
using StackExchange.Redis;

namespace DiscordMcp.Storage.Configuration;

/// <summary>Turns <c>REDIS_URL</c> into StackExchange.Redis options. Errors never repeat the password.</summary>
public static class RedisUrl
{
    /// <summary>Redis' default port when a URL names none.</summary>
    public const int DefaultPort = 6379;

    /// <summary>Highest logical database index accepted in the URL path (Redis' default <c>databases 16</c>).</summary>
    public const int MaxDatabase = 15;

    /// <summary>
    /// Parses <c>redis://[[user]:password@]host[:port][/db]</c>, <c>rediss://…</c> (TLS) or a StackExchange.Redis
    /// configuration string (<c>host:port,password=…</c>, as <c>ConnectionStrings__Redis</c> uses).
    /// </summary>
    /// <exception cref="FormatException">The value is malformed; the message names the part.</exception>
    public static ConfigurationOptions Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new FormatException("REDIS_URL is empty; expected redis://[:password@]host:port[/db].");

        var text = value.Trim();
        ConfigurationOptions options;
        if (text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            options = ParseUrl(text);
        }
        else if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new FormatException("REDIS_URL has an unsupported scheme; use redis:// or rediss://.");
        }
        else
        {
            try
            {
                options = ConfigurationOptions.Parse(text);
            }
            catch (ArgumentException)
            {
                throw new FormatException("REDIS_URL is neither a redis:// URL nor a valid StackExchange.Redis configuration string.");
            }
            if (options.EndPoints.Count == 0)
                throw new FormatException("REDIS_URL names no host; expected redis://host:port or host:port.");
        }

        // Fail fast at start rather than hang; reconnects after that are the multiplexer's business.
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        options.ClientName ??= "discord-mcp";
        return options;
    }

    private static ConfigurationOptions ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException("REDIS_URL is not a valid URL; expected redis://[:password@]host:port[/db].");

        var options = new ConfigurationOptions { Ssl = uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase) };
        var port = uri.Port > 0 ? uri.Port : DefaultPort;
        options.EndPoints.Add(uri.Host.Trim('[', ']'), port);
        if (options.Ssl)
            options.SslHost = uri.Host;

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            var password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            if (password is null)
            {
                // redis://secret@host is the legacy form: a lone user-info part is the password.
                password = user;
                user = "";
            }
            if (user.Length > 0)
                options.User = user;
            options.Password = password;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var db) || db > MaxDatabase)
                throw new FormatException($"REDIS_URL database must be a number from 0 to {MaxDatabase}; got '{path}'.");
            options.DefaultDatabase = db;
        }
        return options;
    }
}
