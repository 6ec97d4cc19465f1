using System.Globalization;
using System.Text;
using System.Text.Json;
using DiscordMcp.Host.Cli;
using DiscordMcp.Host.Configuration;
using DiscordMcp.Policy.InMemory;
using DiscordMcp.Policy.Model;
using DiscordMcp.Policy.Pipeline;
using DiscordMcp.Policy.Ports;
using DiscordMcp.Policy.Security;
using DiscordMcp.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DiscordMcp.Host.Admin;

/// <summary>
/// The storage an admin command works on: the same configuration as <c>serve</c> (<c>DATABASE_URL</c>, or the SQLite
/// file in the data directory), initialised (migrations, default workspace) before use.
/// </summary>
internal sealed class AdminServices(ServiceProvider provider, Redactor redactor) : IAsyncDisposable
{
    public IPlatformStore Platform { get; } = provider.GetRequiredService<IPlatformStore>();

    public IAuditLog Audit { get; } = provider.GetRequiredService<IAuditLog>();

    public TimeProvider Time { get; } = provider.GetRequiredService<TimeProvider>();

    /// <summary>The same redactor as <c>serve</c> builds: the built-in patterns plus the configured bot token.</summary>
    public Redactor Redactor => redactor;

    /// <summary>
    /// Pending actions, from the same store <c>serve</c> uses (Redis when <c>REDIS_URL</c> is set, else the database).
    /// Resolved on first use, so only the commands that need it connect to Redis.
    /// </summary>
    public IPendingActionStore PendingActions => provider.GetRequiredService<IPendingActionStore>();

    /// <summary>Approvals and rejections of pending actions, audited through the policy pipeline before they change anything.</summary>
    public PendingApprovals Approvals => new(PendingActions, new PolicyPipeline(
        Platform, new InMemoryBotPermissionProbe(), provider.GetRequiredService<IRateLimiter>(), PendingActions, Audit, Time,
        new PolicyOptions { Redactor = redactor }));

    /// <summary>Opens and initialises storage; on a configuration error writes it (naming the setting) and returns null.</summary>
    public static async Task<AdminServices?> OpenAsync(AdminInvocation invocation)
    {
        ServiceProvider provider;
        Redactor redactor;
        try
        {
            var configuration = HostConfiguration.Load(new HostSettings { Environment = invocation.Context.Environment });
            redactor = new Redactor([configuration["Discord:Token"]]);
            provider = new ServiceCollection().AddDiscordMcpStorage(configuration).BuildServiceProvider();
        }
        catch (FormatException ex)
        {
            await invocation.UsageErrorAsync($"invalid storage configuration: {ex.Message}");
            return null;
        }
        var services = new AdminServices(provider, redactor);
        try
        {
            await provider.GetRequiredService<IStorageInitializer>().InitializeAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.Data.Common.DbException or IOException)
        {
            await services.DisposeAsync();
            await invocation.FailAsync($"cannot open the database: {ex.GetType().Name}: {FirstLine(ex.Message)}");
            return null;
        }
        return services;
    }

    public async ValueTask DisposeAsync() => await provider.DisposeAsync();

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}

/// <summary>Parsing and formatting shared by the admin commands.</summary>
internal static class AdminFormat
{
    /// <summary>Workspace ids: 1–64 of lowercase letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static bool IsWorkspaceId(string? value) =>
        value is { Length: > 0 and <= 64 } && char.IsAsciiLetterLower(value[0]) | char.IsAsciiDigit(value[0]) &&
        value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    public const string WorkspaceIdRule = "a workspace id is 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit";

    public static bool TryParseSnowflake(string? value, out ulong id) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    public static bool TryParseRole(string? value, out PlatformRole role)
    {
        role = value switch
        {
            "viewer" => PlatformRole.Viewer,
            "operator" => PlatformRole.Operator,
            "admin" => PlatformRole.Admin,
            _ => PlatformRole.None,
        };
        return role != PlatformRole.None;
    }

    public static string Word(PlatformRole role) => role.ToString().ToLowerInvariant();

    /// <summary><c>30d</c>, <c>12h</c>, <c>45m</c>, <c>2w</c> from now, or an ISO-8601 instant.</summary>
    public static bool TryParseInstant(string value, DateTimeOffset now, bool future, out DateTimeOffset instant)
    {
        instant = default;
        if (value.Length >= 2 && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? span = value[^1] switch
            {
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (span is { } s)
            {
                instant = future ? now + s : now - s;
                return true;
            }
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }

    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Count).Select(i => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var i = 0; i < row.Count; i++)
                text.Append(i == row.Count - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Writes JSON with <paramref name="write"/> and returns it as indented text plus a newline.</summary>
    public static string Json(Action<Utf8JsonWriter> write, bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
            write(writer);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }

    public static void WriteTime(this Utf8JsonWriter writer, string name, DateTimeOffset? value) =>
        writer.WriteStringOrNull(name, value is null ? null : Time(value));

    public static void WriteStrings(this Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var v in values)
            writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}

/// <summary>Looks up a workspace given on the command line and reports the standard errors.</summary>
internal static class WorkspaceArgument
{
    public static async Task<Workspace?> ResolveAsync(AdminInvocation invocation, AdminServices services, string? id, string argumentName)
    {
        if (id is null)
        {
            await invocation.UsageErrorAsync($"{argumentName} is required.");
            return null;
        }
        if (!AdminFormat.IsWorkspaceId(id))
        {
            await invocation.UsageErrorAsync($"{argumentName} '{id}' is not a workspace id ({AdminFormat.WorkspaceIdRule}).");
            return null;
        }
        var workspace = await services.Platform.GetWorkspaceAsync(id, CancellationToken.None);
        if (workspace is null)
            await invocation.FailAsync($"workspace '{id}' does not exist. List them with 'discord-mcp workspaces list'.");
        return workspace;
    }

    /// <summary>Exit code after <see cref="ResolveAsync"/> returned null: 2 for a malformed/missing id, 1 for an unknown one.</summary>
    public static int FailureCode(string? id) => id is not null && AdminFormat.IsWorkspaceId(id) ? AdminExit.Failed : AdminExit.Usage;
}
