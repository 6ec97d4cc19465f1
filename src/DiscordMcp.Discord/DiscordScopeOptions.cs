using System.Text.Json;
using DiscordMcp.Discord.Client;
using Microsoft.Extensions.Configuration;

namespace DiscordMcp.Discord;

/// <summary>Which guilds callers may use. Read from configuration key <c>ALLOWED_GUILD_IDS</c> (comma-separated or a JSON list).</summary>
public sealed class DiscordScopeOptions
{
    public const string AllowedGuildIdsKey = "ALLOWED_GUILD_IDS";

    /// <summary>Empty: every guild the bot is in.</summary>
    public IReadOnlyList<Snowflake> AllowedGuildIds { get; set; } = [];

    /// <summary>Reads <c>ALLOWED_GUILD_IDS</c>; throws <see cref="InvalidOperationException"/> naming the key and the bad entry.</summary>
    public static DiscordScopeOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DiscordScopeOptions();
        var section = configuration.GetSection(AllowedGuildIdsKey);
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
