using System.Text.Json;
using DiscordMcp.Discord.Client;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Discord;

/// <summary>Which guilds callers may use. Read from configuration key <c>ALLOWED_GUILD_IDS</c> (comma-separated or a JSON list).</summary>
public sealed class DiscordScopeOptions
{
    public const string AllowedGuildIdsKey = "ALLOWED_GUILD_IDS";

    /// <summary>The key the host binds <c>ALLOWED_GUILD_IDS</c> to (and <c>appsettings.json</c> uses); read first.</summary>
    public const string AllowedGuildIdsConfigurationKey = "Discord:AllowedGuildIds";

    /// <summary>Empty: every guild the bot is in.</summary>
    public IReadOnlyList<Snowflake> AllowedGuildIds { get; set; } = [];

    /// <summary>Reads <c>ALLOWED_GUILD_IDS</c>; throws <see cref="InvalidOperationException"/> naming the key and the bad entry.</summary>
    public static DiscordScopeOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DiscordScopeOptions();
        // The host maps the documented variable onto Discord:AllowedGuildIds; a bare ALLOWED_GUILD_IDS key also
        // works (plain IConfiguration from environment variables). Reading the wrong one would silently widen the
        // scope to every guild, so both are honoured.
        var section = configuration.GetSection(AllowedGuildIdsConfigurationKey);
        if (!section.Exists())
            section = configuration.GetSection(AllowedGuildIdsKey);
        var raw = section.Value;
        List<string> items;
        if (raw is null)
        {
            items = [.. section.GetChildren().Select(c => c.Value ?? "")];   // appsettings.json array
        }
        else if (raw.TrimStart().StartsWith('['))
        {
            try
            {
                items = JsonSerializer.Deserialize<List<JsonElement>>(raw)!.Select(e => e.ValueKind == JsonValueKind.Number ? e.GetRawText() : e.GetString() ?? "").ToList();
            }
            catch (JsonException)
            {
                throw new InvalidOperationException($"{AllowedGuildIdsKey} must be comma-separated guild ids or a JSON list of ids.");
            }
        }
        else
        {
            items = [.. raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }
        var ids = new List<Snowflake>();
        foreach (var item in items)
        {
            if (!Snowflake.TryParse(item.Trim(), out var id))
                throw new InvalidOperationException($"{AllowedGuildIdsKey} contains \"{item}\", which is not a Discord guild id (a decimal number).");
            ids.Add(id);
        }
        options.AllowedGuildIds = ids;
        return options;
    }
}
