using Npgsql;

namespace DiscordMcp.Storage.Configuration;

/// <summary>The database engines the platform runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file under the data directory (the default).</summary>
    Sqlite,

    /// <summary>PostgreSQL, when <c>DATABASE_URL</c> names one.</summary>
    Postgres,
}

/// <summary>
/// A parsed <c>DATABASE_URL</c>: the provider and a connection string for it. <see cref="ToString"/> never shows the
/// password.
/// </summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>File name of the default SQLite database inside the data directory.</summary>
    public const string DefaultSqliteFileName = "discord-mcp.db";

    /// <summary>
    /// Parses <c>DATABASE_URL</c>. Accepted: empty (SQLite file <see cref="DefaultSqliteFileName"/> in
    /// <paramref name="dataDirectory"/>), <c>postgres://user:pass@host:port/db</c> or <c>postgresql://…</c> (query
    /// parameters such as <c>sslmode=require</c> become Npgsql keywords), the Npgsql key-value form
    /// (<c>Host=…;Database=…</c>), <c>sqlite:///absolute/path.db</c>, <c>sqlite://relative/path.db</c>, or a plain file
    /// path (relative paths are resolved against <paramref name="dataDirectory"/>).
    /// </summary>
    /// <exception cref="FormatException">The value fits none of these forms; the message says which part is wrong.</exception>
    public static DatabaseUrl Parse(string? value, string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        if (string.IsNullOrWhiteSpace(value))
            return Sqlite(Path.Combine(dataDirectory, DefaultSqliteFileName));

        var text = value.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            var scheme = text[..schemeEnd].ToLowerInvariant();
            return scheme switch
            {
                "postgres" or "postgresql" => ParsePostgresUrl(text),
                "sqlite" => ParseSqliteUrl(text[(schemeEnd + 3)..], dataDirectory),
                _ => throw new FormatException(
                    $"DATABASE_URL has the unsupported scheme '{scheme}'; use postgres://, postgresql://, sqlite:// or a file path."),
            };
        }

        if (text.Contains('=', StringComparison.Ordinal))
            return ParseKeyValue(text);

        return Sqlite(Path.GetFullPath(text, dataDirectory));
    }

    /// <summary>The connection string with any password replaced, for logs and errors.</summary>
    public override string ToString() => $"{Provider}: {Redacted(ConnectionString, Provider)}";

    private static DatabaseUrl Sqlite(string path) =>
        new(DatabaseProvider.Sqlite, $"Data Source={path}");

    private static DatabaseUrl ParseSqliteUrl(string rest, string dataDirectory)
    {
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
            rest = rest[..queryStart];
        if (rest.Length == 0 || rest == "/")
            throw new FormatException("DATABASE_URL 'sqlite://' needs a file path, e.g. sqlite:///var/lib/discord-mcp/discord-mcp.db.");
        if (rest == ":memory:" || rest == "/:memory:")
            throw new FormatException("DATABASE_URL must name a SQLite file; an in-memory database would lose every workspace, key and audit event at exit.");
        var path = Uri.UnescapeDataString(rest);
        return Sqlite(path.StartsWith('/') ? path : Path.GetFullPath(path, dataDirectory));
    }

    private static DatabaseUrl ParsePostgresUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new FormatException("DATABASE_URL is not a valid PostgreSQL URL; expected postgres://user:password@host:port/database.");

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
            throw new FormatException("DATABASE_URL names no database; expected postgres://user:password@host:port/database.");
        if (database.Contains('/', StringComparison.Ordinal))
            throw new FormatException("DATABASE_URL has a database name with '/' in it; expected postgres://user:password@host:port/database.");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var val = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            // libpq spells it sslmode, Npgsql "SSL Mode"; the builder knows both once the underscore form is mapped.
            var npgsqlKey = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                _ => key,
            };
            try
            {
                builder[npgsqlKey] = val;
            }
            catch (ArgumentException)
            {
                throw new FormatException($"DATABASE_URL has the unknown or invalid query parameter '{key}'.");
            }
        }
        return new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString);
    }

    private static DatabaseUrl ParseKeyValue(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException)
        {
            throw new FormatException(
                "DATABASE_URL looks like a key-value connection string but is not a valid Npgsql one (e.g. Host=127.0.0.1;Port=5432;Database=discordmcp;Username=app).");
        }
        if (string.IsNullOrEmpty(builder.Host))
            throw new FormatException("DATABASE_URL (Npgsql form) has no Host.");
        if (string.IsNullOrEmpty(builder.Database))
            throw new FormatException("DATABASE_URL (Npgsql form) has no Database.");
        return new DatabaseUrl(DatabaseProvider.Postgres, builder.ConnectionString);
    }

    private static string Redacted(string connectionString, DatabaseProvider provider)
    {
        if (provider != DatabaseProvider.Postgres)
            return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
            builder.Password = "***";
        return builder.ConnectionString;
    }
}
